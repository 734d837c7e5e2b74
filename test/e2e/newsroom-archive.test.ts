import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { aimqIn } from '../helpers/cli-in.js';
import { type GeneratedRelease, newsroomProject, PER_YEAR, TAGS } from '../helpers/newsroom-project.js';
import { BASE_URL, listFiles, readText, tagsOf } from '../helpers/project.js';
import { nuCheck } from '../helpers/vnu.js';

const NOW = '2026-11-28T12:00:00-05:00';
const NBSP = '\u00A0';

/** A release under embargo at NOW, with a tag no other release has. */
const EMBARGOED: GeneratedRelease = {
  id: '2026-11-27-communique-secret',
  date: '2026-11-27',
  year: 2026,
  tags: ['Confidentiel', 'Gouvernance'],
  frTitle: 'Communiqué ultrasecret',
  enTitle: 'Top secret release',
  enSlug: '2026-11-27-top-secret',
  embargo: '2026-12-01T09:00:00-05:00',
};

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  isArray: (name) => ['entry', 'link', 'url', 'xhtml:link'].includes(name),
});
interface AtomFeed {
  feed: {
    title: string;
    id: string;
    updated: string;
    link: { '@_rel': string; '@_href': string }[];
    entry?: { title: string; id: string; published: string }[];
  };
}
interface Sitemap {
  urlset: {
    url: { loc: string; 'xhtml:link': { '@_hreflang': string; '@_href': string }[] }[];
  };
}

/** The site path a link on the page at `from` leads to (`../2025/` → `fr/2025/index.html`). */
function resolveLink(from: string, href: string): string {
  const target = posix.normalize(posix.join(posix.dirname(from), href));
  return href.endsWith('/') || href === '.' || href === './' ? posix.join(target, 'index.html') : target;
}

/** The site path of one of the site's absolute URLs. */
function pathOfUrl(url: string): string {
  expect(url.startsWith(`${BASE_URL}/`), url).toBe(true);
  const rest = url.slice(BASE_URL.length + 1);
  return rest === '' || rest.endsWith('/') ? `${rest}index.html` : rest;
}

/** The release pages a listing links to, in order (the `<ol class="releases">` only). */
function listed(html: string, from: string): string[] {
  const list = /<ol class="releases">([\s\S]*?)<\/ol>/.exec(html);
  expect(list, `a list of releases in ${from}`).not.toBeNull();
  return tagsOf(list![1]!, 'a').map((a) => resolveLink(from, a.href!));
}

function linkRel(html: string, rel: string): string | undefined {
  return tagsOf(html, 'link').find((l) => l.rel === rel)?.href;
}

function hreflangs(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of tagsOf(html, 'link')) if (l.rel === 'alternate' && l.hreflang) out[l.hreflang] = l.href!;
  return out;
}

const frPage = (r: GeneratedRelease) => `fr/${r.id}/index.html`;
/** The page a release has in the English newsroom: its English edition, else its French one. */
const enListed = (r: GeneratedRelease) => (r.enSlug ? `en/${r.enSlug}/index.html` : frPage(r));

