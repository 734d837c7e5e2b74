import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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
 * (its cur/ and new/). `shown` names the path in messages.
 */
export function readMailbox(path: string, shown: string): MailboxEntry[] {
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
  try {
    if (statSync(path).isDirectory()) return readMaildir(path, shown);
    const data = readFileSync(path);
    return data.subarray(0, 5).toString('latin1') === 'From '
      ? splitMbox(data, shown)
      : [{ raw: data, where: shown }];
  } catch (err) {
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
  }
}

function readMaildir(dir: string, shown: string): MailboxEntry[] {
  const subs = ['cur', 'new'].filter((s) => existsSync(join(dir, s)));
  if (!subs.length)
    throw new AimqError(
      'AIMQ-INBOX-FILE',
      {
        fr: `${shown} est un dossier sans cur/ ni new/\u00a0: ce n’est pas un Maildir`,
        en: `${shown} is a folder without cur/ or new/: not a Maildir`,
      },
      {
        hint: {
          fr: 'nommez le Maildir lui-même (le dossier qui contient cur/, new/ et tmp/)',
          en: 'name the Maildir itself (the folder that holds cur/, new/ and tmp/)',
        },
      },
    );
  return subs.flatMap((s) =>
    readdirSync(join(dir, s))
      .filter((name) => !name.startsWith('.'))
      .sort()
      .map((name) => ({ raw: readFileSync(join(dir, s, name)), where: `${shown}/${s}/${name}` })),
  );
}

/** Splits an mbox: a message starts at a line beginning `From ` after a blank line (or at the start). */
export function splitMbox(data: Buffer, shown: string): MailboxEntry[] {
  const text = data.toString('latin1');
  const out: MailboxEntry[] = [];
  const starts: number[] = [];
  const re = /(^|\n)From [^\n]*\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index + m[1]!.length;
    if (at === 0 || text[at - 2] === '\n' || text.slice(at - 3, at) === '\n\r\n') starts.push(at);
  }
  for (let i = 0; i < starts.length; i++) {
    const begin = text.indexOf('\n', starts[i]!) + 1;
    const end = i + 1 < starts.length ? starts[i + 1]! : text.length;
    const body = text
      .slice(begin, end)
      .replace(/\r?\n$/, '')
      .replace(/^>(>*From )/gm, '$1');
    // latin1 both ways: the bytes come back as they were, whatever the message's charset.
    out.push({ raw: Buffer.from(body, 'latin1'), where: `${shown}#${i + 1}` });
  }
  return out;
}
