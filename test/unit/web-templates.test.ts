import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
// The benchmark's generator: deterministic bilingual releases that pass `release check`.
import { generateProject } from '../../bench/generate.js';
import { buildSite } from '../../src/build/build.js';
import { loadConfig } from '../../src/config/load.js';
import { PACKAGED_TEMPLATES, type TemplateEngine } from '../../src/templating/engine.js';
import { REPO, sampleProject, tempDir } from '../helpers/cli.js';
import { TINY_PNG, writeFiles } from '../helpers/project.js';

// Web pages are rendered by LiquidJS alone. Every `render` a real build makes is recorded,
// so that the tests below render real pages' data again.

const recorded = vi.hoisted(
  () => [] as { root: string; name: string; data: object; engine: TemplateEngine }[],
);

vi.mock('../../src/templating/engine.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/templating/engine.js')>();
  return {
    ...real,
    createTemplateEngine: (...args: Parameters<typeof real.createTemplateEngine>) => {
      const engine = real.createTemplateEngine(...args);
      if (args[0] !== 'web') return engine;
      const recording: TemplateEngine = {
        ...engine,
        render(name, data) {
          recorded.push({ root: args[1], name, data, engine });
          return engine.render(name, data);
        },
      };
      return recording;
    },
  };
});

// The engine itself, which does not record.
const { createTemplateEngine } = await vi.importActual<typeof import('../../src/templating/engine.js')>(
  '../../src/templating/engine.js',
);

const NOW = Date.parse('2026-11-28T12:00:00-05:00');
const WEB = join(PACKAGED_TEMPLATES, 'web');

async function build(dir: string, includeEmbargoed = false): Promise<void> {
  await buildSite(loadConfig(dir), {
    out: join(dir, 'public'),
    shownOut: 'public',
    now: NOW,
    includeEmbargoed,
    releases: [],
    cwd: dir,
  });
}

/** The sample, a release under embargo with an image and every kind of contact, and a French-only one. */
function richProject(): string {
  const dir = sampleProject();
  const sample = readFileSync(join(REPO, 'releases/2020-01-13-mission-aimq/fr.md'), 'utf8');
  writeFiles(dir, {
    'releases/2026-12-01-embargo/fr.md': [
      '---',
      'title: Annonce <Zorglub> & « cie » sous embargo',
      'subtitle: Un sous-titre',
      'date: 2026-12-01',
      'place: Québec',
      'embargo: 2026-12-01T10:00:00-05:00',
      'contacts:',
      '  - name: Danielle Boucher',
      '    role: conseillère en communication',
      '    email: communications@aimq.net',
      '    phone: 514 555-0100',
      '    kind: source',
      '  - name: Jean Tremblay',
      '    email: info@aimq.net',
      '    kind: information',
      'image:',
      '  src: photo.png',
      '  alt: Le conseil « réuni »',
      'tags: [a, "b & c"]',
      '---',
      'Le conseil annonce une nouvelle **importante**.',
      '',
    ].join('\n'),
    'releases/2026-12-01-embargo/en.md': [
      '---',
      'title: Zorglub announcement',
      'slug: 2026-12-01-zorglub',
      'contacts:',
      '  - role: communications adviser',
      '  - {}',
      'image:',
      '  alt: The board',
      '---',
      'The board announces news.',
      '',
    ].join('\n'),
    'releases/2026-12-01-embargo/photo.png': TINY_PNG,
    'releases/2026-11-02-seulement/fr.md': sample
      .replace("title: L'AIMQ actualise", "title: Seulement en français, l'AIMQ actualise")
      .replace('date: 2020-01-13', 'date: 2026-11-02'),
  });
  return dir;
}

