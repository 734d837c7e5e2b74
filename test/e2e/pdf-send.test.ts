import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { sendableProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { FOUR, listCsv } from '../helpers/lists.js';
import { pdfImages, pdfInfo, pdfText } from '../helpers/pdf.js';
import { SAMPLE_DIR, writeFiles } from '../helpers/project.js';
import { smtpServers, type TestSmtpServer } from '../helpers/smtp.js';

/**
 * `release send --attach-pdf`: each message carries the PDF of its edition, printed once per
 * edition by the real Chromium, through a real SMTP server; read back with mailparser and
 * pdftotext.
 */

const FR_TITLE = 'L’AIMQ actualise sa mission et ses orientations stratégiques';
const EN_TITLE = 'AIMQ updates its mission and strategic directions';
const FR_PDF = '2020-01-13-mission-aimq.pdf';
const EN_PDF = '2020-01-13-aimq-updates-its-mission.pdf';

const smtp = smtpServers(afterEach);

function envFor(server: TestSmtpServer): NodeJS.ProcessEnv {
  return {
    AIMQ_SMTP_URL: server.url,
    AIMQ_SMTP_PASSWORD: '',
    AIMQ_RETRY_BASE_MS: '20',
    AIMQ_SMTP_TIMEOUT_MS: '1500',
  };
}

function project(): string {
  const dir = sendableProject();
  mkdirSync(join(dir, 'lists'), { recursive: true });
  writeFileSync(join(dir, 'lists', 'medias.csv'), listCsv(FOUR));
  return dir;
}

/** The one PDF a message carries, checked as a download attachment. */
function pdfOf(m: ParsedMail) {
  const pdfs = m.attachments.filter((a) => a.contentType === 'application/pdf');
  expect(pdfs).toHaveLength(1);
  const pdf = pdfs[0]!;
  expect(pdf.contentDisposition).toBe('attachment');
  expect(pdf.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  return pdf;
}

describe('aimq release send --attach-pdf', () => {
  it('attaches the PDF of each recipient’s edition, named for its page, and a second run resumes the campaign', async () => {
    const server = await smtp();
    const dir = project();
    const args = ['release', 'send', SAMPLE_DIR, '--to', 'lists/medias.csv', '--attach-pdf', '--yes'];
    const r = await aimqIn(args, dir, envFor(server));
    expect(r.stderr).not.toMatch(/internal error/i);
    expect(r.status, r.stderr).toBe(0);
    expect(server.messages).toHaveLength(4);

    const expected: Record<string, { file: string; titles: string[] }> = {
      'francine@example.org': { file: FR_PDF, titles: [FR_TITLE] },
      'edward@example.org': { file: EN_PDF, titles: [EN_TITLE] },
      'bianca@example.org': { file: FR_PDF, titles: [FR_TITLE, EN_TITLE] },
      'nadia@example.org': { file: FR_PDF, titles: [FR_TITLE, EN_TITLE] },
    };
    const byEdition = new Map<string, Buffer>();
    for (const m of server.messages) {
      const to = m.to[0]!;
      const parsed = await m.parse();
      const pdf = pdfOf(parsed);
      expect(pdf.filename, to).toBe(expected[to]!.file);
      // The message itself is still there, text and HTML.
      expect(parsed.text).toBeTruthy();
      expect(parsed.html).toBeTruthy();
      const info = pdfInfo(pdf.content);
      expect(info.Title).toBe(expected[to]!.titles.join(' / '));
      expect(info.Tagged).toBe('yes');
      const text = pdfText(pdf.content).replace(/\s+/g, ' ');
      for (const t of expected[to]!.titles) expect(text, to).toContain(t);
      if (expected[to]!.titles.length === 1 && expected[to]!.file === FR_PDF)
        expect(text).not.toContain(EN_TITLE);
      byEdition.set(String(parsed.headers.get('content-language')), pdf.content);
    }
    // Printed once per edition: the two bilingual readers got the same bytes.
    const bilingual = await Promise.all(
      server.messages.filter((m) => /bianca|nadia/.test(m.to[0]!)).map((m) => m.parse()),
    );
    expect(pdfOf(bilingual[0]!).content.equals(pdfOf(bilingual[1]!).content)).toBe(true);
    expect(byEdition.size).toBe(3);

    // The same send again finds its campaign (the PDFs' dates do not make it a new release) and sends nothing.
    const again = await aimqIn(args, dir, envFor(server));
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/campaign 1 \(resumed\)/);
    expect(server.messages).toHaveLength(4);
  });

  it('without Chromium, stops with AIMQ-BROWSER (exit 2) before any campaign or message', async () => {
    const server = await smtp();
    const dir = project();
    const r = await aimqIn(
      ['release', 'send', SAMPLE_DIR, '--to', 'lists/medias.csv', '--attach-pdf', '--yes'],
      dir,
      { ...envFor(server), AIMQ_CHROME: join(dir, 'no-such-chromium') },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('[AIMQ-BROWSER]');
    expect(r.stderr).toContain('apt-get install chromium');
    expect(server.messages).toHaveLength(0);
    expect(existsSync(join(dir, '.aimq', 'outbox.sqlite'))).toBe(false);
  });

  it('under embargo: the PDF carries the embargo line, beside the images attached inline', async () => {
    const server = await smtp();
    const dir = project();
    writeEmbargoed(dir);
    const r = await aimqIn(
      ['release', 'send', EMBARGOED, '--to', 'journaliste@example.org', '--attach-pdf', '--yes'],
      dir,
      envFor(server),
    );
    expect(r.status, r.stderr).toBe(0);
    expect(server.messages).toHaveLength(1);
    const parsed = await server.messages[0]!.parse();
    const pdf = pdfOf(parsed);
    expect(pdf.filename).toBe('2099-05-01-annonce.pdf');
    const text = pdfText(pdf.content);
    expect(text).toMatch(/EMBARGO/);
    expect(text).not.toContain('POUR DIFFUSION IMMÉDIATE');
    expect(pdfImages(pdf.content)).toContainEqual({ width: 32, height: 24 });
    // Under embargo the image travels inline with the message too (no public page yet).
    const inline = parsed.attachments.filter((a) => a.contentType === 'image/png');
    expect(inline).toHaveLength(1);
    expect(inline[0]!.contentDisposition).toBe('inline');
    expect(inline[0]!.cid).toBeTruthy();
  });

  it('release schedule --attach-pdf: dispatch sends the PDF, printed again when the release changed meanwhile', async () => {
    const server = await smtp();
    const dir = project();
    writeEmbargoed(dir);
    const sched = await aimqIn(
      [
        'release',
        'schedule',
        EMBARGOED,
        '--at',
        '2099-05-01T09:00:00-04:00',
        '--to',
        'journaliste@example.org',
        '--attach-pdf',
        '--now',
        '2099-04-30T12:00:00-04:00',
      ],
      dir,
      envFor(server),
    );
    expect(sched.status, sched.stderr).toBe(0);
    writeFiles(dir, {
      [`${EMBARGOED}/fr.md`]: readFileSync(join(dir, EMBARGOED, 'fr.md'), 'utf8').replace(
        'Une annonce importante.',
        'Une annonce importante, corrigée la veille.',
      ),
    });
    const r = await aimqIn(
      ['dispatch', '--once', '--now', '2099-05-01T09:00:00-04:00', '--send'],
      dir,
      envFor(server),
    );
    expect(r.status, r.stderr).toBe(0);
    expect(server.messages).toHaveLength(1);
    const pdf = pdfOf(await server.messages[0]!.parse());
    expect(pdf.filename).toBe('2099-05-01-annonce.pdf');
    const text = pdfText(pdf.content);
    // Sent at 9 h, before the embargo lifts at 10 h.
    expect(text).toMatch(/EMBARGO/);
    expect(text.replace(/\s+/g, ' ')).toContain('Une annonce importante, corrigée la veille.');
  });
});

const EMBARGOED = 'releases/2099-05-01-annonce';

/** A French-only release under embargo until 1 May 2099, 10 h, with an image. */
function writeEmbargoed(dir: string): void {
  const png = new PNG({ width: 32, height: 24 });
  png.data.fill(128);
  writeFiles(dir, {
    'releases/2099-05-01-annonce/photo.png': PNG.sync.write(png),
    'releases/2099-05-01-annonce/fr.md': [
      '---',
      'title: Annonce sous embargo',
      'date: 2099-05-01',
      'place: Québec',
      'embargo: 2099-05-01T10:00:00-04:00',
      'contacts:',
      '  - name: Danielle Boucher',
      '    email: communications@aimq.net',
      'image:',
      '  src: photo.png',
      '  alt: Une photo',
      '---',
      'Une annonce importante.',
      '',
    ].join('\n'),
  });
}
