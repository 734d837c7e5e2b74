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
