import { type Dirent, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Diagnostic } from '../errors/index.js';
import type { Text } from '../i18n/text.js';

/**
 * Active content in SVG images. A release's assets are published as they are, on the
 * newsroom's own origin: an SVG opened on its own (a link, "open image in new tab") runs
 * its scripts there. Rather than rewrite the file (a sanitizer that misses one trick still
 * publishes it), aimq refuses it and says what to remove, at its line and column.
 *
 * Refused: `<script>`, `<foreignObject>` (it embeds HTML), `<handler>`; an `on…` event
 * attribute; an `href` (any prefix) that is not a reference inside the file (`#id`) or a
 * PNG, JPEG, GIF or WebP `data:` image, which covers `javascript:` and every external
 * file; an animation of an `href` or `on…` attribute; a stylesheet that imports or loads
 * `url(…)` from elsewhere; `<?xml-stylesheet?>`; and `<!ENTITY>` declarations, which can
 * hide any of these from a reader and expand without bound.
 */

/** A problem in an SVG file: where (1-based) and what, in a sentence. */
export interface SvgProblem {
  line: number;
  column: number;
  message: Text;
}

const ACTIVE_ELEMENTS: ReadonlyMap<string, Text> = new Map([
  ['script', { fr: 'un élément <script>', en: 'a <script> element' }],
  [
    'foreignobject',
    {
      fr: 'un élément <foreignObject>, qui intègre du HTML',
      en: 'a <foreignObject> element, which embeds HTML',
    },
  ],
  [
    'handler',
    {
      fr: 'un élément <handler> (un gestionnaire d’événement)',
      en: 'a <handler> element (an event handler)',
    },
  ],
]);
const ANIMATIONS = new Set(['set', 'animate', 'animatemotion', 'animatetransform', 'animatecolor']);
const SAFE_DATA_IMAGE = /^data:image\/(?:png|jpe?g|gif|webp)[;,]/i;

/** An element's or attribute's name without its namespace prefix, lower-cased: `svg:Script` is a script. */
function localName(name: string): string {
  return name.slice(name.lastIndexOf(':') + 1).toLowerCase();
}

/** XML character references decoded: `jav&#x61;script:` is `javascript:`. */
function decodeReferences(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    return named[ref.toLowerCase()] ?? whole;
  });
}

/** Why a link target is refused, or undefined when it stays inside the file or is a raster image. */
function hrefProblem(raw: string): Text | undefined {
  // Browsers drop spaces and control characters before and inside a scheme.
  let value = '';
  for (const c of decodeReferences(raw)) if (c.charCodeAt(0) > 0x20) value += c;
  if (value === '' || value.startsWith('#')) return undefined;
  if (SAFE_DATA_IMAGE.test(value)) return undefined;
  if (/^javascript:/i.test(value)) return { fr: 'un lien `javascript:`', en: 'a javascript: link' };
  if (/^data:/i.test(value))
    return {
      fr: 'un lien `data:` qui n’est pas une image PNG, JPEG, GIF ou WebP',
      en: 'a data: link that is not a PNG, JPEG, GIF or WebP image',
    };
  return {
    fr: `un lien vers un autre fichier (${shorten(raw.trim())})`,
    en: `a link to another file (${shorten(raw.trim())})`,
  };
}

