import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { BIN, sendableProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { pdfFonts, pdfImages, pdfInfo, pdfLanguages, pdfLinks, pdfText } from '../helpers/pdf.js';
import { BASE_URL, SAMPLE_DIR, writeFiles } from '../helpers/project.js';

/**
 * `aimq release export --format pdf`, in process, with the machine's real Chromium; each
 * PDF is read back with poppler-utils (pdftotext, pdfinfo, pdffonts, pdftohtml, pdfimages).
 */

const FR_TITLE = 'L’AIMQ actualise sa mission et ses orientations stratégiques';
const EN_TITLE = 'AIMQ updates its mission and strategic directions';
/** Any of the spaces French typography may leave there: pdftotext writes a no-break space as a space. */
const SP = '[ \\u00A0\\u202F]';

const ID = '2026-12-01-presidente';
const DIR = `releases/${ID}`;
const EMBARGO = '2026-12-01T10:00:00-05:00';

/** A 64×48 PNG of one colour: pdfimages can tell it is in the PDF. */
function photo(): Buffer {
  const png = new PNG({ width: 64, height: 48 });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([11, 79, 138, 255], i);
  return PNG.sync.write(png);
}

/** The sample project, plus a release under embargo with an image, a link, a phone and two contacts. */
function project(): string {
  const dir = sendableProject();
  writeFiles(dir, {
    [`${DIR}/photo.png`]: photo(),
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
      '  - name: Marc Tremblay',
      '    role: directeur général',
      '    email: direction@aimq.net',
      '    phone: "514 555-0100"',
      '    kind: information',
      'image:',
      '  src: photo.png',
      '  alt: La nouvelle présidente',
      '---',
      'Le conseil annonce une nouvelle importante. Le [rapport annuel](https://www.example.org/rapport) est en ligne.',
      '',
    ].join('\n'),
    [`${DIR}/en.md`]: [
      '---',
      'title: Announcement of the new president',
      'contacts:',
      '  - role: communications adviser',
      '  - role: executive director',
      'image:',
      '  alt: The new president',
      '---',
      'The board announces important news. The [annual report](https://www.example.org/rapport) is online.',
      '',
    ].join('\n'),
  });
  return dir;
}

async function exportPdf(dir: string, release: string, edition: string, extra: string[] = []) {
  const r = await aimqIn(
    ['release', 'export', release, '--format', 'pdf', '--edition', edition, '--out', 'out/', ...extra],
    dir,
  );
  expect(r.stderr).not.toMatch(/internal error/i);
  expect(r.status, r.stderr).toBe(0);
  const shown = r.stdout.trim();
  expect(shown).toMatch(new RegExp(`^out/.*\\.${edition}\\.pdf$`));
  return readFileSync(join(dir, shown));
}