describe('the newsroom of 45 releases over three years', () => {
  let dir: string;
  let out: string;
  let releases: GeneratedRelease[];
  let files: string[];
  const read = (f: string) => readText(out, f);

  beforeAll(async () => {
    ({ dir, releases } = newsroomProject({ extra: [EMBARGOED] }));
    releases = releases.filter((r) => r !== EMBARGOED);
    const r = await aimqIn(['release', 'build', '--now', NOW], dir);
    expect(r.status, r.stderr).toBe(0);
    out = join(dir, 'public');
    files = listFiles(out);
  });

  it('generates what the tests expect: 45 releases, three years, a French-only one', () => {
    expect(releases).toHaveLength(45);
    expect(releases.some((r) => !r.enSlug)).toBe(true);
  });

  it('each language index lists the 20 newest releases, then links to every year', () => {
    for (const [lang, pageOf] of [
      ['fr', frPage],
      ['en', enListed],
    ] as const) {
      const path = `${lang}/index.html`;
      const html = read(path);
      expect(listed(html, path)).toEqual(releases.slice(0, 20).map(pageOf));
      const years = /<nav class="archive" aria-labelledby="archive-years">([\s\S]*?)<\/nav>/.exec(html);
      expect(years, `${path}: the years`).not.toBeNull();
      const links = tagsOf(years![1]!, 'a').map((a) => resolveLink(path, a.href!));
      expect(links).toEqual([2026, 2025, 2024].map((y) => `${lang}/${y}/index.html`));
      for (const l of links) expect(files, l).toContain(l);
    }
    expect(read('fr/index.html')).toContain(`2024</a> <span class="count">(25${NBSP}communiqués)</span>`);
    expect(read('en/index.html')).toContain('2024</a> <span class="count">(25 releases)</span>');
  });

  it('each year page lists exactly that year’s releases, newest first, 20 a page with rel links', () => {
    for (const [lang, pageOf] of [
      ['fr', frPage],
      ['en', enListed],
    ] as const) {
      for (const [year, count] of Object.entries(PER_YEAR)) {
        const expected = releases.filter((r) => r.year === Number(year)).map(pageOf);
        expect(expected).toHaveLength(count);
        const pages = Math.ceil(count / 20);
        const seen: string[] = [];
        for (let p = 1; p <= pages; p++) {
          const path = p === 1 ? `${lang}/${year}/index.html` : `${lang}/${year}/page/${p}/index.html`;
          const html = read(path);
          seen.push(...listed(html, path));
          const prev = linkRel(html, 'prev');
          const next = linkRel(html, 'next');
          if (p === 1) expect(prev, `${path} has no previous page`).toBeUndefined();
          else
            expect(resolveLink(path, prev!)).toBe(
              p === 2 ? `${lang}/${year}/index.html` : `${lang}/${year}/page/${p - 1}/index.html`,
            );
          if (p === pages) expect(next, `${path} has no next page`).toBeUndefined();
          else expect(resolveLink(path, next!)).toBe(`${lang}/${year}/page/${p + 1}/index.html`);
          if (pages > 1) {
            const nav = /<nav class="pagination" aria-label="[^"]+">([\s\S]*?)<\/nav>/.exec(html);
            expect(nav, `${path}: a pagination nav`).not.toBeNull();
            const current = tagsOf(nav![1]!, 'a').filter((a) => a['aria-current'] === 'page');
            expect(current).toHaveLength(1);
            expect(resolveLink(path, current[0]!.href!)).toBe(path);
            expect(nav![1]).toContain(lang === 'fr' ? `Page ${p} sur ${pages}` : `Page ${p} of ${pages}`);
            if (p < pages) expect(nav![1]).toContain(lang === 'fr' ? '>Suivant</a>' : '>Next</a>');
            if (p > 1) expect(nav![1]).toContain(lang === 'fr' ? '>Précédent</a>' : '>Previous</a>');
          } else {
            expect(html).not.toContain('class="pagination"');
          }
        }
        expect(seen, `${lang} ${year}`).toEqual(expected);
        expect(files).not.toContain(`${lang}/${year}/page/${pages + 1}/index.html`);
      }
    }
    // 25 releases in 2024: two pages.
    expect(files).toContain('fr/2024/page/2/index.html');
    expect(files).toContain('en/2024/page/2/index.html');
  });

  it('topic pages exist in both languages with ASCII slugs and hreflang pairs that resolve', () => {
    const slugs = {
      fr: ['infrastructures', 'eau-potable', 'gouvernance', 'securite-routiere'],
      en: ['infrastructure', 'drinking-water', 'governance', 'road-safety'],
    };
    for (let t = 0; t < TAGS.length; t++) {
      const tag = TAGS[t]!;
      const tagged = releases.filter((r) => r.tags.includes(tag.fr));
      const pages = Math.ceil(tagged.length / 20);
      for (let p = 1; p <= pages; p++) {
        const suffix = p === 1 ? 'index.html' : `page/${p}/index.html`;
        const fr = `fr/sujets/${slugs.fr[t]}/${suffix}`;
        const en = `en/topics/${slugs.en[t]}/${suffix}`;
        for (const [path, lang] of [
          [fr, 'fr'],
          [en, 'en'],
        ] as const) {
          const html = read(path);
          const alt = hreflangs(html);
          expect(pathOfUrl(alt['fr-CA']!)).toBe(fr);
          expect(pathOfUrl(alt['en-CA']!)).toBe(en);
          expect(pathOfUrl(alt['x-default']!)).toBe(fr);
          for (const target of Object.values(alt))
            expect(files, `${path} → ${target}`).toContain(pathOfUrl(target));
          expect(html).toContain(
            lang === 'fr' ? `<h1>Sujet${NBSP}: ${tag.fr}</h1>` : `<h1>Topic: ${tag.en}</h1>`,
          );
          // The language toggle leads to the counterpart.
          const toggle = tagsOf(html, 'a').find((a) => a.hreflang === (lang === 'fr' ? 'en-CA' : 'fr-CA'));
          expect(resolveLink(path, toggle!.href!)).toBe(lang === 'fr' ? en : fr);
        }
      }
      const seenFr: string[] = [];
      const seenEn: string[] = [];
      for (let p = 1; p <= pages; p++) {
        const suffix = p === 1 ? 'index.html' : `page/${p}/index.html`;
        seenFr.push(
          ...listed(read(`fr/sujets/${slugs.fr[t]}/${suffix}`), `fr/sujets/${slugs.fr[t]}/${suffix}`),
        );
        seenEn.push(
          ...listed(read(`en/topics/${slugs.en[t]}/${suffix}`), `en/topics/${slugs.en[t]}/${suffix}`),
        );
      }
      expect(seenFr).toEqual(tagged.map(frPage));
      expect(seenEn).toEqual(tagged.map(enListed));
    }
    // Every other release is about infrastructure: 23 of 45, two pages.
    expect(files).toContain('fr/sujets/infrastructures/page/2/index.html');
    for (const f of files) expect(f, 'an ASCII path').toMatch(/^[\x21-\x7e]+$/);
    // The index links to each topic.
    const topics = /<nav class="archive" aria-labelledby="archive-topics">([\s\S]*?)<\/nav>/.exec(
      read('en/index.html'),
    );
    const links = tagsOf(topics![1]!, 'a').map((a) => resolveLink('en/index.html', a.href!));
    expect(new Set(links)).toEqual(new Set(slugs.en.map((s) => `en/topics/${s}/index.html`)));
  });

  it('every archive page is in the sitemap with its counterparts, and nothing the site lacks', () => {
    const sitemap = xml.parse(read('sitemap.xml')) as Sitemap;
    const locs = sitemap.urlset.url.map((u) => pathOfUrl(u.loc));
    const archive = files.filter((f) => /^(fr|en)\/(\d{4}|sujets|topics)\/.*index\.html$/.test(f));
    // Per language: 2026, 2025, 2024 and its page 2; five topic pages (infrastructure has two).
    expect(archive).toHaveLength(18);
    for (const f of archive) expect(locs, f).toContain(f);
    for (const u of sitemap.urlset.url) {
      expect(files, u.loc).toContain(pathOfUrl(u.loc));
      for (const a of u['xhtml:link'])
        expect(files, `${u.loc} → ${a['@_href']}`).toContain(pathOfUrl(a['@_href']));
    }
    expect(new Set(locs).size).toBe(locs.length);
  });

  it('each topic has an Atom feed per language listing that topic’s releases in that language', () => {
    const cases = [
      ['fr/sujets/eau-potable/feed.xml', 'fr', TAGS[1]],
      ['en/topics/drinking-water/feed.xml', 'en', TAGS[1]],
      ['fr/sujets/infrastructures/feed.xml', 'fr', TAGS[0]],
      ['en/topics/road-safety/feed.xml', 'en', TAGS[3]],
    ] as const;
    for (const [path, lang, tag] of cases) {
      const feed = (xml.parse(read(path)) as AtomFeed).feed;
      const expected = releases
        .filter((r) => r.tags.includes(tag.fr) && (lang === 'fr' || r.enSlug))
        .map((r) => `${BASE_URL}/${lang === 'fr' ? `fr/${r.id}` : `en/${r.enSlug}`}/`);
      expect(
        feed.entry?.map((e) => e.id),
        path,
      ).toEqual(expected);
      expect(feed.title).toContain(lang === 'fr' ? tag.fr : tag.en);
      expect(pathOfUrl(feed.link.find((l) => l['@_rel'] === 'self')!['@_href'])).toBe(path);
      expect(files).toContain(pathOfUrl(feed.link.find((l) => l['@_rel'] === 'alternate')!['@_href']));
      expect(feed.updated).toBe(feed.entry![0]!.published);
    }
    // A topic page points at its feed.
    const html = read('fr/sujets/eau-potable/index.html');
    const feedLink = tagsOf(html, 'link').find((l) => l.type === 'application/atom+xml')?.href;
    expect(resolveLink('fr/sujets/eau-potable/index.html', feedLink!)).toBe('fr/sujets/eau-potable/feed.xml');
  });

  it('an embargoed release is on none of these pages or feeds, and its own tag has no page', () => {
    for (const f of files) {
      if (!/\.(html|xml)$/.test(f)) continue;
      const text = read(f);
      expect(text, f).not.toContain('ultrasecret');
      expect(text, f).not.toContain('Top secret');
      expect(text, f).not.toContain(EMBARGOED.id);
    }
    expect(files.filter((f) => f.includes('confidentiel'))).toEqual([]);
  });

  it('every new page passes the Nu Html Checker', () => {
    const pages = files.filter(
      (f) => /^(fr|en)\/(index\.html|\d{4}\/|sujets\/|topics\/)/.test(f) && f.endsWith('.html'),
    );
    expect(pages).toHaveLength(20);
    const messages = nuCheck(pages.map((f) => join(out, f)));
    const problems = messages.filter((m) => m.type === 'error' || m.subType === 'warning');
    expect(
      problems.map((m) => `${m.url.slice(m.url.indexOf('public/'))}:${m.lastLine}: ${m.message}`),
    ).toEqual([]);
  }, 120_000);

  it('an embargo preview shows the release marked on the HTML pages, never in a feed or the sitemap', async () => {
    const r = await aimqIn(
      ['release', 'build', '--now', NOW, '--include-embargoed', '--out', 'preview'],
      dir,
    );
    expect(r.status, r.stderr).toBe(0);
    const preview = join(dir, 'preview');
    const gov = readText(preview, 'fr/sujets/gouvernance/index.html');
    expect(gov).toContain('Communiqué ultrasecret');
    expect(gov).toContain('class="embargoed"');
    expect(existsSync(join(preview, 'fr/sujets/confidentiel/index.html'))).toBe(true);
    expect(
      (xml.parse(readText(preview, 'fr/sujets/confidentiel/feed.xml')) as AtomFeed).feed.entry,
    ).toBeUndefined();
    for (const f of [
      'fr/sujets/gouvernance/feed.xml',
      'en/topics/governance/feed.xml',
      'sitemap.xml',
      'fr/feed.xml',
    ]) {
      expect(readText(preview, f), f).not.toContain('ultrasecret');
      expect(readText(preview, f), f).not.toContain('top-secret');
      expect(readText(preview, f), f).not.toContain('confidentiel');
    }
  });
});

