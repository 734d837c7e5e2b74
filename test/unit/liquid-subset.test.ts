import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSubset, Unsupported } from '../../src/templating/liquid-subset.js';
import { loadEmailLayout } from '../../src/render-email/layout.js';
import { createTemplateEngine } from '../../src/templating/engine.js';
import { writeFiles } from '../helpers/project.js';

// Every expectation is LiquidJS's own output through aimq's template engine: the compiled
// subset must give exactly the same bytes, or decline so that LiquidJS renders.

const root = mkdtempSync(join(tmpdir(), 'aimq-liquid-subset-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
writeFiles(root, {
  'templates/email/card.liquid':
    '<b>{{ c.name }}</b>{% if c.role != "" %} ({{ c.role }}){% endif %}{{ note }}',
  'templates/email/nested.liquid': '[{% render "card.liquid", c: c, note: "!" %}]',
  'templates/email/self.liquid': '{% render "self.liquid" %}',
  'templates/email/assigns.liquid': '{% assign x = 1 %}{{ x }}',
  'templates/email/parent.liquid':
    '<h>{{ title }}|{{ n }}</h>\n{%- block head %}default head{% endblock %}\n<m>\n{% block main -%}\n  default main\n{%- endblock %}\n</m>{% if yes %}{% block tail %}tail{{ n }}{% endblock %}{% endif %}{% render "card.liquid", c: c, note: n %}\n',
  'templates/email/looped.liquid': '{% for x in list %}{% block item %}{{ x }}{% endblock %}{% endfor %}',
  'templates/email/nested-blocks.liquid': '{% block a %}{% block b %}b{% endblock %}{% endblock %}',
  'templates/email/super.liquid': '{% block a %}{{ block.super }}{% endblock %}',
  'templates/email/grandparent.liquid': '{% layout "parent" %}{% block main %}x{% endblock %}',
});
const engine = createTemplateEngine('email', root);
const partial = (name: string) => {
  const file = engine.find(name);
  return file ? readFileSync(file, 'utf8') : undefined;
};
const liquid = (source: string, data: object) =>
  engine.compile(source, () => ({ file: 'test', line: 1 }))(data);

function same(source: string, ...data: object[]): void {
  const fast = compileSubset(source, partial);
  expect(fast, `compiled: ${source}`).toBeDefined();
  for (const d of data) expect(fast!(d), `${source} with ${JSON.stringify(d)}`).toBe(liquid(source, d));
}

const DATA = {
  s: 'Tom & "Jerry" <x> l\'été',
  emptyText: '',
  n: 3,
  zero: 0,
  yes: true,
  no: false,
  nothing: null,
  multi: 'a\nb\r\nc & d',
  list: ['a<', 'b', 'c'],
  none: [] as string[],
  obj: { a: 'A', size: 'own size', deep: { b: 'B' } },
  people: [
    { name: 'Ann', role: 'chair' },
    { name: 'Bob & co', role: '' },
  ],
};

describe('the compiled Liquid subset, beside LiquidJS', () => {
  it('prints text and escaped outputs', () => {
    same('plain text only', DATA);
    same('<p>{{ s }}</p>{{ n }}{{zero}}{{ yes }}/{{ no }}/{{ nothing }}|{{ emptyText }}', DATA);
    same(
      '{{ obj.a }}{{ obj.deep.b }}{{ obj.size }}{{ list.size }}{{ none.size }}{{ s.size }}{{ list.first }}{{ list.last }}',
      DATA,
    );
  });

  it('applies raw, escape and newline_to_br as LiquidJS does', () => {
    same(
      '{{ s | raw }}|{{ s | escape }}|{{ s | escape | raw }}|{{ multi | newline_to_br }}|{{ multi | escape | newline_to_br | raw }}|{{ s | raw | escape }}',
      DATA,
    );
  });

  it('branches on truthiness and comparisons', () => {
    const conditions = [
      's',
      'emptyText',
      'zero',
      'no',
      'nothing',
      'none',
      'obj',
      "s != ''",
      "emptyText != ''",
      'emptyText == ""',
      'n > 2',
      'n < 2',
      'n >= 3',
      'n <= 2',
      'list.size > 0',
      'none.size > 0',
      'n == 3',
      'yes',
      'list.first == "a<"',
    ];
    for (const c of conditions) {
      same(
        `{% if ${c} %}Y{% else %}N{% endif %}{% unless ${c} %}u{% endunless %}{% unless ${c} %}u{% else %}U{% endunless %}`,
        DATA,
      );
    }
    same(
      '{% if no %}1{% elsif nothing %}2{% elsif n > 2 %}3{% else %}4{% endif %}{% if no %}1{% elsif emptyText %}2{% endif %}',
      DATA,
    );
  });

  it('loops, with forloop, else and nesting', () => {
    same(
      '{% for x in list %}{{ forloop.index }}.{{ forloop.index0 }}:{{ x }}{% if forloop.first %}F{% endif %}{% unless forloop.last %}, {% endunless %}{{ forloop.rindex }}{{ forloop.rindex0 }}/{{ forloop.length }}{% endfor %}',
      DATA,
    );
    same(
      '{% for x in none %}{{ x }}{% else %}nothing{% endfor %}{% for x in none %}{{ x }}{% endfor %}',
      DATA,
    );
    same(
      '{% for p in people %}{% for x in list %}{{ p.name }}{{ x }}{{ forloop.index }}{% endfor %}{{ forloop.index }}{% endfor %}',
      DATA,
    );
    same('{% for s in list %}{{ s }}{% endfor %}{{ s }}', DATA);
  });

  it('renders partials with their arguments only', () => {
    same('{% for p in people %}{% render "card.liquid", c: p, note: s %}{% endfor %}', DATA);
    same("{% render 'card', c: obj.deep, note: 'literal' %}", { obj: { deep: { name: 'N', role: 'R' } } });
    same('{% render "nested.liquid", c: people.first %}', DATA);
  });

  it('controls whitespace as LiquidJS does', () => {
    const texts = [
      '',
      'x',
      ' x ',
      '\n\n  x  \n\n',
      '\t\tx\t\n',
      '\r\n  x\r\n\r\n',
      ' \u00a0\u3000\u2028x\u2003\u180e ',
      '\ufeffx\ufeff',
      '\n\n',
      ' \t\r\n ',
    ];
    const tags = ['{% if yes %}', '{%- if yes %}', '{% if yes -%}', '{%- if yes -%}', '{%-if yes-%}'];
    const ends = ['{% endif %}', '{%- endif %}', '{% endif -%}', '{%- endif -%}'];
    const outputs = ['{{ s }}', '{{- s }}', '{{ s -}}', '{{- s -}}', '{{-s-}}'];
    for (const a of texts) {
      for (const b of texts) {
        for (const tag of tags) for (const end of ends) same(`${a}${tag}${b}${end}${a}`, DATA);
        for (const out of outputs) same(`${a}${out}${b}${out}${a}`, DATA);
        same(`${a}{%- for x in list -%}${b}{{- x -}}${b}{%- endfor -%}${a}`, DATA);
        same(
          `${a}{%- for x in none %}${b}{%- else -%}${b}{% endfor -%}${a}{%- if no -%}${b}{%- elsif yes -%}${b}{%- else -%}${b}{%- endif -%}`,
          DATA,
        );
      }
    }
    // A dash next to a tag rather than text trims nothing.
    same('a {%- if yes -%}{%- if yes -%} b {%- endif -%}{%- endif -%} c', DATA);
    same(
      '{% if yes == true %}t{% endif %}{% if no == false %}f{% endif %}{% if yes != false %}u{% endif %}',
      DATA,
    );
  });

  it('renders a layout with the child’s blocks, its defaults, and its arguments above the data', () => {
    const data = { ...DATA, title: 'T & t', c: { name: 'N', role: '' } };
    same("{% layout 'parent' %}{% block main %}[{{ s }}]{% endblock %}", data);
    same(
      "{% layout 'parent', title: 'Other <title>', n: 7 %}\n{% block head -%}\n  H{{ n }}\n{%- endblock %}\nignored text\n{% block main %}\n{{ title }}{% endblock %}{% block unused %}{{ missing }}{% endblock %}\n",
      data,
    );
    same(
      "{%- layout 'parent.liquid', yes: false, c: people.first -%}{% block tail %}child tail {{ n }}{% endblock %}",
      data,
    );
    same(
      "{% layout 'parent', n: s.size, title: obj.deep.b %}{% block main %}{% for p in people %}{% render 'card', c: p, note: n %}{% endfor %}{% endblock %}",
      data,
    );
    same("{% layout 'parent', title: yes %}", data);
  });

  it('declines the rest of Liquid, for LiquidJS to render', () => {
    for (const source of [
      '{% assign x = 1 %}{{ x }}',
      '{{ s | upcase }}',
      '{{ s | truncate: 3 }}',
      '{{ "literal" }}',
      '{% if s and n %}x{% endif %}',
      '{% if yes == nil %}x{% endif %}',
      '{% if list contains "a<" %}x{% endif %}',
      '{% for x in list limit: 2 %}{{ x }}{% endfor %}',
      '{% for x in (1..3) %}{{ x }}{% endfor %}',
      '{% case n %}{% when 3 %}x{% endcase %}',
      '{% comment %}x{% endcomment %}',
      '{% raw %}{{ s }}{% endraw %}',
      '{% render "missing.liquid" %}',
      '{% render "self.liquid" %}',
      '{% render "assigns.liquid" %}',
      '{% render "card.liquid" with obj %}',
      '{% include "card.liquid" %}',
      '{{ list[0] }}',
      '{{ nil }}',
      '{{ s }',
      '{% if s %}unclosed',
      '{% endif %}',
      "x{% layout 'parent' %}{% block main %}{% endblock %}",
      "{% layout 'parent' %}{{ s }}{% block main %}{% endblock %}",
      "{% layout 'parent' %}{% if yes %}{% block main %}{% endblock %}{% endif %}",
      "{% layout 'parent' %}{% block main %}{% block head %}{% endblock %}{% endblock %}",
      "{% layout 'parent' %}{% block main %}a{% endblock %}{% block main %}b{% endblock %}",
      "{% layout 'parent' %}{% block main %}{{ block.super }}{% endblock %}",
      "{% layout 'parent', n: 1, n: 2 %}",
      "{% layout 'parent' n: 1 %}",
      "{% layout 'missing' %}",
      '{% layout none %}{% block main %}{% endblock %}',
      "{% layout 'looped' %}{% block item %}!{% endblock %}",
      "{% layout 'nested-blocks' %}",
      "{% layout 'super' %}",
      "{% layout 'grandparent' %}",
      '{% block main %}x{% endblock %}',
      "{% render 'parent' %}",
    ]) {
      expect(compileSubset(source, partial), source).toBeUndefined();
    }
  });

  it('gives up while rendering on what LiquidJS treats otherwise', () => {
    const cases: [string, object][] = [
      ['{{ missing }}', DATA],
      ['{{ obj.missing }}', DATA],
      ['{{ list }}', DATA],
      ['{{ obj }}', DATA],
      ['{{ nothing.a }}', DATA],
      ['{{ toString }}', DATA],
      ['{{ d }}', { d: new Date(0) }],
      ['{% if d %}x{% endif %}', { d: new Date(0) }],
      ['{{ f }}', { f: () => 'x' }],
      ['{% for x in s %}{{ x }}{% endfor %}', DATA],
      ['{% if obj == "x" %}x{% endif %}', DATA],
    ];
    for (const [source, data] of cases) {
      const fast = compileSubset(source, partial);
      expect(fast, source).toBeDefined();
      expect(() => fast!(data), source).toThrow(Unsupported);
    }
  });
});

describe('the e-mail layout', () => {
  const view = {
    edition: 'fr',
    htmlLang: 'fr-CA',
    subject: 'Objet & "titre"',
    preheader: 'Aperçu',
    footers: [{ htmlLang: 'fr-CA', orgName: 'AIMQ', items: ['un', 'deux'] }],
  };

  it('renders an override outside the subset through LiquidJS, and the same as LiquidJS inside it', async () => {
    const project = mkdtempSync(join(tmpdir(), 'aimq-layout-override-'));
    try {
      const layout = (body: string) =>
        `<mjml lang="{{ htmlLang }}"><mj-head><mj-title>{{ subject }}</mj-title><mj-preview>{{ preheader }}</mj-preview></mj-head><mj-body><mj-section><mj-column><mj-text>${body}</mj-text></mj-column></mj-section></mj-body></mjml>\n`;
      const inSubset =
        '{% for f in footers %}<p lang="{{ f.htmlLang }}">{{ f.orgName }}{% for i in f.items %} {{ i }}{% endfor %}</p>{% endfor %}';
      const outside =
        '{% assign org = footers.first.orgName | upcase %}<p>{{ org }} {{ subject | downcase }}</p>';
      writeFiles(project, { 'templates/email/layout.mjml': layout(inSubset) });
      const a = await loadEmailLayout(createTemplateEngine('email', project));
      const html = a.html(view as never);
      expect(html).toContain('<p lang="fr-CA">AIMQ un deux</p>');
      expect(html).toContain('<title>Objet &amp; &#34;titre&#34;</title>');

      writeFiles(project, { 'templates/email/layout.mjml': layout(outside) });
      const b = await loadEmailLayout(createTemplateEngine('email', project));
      expect(compileSubset(outside, partial)).toBeUndefined();
      expect(b.html(view as never)).toContain('<p>AIMQ objet &amp; &#34;titre&#34;</p>');
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('still reports an undefined variable as a template error', async () => {
    const project = mkdtempSync(join(tmpdir(), 'aimq-layout-error-'));
    try {
      writeFiles(project, {
        'templates/email/layout.mjml':
          '<mjml><mj-body><mj-section><mj-column><mj-text>{{ nosuchthing }}</mj-text></mj-column></mj-section></mj-body></mjml>\n',
      });
      const layout = await loadEmailLayout(createTemplateEngine('email', project));
      expect(() => layout.html(view as never)).toThrow(/e-mail layout could not be rendered|nosuchthing/);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
