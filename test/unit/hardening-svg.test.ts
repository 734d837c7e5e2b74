import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { svgProblems } from '../../src/assets/svg.js';
import { en } from '../helpers/text.js';

const svg = (body: string, head = '') =>
  Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n${head}<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">\n${body}\n</svg>\n`,
  );
const found = (bytes: Buffer) => svgProblems(bytes).map((p) => `${p.line}:${p.column} ${en(p.message)}`);

describe('svgProblems (#11.9)', () => {
  it('accepts an ordinary drawing: shapes, gradients, internal references, a PNG data image, comments', () => {
    const body = `<defs><linearGradient id="g"><stop offset="0" stop-color="#036"/></linearGradient></defs>
<!-- <script>alert(1)</script> a comment is inert -->
<style>rect { fill: url(#g); }</style>
<rect width="10" height="10" style="fill:url(#g)"/>
<use href="#g"/><use xlink:href="#g"/>
<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>
<text font-family="Georgia">« Bonjour » &amp; merci</text>`;
    expect(found(svg(body))).toEqual([]);
  });

  it('finds a script element, in any namespace prefix or case, at its line and column', () => {
    expect(found(svg('  <script>alert(1)</script>'))).toEqual(['3:3 a <script> element']);
    expect(found(svg('<svg:script>x</svg:script>'))).toEqual(['3:1 a <script> element']);
    expect(found(svg('<SCRIPT>x</SCRIPT>'))).toEqual(['3:1 a <script> element']);
    expect(found(svg('<h:script xmlns:h="http://www.w3.org/1999/xhtml">x</h:script>'))).toEqual([
      '3:1 a <script> element',
    ]);
  });

  it('finds event attributes', () => {
    expect(found(svg('<rect onload="alert(1)"/><g\n   onClick=\'x()\'/>'))).toEqual([
      '3:7 an event attribute onload="…"',
      '4:4 an event attribute onClick="…"',
    ]);
    expect(found(Buffer.from('<svg onload=alert(1)>'))).toEqual(['1:6 an event attribute onload="…"']);
  });

  it('finds javascript: links, also disguised with character references and spaces', () => {
    expect(found(svg('<a href="javascript:alert(1)"><text>x</text></a>'))).toEqual([
      '3:4 a javascript: link',
    ]);
    expect(found(svg('<a xlink:href=" jav&#x61;script:alert(1)">x</a>'))).toEqual(['3:4 a javascript: link']);
    expect(found(svg('<a href="java\tscript:alert(1)">x</a>'))).toEqual(['3:4 a javascript: link']);
  });

  it('finds links to other files and data: links that are not raster images', () => {
    expect(found(svg('<image href="https://tracker.example/p.gif"/>'))).toEqual([
      '3:8 a link to another file (https://tracker.example/p.gif)',
    ]);
    expect(found(svg('<use href="other.svg#icon"/>'))).toEqual([
      '3:6 a link to another file (other.svg#icon)',
    ]);
    expect(found(svg('<image href="data:image/svg+xml;base64,PHN2Zz4="/>'))).toEqual([
      '3:8 a data: link that is not a PNG, JPEG, GIF or WebP image',
    ]);
  });

  it('finds foreignObject, handler, animated links, and stylesheets that load from elsewhere', () => {
    expect(
      found(
        svg(`<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://x"/></foreignObject>
<a><set attributeName="href" to="javascript:alert(1)"/></a>
<animate attributeName="xlink:href" values="x"/>
<handler type="application/ecmascript">x</handler>
<style>@import url(https://x/a.css);</style>
<style><![CDATA[ g { background: url('https://x/y.png') } ]]></style>
<rect style="fill:url(http://x/p)"/>`),
      ),
    ).toEqual([
      '3:1 a <foreignObject> element, which embeds HTML',
      '4:9 an animation of the href attribute',
      '5:10 an animation of the xlink:href attribute',
      '6:1 a <handler> element (an event handler)',
      '7:8 a stylesheet with @import',
      '8:8 a stylesheet that loads url(https://x/y.png)',
      '9:7 a stylesheet that loads url(http://x/p)',
    ]);
  });

  it('finds an external stylesheet instruction and entity declarations', () => {
    const head = `<?xml-stylesheet href="https://x/s.css"?>\n<!DOCTYPE svg [\n  <!ENTITY js "javascript:alert(1)">\n]>\n`;
    expect(found(svg('<a href="&js;">x</a>', head))).toEqual([
      '2:1 an <?xml-stylesheet?> instruction',
      '4:3 an <!ENTITY> declaration',
      '7:4 a link to another file (&js;)',
    ]);
  });

  it('reads a gzip-compressed .svgz the same way', () => {
    expect(found(gzipSync(svg('<script>x</script>')))).toEqual(['3:1 a <script> element']);
  });
});
