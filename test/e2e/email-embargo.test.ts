import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { aimqAsync } from '../helpers/cli-async.js';
import { aimq, sendableProject } from '../helpers/cli.js';
import { listCsv } from '../helpers/lists.js';
import { BASE_URL, readText, SAMPLE_DIR, tagsOf, TINY_PNG, writeFiles } from '../helpers/project.js';
import { smtpServers } from '../helpers/smtp.js';

/**
 * A release under embargo, read before and after the embargo: the e-mail (export and send)
 * and the web page say "under embargo" only while it holds; meanwhile the e-mail attaches
 * its images and has no link to a web copy, since the site publishes neither before the
 * embargo. And the bilingual edition's "English below" link has an <a name> target (Gmail).
 */

const ID = '2026-12-01-annonce';
const DIR = `releases/${ID}`;
const EMBARGO = '2026-12-01T10:00:00-05:00';
const BEFORE = '2026-11-28T12:00:00-05:00';
const AFTER = '2026-12-01T10:00:00-05:00'; // the very instant it lifts
const ASSET = `${BASE_URL}/assets/${ID}/photo.png`;
const WEB_COPY = `${BASE_URL}/email/${ID}/`;
const smtp = smtpServers(afterEach);

function embargoProject(): string {
  const dir = sendableProject();
  writeFiles(dir, {
    [`${DIR}/fr.md`]: [
      '---',
      'title: Annonce de la nouvelle présidente',
      'date: 2026-12-01',
      'place: Québec',
      `embargo: ${EMBARGO}`,
      'contacts:',
      '  - name: Danielle Boucher',
      '    role: conseillère en communication',
      '    email: communications@aimq.net',
      'image:',
      '  src: photo.png',
      '  alt: La nouvelle présidente',
      '---',
      'Le conseil annonce une nouvelle importante.',
      '',
      '![Le conseil réuni](photo.png)',
      '',
    ].join('\n'),
    [`${DIR}/en.md`]: [
      '---',
      'title: Announcement of the new president',
      'contacts:',
      '  - role: communications adviser',
      'image:',
      '  alt: The new president',
      '---',
      'The board announces important news.',
      '',
      '![The board in session](photo.png)',
      '',
    ].join('\n'),
    [`${DIR}/photo.png`]: TINY_PNG,
  });
  return dir;
}

function exportOf(dir: string, format: string, edition: string, now: string, release = DIR): Buffer {
  const r = aimq(['release', 'export', release, '--format', format, '--edition', edition, '--now', now], dir);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).not.toMatch(/^ {4}at /m);
  return Buffer.from(r.stdout, 'utf8');
}

describe('an e-mail read before the embargo lifts', () => {
  it('says so in the subject and the release line, attaches its images, and has no link to a web copy', async () => {
    const dir = embargoProject();
    for (const edition of ['fr', 'en', 'bilingual']) {
      // skipImageLinks: the HTML as sent, with its cid: references (not turned into data: URLs).
      const mail = await simpleParser(exportOf(dir, 'eml', edition, BEFORE), { skipImageLinks: true });
      expect(mail.subject).toMatch(edition === 'en' ? /^EMBARGOED until/ : /^SOUS EMBARGO jusqu’au/);
      const html = String(mail.html);
      expect(html).toContain(edition === 'en' ? 'EMBARGOED UNTIL' : 'SOUS EMBARGO JUSQU’AU');
      const srcs = tagsOf(html, 'img').map((i) => i.src ?? '');
      expect(srcs.length).toBeGreaterThanOrEqual(2);
      for (const src of srcs) expect(src, `${edition}: an image that is not attached`).toMatch(/^cid:/);
      const cids = new Set(mail.attachments.map((a) => `cid:${a.cid}`));
      for (const src of srcs)
        expect(cids.has(src), `${edition}: ${src} is not among the attachments`).toBe(true);
      expect(html).not.toContain(ASSET);
      expect(html, `${edition}: a link to the web copy, which is not published yet`).not.toContain(WEB_COPY);
      expect(mail.text).not.toContain(WEB_COPY);
      // The plain text cannot show the attached images: their description, without an address.
      expect(mail.text).not.toContain(ASSET);
      expect(mail.text).toContain(edition === 'en' ? '[The board in session]' : '[Le conseil réuni]');
      expect(mail.text).toContain(edition === 'en' ? '[The new president]' : '[La nouvelle présidente]');
      // The unsubscribe link stays.
      expect(html).toContain('mailto:communications@aimq.net');
    }
  });

  it('an HTML export (for another tool) cannot attach images, but also has no web-copy link', () => {
    const html = exportOf(embargoProject(), 'html', 'fr', BEFORE).toString('utf8');
    expect(html).toContain('SOUS EMBARGO JUSQU’AU');
    expect(html).not.toContain(WEB_COPY);
  });
});

