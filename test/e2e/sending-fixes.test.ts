import { cpSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Campaign, Delivery, SkippedLine } from '../../src/outbox/outbox.js';
import { sendableProject } from '../helpers/cli.js';
import { aimqAsync, startAimq } from '../helpers/cli-async.js';
import { FOUR, listCsv } from '../helpers/lists.js';
import { smtpServers, type TestSmtpServer } from '../helpers/smtp.js';

/**
 * The sending fixes of issues #11.2, #11.3, #11.4, #11.5, #11.16, #11.19, #11.20 and
 * #11.25, end to end: the real bin/aimq.js, a real SMTP server on 127.0.0.1, a real SQLite
 * outbox. Each test fails on the aimq before the fix.
 */

const RELEASE = 'releases/2020-01-13-mission-aimq';
const PASSWORD = 'S3cr3t-P4ss';

const smtp = smtpServers(afterEach);

function project(lists: Record<string, string> = { 'medias.csv': listCsv(FOUR) }): string {
  const dir = sendableProject();
  mkdirSync(join(dir, 'lists'), { recursive: true });
  for (const [name, text] of Object.entries(lists)) writeFileSync(join(dir, 'lists', name), text);
  return dir;
}

function envFor(server: TestSmtpServer | undefined, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...(server ? { AIMQ_SMTP_URL: server.url } : {}),
    AIMQ_SMTP_PASSWORD: '',
    AIMQ_RETRY_BASE_MS: '20',
    AIMQ_MAX_RETRY_WAIT_MS: '5000',
    AIMQ_SMTP_TIMEOUT_MS: '1500',
    ...extra,
  };
}

const outboxPath = (dir: string) => join(dir, '.aimq', 'outbox.sqlite');

async function show(
  dir: string,
  id: number,
): Promise<{ campaign: Campaign; deliveries: Delivery[]; skipped?: SkippedLine[] }> {
  const r = await aimqAsync(['outbox', 'show', String(id), '--format', 'json'], dir);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { campaign: Campaign; deliveries: Delivery[]; skipped?: SkippedLine[] };
}

/** Every row of every table of the outbox, to compare before and after. */
function outboxDump(dir: string): string {
  const db = new Database(outboxPath(dir), { readonly: true });
  try {
    return JSON.stringify(
      ['campaigns', 'deliveries', 'editions'].map((t) =>
        db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all(),
      ),
    );
  } finally {
    db.close();
  }
}

