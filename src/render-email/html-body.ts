import type { Element, Root as HastRoot } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';
import { insertDateline, toHtmlTree } from '../markdown/pipeline.js';

/**
 * Inline styles for the body's elements. E-mail clients ignore or strip `<style>` blocks
 * (Gmail's app, Outlook.com in part), and MJML's inliner only reaches elements present when
 * the layout is compiled, so the body carries its own styles.
 */
function styles(accent: string): Record<string, string> {
  return {
    p: 'margin:0 0 16px 0;',
    h2: 'margin:28px 0 8px 0;font-size:20px;line-height:26px;font-weight:bold;',
    h3: 'margin:24px 0 8px 0;font-size:18px;line-height:24px;font-weight:bold;',
    h4: 'margin:20px 0 8px 0;font-size:16px;line-height:22px;font-weight:bold;',
    h5: 'margin:16px 0 8px 0;font-size:16px;line-height:22px;font-weight:bold;',
    h6: 'margin:16px 0 8px 0;font-size:16px;line-height:22px;font-weight:bold;',
    ul: 'margin:0 0 16px 0;padding:0 0 0 24px;',
    ol: 'margin:0 0 16px 0;padding:0 0 0 24px;',
    li: 'margin:0 0 8px 0;',
    blockquote: 'margin:0 0 16px 0;padding:0 0 0 16px;border-left:4px solid #c8c8c8;',
    a: `color:${accent};text-decoration:underline;`,
    img: 'display:block;max-width:100%;height:auto;border:0;',
    // MJML's text cell breaks words anywhere (word-break:break-word), which lets a long URL
    // wrap but squeezes a table's columns to a letter or two on a phone ("Rég|ion",
    // "1 25|0,5"): the table keeps its words whole and scrolls inside its own box instead.
    table: 'border-collapse:collapse;word-break:normal;',
    th: 'border:1px solid #c8c8c8;padding:4px 8px;',
    td: 'border:1px solid #c8c8c8;padding:4px 8px;',
    code: 'font-family:Consolas,Menlo,monospace;font-size:14px;',
    pre: 'margin:0 0 16px 0;white-space:pre-wrap;font-family:Consolas,Menlo,monospace;font-size:14px;',
    hr: 'border:0;border-top:1px solid #c8c8c8;margin:24px 0;',
    // Only footnotes make a section: set apart from the text, as on the web page.
    section: 'margin:24px 0 0 0;padding:8px 0 0 0;border-top:1px solid #c8c8c8;font-size:14px;',
    '.dateline': 'font-weight:bold;',
  };
}

export interface EmailBodyOptions {
  /** The dateline text that opens the first paragraph. */
  dateline: string;
  /** Turns a link or image URL as written in markdown into the one the e-mail uses (absolute, or cid:). */
  resolveUrl: (url: string) => string;
  accentColor: string;
  /** The edition's language: footnotes are labelled in it. */
  lang: string;
  /** The width in pixels of an image of the body (its URL as written in markdown), when known. */
  imageWidth?: (url: string) => number | undefined;
}

/** The message's text column: 600 px less the 24 px margins. */
const CONTENT_WIDTH = 552;

/**
 * The body of an e-mail edition as HTML with inline styles, from the same sanitized tree
 * as the web page (remark-rehype, rehype-sanitize), given the dateline. Narrow no-break
 * spaces become no-break spaces: several e-mail fonts lack U+202F and would show a box.
 */
export function renderEmailBody(tree: Root, options: EmailBodyOptions): string {
  const css = styles(options.accentColor);
  const hast: HastRoot = toHtmlTree(tree, options.lang);
  insertDateline(hast, [{ type: 'text', value: options.dateline }]);
  visit(hast, (node) => {
    if (node.type === 'text') node.value = node.value.replace(/\u202F/g, '\u00A0');
  });
  visit(hast, 'element', (el: Element) => {
    // Outlook for Windows ignores max-width: without a width, a photo is shown at its full
    // size, many times wider than the message. Never wider than the text column, never enlarged.
    if (el.tagName === 'img' && typeof el.properties.src === 'string') {
      const width = options.imageWidth?.(el.properties.src);
      if (width) el.properties.width = Math.min(width, CONTENT_WIDTH);
    }
    for (const attr of ['href', 'src'] as const) {
      const v = el.properties[attr];
      if (typeof v === 'string') el.properties[attr] = options.resolveUrl(v);
    }
    const className = el.properties.className;
    const classStyle = Array.isArray(className) && className.includes('dateline') ? css['.dateline'] : '';
    // A header cell is left-aligned unless its column is aligned (`|---:|`), like its cells.
    const align =
      el.tagName === 'th'
        ? `text-align:${typeof el.properties.align === 'string' ? el.properties.align : 'left'};`
        : '';
    const style = (css[el.tagName] ?? '') + align + (classStyle ?? '');
    if (style) el.properties.style = style;
    if (el.tagName === 'a' && typeof el.properties.href === 'string' && /^https?:/.test(el.properties.href)) {
      el.properties.target = '_blank';
      el.properties.rel = ['noopener'];
    }
  });
  visit(hast, 'element', (el: Element, index, parent) => {
    if (el.tagName !== 'table' || !parent || index === undefined) return;
    parent.children[index] = {
      type: 'element',
      tagName: 'div',
      // Focusable, so a keyboard can scroll it too.
      properties: { style: TABLE_BOX, tabIndex: 0 },
      children: [el],
    };
    return 'skip';
  });
  return toHtml(hast);
}

/** Around each table: a box that scrolls sideways when the table is wider than a phone. */
const TABLE_BOX = 'overflow-x:auto;width:0;min-width:100%;margin:0 0 16px 0;';