/** Why a stylesheet is refused: it loads something from elsewhere. */
function cssProblem(css: string): Text | undefined {
  const text = decodeReferences(css);
  if (/@import/i.test(text))
    return { fr: 'une feuille de style avec @import', en: 'a stylesheet with @import' };
  for (const m of text.matchAll(/url\(\s*(['"]?)(.*?)\1\s*\)/gi)) {
    const target = m[2]!.replace(/\\/g, '');
    if (!target.startsWith('#') && !SAFE_DATA_IMAGE.test(target))
      return {
        fr: `une feuille de style qui charge url(${shorten(target)})`,
        en: `a stylesheet that loads url(${shorten(target)})`,
      };
  }
  if (/expression\s*\(|javascript:/i.test(text))
    return { fr: 'une feuille de style avec du script', en: 'a stylesheet with script' };
  return undefined;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** Offsets to lines and columns, for offsets given in increasing order. */
function locator(text: string): (offset: number) => { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  let at = 0;
  return (offset) => {
    for (; at < offset; at++) {
      if (text.charCodeAt(at) === 0x0a) {
        line++;
        lineStart = at + 1;
      }
    }
    return { line, column: offset - lineStart + 1 };
  };
}

const ATTRIBUTE = /\s*([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/y;

/**
 * The active content of an SVG file (gzip-compressed `.svgz` too), in file order; empty
 * when the image is safe to publish as it is.
 */
export function svgProblems(bytes: Uint8Array): SvgProblem[] {
  let data = bytes;
  if (data[0] === 0x1f && data[1] === 0x8b) {
    try {
      data = gunzipSync(data);
    } catch {
      return [
        {
          line: 1,
          column: 1,
          message: { fr: 'un contenu compressé illisible', en: 'the compressed SVG cannot be read' },
        },
      ];
    }
  }
  const text = new TextDecoder('utf-8').decode(data);
  const found: { offset: number; message: Text }[] = [];
  const add = (offset: number, what: Text) => found.push({ offset, message: what });

  let i = 0;
  for (;;) {
    i = text.indexOf('<', i);
    if (i < 0) break;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      i = end < 0 ? text.length : end + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i);
      i = end < 0 ? text.length : end + 3;
      continue;
    }
    if (text.startsWith('<!', i)) {
      // A DOCTYPE: its internal subset may declare entities; look inside it, then past it.
      const subsetEnd = text.indexOf(']>', i);
      const plainEnd = text.indexOf('>', i);
      const hasSubset = text.indexOf('[', i) >= 0 && text.indexOf('[', i) < plainEnd;
      const end = hasSubset && subsetEnd >= 0 ? subsetEnd + 2 : plainEnd < 0 ? text.length : plainEnd + 1;
      const entity = /<!ENTITY/i.exec(text.slice(i, end));
      if (entity) add(i + entity.index, { fr: 'une déclaration <!ENTITY>', en: 'an <!ENTITY> declaration' });
      i = end;
      continue;
    }
    if (text.startsWith('<?', i)) {
      if (/^<\?xml-stylesheet/i.test(text.slice(i, i + 20)))
        add(i, { fr: 'une instruction <?xml-stylesheet?>', en: 'an <?xml-stylesheet?> instruction' });
      const end = text.indexOf('?>', i);
      i = end < 0 ? text.length : end + 2;
      continue;
    }
    if (text[i + 1] === '/') {
      const end = text.indexOf('>', i);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    const name = /^[^\s/>]+/.exec(text.slice(i + 1, i + 200))?.[0];
    if (!name) {
      i++;
      continue;
    }
    const element = localName(name);
    const active = ACTIVE_ELEMENTS.get(element);
    if (active) add(i, active);
    let at = i + 1 + name.length;
    const attributes: { name: string; value: string; offset: number }[] = [];
    for (;;) {
      ATTRIBUTE.lastIndex = at;
      const m = ATTRIBUTE.exec(text);
      if (!m) break;
      const value = m[2] ?? m[3] ?? m[4] ?? '';
      attributes.push({ name: m[1]!, value, offset: m.index + m[0].indexOf(m[1]!) });
      at = ATTRIBUTE.lastIndex;
    }
    for (const a of attributes) {
      const attr = localName(a.name);
      if (attr.startsWith('on'))
        add(a.offset, {
          fr: `un attribut d’événement ${a.name}="…"`,
          en: `an event attribute ${a.name}="…"`,
        });
      else if (attr === 'href') {
        const problem = hrefProblem(a.value);
        if (problem) add(a.offset, problem);
      } else if (attr === 'style') {
        const problem = cssProblem(a.value);
        if (problem) add(a.offset, problem);
      } else if (attr === 'attributename' && ANIMATIONS.has(element)) {
        const target = localName(decodeReferences(a.value).trim());
        if (target === 'href' || target.startsWith('on'))
          add(a.offset, {
            fr: `une animation de l’attribut ${a.value.trim()}`,
            en: `an animation of the ${a.value.trim()} attribute`,
          });
      }
    }
    const close = text.indexOf('>', at);
    i = close < 0 ? text.length : close + 1;
    if (element === 'style' && text[i - 2] !== '/') {
      const end = text.toLowerCase().indexOf('</', i);
      const css = text.slice(i, end < 0 ? text.length : end).replace(/<!\[CDATA\[|\]\]>/g, '');
      const problem = cssProblem(css);
      if (problem) add(i, problem);
    }
  }
  const locate = locator(text);
  return found
    .sort((a, b) => a.offset - b.offset)
    .map(({ offset, message }) => ({ ...locate(offset), message }));
}

/**
 * Every SVG asset of a release folder (`dir` is how it is shown) checked by
 * {@link svgProblems}: AIMQ-SVG-ACTIVE errors at the file's line and column.
 */
export function checkSvgAssets(dirAbs: string, dir: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const walk = (abs: string, rel: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith('.')) continue;
      if (e.isDirectory()) walk(join(abs, e.name), `${rel}${e.name}/`);
      else if (e.isFile() && /\.svgz?$/i.test(e.name)) {
        for (const p of svgProblems(readFileSync(join(abs, e.name))))
          diagnostics.push({
            file: `${dir}/${rel}${e.name}`,
            line: p.line,
            column: p.column,
            severity: 'error',
            code: 'AIMQ-SVG-ACTIVE',
            message: {
              fr: `l’image SVG contient ${p.message.fr}\u00a0: ce contenu s’exécuterait sur le site de la salle de presse`,
              en: `the SVG image has ${p.message.en}: it would run on the newsroom's site`,
            },
            hint: {
              fr: 'retirez-le (dans Inkscape\u00a0: enregistrez en "SVG optimisé" ou "SVG simple"), ou exportez l’image en PNG',
              en: 'remove it (in Inkscape: save as "Optimized SVG" or "Plain SVG"), or export the image as PNG',
            },
          });
      }
    }
  };
  walk(dirAbs, '');
  return diagnostics;
}
