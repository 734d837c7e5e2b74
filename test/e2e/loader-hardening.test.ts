import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aimq, sampleProject, tempDir, type CliResult } from '../helpers/cli.js';
import {
  listFiles,
  readText,
  SAMPLE_DIR,
  SAMPLE_EN,
  SAMPLE_FR,
  TINY_PNG,
  writeFiles,
} from '../helpers/project.js';
import type { JsonDiagnostic as Diag } from '../helpers/diagnostic.js';

/** Runs the CLI and checks what must hold for every run: no stack trace, no internal error. */
function cli(args: string[], cwd: string): CliResult {
  const r = aimq(args, cwd);
  expect(r.stderr, `stack trace on stderr of aimq ${args.join(' ')}`).not.toMatch(/^ {4}at /m);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.status, `aimq ${args.join(' ')}: ${r.stderr}`).not.toBe(70);
  return r;
}

function checkJson(dir: string, extra: string[] = []): { status: number; diags: Diag[] } {
  const r = cli(['release', 'check', '--format', 'json', ...extra], dir);
  return { status: r.status, diags: JSON.parse(r.stdout) as Diag[] };
}

/** The sample's fr.md with its front matter edited. */
function editFrontMatter(dir: string, rel: string, edit: (fm: string) => string): void {
  const text = readText(dir, rel);
  const end = text.indexOf('\n---', 3);
  writeFileSync(join(dir, rel), edit(text.slice(0, end)) + text.slice(end));
}

const lineOfText = (text: string, needle: string) =>
  text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('YAML anchors and aliases (#11.1)', () => {
  it.each([
    ['subtitle: *Nouveau*', 11],
    ['subtitle: *Nouveau* programme', 21],
    ['subtitle: &Nouveau programme', 11],
  ])(
    '"%s" in front matter is a content error at its line and column, with a hint, exit 1',
    (written, column) => {
      const dir = sampleProject();
      editFrontMatter(dir, SAMPLE_FR, (fm) => fm.replace(/^subtitle: .*$/m, written));
      const line = lineOfText(readText(dir, SAMPLE_FR), 'subtitle:');
      const r = cli(['release', 'check'], dir);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(
        new RegExp(
          `^${SAMPLE_FR}:${line}:${column} error: .*\\[AIMQ-YAML\\]\\n  hint: quote a value that starts with \\*`,
          'm',
        ),
      );
      const b = cli(['release', 'build'], dir);
      expect(b.status).toBe(1);
      expect(b.stderr).toContain(`${SAMPLE_FR}:${line}:`);
    },
  );

  it('an alias bomb in front matter is refused at once, as an ordinary error', () => {
    const dir = sampleProject();
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
    ].join('\n');
    editFrontMatter(dir, SAMPLE_FR, (fm) => `${fm}\n${bomb}`);
    const { status, diags } = checkJson(dir);
    expect(status).toBe(1);
    const yaml = diags.filter((d) => d.code === 'AIMQ-YAML');
    expect(yaml.length).toBeGreaterThan(0);
    expect(yaml[0]).toMatchObject({ file: SAMPLE_FR, severity: 'error' });
    expect(yaml[0]!.hint).toMatch(/quote a value that starts with \*/);
  });

  it('an alias in aimq.config.yaml is a configuration error with its line: exit 2', () => {
    const dir = sampleProject();
    const config = readText(dir, 'aimq.config.yaml').replace(/^ {2}shortName: AIMQ$/m, '  shortName: *AIMQ*');
    writeFileSync(join(dir, 'aimq.config.yaml'), config);
    const line = lineOfText(config, 'shortName:');
    const r = cli(['release', 'check'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^aimq\\.config\\.yaml:${line}:14 error: .*alias.*\\[AIMQ-CONFIG-YAML\\]\\n  hint: quote`,
        'm',
      ),
    );
  });
});

describe('huge front matter (#11.6)', () => {
  it('20,000 keys: one clear error about the size, not 20,000 lines', () => {
    const dir = sampleProject();
    const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}: ${i}`).join('\n');
    editFrontMatter(dir, SAMPLE_FR, (fm) => `${fm}\n${keys}`);
    const r = cli(['release', 'check'], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `^${SAMPLE_FR}:1:1 error: the front matter is \\d+ KB long; aimq reads at most 64 KB \\[AIMQ-FRONT-MATTER\\]$`,
        'm',
      ),
    );
    expect(r.stdout.split('\n').length).toBeLessThan(10);
  });

  it('a diagnostic quotes at most a short excerpt of a long value', () => {
    const dir = sampleProject();
    const long = `x-${'a'.repeat(5000)}_`;
    editFrontMatter(dir, SAMPLE_EN, (fm) => fm.replace(/^slug: .*$/m, `slug: ${long}`));
    const { status, diags } = checkJson(dir);
    expect(status).toBe(1);
    const slug = diags.find((d) => d.message.includes('"slug"'))!;
    expect(slug).toBeDefined();
    expect(slug.message.length).toBeLessThan(200);
  });
});

