import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listsCheckCommand, listsUnsubscribeCommand } from '../../src/cli/commands/lists.js';
import { reportError, type Io } from '../../src/cli/main.js';
import { AimqError } from '../../src/errors/index.js';
import { REPO, tempDir } from '../helpers/cli.js';

/** The Io boundary, collecting what a command prints. */
function fakeIo(cwd: string): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    cwd,
    stdout: (t) => out.push(t),
    write: (d) => out.push(d.toString('utf8')),
    stderr: (t) => err.push(t),
    env: {},
    lang: 'en',
    t: (m) => (typeof m === 'string' ? m : m.en),
    isTTY: false,
    confirm: undefined,
    watchSignals: () => {},
    stopRequested: () => false,
    out,
    err,
  };
}

/** What the CLI would do with a command's result or failure: its exit code, and the output. */
async function run(
  cwd: string,
  command: (io: Io) => number | Promise<number>,
): Promise<{ status: number; stdout: string; stderr: string }> {
  const io = fakeIo(cwd);
  let status: number;
  try {
    status = await command(io);
  } catch (err) {
    status = reportError(err, io);
  }
  const stderr = io.err.join('\n');
  expect(stderr).not.toMatch(/internal error|^ {4}at /m);
  return { status, stdout: io.out.join('\n'), stderr };
}

const FIXTURES = join(REPO, 'test', 'fixtures', 'lists');

/** A project with the repository's config, the fixture lists, and a suppression list with one address. */
function project(): string {
  const dir = tempDir();
  cpSync(join(REPO, 'aimq.config.yaml'), join(dir, 'aimq.config.yaml'));
  cpSync(FIXTURES, join(dir, 'lists'), { recursive: true });
  writeFileSync(
    join(dir, 'lists', 'suppression.csv'),
    'email,date,reason\nJohn.Smith@Gazette.example,2026-01-05T14:00:00Z,unsubscribe\n',
  );
  return dir;
}

const check = (cwd: string, file: string, format: 'text' | 'json' = 'text') =>
  run(cwd, (io) => listsCheckCommand(io, file, { format }));

describe('aimq lists check', () => {
  it('reads a semicolon Windows-1252 list with French headers, with a note and the counts', async () => {
    const r = await check(project(), 'lists/medias-windows-1252.csv');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      'lists/medias-windows-1252.csv:1:1 note: not valid UTF-8: read as Windows-1252, as Excel saves CSV files on Windows',
      expect.stringMatching(/^Expired consent on \d{4}-\d{2}-\d{2} \(CASL\): not sent to, 1$/),
      '  lists/medias-windows-1252.csv:5  francois.belanger@devoir.example  implied consent (existing business relationship, 2 years), no consent date: cannot be checked, counts as expired',
    ]);
    expect(r.stderr).toBe(
      'lists/medias-windows-1252.csv: 4 recipients (fr 1, en 1, bilingual 2), 1 suppressed, 0 invalid, 0 duplicates, 1 expired consent',
    );
  });

  it('reads a UTF-8 list with a BOM, quietly', async () => {
    const r = await check(project(), 'lists/bom-utf8.csv');
    expect(r.status).toBe(0);
    // Only the consent that expired on 2026-12-01 (implied, 2024-12-01) is reported.
    expect(r.stdout.split('\n')[1]).toBe(
      '  lists/bom-utf8.csv:4  sam.lee@example.com  implied consent (existing business relationship, 2 years) of 2024-12-01T09:30:00-05:00: expired on 2026-12-01',
    );
    expect(r.stderr).toBe(
      'lists/bom-utf8.csv: 3 recipients (fr 1, en 1, bilingual 1), 0 suppressed, 0 invalid, 0 duplicates, 1 expired consent',
    );
  });

  it('reports invalid and duplicate lines with file:line:col, and exits 1', async () => {
    const r = await check(project(), 'lists/problems.csv');
    expect(r.status).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => !l.startsWith('  hint: '));
    expect(lines).toEqual([
      'lists/problems.csv:1:1 warning: this list has no consent column: aimq cannot tell whose implied consent has expired, and sends to everyone on it [AIMQ-CONSENT-MISSING]',
      'lists/problems.csv:1:34 warning: unknown column "téléphone": ignored [AIMQ-LIST-COLUMN]',
      'lists/problems.csv:1:44 warning: unknown column "langage": ignored [AIMQ-LIST-COLUMN]',
      'lists/problems.csv:3:1 error: "not-an-address" is not a valid e-mail address [AIMQ-LIST-EMAIL]',
      'lists/problems.csv:4:1 warning: "OK@Example.org" is already on line 2 [AIMQ-LIST-DUPLICATE]',
      'lists/problems.csv:5:28 error: language "klingon" is not understood: use fr, en or bilingual [AIMQ-LIST-LANGUAGE]',
      'lists/problems.csv:6:27 error: consent date 2024-02-30 does not exist [AIMQ-LIST-CONSENT-DATE]',
      'lists/problems.csv:7:30 error: consent date "15/03/2024" is not an ISO date [AIMQ-LIST-CONSENT-DATE]',
      'lists/problems.csv:8:1 error: this line has no e-mail address [AIMQ-LIST-EMAIL]',
    ]);
    expect(r.stdout).toContain('  hint: did you mean "language"?');
    expect(r.stderr).toBe(
      'lists/problems.csv: 2 recipients (fr 1, en 1, bilingual 0), 0 suppressed, 5 invalid, 1 duplicate',
    );
  });

  it('exits 0 when the only problems are warnings', async () => {
    const dir = project();
    writeFileSync(join(dir, 'lists', 'dups.csv'), 'email,consent\na@x.ca,express\nA@X.CA,express\n');
    const r = await check(dir, 'lists/dups.csv');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      'lists/dups.csv:3:1 warning: "A@X.CA" is already on line 2 [AIMQ-LIST-DUPLICATE]',
    );
    expect(r.stderr).toBe(
      'lists/dups.csv: 1 recipient (fr 0, en 0, bilingual 1), 0 suppressed, 0 invalid, 1 duplicate',
    );
  });

  it('prints a JSON report with --format json', async () => {
    const r = await check(project(), 'lists/problems.csv', 'json');
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual([
      'file',
      'encoding',
      'recipients',
      'byLanguage',
      'suppressed',
      'invalid',
      'duplicates',
      'problems',
      'consent',
    ]);
    expect(report).toMatchObject({
      file: 'lists/problems.csv',
      encoding: 'utf-8',
      recipients: 2,
      byLanguage: { fr: 1, en: 1, bilingual: 0 },
      suppressed: 0,
      invalid: 5,
      duplicates: 1,
    });
    expect((report.problems as unknown[])[3]).toEqual({
      file: 'lists/problems.csv',
      line: 3,
      column: 1,
      severity: 'error',
      code: 'AIMQ-LIST-EMAIL',
      message: '"not-an-address" is not a valid e-mail address',
      hint: 'write it as name@example.org',
    });
    const cp = JSON.parse((await check(project(), 'lists/medias-windows-1252.csv', 'json')).stdout) as Record<
      string,
      unknown
    >;
    expect(cp).toMatchObject({ encoding: 'windows-1252', recipients: 4, suppressed: 1, problems: [] });
  });

  it('takes the file relative to the current folder, and finds the project above it', async () => {
    const dir = project();
    const r = await check(join(dir, 'lists'), 'bom-utf8.csv');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^bom-utf8\.csv: 3 recipients/);
  });

  it('exits 2 for a list that does not exist', async () => {
    const dir = project();
    await expect(listsCheckCommand(fakeIo(dir), 'lists/nope.csv', { format: 'text' })).rejects.toMatchObject({
      code: 'AIMQ-LIST-NOT-FOUND',
    });
    const r = await check(dir, 'lists/nope.csv');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: no list file lists\/nope\.csv \[AIMQ-LIST-NOT-FOUND\]/);
    expect((await check(dir, 'lists')).status).toBe(2);
  });

  it('exits 1 for a list without an email column', async () => {
    const dir = project();
    writeFileSync(join(dir, 'lists', 'noemail.csv'), 'nom;langue\nLuc;fr\n');
    const r = await check(dir, 'lists/noemail.csv');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /^lists\/noemail\.csv:1:1 error: the header line has no email column .*\[AIMQ-LIST-HEADER\]$/m,
    );
  });
});

