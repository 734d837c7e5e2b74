import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { afterAll, describe, expect, it } from 'vitest';
import type { ElementContent } from 'hast';
import { insertDateline, parseMarkdown, rewriteLocalUrls, toHtmlTree } from '../../src/markdown/pipeline.js';

/**
 * parseMarkdown is remark-parse + remark-gfm, with lines counted from the top of the
 * markdown file (the body starts after the front matter).
 */

const REPO = join(import.meta.dirname, '../..');
const remark = unified().use(remarkParse).use(remarkGfm);

function markdownFiles(dir: string, ext = '.md'): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? markdownFiles(path, ext) : path.endsWith(ext) ? [path] : [];
  });
}

/** The markdown after the front matter (what parseMarkdown is given). */
const body = (file: string) =>
  readFileSync(file, 'utf8').replace(/^---[ \t]*\n[\s\S]*?\n---[ \t]*(?:\n|$)/, '');

const generated = mkdtempSync(join(tmpdir(), 'aimq-md-'));
afterAll(() => rmSync(generated, { recursive: true, force: true }));

async function generatedBodies(count: number): Promise<Array<[string, string]>> {
  const { generateProject } = (await import(join(REPO, 'bench', 'generate.js'))) as {
    generateProject: (dir: string, count: number, options: { configFile: string }) => void;
  };
  generateProject(generated, count, { configFile: join(REPO, 'aimq.config.yaml') });
  return markdownFiles(join(generated, 'releases')).map((f) => [f, body(f)]);
}

const corpus: Array<[string, string]> = [
  ...markdownFiles(join(REPO, 'releases')).map((f): [string, string] => [f, body(f)]),
  ...markdownFiles(join(REPO, 'test', 'fixtures')).map((f): [string, string] => [f, body(f)]),
  // The original communiqué the sample release was made from, as plain text.
  ...markdownFiles('/work/shared/seed', '.txt').map((f): [string, string] => [f, readFileSync(f, 'utf8')]),
];

/** Constructs releases may use, and the edge cases of each. */
const SNIPPETS = [
  // paragraphs, breaks, entities, escapes
  'Un paragraphe\nsur deux lignes.\n\nUn autre.',
  'a  \nb\\\nc \nd   \n  e',
  'a &amp; &copy; &#233; &#x41; &nope; \\*b\\* \\\\ \\` x \\ y',
  'Texte avec  espaces   multiples\tet tab.',
  // headings
  '# T #  \n\nTit\n===  \n\n## *H* ##\n\n### Titre : « citation »\n\nSous-titre\n---',
  '#5 pas un titre\n\n####### non plus',
  // emphasis, strong, strikethrough, code
  'x *em* **st** ~~del~~ `co de` _em_ __st__',
  '**a**b __c__ ***d*** *e **f** g* **h *i***',
  'l’*emphase*, « **gras** » et *mal fermé',
  '`` code avec ` dedans `` et `\nsur deux lignes`',
  // links and images
  '[l *i*](/u "t") [n](</a b> \'t\') [p](/p (t)) [vide]() [j](javascript:alert(1))',
  '![a *b*](i.png "t") ![](vide.png) ![alt **b**](x.jpg) ![é](photo%20é.jpg)',
  '[A &amp; b][] [c\\]] [x][c\\]] ![img][c\\]] [inconnu]\n\n[a &amp; b]: </x y> (t)\n[c\\]]: /c\n[d]:\n  /d\n  "titre"',
  '[lien](https://aimq.net/é?x=1&y=2#ancre) [url](https://x.ca/a_(b))',
  // autolinks, GFM literals, French punctuation around them
  'Adresse : <info@aimq.net> et <https://aimq.net/x?y=1&z=2>.',
  'Visit www.example.com. Et *https://a.ca/x»* « courriel : info@aimq.net ».',
  'Voir https://aimq.net/a?b=1! et (https://fr.wikipedia.org/wiki/Foo_(bar)) ou www.aimq.net: fin.',
  'courriel:info@aimq.net, m.o@x.co.uk. xmpp:a@b.c/d mailto:x@y.ca a-b_c@d.e-f.ca.',
  'ftp://x.com http://a.b.c/d_e www.x_y.com www.a.b_c https://x.com/?utm_source=a_b_c',
  '«www.x.com» et mot:www.y.com, (www.z.com) x.www.a.com https://aimq.net/;',
  'Le site aimq.net (pas un lien) et le 9h30, mot : « texte » ; fin !',
  // lists
  '- a\n- b\n\n1. x\n2. y\n\n\n3. z\n\n7) sept\n8) huit',
  '- a\n\n  b\n- c\n\n* d\n\n* e',
  '- a\n  - b\n\n  - c\n- d\n\n+ un\n+\n+ trois',
  '- [ ] t\n- [x] u\n- [X] *v*\n- [ ]  deux espaces\n- [y] non',
  '1. Un\n\n   ```\n   code\n   ```\n2. Deux\n   > citation',
  // block quotes, code, html, breaks
  '> a\n> b\n>\n\n> - q\n>   r\n\n> # T\n> > imbriqué',
  '```js x\ncode\n```\n\n    ind\n\n    x\n\n```\nnon fermé',
  '~~~\navec tildes\n~~~',
  '<div>\nx\n</div>\n\np <b>x</b> <!-- c --> <span lang="en">hi</span>\n\n<script>alert(1)</script>',
  '  <div>\n  x\n  </div>\n\n> <div>\n> x\n\n- <div>\n  y\n  </div>\n\n>  <p>\n>  q',
  '- a\n\n      code\n\n>     code',
  'WWW.X.COM et HTTPS://Y.CA et Www.z.ca',
  '***\n---\n___\n\n- - -',
  // tables
  '| a | b |\n|:-|-:|\n| 1 \\| 2 | `x` |\n| 3 |\n| 4 | 5 |',
  'a | b\n--|--\nc | d\n\n| Centré | Rien |\n|:---:|---|\n| **g** | [l](/l) |',
];

