import { closeSync, fdatasync, fstatSync, openSync, statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { AimqError } from '../errors/index.js';
import { inLang, type Message, type Text } from '../i18n/text.js';

/**
 * One SQLite connection to the outbox, shared by its parts (campaigns, queue, reports):
 * the statements each prepares once, and the two kinds of transaction they commit.
 */
export class Connection {
  private readonly statements = new Map<string, Database.Statement>();
  private walFd: number | undefined;
  /** The asynchronous transaction under way, if any: the next waits for it. */
  private current: Promise<unknown> = Promise.resolve();

  constructor(
    readonly db: Database.Database,
    /** The write-ahead log, when the outbox is in WAL mode (it is unless the file system refuses). */
    private readonly walPath: string | undefined,
    /** How the outbox is named in messages: its path, or words for a copy (a rehearsal's). */
    readonly shown: Message,
  ) {}

  /** A prepared statement, prepared once per connection. */
  sql(text: string): Database.Statement {
    let stmt = this.statements.get(text);
    if (!stmt) {
      stmt = this.db.prepare(text);
      this.statements.set(text, stmt);
    }
    return stmt;
  }

  /** Runs `fn` in one immediate transaction: other processes wait, so a check-then-create cannot race. */
  exclusive<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /**
   * Runs the asynchronous `fn` in one immediate transaction, one such transaction at a time
   * (the others of this process wait their turn). The outbox's SQLite calls are synchronous
   * inside their promises, so as long as `fn` awaits only them the transaction commits within
   * one turn of the event loop. Another call of this process that slips in meanwhile is
   * part of it; one that opens its own transaction becomes a savepoint of this one.
   */
  exclusiveAsync<T>(fn: () => Promise<T>): Promise<T> {
    const run = async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn();
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    };
    const result = this.current.then(run, run);
    this.current = result.catch(() => {});
    return result;
  }

  /**
   * Runs `fn` as an immediate transaction whose commit is on disk before it returns
   * (synchronous FULL). Other commits only need to survive a crash of the process, which
   * WAL with synchronous NORMAL guarantees, and skip the fsync: a lost `sent` or `sending`
   * after a power cut leaves a row `sending` or `claimed`, which becomes `uncertain`, never
   * sent twice.
   */
  durable<T>(fn: () => T): T {
    this.db.pragma('synchronous = FULL');
    try {
      return this.db.transaction(fn).immediate();
    } finally {
      this.db.pragma('synchronous = NORMAL');
    }
  }

  /**
   * Commits `fn` at once and resolves once that commit is on disk, without blocking the
   * event loop: fsync of the write-ahead log, in libuv's thread pool. fsync applies to the
   * file, whatever the descriptor, and a WAL commit is entirely in that file (written before
   * the commit returned), header included: once this resolves, those commits survive a power
   * cut, as with synchronous FULL. A checkpoint meanwhile is no matter: SQLite fsyncs the log
   * before copying it and the database after, before the log is reused.
   */
  async committedToDisk<T>(fn: () => T, wrote: (result: T) => boolean): Promise<T> {
    const walPath = this.walPath;
    // A claim must be a commit of its own, not part of an asynchronous transaction under way.
    while (this.db.inTransaction) await this.current;
    if (!walPath) return this.durable(fn);
    const result = this.exclusive(fn);
    if (!wrote(result)) return result;
    // The log keeps its inode while a connection is open; checked anyway, it costs a stat.
    if (
      this.walFd !== undefined &&
      fstatSync(this.walFd).ino !== statSync(walPath, { throwIfNoEntry: false })?.ino
    ) {
      closeSync(this.walFd);
      this.walFd = undefined;
    }
    this.walFd ??= openSync(walPath, 'r');
    const fd = this.walFd;
    await new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
    return result;
  }

  close(): void {
    if (this.walFd !== undefined) closeSync(this.walFd);
    this.walFd = undefined;
    this.db.close();
  }
}

/**
 * SQLite's own failures (locked past the busy timeout, a damaged file, a full disk) as the
 * one error aimq prints: AIMQ-OUTBOX, exit 2, with what to do.
 */
export function outboxError(err: unknown, shown: Message): AimqError {
  if (err instanceof AimqError) return err;
  const code = (err as { code?: string }).code ?? '';
  const message = (err as Error).message ?? String(err);
  const hint: Text = code.startsWith('SQLITE_BUSY')
    ? {
        fr: 'un autre aimq (un envoi ou aimq dispatch) y écrit\u00a0: attendez qu’il finisse et réessayez',
        en: 'another aimq (a send or a dispatcher) is writing to it: wait until it ends and try again',
      }
    : code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB'
      ? {
          fr: 'le fichier est endommagé\u00a0: restaurez-le depuis une sauvegarde\u00a0; ne le supprimez jamais, sinon tout le monde recevrait de nouveau les communiqués',
          en: 'the file is damaged: restore it from a backup; never delete it, or everyone gets the releases again',
        }
      : code === 'SQLITE_FULL'
        ? {
            fr: 'le disque est plein\u00a0: libérez de l’espace et relancez la même commande',
            en: 'the disk is full: make room and run the same command again',
          }
        : {
            fr: 'vérifiez que le dossier est accessible en écriture et que le fichier est une boîte d’envoi aimq',
            en: 'check that the folder is writable and the file is an aimq outbox',
          };
  return new AimqError(
    'AIMQ-OUTBOX',
    {
      fr: `la boîte d’envoi ${inLang(shown, 'fr')}\u00a0: ${message}`,
      en: `the outbox ${inLang(shown, 'en')}: ${message}`,
    },
    { ...outboxFile(shown), hint, cause: err },
  );
}

/** Whether an error came from SQLite (better-sqlite3's SqliteError carries SQLITE_* codes). */
export function isSqliteError(err: unknown): boolean {
  return (
    err instanceof Error &&
    typeof (err as { code?: unknown }).code === 'string' &&
    (err as unknown as { code: string }).code.startsWith('SQLITE_')
  );
}

/**
 * `part` with every method's SQLite errors turned into AIMQ-OUTBOX ones, for calls that
 * return at once and for promises alike.
 */
export function guarded<T extends object>(part: T, shown: Message): T {
  return new Proxy(part, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          if (result instanceof Promise)
            return result.catch((err: unknown) => {
              throw isSqliteError(err) ? outboxError(err, shown) : err;
            });
          return result;
        } catch (err) {
          throw isSqliteError(err) ? outboxError(err, shown) : err;
        }
      };
    },
  });
}

/** The outbox as an error's file: its path; a copy named in words is named in the message only. */
export function outboxFile(shown: Message): { file?: string } {
  return typeof shown === 'string' ? { file: shown } : {};
}