describe('symbolic links out of the release folder (#11.8)', () => {
  /** A sample project and, outside it, a secret file. */
  function withSecret(): { dir: string; secret: string } {
    const dir = sampleProject();
    const outside = tempDir();
    const secret = join(outside, 'secret.png');
    writeFileSync(secret, Buffer.concat([TINY_PNG, Buffer.from('SECRET-BYTES-0123456789')]));
    return { dir, secret };
  }

  it('an image that is a link to a file outside: error in check, build and export; its bytes are never attached', () => {
    const { dir, secret } = withSecret();
    symlinkSync(secret, join(dir, SAMPLE_DIR, 'photo.png'));
    editFrontMatter(dir, SAMPLE_FR, (fm) => `${fm}\nimage: { src: photo.png, alt: Une photo }`);
    editFrontMatter(dir, SAMPLE_EN, (fm) => `${fm}\nimage: { alt: A photo }`);
    const { status, diags } = checkJson(dir);
    expect(status).toBe(1);
    expect(diags.filter((d) => d.severity === 'error').map((d) => d.code)).toContain('AIMQ-OUTSIDE-RELEASE');
    const build = cli(['release', 'build'], dir);
    expect(build.status).toBe(1);
    expect(existsSync(join(dir, 'public'))).toBe(false);
    const exp = cli(['release', 'export', SAMPLE_DIR, '--format', 'eml', '--embed-images'], dir);
    expect(exp.status).toBe(1);
    expect(exp.stdout).not.toContain('SECRET-BYTES');
    expect(exp.stdout).not.toContain(Buffer.from('SECRET-BYTES').toString('base64').slice(0, 12));
  });

  it('an image in the body that is a link to a file outside: an error at its line', () => {
    const { dir, secret } = withSecret();
    symlinkSync(secret, join(dir, SAMPLE_DIR, 'inline.png'));
    writeFileSync(join(dir, SAMPLE_FR), `${readText(dir, SAMPLE_FR)}\n![Une photo](inline.png)\n`);
    const line = readText(dir, SAMPLE_FR).split('\n').length - 1;
    const { status, diags } = checkJson(dir);
    expect(status).toBe(1);
    expect(diags).toContainEqual(
      expect.objectContaining({ file: SAMPLE_FR, line, severity: 'error', code: 'AIMQ-IMAGE-MISSING' }),
    );
  });

  it('en.md that is a link to a file outside is not read nor published', () => {
    const dir = sampleProject();
    const outside = join(tempDir(), 'en.md');
    writeFileSync(outside, readText(dir, SAMPLE_EN).replace(/^title: .*$/m, 'title: LEAKED TITLE'));
    const en = join(dir, SAMPLE_EN);
    rmSync(en);
    symlinkSync(outside, en);
    const { status, diags } = checkJson(dir);
    expect(status).toBe(1);
    expect(diags).toContainEqual(
      expect.objectContaining({ file: SAMPLE_EN, severity: 'error', code: 'AIMQ-OUTSIDE-RELEASE' }),
    );
    const b = cli(['release', 'build'], dir);
    expect(b.status).toBe(1);
    const pub = join(dir, 'public');
    const published = existsSync(pub) ? listFiles(pub).map((f) => readFileSync(join(pub, f), 'utf8')) : [];
    expect(published.join('')).not.toContain('LEAKED TITLE');
  });

  it('a link that stays inside the release folder is an ordinary file', () => {
    const dir = sampleProject();
    writeFiles(dir, { [`${SAMPLE_DIR}/images/photo.png`]: TINY_PNG });
    symlinkSync('images/photo.png', join(dir, SAMPLE_DIR, 'photo.png'));
    editFrontMatter(dir, SAMPLE_FR, (fm) => `${fm}\nimage: { src: photo.png, alt: Une photo }`);
    editFrontMatter(dir, SAMPLE_EN, (fm) => `${fm}\nimage: { alt: A photo }`);
    const { diags } = checkJson(dir);
    expect(diags.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('--out inside the inputs (#11.10)', () => {
  it.each([['releases/out'], [`${SAMPLE_DIR}/site`], ['templates/site'], ['lists']])(
    'release build --out %s: exit 2, nothing written there',
    (out) => {
      const dir = sampleProject();
      mkdirSync(join(dir, 'templates'), { recursive: true });
      mkdirSync(join(dir, 'lists'), { recursive: true });
      const before = listFiles(dir);
      const r = cli(['release', 'build', '--out', out], dir);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/\[AIMQ-OUTPUT-INSIDE-INPUT\]/);
      expect(listFiles(dir).filter((f) => !f.startsWith('.aimq/'))).toEqual(
        before.filter((f) => !f.startsWith('.aimq/')),
      );
    },
  );

  it('a link to releases/ given as --out is refused too', () => {
    const dir = sampleProject();
    symlinkSync(join(dir, 'releases'), join(dir, 'site'));
    const r = cli(['release', 'build', '--out', 'site'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\[AIMQ-OUTPUT-INSIDE-INPUT\]/);
  });

  it('--out public still builds', () => {
    const dir = sampleProject();
    expect(cli(['release', 'build', '--out', 'public'], dir).status).toBe(0);
  });
});

describe('placeholders left by init and release new (#11.21)', () => {
  it('check warns on each placeholder of the config and of a new release', () => {
    const cwd = tempDir();
    expect(cli(['init', 'proj'], cwd).status).toBe(0);
    const proj = join(cwd, 'proj');
    expect(cli(['release', 'new', 'annonce', '--date', '2026-12-01'], proj).status).toBe(0);
    const { status, diags } = checkJson(proj);
    expect(status).toBe(0);
    const placeholders = diags.filter((d) => d.code === 'AIMQ-PLACEHOLDER');
    const at = (file: string) => placeholders.filter((d) => d.file === file).map((d) => d.message);
    const config = at('aimq.config.yaml').join('\n');
    for (const field of [
      'organization.name.fr',
      'organization.name.en',
      'organization.shortName',
      'organization.postalAddress',
      'organization.boilerplate.fr',
      'organization.boilerplate.en',
      'baseUrl',
    ])
      expect(config).toContain(`"${field}"`);
    const fr = at('releases/2026-12-01-annonce/fr.md').join('\n');
    expect(fr).toContain('"title"');
    expect(fr).toContain('"summary"');
    expect(fr).toContain("sample release's contact");
    expect(fr).toContain('aimq release new wrote');
    expect(at('releases/2026-12-01-annonce/en.md').join('\n')).toContain('"title"');
    for (const d of placeholders) expect(d.severity).toBe('warning');
  });
});

describe('a release dated in the future without an embargo (#11.22)', () => {
  const future = (dir: string, embargo?: string) =>
    editFrontMatter(dir, SAMPLE_FR, (fm) =>
      fm.replace(/^date: .*$/m, `date: 2099-06-01${embargo ? `\nembargo: ${embargo}` : ''}`),
    );

  it('check and build warn, and say how to hold it', () => {
    const dir = sampleProject();
    future(dir);
    const line = lineOfText(readText(dir, SAMPLE_FR), 'date:');
    const { status, diags } = checkJson(dir);
    expect(status).toBe(0);
    const w = diags.find((d) => d.code === 'AIMQ-DATE-FUTURE');
    expect(w).toMatchObject({ file: SAMPLE_FR, line, column: 7, severity: 'warning' });
    expect(w!.hint).toMatch(/^to hold it until then, add embargo: 2099-06-01T00:00:00-04:00/);
    const b = cli(['release', 'build'], dir);
    expect(b.status).toBe(0);
    expect(b.stderr).toMatch(
      /warning: the release is dated 2099-06-01, in the future, and has no embargo.*\[AIMQ-DATE-FUTURE\]/,
    );
  });

  it('with an embargo, no warning', () => {
    const dir = sampleProject();
    future(dir, '2099-06-01T09:00:00-04:00');
    expect(checkJson(dir).diags.map((d) => d.code)).not.toContain('AIMQ-DATE-FUTURE');
  });
});

describe('acknowledging a warning (#11.23)', () => {
  const differentUrls = (dir: string) => {
    writeFileSync(
      join(dir, SAMPLE_FR),
      `${readText(dir, SAMPLE_FR)}\nVoir https://www.aimq.net/conseil-administration pour la liste.\n`,
    );
    writeFileSync(
      join(dir, SAMPLE_EN),
      `${readText(dir, SAMPLE_EN)}\nSee https://www.aimq.net/board-of-directors for the list.\n`,
    );
  };

  it('AIMQ-TRANSLATION-URL fires on two legitimately different links', () => {
    const dir = sampleProject();
    differentUrls(dir);
    expect(checkJson(dir).diags.map((d) => d.code)).toContain('AIMQ-TRANSLATION-URL');
  });

  it('acknowledge: [AIMQ-TRANSLATION-URL] in the front matter silences it for this release only', () => {
    const dir = sampleProject();
    differentUrls(dir);
    editFrontMatter(dir, SAMPLE_FR, (fm) => `${fm}\nacknowledge: [AIMQ-TRANSLATION-URL]`);
    const { status, diags } = checkJson(dir);
    expect(status).toBe(0);
    expect(diags.map((d) => d.code)).not.toContain('AIMQ-TRANSLATION-URL');
    expect(diags.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('an error cannot be acknowledged, and an unknown code is an error with a suggestion', () => {
    const dir = sampleProject();
    editFrontMatter(dir, SAMPLE_FR, (fm) => `${fm}\nacknowledge: [AIMQ-TRANSLATION-URLS, AIMQ-DATE]`);
    const { status, diags } = checkJson(dir);
    expect(status).toBe(1);
    const errors = diags.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.message).join('\n')).toMatch(/"acknowledge\[1\]" must be one of/);
    expect(errors.find((d) => d.message.includes('acknowledge[1]'))!.hint).toBe(
      'did you mean "AIMQ-TRANSLATION-URL"?',
    );
    expect(errors.map((d) => d.message).join('\n')).toMatch(/"acknowledge\[2\]" must be one of/);
  });
});

describe('messages people read (#11.25)', () => {
  it('a problem in the second contact says contacts[2]', () => {
    const dir = sampleProject();
    editFrontMatter(dir, SAMPLE_FR, (fm) =>
      fm
        .replace(/^contacts:\n/m, 'contacts:\n  - name: Marie Tremblay\n    email: presidence@aimq.net\n')
        .replace(/email: communications@aimq\.net/, 'email: pas-une-adresse'),
    );
    const { diags } = checkJson(dir);
    expect(diags.find((d) => d.code === 'AIMQ-EMAIL')!.message).toContain('"contacts[2].email"');
  });

  it('French field names and values get a "did you mean" in English', () => {
    const dir = sampleProject();
    editFrontMatter(dir, SAMPLE_FR, (fm) =>
      fm
        .replace(/^subtitle:/m, 'sous-titre:')
        .replace(/^place:/m, 'lieu:')
        .replace(/^summary:/m, 'résumé:')
        .replace(/kind: source/, 'kind: renseignements'),
    );
    const { diags } = checkJson(dir);
    const hintFor = (needle: string) => diags.find((d) => d.message.includes(needle))?.hint;
    expect(hintFor('unknown key "sous-titre"')).toBe('did you mean "subtitle"?');
    expect(hintFor('unknown key "lieu"')).toBe('did you mean "place"?');
    expect(hintFor('unknown key "résumé"')).toBe('did you mean "summary"?');
    expect(hintFor('"contacts[1].kind"')).toBe('did you mean "information"?');
  });
});

describe('the English dateline city (#11.26)', () => {
  it('release new writes place: in en.md', () => {
    const dir = sampleProject();
    expect(
      cli(['release', 'new', 'annonce', '--date', '2026-12-01', '--place', 'Montréal'], dir).status,
    ).toBe(0);
    expect(readText(dir, 'releases/2026-12-01-annonce/en.md')).toMatch(/^place: Montreal$/m);
    expect(cli(['release', 'new', 'autre', '--date', '2026-12-02', '--place', 'Québec'], dir).status).toBe(0);
    expect(readText(dir, 'releases/2026-12-02-autre/en.md')).toMatch(/^place: Québec$/m);
  });

  it('check warns when en.md has no place', () => {
    const dir = sampleProject();
    editFrontMatter(dir, SAMPLE_EN, (fm) => fm.replace(/^place: .*\n/m, ''));
    const { status, diags } = checkJson(dir);
    expect(status).toBe(0);
    expect(diags).toContainEqual(
      expect.objectContaining({ file: SAMPLE_EN, severity: 'warning', code: 'AIMQ-PLACE-MISSING' }),
    );
  });
});

describe('control characters in text diagnostics (#11.7)', () => {
  it('an ESC and a BEL in a front-matter key are shown escaped, never raw', () => {
    const dir = sampleProject();
    editFrontMatter(dir, SAMPLE_FR, (fm) => `${fm}\n"\\e]0;pwned\\a\\e[2J": x`);
    const r = cli(['release', 'check'], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain('\u0007');
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('\\u001b]0;pwned\\u0007\\u001b[2J');
  });

  it('an ESC in a recipient list is shown escaped by lists check', () => {
    const dir = sampleProject();
    writeFiles(dir, { 'lists/l.csv': 'email,name\nbad\u001b[31m@@x,Nom\n' });
    const r = cli(['lists', 'check', 'lists/l.csv'], dir);
    expect(r.stdout + r.stderr).not.toContain('\u001b');
    expect(r.stdout + r.stderr).toContain('\\u001b[31m');
  });
});