describe('web pages through LiquidJS', () => {
  beforeAll(async () => {
    const rich = richProject();
    await build(rich, true);
    await build(richProject());
    const generated = tempDir();
    generateProject(generated, 40, { configFile: join(REPO, 'aimq.config.yaml') });
    await build(generated);
  }, 180_000);

  it('renders every kind of page of real builds again to the same bytes', () => {
    const names = new Set(recorded.map((r) => r.name));
    expect([...names].sort()).toEqual(['chooser', 'feed', 'listing', 'newsroom', 'release', 'sitemap']);
    expect(
      recorded.some(
        (r) => r.name === 'release' && (r.data as { embargoPreview?: boolean }).embargoPreview === true,
      ),
    ).toBe(true);
    const engines = new Map<string, TemplateEngine>();
    for (const { root, name, data, engine } of recorded) {
      let again = engines.get(root);
      if (!again) {
        again = createTemplateEngine('web', root);
        engines.set(root, again);
      }
      expect(again.render(name, data)).toBe(engine.render(name, data));
    }
  });

  it('parses a template once per engine and renders it many times', () => {
    const releases = recorded.filter((r) => r.name === 'release');
    const project = tempDir();
    const packaged = readFileSync(join(WEB, 'release.liquid'), 'utf8');
    writeFiles(project, {
      'templates/web/release.liquid': packaged.replace('{% block main %}', '{% block main %}<i>first</i>'),
    });
    const engine = createTemplateEngine('web', project);
    const first = engine.render('release', releases[0]!.data);
    expect(first).toContain('<i>first</i>');
    // A parse per render would read the file again and show the change.
    writeFiles(project, {
      'templates/web/release.liquid': packaged.replace('{% block main %}', '{% block main %}<i>second</i>'),
    });
    for (const r of releases.slice(0, 20)) expect(engine.render('release', r.data)).toContain('<i>first</i>');
    expect(engine.render('release', releases[0]!.data)).toBe(first);
    // A new engine (a new build) reads the file again.
    expect(createTemplateEngine('web', project).render('release', releases[0]!.data)).toContain(
      '<i>second</i>',
    );
  });

  it('takes a project’s overrides, whatever part of Liquid they use', () => {
    const release = recorded.find(
      (r) => r.name === 'release' && (r.data as { sources: unknown[] }).sources.length > 0,
    )!;
    const packaged = (file: string) => readFileSync(join(WEB, file), 'utf8');
    const project = tempDir();
    const overrides: Record<string, string>[] = [
      { 'templates/web/contact.liquid': '<p class="mine">{{- c.name -}}</p>\r\n' },
      {
        'templates/web/layout.liquid': packaged('layout.liquid').replace(
          '<main',
          '<main data-mine="{{ noindex }}"',
        ),
      },
      {
        'templates/web/layout.liquid': packaged('layout.liquid').replace(
          '{{ orgName }}',
          '{{ orgName | upcase }}',
        ),
      },
      {
        'templates/web/release.liquid': packaged('release.liquid').replace(
          '{% block main %}',
          '{% block main %}{% assign x = 1 %}{{ x }}',
        ),
      },
    ];
    const expected = [/<p class="mine">/, /<main data-mine="false"/, /AIMQ/, /<main[^>]*>\s*1\s*<article/];
    overrides.forEach((files, i) => {
      writeFiles(project, files);
      const html = createTemplateEngine('web', project).render('release', release.data);
      expect(html, JSON.stringify(files)).toMatch(expected[i]!);
    });
  });

  it('reports an error in a template with its file and line, as LiquidJS locates it', () => {
    const release = recorded.find((r) => r.name === 'release')!;
    const project = tempDir();
    const text = readFileSync(join(WEB, 'release.liquid'), 'utf8').replace(
      '{% block main %}',
      '{% block main %}\n{%- if embargoPreview == false -%}\n<p>{{ nope }}</p>{% endif %}',
    );
    writeFiles(project, { 'templates/web/release.liquid': text });
    const line = text.split('\n').findIndex((l) => l.includes('{{ nope }}')) + 1;
    const engine = createTemplateEngine('web', project);
    expect(() => engine.render('release', release.data)).toThrow(
      expect.objectContaining({
        code: 'AIMQ-TEMPLATE',
        file: 'templates/web/release.liquid',
        line,
        message: expect.stringContaining('nope'),
      }),
    );
  });
});