describe('an e-mail read at or after the embargo', () => {
  it('reads as released: no embargo in the subject or release line; images and web copy linked from the site', async () => {
    const dir = embargoProject();
    for (const [edition, line] of [
      ['fr', 'POUR DIFFUSION IMMÉDIATE'],
      ['en', 'FOR IMMEDIATE RELEASE'],
      ['bilingual', 'POUR DIFFUSION IMMÉDIATE'],
    ] as const) {
      const mail = await simpleParser(exportOf(dir, 'eml', edition, AFTER));
      expect(mail.subject).not.toMatch(/EMBARGO/i);
      const html = String(mail.html);
      expect(html).toContain(line);
      expect(html).not.toMatch(/EMBARGO/i);
      expect(mail.text).toContain(line);
      expect(mail.text).not.toMatch(/EMBARGO/i);
      expect(tagsOf(html, 'img').map((i) => i.src)).toContain(ASSET);
      expect(mail.text).toContain(ASSET);
      expect(mail.attachments).toEqual([]);
      expect(html).toContain(`${WEB_COPY}${edition}.html`);
      expect(mail.text).toContain(`${WEB_COPY}${edition}.html`);
    }
  });

  it('--embed-images still attaches the images after the embargo', async () => {
    const r = aimq(
      ['release', 'export', DIR, '--format', 'eml', '--edition', 'fr', '--now', AFTER, '--embed-images'],
      embargoProject(),
    );
    expect(r.status, r.stderr).toBe(0);
    const mail = await simpleParser(Buffer.from(r.stdout, 'utf8'));
    expect(mail.attachments.length).toBeGreaterThan(0);
    expect(String(mail.html)).not.toContain(ASSET);
  });
});

describe('the web page', () => {
  it('built at or after the embargo, reads as released; the e-mail web copy too', () => {
    const dir = embargoProject();
    const r = aimq(['release', 'build', '--now', AFTER], dir);
    expect(r.status, r.stderr).toBe(0);
    const page = readText(dir, `public/fr/${ID}/index.html`);
    expect(/<p class="release-line">([^<]*)<\/p>/.exec(page)?.[1]).toBe('POUR DIFFUSION IMMÉDIATE');
    expect(page).not.toContain('SOUS EMBARGO');
    const copy = readText(dir, `public/email/${ID}/fr.html`);
    expect(copy).toContain('POUR DIFFUSION IMMÉDIATE');
    expect(copy).not.toContain('SOUS EMBARGO');
  });

  it('an --include-embargoed preview before the embargo still shows the embargo line', () => {
    const dir = embargoProject();
    const r = aimq(['release', 'build', '--now', BEFORE, '--include-embargoed'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(
      /<p class="release-line">([^<]*)<\/p>/.exec(readText(dir, `public/fr/${ID}/index.html`))?.[1],
    ).toMatch(/^SOUS EMBARGO JUSQU’AU 1er/);
  });
});

describe('release send', () => {
  async function sendAt(now: string) {
    const server = await smtp();
    const dir = embargoProject();
    mkdirSync(join(dir, 'lists'), { recursive: true });
    writeFileSync(join(dir, 'lists', 'medias.csv'), listCsv([['francine@example.org', 'Francine', 'fr']]));
    const r = await aimqAsync(['release', 'send', DIR, '--to', 'lists/medias.csv', '--yes'], dir, {
      AIMQ_SMTP_URL: server.url,
      AIMQ_SMTP_PASSWORD: '',
      AIMQ_NOW: now,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(server.messages).toHaveLength(1);
    return server.messages[0]!.parse();
  }

  it('before the embargo, the message attaches its images and has no web-copy link', async () => {
    const mail = await sendAt(BEFORE);
    expect(mail.subject).toMatch(/^SOUS EMBARGO/);
    const html = String(mail.html);
    expect(html).not.toContain(ASSET);
    expect(html).not.toContain(WEB_COPY);
    expect(mail.attachments.length).toBeGreaterThan(0);
  });

  it('after the embargo, the message reads as released', async () => {
    const mail = await sendAt('2026-12-02T09:00:00-05:00');
    expect(mail.subject).not.toMatch(/EMBARGO/i);
    expect(String(mail.html)).toContain('POUR DIFFUSION IMMÉDIATE');
    expect(String(mail.html)).toContain(`${WEB_COPY}fr.html`);
  });
});

describe('the bilingual edition’s link to the English part', () => {
  it('leads to an <a name="en" id="en"> in the English part, which Gmail follows', () => {
    const html = exportOf(sendableProject(), 'html', 'bilingual', BEFORE, SAMPLE_DIR).toString('utf8');
    const link = tagsOf(html, 'a').filter((a) => a.href === '#en');
    expect(link).toHaveLength(1);
    const anchors = tagsOf(html, 'a').filter((a) => a.name === 'en');
    expect(anchors).toEqual([expect.objectContaining({ name: 'en', id: 'en' })]);
    const anchorAt = html.indexOf('<a name="en"');
    // In the English part (its first element), after the whole French part.
    expect(html.slice(anchorAt - '<div lang="en-CA">'.length, anchorAt)).toBe('<div lang="en-CA">');
    expect(anchorAt).toBeGreaterThan(html.indexOf('<div lang="fr-CA"><a name="fr" id="fr"></a>'));
    expect(anchorAt).toBeGreaterThan(html.indexOf('-30-'));
    expect(html.indexOf('>AIMQ updates its mission and strategic directions</h1>')).toBeGreaterThan(anchorAt);
  });
});
