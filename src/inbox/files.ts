import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AimqError } from '../errors/index.js';

/** One message of an exported mailbox, with where it came from for messages. */
export interface MailboxEntry {
  raw: Buffer;
  /** `file`, `file#3` (the third message of an mbox), or `Maildir/cur/name`. */
  where: string;
}

/**
 * The messages of an exported mailbox: one .eml file, an mbox file (messages split on
 * `From ` lines, `>From ` unescaped, mboxrd style, which also reads mboxo), or a Maildir
 * (its cur/ and new/). `shown` names the path in messages. What cannot be a mailbox is
 * refused here, before anything is read; the messages themselves are read one at a time,
 * as they are used, so a mailbox of any size is read in little memory (an mbox file of
 * several gigabytes is one string too many for JavaScript).
 */
export function readMailbox(path: string, shown: string): Iterable<MailboxEntry> {
  if (!existsSync(path))
    throw new AimqError(
      'AIMQ-INBOX-FILE',
      { fr: `${shown} n’existe pas`, en: `${shown} does not exist` },
      {
        hint: {
          fr: 'nommez un fichier .eml, un fichier mbox ou un dossier Maildir (avec cur/ et new/)',
          en: 'name an .eml file, an mbox file or a Maildir folder (with cur/ and new/)',
        },
      },
    );
  return reading(shown, () => {
    if (statSync(path).isDirectory()) return maildirEntries(path, shown);
    const fd = openSync(path, 'r');
    const head = Buffer.alloc(5);
    const got = readSync(fd, head, 0, 5, 0);
    closeSync(fd);
    if (head.subarray(0, got).toString('latin1') === 'From ') return mboxEntries(path, shown);
    const archive = ARCHIVES.find((a) => head.subarray(0, got).subarray(0, a.magic.length).equals(a.magic));
    if (archive)
      throw new AimqError(
        'AIMQ-INBOX-FILE',
        {
          fr: `${shown} est une archive ${archive.name}, pas un courriel ni un fichier mbox`,
          en: `${shown} is a ${archive.name} archive, not a message or an mbox file`,
        },
        {
          hint: {
            fr: `extrayez-la d’abord (${archive.tool}), puis nommez le fichier .mbox, le fichier .eml ou le dossier Maildir qu’elle contient`,
            en: `extract it first (${archive.tool}), then name the .mbox file, the .eml file or the Maildir folder it holds`,
          },
        },
      );
    return [{ raw: readFileSync(path), where: shown }];
  });
}

/** What an export may come wrapped in (Google Takeout gives .zip or .tgz): read, it would be one unreadable "message". */
const ARCHIVES = [
  { magic: Buffer.from([0x1f, 0x8b]), name: 'gzip', tool: 'gunzip' },
  { magic: Buffer.from('PK\x03\x04', 'latin1'), name: 'zip', tool: 'unzip' },
  { magic: Buffer.from('BZh', 'latin1'), name: 'bzip2', tool: 'bunzip2' },
  { magic: Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a]), name: 'xz', tool: 'unxz' },
  { magic: Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), name: 'zstd', tool: 'unzstd' },
];

/** `what()`, and every entry it yields, with a read error turned into AIMQ-INBOX-FILE naming `shown`. */
function reading(shown: string, what: () => Iterable<MailboxEntry>): Iterable<MailboxEntry> {
  const unreadable = (err: unknown): never => {
    if (err instanceof AimqError) throw err;
    throw new AimqError(
      'AIMQ-INBOX-FILE',
      {
        fr: `${shown} ne peut pas être lu\u00a0: ${(err as Error).message}`,
        en: `${shown} cannot be read: ${(err as Error).message}`,
      },
      {
        hint: {
          fr: 'vérifiez que le fichier ou le dossier existe et peut être lu',
          en: 'check that the file or folder exists and may be read',
        },
        cause: err,
      },
    );
  };
  let entries: Iterable<MailboxEntry>;
  try {
    entries = what();
  } catch (err) {
    return unreadable(err);
  }
  return {
    *[Symbol.iterator]() {
      const it = entries[Symbol.iterator]();
      for (;;) {
        let next: IteratorResult<MailboxEntry>;
        try {
          next = it.next();
        } catch (err) {
          return unreadable(err);
        }
        if (next.done) return;
        yield next.value;
      }
    },
  };
}