describe('#11.3 the outbox file: races, locks, damage', () => {
  it('#11.3 a locked outbox waits, then exits 2 with AIMQ-OUTBOX and a hint, not 70', async () => {
    const dir = project();
    const scheduled = await aimqAsync(
      ['release', 'schedule', RELEASE, '--at', '2030-01-01 09:00', '--to', 'lists/medias.csv'],
      dir,
    );
    expect(scheduled.status, scheduled.stderr).toBe(0);
    const holder = new Database(outboxPath(dir));
    holder.prepare('BEGIN IMMEDIATE').run();
    try {
      const r = await aimqAsync(['outbox', 'list'], dir, { AIMQ_OUTBOX_BUSY_MS: '300' });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain('[AIMQ-OUTBOX]');
      expect(r.stderr).toMatch(/database is locked/);
      expect(r.stderr).toMatch(/hint: another aimq/);
      expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    } finally {
      holder.prepare('ROLLBACK').run();
      holder.close();
    }
  });

  it('#11.3 a damaged (malformed) outbox exits 2 with AIMQ-OUTBOX and a hint, not 70', async () => {
    const dir = project();
    const scheduled = await aimqAsync(
      ['release', 'schedule', RELEASE, '--at', '2030-01-01 09:00', '--to', 'lists/medias.csv'],
      dir,
    );
    expect(scheduled.status, scheduled.stderr).toBe(0);
    // Every page after the header page overwritten: the header still says SQLite.
    const file = outboxPath(dir);
    const bytes = readFileSync(file);
    bytes.fill(0xa5, 4096);
    writeFileSync(file, bytes);
    const r = await aimqAsync(['outbox', 'list'], dir);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('[AIMQ-OUTBOX]');
    expect(r.stderr).toMatch(/hint: /);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('#11.3 an empty (zero-byte) outbox is refused as damaged, never taken for a new one: nothing is sent', async () => {
    const server = await smtp();
    const dir = project();
    mkdirSync(join(dir, '.aimq'), { recursive: true });
    writeFileSync(outboxPath(dir), '');
    const r = await aimqAsync(
      ['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes'],
      dir,
      envFor(server),
    );
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('[AIMQ-OUTBOX]');
    expect(r.stderr).toMatch(/empty file/);
    expect(r.stderr).toMatch(/hint: restore it from a backup/);
    expect(server.messages).toHaveLength(0);
    expect(statSync(outboxPath(dir)).size).toBe(0);
  });
});

describe('#11.5 release send checks the SMTP settings before anything is written', () => {
  it('#11.5 no SMTP settings: exit 2 and no campaign, no outbox', async () => {
    const dir = project();
    const r = await aimqAsync(
      ['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes'],
      dir,
      envFor(undefined, { AIMQ_SMTP_URL: '' }),
    );
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('[AIMQ-SMTP-CONFIG]');
    expect(existsSync(outboxPath(dir))).toBe(false);
    const list = await aimqAsync(['outbox', 'list'], dir);
    expect(list.stderr).toMatch(/No outbox yet/);
  });
});

describe('#11.4 SMTP secrets', () => {
  it('#11.4 a % not followed by two hex digits in the password of AIMQ_SMTP_URL: exit 2, the variable named, the password never printed', async () => {
    const dir = project();
    const secret = 'pa%zzword';
    const [send, verify] = await Promise.all([
      aimqAsync(
        ['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes'],
        dir,
        envFor(undefined, { AIMQ_SMTP_URL: `smtp://user:${secret}@127.0.0.1:2525` }),
      ),
      aimqAsync(['smtp', 'verify'], dir, { AIMQ_SMTP_URL: `smtp://user:${secret}@127.0.0.1:2525` }),
    ]);
    for (const r of [send, verify]) {
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain('AIMQ_SMTP_URL');
      expect(r.stderr).toContain('[AIMQ-SMTP-CONFIG]');
      expect(r.stderr).toMatch(/%25/);
      expect(r.stderr).not.toContain(secret);
      expect(r.stderr).not.toContain('zzword');
      expect(r.stderr).not.toMatch(/URIError|internal error/);
    }
    expect(existsSync(outboxPath(dir))).toBe(false);
  });

  it('#11.4 a server reply that echoes the AUTH argument (base64 of the credentials) is redacted on screen and in the outbox', async () => {
    const server = await smtp({ auth: { user: 'aimq', password: 'right' }, echoAuthArgument: true });
    const dir = project();
    const url = `smtp://aimq:${PASSWORD}@127.0.0.1:${server.port}`;
    const plain = Buffer.from(`\0aimq\0${PASSWORD}`).toString('base64');
    const [send, verify] = await Promise.all([
      aimqAsync(
        ['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes'],
        dir,
        envFor(server, { AIMQ_SMTP_URL: url }),
      ),
      aimqAsync(['smtp', 'verify'], dir, { AIMQ_SMTP_URL: url }),
    ]);
    // The server did echo it: otherwise this test proves nothing.
    expect(server.authAttempts.length).toBeGreaterThan(0);
    expect(send.status, send.stderr).toBe(3);
    expect(verify.status, verify.stderr).toBe(3);
    for (const r of [send, verify]) {
      expect(r.stderr).toMatch(/Authentication failed for AUTH PLAIN \*\*\*\*/);
      expect(r.stderr + r.stdout).not.toContain(plain);
      expect(r.stderr + r.stdout).not.toContain(plain.replace(/=+$/, ''));
      expect(r.stderr + r.stdout).not.toContain(PASSWORD);
    }
    const stored = readFileSync(outboxPath(dir));
    expect(stored.includes(plain.replace(/=+$/, ''))).toBe(false);
    const rows = (await show(dir, 1)).deliveries;
    expect(rows.some((d) => d.lastReply?.includes('****'))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(plain.replace(/=+$/, ''));
  });
});

describe('#11.20 lists with invalid lines', () => {
  const LIST = `courriel;nom;langue\nfrancine@example.org;Francine;fr\npas-une-adresse;Personne;fr\nedward@example.org;Edward;en\n`;

  it('#11.20 a list with an invalid line is refused before anything is sent, the line named file:line (exit 1)', async () => {
    const server = await smtp();
    const dir = project({ 'medias.csv': LIST });
    const r = await aimqAsync(
      ['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes'],
      dir,
      envFor(server),
    );
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/lists\/medias\.csv:3:\d+ error: .*\[AIMQ-LIST-EMAIL\]/);
    expect(r.stderr).toMatch(/--skip-invalid/);
    expect(server.messages).toHaveLength(0);
    expect(existsSync(outboxPath(dir))).toBe(false);
  });

  it('#11.20 --skip-invalid sends to the others and records each skipped line in the campaign, listed by outbox show', async () => {
    const server = await smtp();
    const dir = project({ 'medias.csv': LIST });
    const r = await aimqAsync(
      ['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes', '--skip-invalid'],
      dir,
      envFor(server),
    );
    expect(r.status, r.stderr).toBe(0);
    expect(server.messages.map((m) => m.to[0]).sort()).toEqual([
      'edward@example.org',
      'francine@example.org',
    ]);
    const json = await show(dir, 1);
    expect(json.skipped).toEqual([
      expect.objectContaining({ file: 'lists/medias.csv', line: 3, code: 'AIMQ-LIST-EMAIL' }),
    ]);
    const text = await aimqAsync(['outbox', 'show', '1'], dir);
    expect(text.stdout).toMatch(/Invalid lines skipped \(--skip-invalid\), 1/);
    expect(text.stdout).toMatch(/lists\/medias\.csv:3: .*\[AIMQ-LIST-EMAIL\]/);
  });
});

describe('#11.16 --to finds a list by its name under lists/', () => {
  it('#11.16 --to medias and --to medias.csv are lists/medias.csv', async () => {
    const server = await smtp();
    const dir = project({ 'medias.csv': listCsv(FOUR.slice(0, 2)), 'membres.csv': listCsv(FOUR.slice(2)) });
    const r = await aimqAsync(
      ['release', 'send', RELEASE, '--to', 'medias', '--to', 'membres.csv', '--yes'],
      dir,
      envFor(server),
    );
    expect(r.status, r.stderr).toBe(0);
    expect(server.messages).toHaveLength(4);
    expect((await show(dir, 1)).campaign.targets).toEqual(['lists/medias.csv', 'lists/membres.csv']);
  });
});

describe('#11.25 small things of sending', () => {
  it('#11.25 --test with --edition fr sends the French edition only', async () => {
    const server = await smtp();
    const dir = project();
    const r = await aimqAsync(
      ['release', 'send', RELEASE, '--test', 'me@example.org', '--edition', 'fr'],
      dir,
      envFor(server),
    );
    expect(r.status, r.stderr).toBe(0);
    expect(server.messages).toHaveLength(1);
    expect(r.stderr).toMatch(/\[TEST\] fr → me@example\.org: sent/);
    expect(r.stderr).not.toMatch(/\[TEST\] (en|bilingual)/);
  });

  it('#11.25 a host name that does not resolve gets a DNS hint, not a TLS one', async () => {
    const dir = project();
    const r = await aimqAsync(['smtp', 'verify'], dir, {
      AIMQ_SMTP_URL: 'smtp://no-such-host.invalid:587',
      AIMQ_SMTP_TIMEOUT_MS: '5000',
    });
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/ENOTFOUND|EAI_AGAIN/);
    expect(r.stderr).toMatch(/hint: .*DNS/);
    expect(r.stderr).not.toMatch(/hint: .*TLS/);
  });

  it('#11.25 dispatch --watch says "Nothing due" once, not every interval', async () => {
    const dir = project();
    const watcher = startAimq(['dispatch', '--watch', '--interval', '1s'], dir, envFor(undefined));
    // From its first round on, three more intervals.
    while (!watcher.stderr().includes('Nothing due')) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 3500));
    watcher.child.kill('SIGTERM');
    const r = await watcher.done;
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr.match(/Nothing due/g) ?? []).toHaveLength(1);
  });

  it('#11.25 the rate shown counts only what this run sent: 0.0/s when the server refuses the connection', async () => {
    const server = await smtp();
    const dir = project();
    server.behave('nadia@example.org', { tempFail: { times: 100, at: 'rcpt' } });
    const first = await aimqAsync(
      ['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes'],
      dir,
      envFor(server, { AIMQ_MAX_RETRY_WAIT_MS: '0' }),
    );
    expect(first.status, first.stderr).toBe(3);
    expect(server.messages).toHaveLength(3);
    await server.close();
    // Nothing listens there any more: the connection is refused.
    const again = await aimqAsync(
      ['release', 'send', RELEASE, '--to', 'lists/medias.csv', '--yes'],
      dir,
      envFor(server, { AIMQ_RETRY_BASE_MS: '0' }),
    );
    expect(again.status, again.stderr).toBe(3);
    expect(again.stderr).toMatch(/ECONNREFUSED/);
    const rates = [...again.stderr.matchAll(/ (\d+\.\d)\/s/g)].map((m) => m[1]);
    expect(rates.length).toBeGreaterThan(0);
    expect(
      rates.every((r) => r === '0.0'),
      again.stderr,
    ).toBe(true);
  });
});

