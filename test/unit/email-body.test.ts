import { describe, expect, it } from 'vitest';
import { applyTypography, parseMarkdown } from '../../src/markdown/pipeline.js';
import { renderEmailBody, type EmailBodyOptions } from '../../src/render-email/html-body.js';

// The e-mail body comes from the web page's sanitized HTML tree (remark-rehype, then
// rehype-sanitize), with the dateline and inline styles an e-mail client needs.

const options: EmailBodyOptions = {
  dateline: 'MONTRÉAL, le 13\u202Fjanvier & <2020> –',
  resolveUrl: (url) =>
    /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('#') ? url : `https://www.aimq.net/assets/x/${url}`,
  accentColor: '#0b4f8a',
  lang: 'fr',
};
const tree = (markdown: string, lang = 'fr') => applyTypography(parseMarkdown(markdown), lang, 'oqlf');
const body = (markdown: string, lang = 'fr') => renderEmailBody(tree(markdown, lang), { ...options, lang });

describe('the e-mail body', () => {
  it('opens the first paragraph with the dateline, escaped, with no-break spaces for narrow ones', () => {
    expect(body('Un paragraphe simple.')).toBe(
      '<p style="margin:0 0 16px 0;"><span class="dateline" style="font-weight:bold;">MONTRÉAL, le 13\u00A0janvier &#x26; &#x3C;2020> –</span> Un paragraphe simple.</p>',
    );
    expect(body('## Titre\n\nTexte.')).toMatch(
      /^<p style="[^"]*"><span class="dateline"[^>]*>[^<]*<\/span><\/p><h2/,
    );
  });

  it('styles every element inline and shifts headings below the page title', () => {
    const html = body('# Un\n\n- a\n\n> b\n\n| x |\n|---|\n| y |\n\n`c`');
    expect(html).toContain('<h2 style="margin:28px 0 8px 0;');
    expect(html).toContain('<ul style="margin:0 0 16px 0;padding:0 0 0 24px;">');
    expect(html).toContain('<blockquote style="margin:0 0 16px 0;padding:0 0 0 16px;');
    expect(html).toContain('<td style="border:1px solid #c8c8c8;padding:4px 8px;">y</td>');
    expect(html).toContain('<code style="font-family:Consolas,Menlo,monospace;font-size:14px;">c</code>');
  });

  it('keeps safe links, opens web links in a new tab and resolves the release’s own files', () => {
    const html = body('[a](https://x.org/?b=1&c=2) [b](doc.pdf) [c](mailto:a@b.ca) ![i](photo.png)');
    expect(html).toContain(
      '<a href="https://x.org/?b=1&#x26;c=2" style="color:#0b4f8a;text-decoration:underline;" target="_blank" rel="noopener">a</a>',
    );
    expect(html).toContain('href="https://www.aimq.net/assets/x/doc.pdf"');
    expect(html).toContain('<a href="mailto:a@b.ca" style="color:#0b4f8a;text-decoration:underline;">c</a>');
    expect(html).toContain('src="https://www.aimq.net/assets/x/photo.png"');
  });

  it('drops what the sanitizer drops: raw HTML, javascript: and data: URLs', () => {
    const html = body(
      '<div>brut</div>\n\nTexte <b onclick="x()">gras</b> [js](javascript:alert(1)) ![d](data:image/png;base64,AAAA)',
    );
    expect(html).not.toMatch(/<div|<b[ >]|onclick|javascript:|data:/);
    expect(html).toContain('<a style="color:#0b4f8a;text-decoration:underline;">js</a>');
  });

  it('does not modify the shared tree', () => {
    const t = tree('# T\n\nTexte [lien](doc.pdf).');
    const before = JSON.stringify(t);
    renderEmailBody(t, options);
    expect(JSON.stringify(t)).toBe(before);
  });
});
