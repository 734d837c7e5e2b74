import type { Config } from '../model/config.js';
import type { Edition, Release } from '../model/release.js';

/** Where things are in the built site (release-format.md), relative to its root. */
export const sitePaths = {
  page: (e: Pick<Edition, 'lang' | 'slug'>) => `${e.lang}/${e.slug}/index.html`,
  pageDir: (e: Pick<Edition, 'lang' | 'slug'>) => `${e.lang}/${e.slug}/`,
  /** The page printed as a PDF, beside it (when the config's pdf.build asks for it). */
  pdf: (e: Pick<Edition, 'lang' | 'slug'>) => `${e.lang}/${e.slug}/${e.slug}.pdf`,
  index: (lang: string) => `${lang}/index.html`,
  feed: (lang: string) => `${lang}/feed.xml`,
  asset: (release: Pick<Release, 'id'>, file: string) => `assets/${release.id}/${file}`,
  stylesheet: 'assets/style.css',
  printStylesheet: 'assets/print.css',
};

/** The public URL of a site path: `fr/x/index.html` → `https://…/fr/x/`. */
export function absoluteUrl(config: Pick<Config, 'baseUrl'>, sitePath: string): string {
  return `${config.baseUrl}/${sitePath.replace(/(^|\/)index\.html$/, '$1')}`;
}

/** A link from the page at `from` to the site path `to`, relative so the site works from any folder. */
export function relativeUrl(from: string, to: string): string {
  const depth = from.split('/').length - 1;
  const target = to.replace(/(^|\/)index\.html$/, '$1');
  return '../'.repeat(depth) + (target === '' ? (depth === 0 ? './' : '') : target);
}

/**
 * A file of the release folder, named as in front matter (`photo été.png`), as a URL path:
 * each segment percent-encoded (`photo%20%C3%A9t%C3%A9.png`), as the markdown renderer
 * writes the same file in a body. Written raw, a space made the `src` invalid HTML and
 * cut the URL short in `og:image` and in the plain text.
 */
export function fileUrlPath(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/**
 * A URL as markdown holds it (`my file.pdf`), with what a URL may not contain (spaces,
 * accents) percent-encoded as the HTML renderer does; `%XX` escapes, a query and a
 * fragment stay as they are.
 */
export function normalizeUrl(url: string): string {
  return url.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9!#$%&'()*+,\-./:;=?@_~]/gu, (c) => {
    try {
      return encodeURIComponent(c);
    } catch {
      return c;
    }
  });
}

/** The file of the release folder a local URL leads to: its path, percent-decoded, without query or fragment. */
export function fileOfUrl(url: string): string {
  const path = url.split(/[?#]/)[0]!;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