describe('#11.19 dispatch with a simulated clock is a rehearsal', () => {
  it('#11.19 dispatch --once --now sends nothing and changes no row; --send sends for real', async () => {
    const server = await smtp();
    const dir = project();
    const scheduled = await aimqAsync(
      [
        'release',
        'schedule',
        RELEASE,
        '--at',
        '2026-12-01 09:00',
        '--to',
        'lists/medias.csv',
        '--now',
        '2026-11-30T12:00:00-05:00',
      ],
      dir,
    );
    expect(scheduled.status, scheduled.stderr).toBe(0);
    const before = outboxDump(dir);
    const rehearsal = await aimqAsync(
      ['dispatch', '--once', '--now', '2026-12-01T09:01:00-05:00'],
      dir,
      envFor(server),
    );
    expect(rehearsal.status, rehearsal.stderr).toBe(0);
    expect(rehearsal.stderr).toMatch(/Rehearsal/);
    expect(rehearsal.stderr).toMatch(/would send 4 message\(s\)/);
    expect(server.messages).toHaveLength(0);
    expect(server.rcptSeen).toEqual([]);
    expect(outboxDump(dir)).toBe(before);

    // AIMQ_NOW is a simulated clock too.
    const byEnv = await aimqAsync(
      ['dispatch', '--once'],
      dir,
      envFor(server, { AIMQ_NOW: '2026-12-01T09:01:00-05:00' }),
    );
    expect(byEnv.status, byEnv.stderr).toBe(0);
    expect(server.messages).toHaveLength(0);
    expect(outboxDump(dir)).toBe(before);

    const real = await aimqAsync(
      ['dispatch', '--once', '--now', '2026-12-01T09:01:00-05:00', '--send'],
      dir,
      envFor(server),
    );
    expect(real.status, real.stderr).toBe(0);
    expect(server.messages).toHaveLength(4);
  });
});

