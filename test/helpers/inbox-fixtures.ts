import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The sample mailbox (test/fixtures/inbox/<form>/<outcome>-<what>.eml), see its README. */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'inbox');

export type Expected = 'hard' | 'soft' | 'complaint' | 'unsubscribe' | 'auto-reply' | 'other';

export interface Fixture {
  /** The folder: postfix, exim, exchange, gmail, qmail, arf, unsubscribe, auto-reply, unrelated. */
  form: string;
  name: string;
  expected: Expected;
  path: string;
}

export function fixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const form of readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const name of readdirSync(join(FIXTURES, form.name))
      .filter((n) => n.endsWith('.eml'))
      .sort()) {
      const m = /^(hard|soft|complaint|unsubscribe|auto-reply|other)-/.exec(name);
      if (!m) throw new Error(`${form.name}/${name}: the name does not start with an outcome`);
      out.push({ form: form.name, name, expected: m[1] as Expected, path: join(FIXTURES, form.name, name) });
    }
  }
  return out.sort((a, b) => a.form.localeCompare(b.form) || a.name.localeCompare(b.name));
}

export interface FixtureValues {
  messageId: string;
  recipient: string;
  from: string;
  subject: string;
  token: string;
  unsub: string;
  /** The report's date and the original message's, as Date objects. */
  date: Date;
  origDate: Date;
  /** Makes the report's own Message-ID unique. */
  n: string | number;
}

function encodedWord(text: string): string {
  return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/** A fixture with the values of a real (or made-up) message filled in, lines ended by CRLF. */
export function renderFixture(path: string, v: FixtureValues): Buffer {
  const subject = /^[\x20-\x7e]*$/.test(v.subject) ? v.subject : encodedWord(v.subject);
  const text = readFileSync(path, 'utf8')
    .replaceAll('{{MESSAGE_ID}}', v.messageId)
    .replaceAll('{{RECIPIENT}}', v.recipient)
    .replaceAll('{{DOMAIN}}', v.recipient.split('@')[1]!)
    .replaceAll('{{FROM}}', v.from)
    .replaceAll('{{TOKEN}}', v.token)
    .replaceAll('{{UNSUB}}', v.unsub)
    .replaceAll('{{DATE}}', v.date.toUTCString().replace('GMT', '+0000'))
    .replaceAll('{{ORIG_DATE}}', v.origDate.toUTCString().replace('GMT', '+0000'))
    .replaceAll('{{N}}', String(v.n))
    .replaceAll('{{SUBJECT}}', subject)
    .replace(/\{\{SUBJECT_B64:([^}]*)\}\}/g, (_, t: string) => encodedWord(t));
  return Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8');
}