describe('aimq release export --format pdf', () => {
  const dir = project();

  it('prints the French edition: release line, title, dateline, body, -30-, contacts, boilerplate, French spacing kept', async () => {
    const pdf = await exportPdf(dir, SAMPLE_DIR, 'fr');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain('POUR DIFFUSION IMMÉDIATE');
    // The title may wrap: compare with the line breaks made spaces.
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain(FR_TITLE);
    expect(flat).toContain('Une stratégie organisationnelle globale');
    expect(text).toMatch(/Montréal, le 13 janvier 2020 – L’Association des ingénieurs municipaux/);
    expect(flat).toContain('Être la référence de la profession d’ingénieur municipal au Québec.');
    expect(text).toMatch(/^-30-$/m);
    expect(text).toMatch(new RegExp(`^Source${SP}:$`, 'm'));
    expect(text).toContain('Danielle Boucher, conseillère en communication');
    expect(text).toContain('communications@aimq.net');
    expect(text).toContain('À propos de l’AIMQ');
    // A no-break space stays before the colon and inside the guillemets: never a line break there.
    expect(text).toMatch(new RegExp(`comme suit${SP}:`));
    expect(text).toMatch(new RegExp(`«${SP}Pour assurer`));
    expect(text).not.toContain('FOR IMMEDIATE RELEASE');
    // The navigation and the footer are for screens.
    expect(text).not.toContain('English');
    expect(text).not.toContain('Fil Atom');

    const info = pdfInfo(pdf);
    expect(info.Title).toBe(FR_TITLE);
    expect(info.Tagged).toBe('yes');
    expect(info['Page size']).toMatch(/^612 x 792 pts \(letter\)$/);
    expect(pdfLanguages(pdf)).toContain('fr-CA');
    // An outline (bookmarks) from the headings.
    expect(pdf.toString('latin1')).toMatch(/\/Outlines \d+ 0 R/);
    expect(pdf.toString('latin1')).toContain('/Title (Mission)');
    const fonts = pdfFonts(pdf);
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.filter((f) => !f.embedded)).toEqual([]);
    // Links are live: the contact's address, and the site's name leads to the public newsroom.
    const links = pdfLinks(pdf);
    expect(links).toContain('mailto:communications@aimq.net');
    expect(links).toContain(`${BASE_URL}/fr/`);
  });

  it('prints the English edition in English, with its own title and language', async () => {
    const pdf = await exportPdf(dir, SAMPLE_DIR, 'en');
    const text = pdfText(pdf);
    const flat = text.replace(/\s+/g, ' ');
    expect(text).toContain('FOR IMMEDIATE RELEASE');
    expect(flat).toContain(EN_TITLE);
    expect(text).toMatch(/MONTREAL, January 13, 2020 – The Association des ingénieurs municipaux/);
    expect(text).toMatch(/^-30-$/m);
    expect(text).toMatch(/^Source:$/m);
    expect(text).toContain('Danielle Boucher, communications adviser');
    expect(text).not.toContain('POUR DIFFUSION IMMÉDIATE');
    const info = pdfInfo(pdf);
    expect(info.Title).toBe(EN_TITLE);
    expect(info.Tagged).toBe('yes');
    expect(pdfLanguages(pdf)).toContain('en-CA');
    expect(pdfLanguages(pdf)).not.toContain('fr-CA');
    expect(pdfFonts(pdf).filter((f) => !f.embedded)).toEqual([]);
  });

  it('prints the bilingual edition: French, then English on a new page, both titles in the metadata', async () => {
    const pdf = await exportPdf(dir, SAMPLE_DIR, 'bilingual');
    const text = pdfText(pdf);
    const flat = text.replace(/\s+/g, ' ');
    const fr = flat.indexOf(FR_TITLE);
    const en = flat.indexOf(EN_TITLE);
    expect(fr).toBeGreaterThanOrEqual(0);
    expect(en).toBeGreaterThan(fr);
    expect(flat.indexOf('POUR DIFFUSION IMMÉDIATE')).toBeLessThan(flat.indexOf('FOR IMMEDIATE RELEASE'));
    expect(text.match(/^-30-$/gm)).toHaveLength(2);
    // English starts on its own page: pdftotext ends each page with a form feed.
    const pages = text.split('\f');
    const enPage = pages.findIndex((p) => p.includes('FOR IMMEDIATE RELEASE'));
    expect(pages[enPage]!.trimStart().startsWith('FOR IMMEDIATE RELEASE')).toBe(true);
    expect(pages.slice(0, enPage).join('')).not.toContain('FOR IMMEDIATE RELEASE');
    const info = pdfInfo(pdf);
    expect(info.Title).toBe(`${FR_TITLE} / ${EN_TITLE}`);
    expect(info.Tagged).toBe('yes');
    expect(pdfLanguages(pdf)[0]).toBe('fr-CA');
  });

  it('prints under embargo with the embargo line, the image, live links, the phone and both contacts', async () => {
    const pdf = await exportPdf(dir, DIR, 'fr', ['--now', '2026-11-28T12:00:00-05:00']);
    const text = pdfText(pdf);
    expect(text).toMatch(/EMBARGO/);
    expect(text).not.toContain('POUR DIFFUSION IMMÉDIATE');
    expect(text).toMatch(/Québec, le 1er décembre 2026 – Le conseil annonce/);
    expect(text).toMatch(new RegExp(`^Renseignements${SP}:$`, 'm'));
    expect(text).toContain('Marc Tremblay, directeur général');
    expect(text).toContain('514 555-0100');
    expect(pdfImages(pdf)).toContainEqual({ width: 64, height: 48 });
    const links = pdfLinks(pdf);
    expect(links).toContain('https://www.example.org/rapport');
    expect(links).toContain('mailto:direction@aimq.net');
    expect(links).toContain('tel:+15145550100');

    // Once the embargo has lifted, the same release reads as released.
    const after = pdfText(await exportPdf(dir, DIR, 'fr', ['--now', EMBARGO]));
    expect(after).toContain('POUR DIFFUSION IMMÉDIATE');
    expect(after).not.toMatch(/EMBARGO/);
  });

  it('prints on A4 when the config says pdf: { pageSize: a4 }', async () => {
    const a4 = project();
    writeFiles(a4, {
      'aimq.config.yaml': `${readFileSync(join(a4, 'aimq.config.yaml'), 'utf8')}\npdf:\n  pageSize: a4\n`,
    });
    const pdf = await exportPdf(a4, SAMPLE_DIR, 'en');
    expect(pdfInfo(pdf)['Page size']).toMatch(/\(A4\)$/);
  });

  it('bin/aimq.js writes the PDF to standard output, byte for byte, when there is no --out', () => {
    const r = spawnSync(
      process.execPath,
      [BIN, 'release', 'export', SAMPLE_DIR, '--format', 'pdf', '--edition', 'en'],
      { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 },
    );
    expect(r.stderr.toString('utf8')).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(r.stdout.subarray(-7).toString('latin1')).toMatch(/%%EOF\s*$/);
    expect(pdfInfo(r.stdout).Title).toBe(EN_TITLE);
  });

  it('never reaches the network: a remote image of the release is refused, not fetched', async () => {
    let connections = 0;
    const server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    try {
      const remote = sendableProject();
      writeFiles(remote, {
        'releases/2020-03-01-distant/fr.md': [
          '---',
          'title: Image distante',
          'date: 2020-03-01',
          'place: Québec',
          'contacts:',
          '  - name: Danielle Boucher',
          '    email: communications@aimq.net',
          '---',
          `Voici une image : ![Un logo](https://127.0.0.1:${port}/logo.png).`,
          '',
        ].join('\n'),
      });
      const pdf = await exportPdf(remote, 'releases/2020-03-01-distant', 'fr');
      expect(pdfText(pdf)).toContain('Image distante');
      expect(connections).toBe(0);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('refuses an edition the release lacks, and a missing browser, with exit 2 and a hint', async () => {
    const wrong = await aimqIn(['release', 'export', SAMPLE_DIR, '--format', 'pdf', '--edition', 'de'], dir);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('[AIMQ-EDITION]');
    expect(wrong.stderr).toMatch(/fr, en, bilingual/);

    const none = await aimqIn(
      ['release', 'export', SAMPLE_DIR, '--format', 'pdf', '--edition', 'fr', '--out', 'none.pdf'],
      dir,
      { AIMQ_CHROME: join(dir, 'no-such-chromium') },
    );
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('[AIMQ-BROWSER]');
    expect(none.stderr).toContain('apt-get install chromium');
    expect(none.stderr).not.toMatch(/\n\s+at /);
    expect(none.stdout).toBe('');
  });
});