describe('#11.2 dispatch goes on whatever state the releases are in', () => {
  /**
   * A campaign of the sample release due in a second or two, by the real clock (a
   * simulated one would make dispatch a rehearsal); resolves once it is due.
   */
  async function scheduleSoon(dir: string): Promise<void> {
    const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, '+00:00');
    const at = new Date(Math.ceil((Date.now() + 1000) / 1000) * 1000);
    // Told it is a minute earlier, so that a slow start does not make the time past.
    const now = new Date(at.getTime() - 60_000);
    const scheduled = await aimqAsync(
      ['release', 'schedule', RELEASE, '--at', iso(at), '--to', 'lists/medias.csv', '--now', iso(now)],
      dir,
    );
    expect(scheduled.status, scheduled.stderr).toBe(0);
    while (Date.now() < at.getTime() + 100) await new Promise((r) => setTimeout(r, 100));
  }

  /** A second release, with a front-matter schedule, whose body cannot make an e-mail (a missing image). */
  function brokenRelease(dir: string): string {
    const broken = 'releases/2020-02-01-broken';
    cpSync(join(dir, RELEASE), join(dir, broken), { recursive: true });
    const fr = readFileSync(join(dir, broken, 'fr.md'), 'utf8')
      .replace(
        'tags: [gouvernance, mission]\n',
        'tags: [gouvernance, mission]\ndispatch:\n  - at: 2030-12-01 09:00\n    to: lists/medias.csv\n',
      )
      .replace(/\n---\n/, '\n---\n![Une photo](absente.jpg)\n\n');
    writeFileSync(join(dir, broken, 'fr.md'), fr);
    return broken;
  }

  it('#11.2 a release that fails to load is reported and the round exits 3, but the due campaign of another release goes out', async () => {
    const server = await smtp();
    const dir = project();
    const broken = brokenRelease(dir);
    await scheduleSoon(dir);
    const r = await aimqAsync(['dispatch', '--once'], dir, envFor(server));
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toContain(`${broken}/fr.md`);
    expect(r.stderr).toContain('AIMQ-IMAGE-MISSING');
    expect(server.messages).toHaveLength(4);
  });

  it('#11.2 a campaign under way finishes from what the outbox recorded (Reply-To, subject, editions) though its release no longer loads', async () => {
    const server = await smtp({ auth: { user: 'aimq', password: PASSWORD } });
    const dir = project();
    await scheduleSoon(dir);
    const bad = `smtp://aimq:wrong@127.0.0.1:${server.port}`;
    const good = `smtp://aimq:${PASSWORD}@127.0.0.1:${server.port}`;
    // Refused credentials: the campaign is under way, nothing sent.
    const first = await aimqAsync(['dispatch', '--once'], dir, envFor(server, { AIMQ_SMTP_URL: bad }));
    expect(first.status, first.stderr).toBe(3);
    expect(server.messages).toHaveLength(0);
    const planned = await show(dir, 1);
    expect(planned.campaign.status).toBe('sending');

    // The release is broken meanwhile: its front matter no longer parses.
    writeFileSync(join(dir, RELEASE, 'fr.md'), '---\ntitle: [unclosed\n---\nTexte.\n');
    const second = await aimqAsync(['dispatch', '--once'], dir, envFor(server, { AIMQ_SMTP_URL: good }));
    // The broken release is reported (exit 3), and the campaign finished all the same.
    expect(second.status, second.stderr).toBe(3);
    expect(server.messages).toHaveLength(4);
    const after = await show(dir, 1);
    expect(after.campaign.status).toBe('done');
    expect(after.deliveries.every((d) => d.state === 'sent')).toBe(true);
    // The Reply-To recorded with the campaign (the release's contact): the release cannot say it any more.
    const parsed = await server.messages[0]!.parse();
    expect(planned.campaign.replyTo?.address).toBe('communications@aimq.net');
    expect(parsed.replyTo?.value[0]?.address).toBe('communications@aimq.net');
    expect(parsed.subject).toMatch(/AIMQ/);
  });
});
