import { describe, expect, it } from 'vitest';
import { applyTypography, parseMarkdown } from '../../src/markdown/pipeline.js';
import { renderBodyDirect } from '../../src/render-email/body-direct.js';
import {
  renderEmailBody,
  renderEmailBodyViaHast,
  type EmailBodyOptions,
} from '../../src/render-email/html-body.js';

// The direct writer must give the bytes of the general path (remark-rehype, rehype-sanitize,
// hast-util-to-html) on every tree it accepts; the others go the general path.

const options: EmailBodyOptions = {
  dateline: 'MONTRÉAL, le 13\u202Fjanvier & <2020> –',
  resolveUrl: (url) =>
    /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('#') ? url : `https://www.aimq.net/assets/x/${url}`,
  accentColor: '#0b4f8a',
};
const tree = (markdown: string, lang = 'fr') => applyTypography(parseMarkdown(markdown), lang, 'oqlf');
const direct = (markdown: string, lang = 'fr') =>
  renderBodyDirect(tree(markdown, lang), { ...options, styles: { p: 'x;' } });

const DIRECT = [
  '',
  'Un paragraphe simple.',
  "Texte & <balises> « guillemets » : l'été ; 9 h 30 ! Prix 100 $ ?",
  'Ligne un\nligne deux   \n  suite\\\nfin',
  'Avant  \n   après une coupure',
  '*em* **strong** ~~del~~ `code\nsur deux` ***both*** _a_ __b__',
  '# Titre 1\n\n## Titre 2\n\n###### Titre 6\n\nTexte.',
  '### Seulement h3\n\nTexte.',
  'Texte\n\n#### Un h4 plus bas',
  '- un\n- deux\n- trois',
  '- un\n\n- deux\n\n- trois',
  '1. un\n2. deux',
  '3. trois\n4. quatre',
  '0. zéro',
  '- un\n  - imbriqué\n  - encore\n- deux\n\n  second paragraphe',
  '- \n- vide',
  '> Une citation\n>\n> - avec\n> - liste\n\n> ',
  '```js title="x"\nconst a = "<b>" & 1;\n```\n\n```\n\n```\n\n    indenté\n    code',
  '---\n\n***\n\nFin.',
  '[lien](https://example.org/a?b=1&c=2 "Titre & \\"quote\\"") [relatif](docs/file.pdf) [ancre](#section) [mail](mailto:a@b.ca) <https://auto.link/x> www.aimq.net courriel@aimq.net',
  '[js](javascript:alert(1)) [HTTP](HTTP://EXAMPLE.ORG) [data](data:text/html,x) [vide]() [ftp](ftp://x.org/) [irc](irc://x)',
  '[accents](https://exemple.org/été à`x`) [pourcent](https://x.org/%41%zz%4) [espaces](<https://x.org/a b>)',
  '![alt & "x"](image.png "titre") ![](https://x.org/i.png) ![js](javascript:x) ![data](data:image/png;base64,AAAA)',
  '| a | b | c |\n|:--|:-:|--:|\n| 1 | **2** | [3](https://x.org) |\n| 4 |',
  '| seul |\n|---|',
  '<div>html brut</div>\n\nTexte <b>inline</b> html.',
  '<!-- commentaire -->',
  '## Commence par un titre\n\nPuis un paragraphe.',
  '- Commence par une liste',
  'Emoji 🎉 et \uD800 seul, NUL \u0000 et `\u202F`.',
  'Texte\u202Fen\u00A0espaces et "quotes" \'apostrophes\' `backtick`.',
];

const GENERAL = [
  'Une note[^1].\n\n[^1]: La note.',
  '[référence][ref]\n\n[ref]: https://x.org',
  '- [ ] à faire\n- [x] fait',
  'Avant  \n*après une coupure*',
];

describe('the e-mail body written directly from the markdown tree', () => {
  it.each(DIRECT)('is the general path byte for byte: %j', (markdown) => {
    for (const lang of ['fr', 'en']) {
      expect(direct(markdown, lang), 'written directly').toBeDefined();
      expect(renderEmailBody(tree(markdown, lang), options)).toBe(
        renderEmailBodyViaHast(tree(markdown, lang), options),
      );
    }
  });

  it.each(GENERAL)('leaves other trees to the general path: %j', (markdown) => {
    expect(direct(markdown)).toBeUndefined();
    expect(renderEmailBody(tree(markdown), options)).toBe(renderEmailBodyViaHast(tree(markdown), options));
  });

  it('leaves nodes with custom HTML data to the general path', () => {
    const t = tree('Texte.');
    t.children[0]!.data = { hName: 'div' };
    expect(renderBodyDirect(t, { ...options, styles: {} })).toBeUndefined();
    expect(renderEmailBody(t, options)).toBe(renderEmailBodyViaHast(t, options));
  });

  it('leaves a code block whose language starts with a blank to the general path', () => {
    const t = tree('```js\nx\n```');
    (t.children[0] as { lang: string }).lang = ' js';
    expect(renderBodyDirect(t, { ...options, styles: {} })).toBeUndefined();
    expect(renderEmailBody(t, options)).toBe(renderEmailBodyViaHast(t, options));
  });

  it('does not modify the shared tree', () => {
    const t = tree('# T\n\nTexte [lien](doc.pdf).');
    const before = JSON.stringify(t);
    renderEmailBody(t, options);
    expect(JSON.stringify(t)).toBe(before);
  });
});
