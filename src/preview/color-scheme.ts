/**
 * Light or dark on demand, whatever the computer's setting: the preview rewrites the
 * `prefers-color-scheme` media features of a page's styles so that the chosen scheme's
 * rules always apply and the other's never do. A text transform on the served copy only.
 */
export type Scheme = 'light' | 'dark';

export function parseScheme(value: string | null | undefined): Scheme | undefined {
  return value === 'light' || value === 'dark' ? value : undefined;
}

const FEATURE = /\(\s*prefers-color-scheme\s*:\s*(light|dark)\s*\)/gi;
/** Media features that are always true and never true, valid anywhere in a media query list. */
const ALWAYS = '(min-width: 0px)';
const NEVER = '(max-width: -1px)';

/** CSS with the chosen scheme's `@media (prefers-color-scheme: …)` rules unconditional and the other's disabled. */
export function forceSchemeCss(css: string, scheme: Scheme): string {
  return css.replace(/@media[^{;]*\{/gi, (query) =>
    query.replace(FEATURE, (_, which: string) => (which.toLowerCase() === scheme ? ALWAYS : NEVER)),
  );
}

/**
 * An HTML page in the chosen scheme: its `<style>` elements transformed, its stylesheets
 * asked for with `?scheme=` (the server transforms them too), and the page background and
 * form controls set to the scheme (the dark background an e-mail program gives).
 */
export function forceSchemeHtml(html: string, scheme: Scheme): string {
  let out = html.replace(
    /(<style\b[^>]*>)([\s\S]*?)(<\/style>)/gi,
    (_, open: string, css: string, close: string) => open + forceSchemeCss(css, scheme) + close,
  );
  out = out.replace(/<link\b[^>]*>/gi, (tag) => {
    if (!/\brel\s*=\s*["']?stylesheet\b/i.test(tag)) return tag;
    return tag.replace(
      /(\bhref\s*=\s*")([^"?#]*)(")/i,
      (_, a: string, href: string, z: string) => `${a}${href}?scheme=${scheme}${z}`,
    );
  });
  const style =
    scheme === 'dark'
      ? '<style data-aimq-preview-scheme="">:root{color-scheme:dark}html,body{background-color:#141414 !important}</style>'
      : '<style data-aimq-preview-scheme="">:root{color-scheme:light}</style>';
  const head = out.toLowerCase().indexOf('</head>');
  return head < 0 ? style + out : out.slice(0, head) + style + out.slice(head);
}
