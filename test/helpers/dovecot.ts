import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

const DOVECOT = '/usr/sbin/dovecot';

/**
 * A real Dovecot IMAP server for one test file: started from a configuration written in a
 * temporary folder, listening on a free loopback port, with one passwd-file user and a
 * Maildir; plain authentication without TLS (loopback only). Messages are delivered by IMAP
 * APPEND, as a mail server would file them. Its log is printed when it fails to start;
 * `log()` gives it to a failing test.
 */
export interface TestDovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The user's Maildir (INBOX), for reading with `aimq inbox import`. */
  maildir: string;
  append(raw: string | Buffer, folder?: string): Promise<void>;
  /** The Message-IDs of a folder's messages (empty when the folder does not exist). */
  messageIds(folder?: string): Promise<string[]>;
  log(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function idOf(user: string, flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

export async function startDovecot(): Promise<TestDovecot> {
  if (!existsSync(DOVECOT))
    throw new Error(
      `${DOVECOT} is missing: install it with "apt-get install dovecot-imapd" (.ci/run installs it)`,
    );
  const dir = mkdtempSync(join(tmpdir(), 'aimq-dovecot-'));
  // The Dovecot processes that drop their privileges must reach the files under it.
  chmodSync(dir, 0o755);
  const user = 'bounces@aimq.net';
  const password = 'imap-test-password-1234';
  const port = await freePort();
  const root = process.getuid?.() === 0;
  // As root, Dovecot refuses to run logins and mail access as root: its own users do those.
  const me = userInfo().username;
  const internal = root ? 'dovecot' : me;
  const internalGroup = root ? 'dovecot' : execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
  const login = root ? 'dovenull' : me;
  const uid = root ? idOf('dovecot', '-u') : process.getuid!();
  const gid = root ? idOf('dovecot', '-g') : process.getgid!();
  const mail = join(dir, 'mail');
  for (const d of ['run', 'state', 'mail', 'home']) mkdirSync(join(dir, d));
  if (root) {
    chownSync(mail, uid, gid);
    chownSync(join(dir, 'home'), uid, gid);
  }
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${password}::::::\n`, { mode: 0o644 });
  const logFile = join(dir, 'dovecot.log');
  writeFileSync(
    join(dir, 'dovecot.conf'),
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${logFile}
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${internal}
default_internal_group = ${internalGroup}
default_login_user = ${login}
first_valid_uid = 1
first_valid_gid = 0
mail_location = maildir:${mail}/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/home/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`,
  );
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', join(dir, 'dovecot.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const log = () => `${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}${stderr}`;
  const deadline = Date.now() + 15_000;
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Dovecot did not start on 127.0.0.1:${port}:\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const connect = async <T>(fn: (c: ImapFlow) => Promise<T>): Promise<T> => {
    const c = new ImapFlow({
      host: '127.0.0.1',
      port,
      secure: false,
      auth: { user, pass: password },
      logger: false,
      disableAutoIdle: true,
    });
    c.on('error', () => {});
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.logout().catch(() => {});
    }
  };

  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    maildir: join(mail, user),
    append: (raw, folder = 'INBOX') =>
      connect(async (c) => {
        await c.append(folder, typeof raw === 'string' ? Buffer.from(raw) : raw);
      }),
    messageIds: (folder = 'INBOX') =>
      connect(async (c) => {
        if (!(await c.list()).some((f) => f.path === folder)) return [];
        const lock = await c.getMailboxLock(folder);
        try {
          const out: string[] = [];
          for await (const m of c.fetch('1:*', { envelope: true })) out.push(m.envelope?.messageId ?? '');
          return out;
        } catch {
          return [];
        } finally {
          lock.release();
        }
      }),
    log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