describe('parseMarkdown', () => {
  it('shifts lines to the markdown file’s own (the body starts after the front matter)', () => {
    const tree = parseMarkdown('Un *mot*.\n\n- item', 8);
    expect(tree.children[0]!.position!.start).toEqual({ line: 8, column: 1, offset: 0 });
    expect(tree.children[1]!.position!.end).toEqual({ line: 10, column: 7, offset: 17 });
  });

  it('is remark-gfm’s tree, lines shifted, for every release we have and every construct', async () => {
    const bodies = [...corpus, ...(await generatedBodies(20))].map(([, text]) => text);
    for (const markdown of [...SNIPPETS, ...bodies])
      expect(parseMarkdown(markdown, 5), markdown).toEqual(shifted(remark.parse(markdown), 4));
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

describe('toHtmlTree', () => {
  it('never changes the markdown tree, which the web page, the e-mail and the plain text share', () => {
    const dateline: ElementContent[] = [{ type: 'text', value: 'MONTRÉAL, le 13 janvier 2020 –' }];
    for (const markdown of [
      ...SNIPPETS,
      ...corpus.map(([, text]) => text),
      '# Titre\n\n## Sous-titre\n\n![photo](photo.jpg)',
    ]) {
      const tree = parseMarkdown(markdown);
      const before = structuredClone(tree);
      // Frozen: any write into the markdown tree, or into a node the HTML tree shares with it, throws.
      deepFreeze(tree);
      const hast = toHtmlTree(tree, 'fr');
      rewriteLocalUrls(hast, (url) => `assets/${url}`);
      insertDateline(hast, dateline);
      expect(tree).toEqual(before);
    }
  });
});

function shifted(tree: Root, by: number): Root {
  const walk = (node: {
    position?: { start: { line: number }; end: { line: number } };
    children?: unknown[];
  }) => {
    if (node.position) {
      node.position.start.line += by;
      node.position.end.line += by;
    }
    for (const child of (node.children ?? []) as Array<typeof node>) walk(child);
  };
  walk(tree);
  return tree;
}