function maildirEntries(dir: string, shown: string): Iterable<MailboxEntry> {
  const subs = ['cur', 'new'].filter((s) => existsSync(join(dir, s)));
  // A folder of messages saved one per file (what a mail program's "Save as" writes).
  const saved = subs.length
    ? []
    : readdirSync(dir, { withFileTypes: true })
        .filter((e) => /\.eml$/i.test(e.name) && !e.name.startsWith('.') && isFile(join(dir, e.name)))
        .map((e) => e.name)
        .sort();
  if (saved.length)
    return (function* () {
      for (const name of saved) yield { raw: readFileSync(join(dir, name)), where: `${shown}/${name}` };
    })();
  if (!subs.length)
    throw new AimqError(
      'AIMQ-INBOX-FILE',
      {
        fr: `${shown} est un dossier sans cur/ ni new/ ni fichier .eml\u00a0: ce n’est pas un Maildir`,
        en: `${shown} is a folder without cur/, new/ or .eml files: not a Maildir`,
      },
      {
        hint: {
          fr: 'nommez le Maildir lui-même (le dossier qui contient cur/, new/ et tmp/), ou un dossier de fichiers .eml',
          en: 'name the Maildir itself (the folder that holds cur/, new/ and tmp/), or a folder of .eml files',
        },
      },
    );
  // Messages are files; anything else in cur/ or new/ (a folder a tool left there) is not one.
  const files = subs.flatMap((s) =>
    readdirSync(join(dir, s), { withFileTypes: true })
      .filter(
        (e) =>
          !e.name.startsWith('.') && (e.isFile() || (e.isSymbolicLink() && isFile(join(dir, s, e.name)))),
      )
      .map((e) => e.name)
      .sort()
      .map((name) => ({ path: join(dir, s, name), where: `${shown}/${s}/${name}` })),
  );
  return (function* () {
    for (const f of files) yield { raw: readFileSync(f.path), where: f.where };
  })();
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Bytes read at a time from an mbox file. */
const CHUNK = 1 << 20;

/** The lines of a source, each with its `\n` (the last one may have none), whatever its size. */
function* linesOf(read: (into: Buffer) => number): Generator<Buffer> {
  const chunk = Buffer.allocUnsafe(CHUNK);
  let partial: Buffer[] = [];
  for (let got = read(chunk); got > 0; got = read(chunk)) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl >= 0 && nl < got; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl + 1);
      yield partial.length ? Buffer.concat([...partial, piece]) : Buffer.from(piece);
      partial = [];
      start = nl + 1;
    }
    if (start < got) partial.push(Buffer.from(chunk.subarray(start, got)));
  }
  if (partial.length) yield Buffer.concat(partial);
}

/**
 * The line that starts a message of an mbox (RFC 4155): `From `, the sender, then the date as
 * asctime writes it (`Mon Dec  7 06:20:11 2026`, a weekday first) or an ISO date. A line of a
 * body that starts with `From ` and was not escaped (mboxcl, some exporters) is not one.
 */
const POSTMARK =
  /^From \S* +(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w* .*\d{1,2}:\d{2}|\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2})/;

/**
 * Splits an mbox: a message starts at a postmark line after a blank line (or at the start:
 * readMailbox reads a file as an mbox when it starts with `From `);
 * `>From ` lines lose one `>` (mboxrd). Bytes are kept as they are, whatever the charset.
 */
function* mboxMessages(lines: Iterable<Buffer>, shown: string): Generator<MailboxEntry> {
  let current: Buffer[] | undefined;
  let n = 0;
  let afterBlank = true;
  const finish = (parts: Buffer[]): MailboxEntry => {
    const raw = Buffer.concat(parts);
    let end = raw.length;
    if (raw[end - 1] === 10) end--;
    if (end < raw.length && raw[end - 1] === 13) end--;
    return { raw: raw.subarray(0, end), where: `${shown}#${++n}` };
  };
  // A file whose first line is a bare `From ` line (no date) was written by a tool that writes
  // them all so: then any `From ` line after a blank line starts a message.
  let postmark = POSTMARK;
  for (const line of lines) {
    const text = line.subarray(0, 80).toString('latin1');
    if (!current && !POSTMARK.test(text)) postmark = /^From /;
    if (afterBlank && postmark.test(text)) {
      if (current) yield finish(current);
      current = [];
      afterBlank = false;
      continue;
    }
    afterBlank = text === '\n' || text === '\r\n';
    if (current) current.push(/^>+From /.test(text) ? line.subarray(1) : line);
  }
  if (current) yield finish(current);
}

function mboxEntries(path: string, shown: string): Iterable<MailboxEntry> {
  return {
    *[Symbol.iterator]() {
      const fd = openSync(path, 'r');
      try {
        yield* mboxMessages(
          linesOf((into) => readSync(fd, into, 0, into.length, null)),
          shown,
        );
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** Splits an mbox held in memory (see mboxMessages). */
export function splitMbox(data: Buffer, shown: string): MailboxEntry[] {
  let at = 0;
  const read = (into: Buffer) => {
    const n = data.copy(into, 0, at, Math.min(data.length, at + into.length));
    at += n;
    return n;
  };
  return [...mboxMessages(linesOf(read), shown)];
}