describe('aimq lists unsubscribe', () => {
  const now = new Date('2026-12-01T15:04:05Z');

  it('appends to lists/suppression.csv, creating it, and says so', async () => {
    const dir = tempDir();
    cpSync(join(REPO, 'aimq.config.yaml'), join(dir, 'aimq.config.yaml'));
    const r = await run(dir, (io) => listsUnsubscribeCommand(io, ' Marie.Tremblay@Example.org ', {}, now));
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      'Marie.Tremblay@Example.org added to lists/suppression.csv (unsubscribe): aimq will not send to it again',
    );
    expect(readFileSync(join(dir, 'lists', 'suppression.csv'), 'utf8')).toBe(
      'email,date,reason\nMarie.Tremblay@Example.org,2026-12-01T15:04:05Z,unsubscribe\n',
    );

    const again = await run(dir, (io) =>
      listsUnsubscribeCommand(io, 'marie.tremblay@example.org', { reason: 'bounce' }, now),
    );
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(
      'marie.tremblay@example.org is already suppressed in lists/suppression.csv (unsubscribe, 2026-12-01T15:04:05Z, line 2): nothing to do',
    );

    const bounce = await run(dir, (io) => listsUnsubscribeCommand(io, 'b@x.ca', { reason: 'bounce' }, now));
    expect(bounce.status).toBe(0);
    expect(readFileSync(join(dir, 'lists', 'suppression.csv'), 'utf8')).toBe(
      'email,date,reason\nMarie.Tremblay@Example.org,2026-12-01T15:04:05Z,unsubscribe\nb@x.ca,2026-12-01T15:04:05Z,bounce\n',
    );
  });

  it('is counted by lists check right away', async () => {
    const dir = project();
    await run(dir, (io) =>
      listsUnsubscribeCommand(io, 'HELENE.COTE@radio.example', { reason: 'complaint' }, now),
    );
    const r = await check(dir, 'lists/medias-windows-1252.csv');
    expect(r.stderr).toContain('2 suppressed');
  });

  it('exits 2 for an invalid address or reason, and writes nothing', async () => {
    const dir = tempDir();
    cpSync(join(REPO, 'aimq.config.yaml'), join(dir, 'aimq.config.yaml'));
    mkdirSync(join(dir, 'lists'));
    const bad = await run(dir, (io) => listsUnsubscribeCommand(io, 'marie@', {}, now));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/"marie@" is not a valid e-mail address \[AIMQ-USAGE\]/);
    const reason = await run(dir, (io) => listsUnsubscribeCommand(io, 'a@x.ca', { reason: 'bounced' }, now));
    expect(reason.status).toBe(2);
    expect(reason.stderr).toContain('did you mean "bounce"?');
    expect(() => readFileSync(join(dir, 'lists', 'suppression.csv'))).toThrow();
    await expect(listsUnsubscribeCommand(fakeIo(dir), 'nope', {}, now)).rejects.toThrow(AimqError);
  });
});