describe('newsroom.pageSize', () => {
  it('sets how many releases the index and each archive page show', async () => {
    const { dir, releases } = newsroomProject({ newsroom: 'newsroom:\n  pageSize: 7\n' });
    const r = await aimqIn(['release', 'build', '--now', NOW], dir);
    expect(r.status, r.stderr).toBe(0);
    const out = join(dir, 'public');
    expect(listed(readText(out, 'fr/index.html'), 'fr/index.html')).toEqual(releases.slice(0, 7).map(frPage));
    // 25 releases in 2024: four pages of 7.
    const files = listFiles(out);
    expect(files.filter((f) => f.startsWith('fr/2024/'))).toEqual([
      'fr/2024/index.html',
      'fr/2024/page/2/index.html',
      'fr/2024/page/3/index.html',
      'fr/2024/page/4/index.html',
    ]);
    const path = 'fr/2024/page/3/index.html';
    const html = readText(out, path);
    expect(resolveLink(path, linkRel(html, 'prev')!)).toBe('fr/2024/page/2/index.html');
    expect(resolveLink(path, linkRel(html, 'next')!)).toBe('fr/2024/page/4/index.html');
    expect(html).toContain('Page 3 sur 4');
    expect(listed(html, path)).toEqual(
      releases
        .filter((x) => x.year === 2024)
        .slice(14, 21)
        .map(frPage),
    );
    // Without translations in the config, a topic keeps its French name in English.
    expect(readText(out, 'en/topics/eau-potable/index.html')).toContain('<h1>Topic: Eau potable</h1>');
  });

  it('a page size that is not a number is a configuration error (exit 2) at its line', async () => {
    const { dir } = newsroomProject({ newsroom: 'newsroom:\n  pageSize: vingt\n' });
    const r = await aimqIn(['release', 'build', '--now', NOW], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^aimq\.config\.yaml:\d+:\d+ error: .*pageSize.* \[AIMQ-CONFIG-FIELD\]$/m);
    expect(r.stderr).toContain('whole number');
    expect(existsSync(join(dir, 'public'))).toBe(false);
  });
});

describe('slugs the archive uses', () => {
  it('a translated slug that is a year or the topics folder is refused (exit 1), naming the edition', async () => {
    for (const slug of ['2024', 'topics']) {
      const clash: GeneratedRelease = {
        id: '2025-03-03-communique-conflit',
        date: '2025-03-03',
        year: 2025,
        tags: [],
        frTitle: 'Communiqué en conflit',
        enTitle: 'Clashing release',
        enSlug: slug,
      };
      const { dir } = newsroomProject({ extra: [clash] });
      const r = await aimqIn(['release', 'build', '--now', NOW], dir);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `^releases/${clash.id}/en\\.md:1:1 error: .*en/${slug}/index\\.html.* \\[AIMQ-SLUG\\]$`,
          'm',
        ),
      );
      expect(existsSync(join(dir, 'public'))).toBe(false);
      // `release check` says it before a build does.
      const check = await aimqIn(['release', 'check', `releases/${clash.id}`], dir);
      expect(check.status).toBe(1);
      expect(check.stdout + check.stderr).toContain(`releases/${clash.id}/en.md:1:1 error:`);
      expect(check.stdout + check.stderr).toContain('[AIMQ-SLUG]');
    }
  });
});
