import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aimq, type CliResult, REPO, sampleProject, tempDir } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import {
  editLines,
  lineOf,
  listFiles,
  mtimes,
  readText,
  SAMPLE_DIR,
  SAMPLE_EN,
  SAMPLE_FR,
  SAMPLE_FR_PAGE,
  TINY_PNG,
  writeFiles,
} from '../helpers/project.js';

const FR = SAMPLE_FR;
const EN = SAMPLE_EN;

/** What must hold for every run: no stack trace, ever. */
function checked(r: CliResult, args: string[]): CliResult {
  expect(r.stderr, `stack trace on stderr of aimq ${args.join(' ')}`).not.toMatch(/^ {4}at /m);
  expect(r.stdout, `stack trace on stdout of aimq ${args.join(' ')}`).not.toMatch(/^ {4}at /m);
  expect(r.stderr).not.toMatch(/internal error/);
  return r;
}

/** The CLI run in this process (see aimqIn); most tests here are about what it prints and writes. */
async function cli(args: string[], cwd: string): Promise<CliResult> {
  return checked(await aimqIn(args, cwd), args);
}

/** The real bin/aimq.js: the tests about the binary itself, and one test per exit code. */
function cliBin(args: string[], cwd: string): CliResult {
  return checked(aimq(args, cwd), args);
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Asserts that `output` has the line `<where> <severity>: … [<code>]`, where `where` is the
 * exact `path:line:col` (or `path`) prefix, and returns that line and the hint line after it.
 */
function expectLine(
  output: string,
  where: string,
  severity: 'error' | 'warning',
  code: string,
): { line: string; hint: string } {
  const re = new RegExp(`^${esc(where)} ${severity}: .*\\[${esc(code)}\\]$`, 'm');
  expect(output, `expected a line "${where} ${severity}: … [${code}]"`).toMatch(re);
  const lines = output.split('\n');
  const i = lines.findIndex((l) => re.test(l));
  return { line: lines[i]!, hint: lines[i + 1]?.startsWith('  hint: ') ? lines[i + 1]!.slice(8) : '' };
}

const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

describe('exit 0', () => {
  it('release build on the sample prints the French page and writes it', () => {
    const dir = sampleProject();
    const r = cliBin(['release', 'build', '--now', '2026-11-28T12:00:00-05:00'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`public/${SAMPLE_FR_PAGE}\n`);
    expect(existsSync(join(dir, 'public', SAMPLE_FR_PAGE))).toBe(true);
    expect(r.stderr).toMatch(/Built 2 page\(s\) from 1 release\(s\) into public\//);
  });

  it("release check on the sample exits 0; its only warning is the config's placeholder postal address", async () => {
    const dir = sampleProject();
    const r = await cli(['release', 'check'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(
      /^aimq\.config\.yaml:\d+:\d+ warning: "organization\.postalAddress" is still a placeholder: .*\[AIMQ-PLACEHOLDER\]$/,
    );
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    expect(r.stderr.trim()).toBe('1 release checked: 0 errors, 1 warning');
  });

  it('--version prints the package version', () => {
    const r = cliBin(['--version'], tempDir());
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
  });

  it('--help lists the commands, and release --help its subcommands', () => {
    const r = cliBin(['--help'], tempDir());
    expect(r.status).toBe(0);
    for (const c of ['init', 'release', 'codes']) expect(r.stdout).toMatch(new RegExp(`^\\s+${c}\\b`, 'm'));
    const rr = cliBin(['release', '--help'], tempDir());
    expect(rr.status).toBe(0);
    for (const c of ['new', 'check', 'build']) expect(rr.stdout).toMatch(new RegExp(`^\\s+${c}\\b`, 'm'));
  });
});

describe('exit 1: content errors name the file, the line and the code', () => {
  it('malformed YAML: reported at its line in the file, not in the front matter', () => {
    const dir = sampleProject();
    editLines(dir, FR, (l) => {
      expect(l[3]).toBe('date: 2020-01-13');
      l[3] = 'date: 2020-01-13: une erreur';
    });
    const r = cliBin(['release', 'check'], dir);
    expect(r.status).toBe(1);
    expectLine(r.stdout, `${FR}:4:7`, 'error', 'AIMQ-YAML');
  });

  it('malformed YAML further down the front matter (line 10)', async () => {
    const dir = sampleProject();
    editLines(dir, FR, (l) => {
      expect(l[9]).toBe('    kind: source');
      l[9] = '    kind: source: oui';
    });
    const r = await cli(['release', 'check'], dir);
    expect(r.status).toBe(1);
    expectLine(r.stdout, `${FR}:10:11`, 'error', 'AIMQ-YAML');
  });

  it('a missing required field (place)', async () => {
    const dir = sampleProject();
    editLines(dir, FR, (l) => {
      expect(l[4]).toBe('place: Montréal');
      l.splice(4, 1);
    });
    const r = await cli(['release', 'check'], dir);
    expect(r.status).toBe(1);
    const { line } = expectLine(r.stdout, `${FR}:2:1`, 'error', 'AIMQ-FIELD-MISSING');
    expect(line).toContain('"place"');
  });

  it('an unknown key, with a did-you-mean hint', async () => {
    const dir = sampleProject();
    editLines(dir, FR, (l) => {
      l[1] = l[1]!.replace(/^title:/, 'titel:');
    });
    const r = await cli(['release', 'check'], dir);
    expect(r.status).toBe(1);
    const { line, hint } = expectLine(r.stdout, `${FR}:2:1`, 'error', 'AIMQ-FIELD-UNKNOWN');
    expect(line).toContain('"titel"');
    expect(hint).toBe('did you mean "title"?');
  });

  it('a date that does not exist (2026-02-30)', async () => {
    const dir = sampleProject();
    editLines(dir, FR, (l) => {
      l[3] = 'date: 2026-02-30';
    });
    const r = await cli(['release', 'check'], dir);
    expect(r.status).toBe(1);
    const { line, hint } = expectLine(r.stdout, `${FR}:4:7`, 'error', 'AIMQ-DATE');
    expect(line).toContain('2026-02-30 does not exist');
    expect(hint).toBe('check the day and month');
  });

  it('an invalid e-mail address', async () => {
    const dir = sampleProject();
    editLines(dir, FR, (l) => {
      expect(l[8]).toBe('    email: communications@aimq.net');
      l[8] = '    email: communications@aimq';
    });
    const r = await cli(['release', 'check'], dir);
    expect(r.status).toBe(1);
    const { line } = expectLine(r.stdout, `${FR}:9:12`, 'error', 'AIMQ-EMAIL');
    expect(line).toContain('communications@aimq');
  });

  it('a translation that contradicts the primary edition: error in en.md naming fr.md', async () => {
    const dir = sampleProject();
    editLines(dir, EN, (l) => {
      l.splice(3, 0, 'date: 2020-01-14');
    });
    const r = await cli(['release', 'check'], dir);
    expect(r.status).toBe(1);
    const { line, hint } = expectLine(r.stdout, `${EN}:4:7`, 'error', 'AIMQ-TRANSLATION-MISMATCH');
    expect(line).toContain('2020-01-14');
    expect(line).toContain('2020-01-13');
    expect(line).toContain(FR);
    expect(hint).toContain(FR);
  });

  it('a front-matter image without alternative text in fr.md', async () => {
    const dir = sampleProject();
    writeFiles(dir, { [`${SAMPLE_DIR}/photo.png`]: TINY_PNG });
    editLines(dir, FR, (l) => {
      expect(l[12]).toBe('---');
      l.splice(12, 0, 'image:', '  src: photo.png');
    });
    const r = await cli(['release', 'check'], dir);
    expect(r.status).toBe(1);
    // The same problem as a missing alt in en.md or in the body: AIMQ-IMAGE-ALT.
    expectLine(r.stdout, `${FR}:13:1`, 'error', 'AIMQ-IMAGE-ALT');
  });

  it('a front-matter image whose alternative text is missing in en.md', async () => {
    const dir = sampleProject();
    writeFiles(dir, { [`${SAMPLE_DIR}/photo.png`]: TINY_PNG });
    editLines(dir, FR, (l) => {
      l.splice(12, 0, 'image:', '  src: photo.png', '  alt: Le conseil d’administration');
    });
    const r = await cli(['release', 'check'], dir);
    expect(r.status).toBe(1);
    const { line } = expectLine(r.stdout, `${EN}:2:1`, 'error', 'AIMQ-IMAGE-ALT');
    expect(line).toContain('English');
  });

  it('a body image without alternative text: ![](photo.png)', async () => {
    const dir = sampleProject();
    writeFiles(dir, { [`${SAMPLE_DIR}/photo.png`]: TINY_PNG });
    writeFileSync(join(dir, FR), `${readText(dir, FR)}\n![](photo.png)\n`);
    const line = lineOf(dir, FR, '![](photo.png)');
    const r = await cli(['release', 'check'], dir);
    expect(r.status).toBe(1);
    expectLine(r.stdout, `${FR}:${line}:1`, 'error', 'AIMQ-IMAGE-ALT');
  });

  it('an image file that does not exist (front matter and body)', async () => {
    const dir = sampleProject();
    editLines(dir, FR, (l) => {
      l.splice(12, 0, 'image:', '  src: absente.png', '  alt: Le conseil');
    });
    editLines(dir, EN, (l) => {
      l.splice(1, 0, 'image: { alt: The board }');
    });
    writeFileSync(join(dir, FR), `${readText(dir, FR)}\n![Le conseil](introuvable.jpg)\n`);
    const bodyLine = lineOf(dir, FR, 'introuvable.jpg');
    const r = await cli(['release', 'check'], dir);
    expect(r.status).toBe(1);
    expect(expectLine(r.stdout, `${FR}:14:8`, 'error', 'AIMQ-IMAGE-MISSING').line).toContain('absente.png');
    expect(expectLine(r.stdout, `${FR}:${bodyLine}:1`, 'error', 'AIMQ-IMAGE-MISSING').line).toContain(
      'introuvable.jpg',
    );
  });

  it('a release without fr.md (only en.md): AIMQ-PRIMARY-MISSING', async () => {
    const dir = sampleProject();
    // Beside the valid sample, a release with its English edition only.
    writeFiles(dir, {
      'releases/2026-12-01-english-only/en.md': readText(dir, EN).replace(/^slug: .*\n/m, ''),
    });
    const r = await cli(['release', 'check'], dir);
    expect(r.status).toBe(1);
    const { line } = expectLine(
      r.stdout,
      'releases/2026-12-01-english-only/fr.md:1:1',
      'error',
      'AIMQ-PRIMARY-MISSING',
    );
    expect(line).toContain('French');
  });

  it('release build with a content error writes nothing and exits 1', async () => {
    const dir = sampleProject();
    editLines(dir, FR, (l) => {
      l[3] = 'date: 2026-02-30';
    });
    const r = await cli(['release', 'build', '--out', 'site'], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expectLine(r.stderr, `${FR}:4:7`, 'error', 'AIMQ-DATE');
    expect(existsSync(join(dir, 'site'))).toBe(false);
  });

  it('release build with a content error leaves an existing output folder unchanged', async () => {
    const dir = sampleProject();
    expect((await cli(['release', 'build', '--now', '2026-11-28T12:00:00-05:00'], dir)).status).toBe(0);
    const out = join(dir, 'public');
    const before = mtimes(out);
    const contents = Object.fromEntries(listFiles(out).map((f) => [f, readText(out, f)]));
    // A new, broken release: nothing of it, and nothing else, may be written.
    writeFiles(dir, {
      'releases/2026-12-01-cassee/fr.md': readText(dir, FR)
        .replace('date: 2020-01-13', 'date: 2026-12-01')
        .replace('place: Montréal\n', ''),
    });
    editLines(dir, FR, (l) => l.push('Une phrase de plus.'));
    const r = await cli(['release', 'build', '--now', '2026-12-28T12:00:00-05:00'], dir);
    expect(r.status).toBe(1);
    expectLine(r.stderr, 'releases/2026-12-01-cassee/fr.md:2:1', 'error', 'AIMQ-FIELD-MISSING');
    expect(mtimes(out)).toEqual(before);
    expect(Object.fromEntries(listFiles(out).map((f) => [f, readText(out, f)]))).toEqual(contents);
  });

  it('a release with Windows (CRLF) line endings checks and builds', async () => {
    const dir = sampleProject();
    for (const f of [FR, EN]) writeFileSync(join(dir, f), readText(dir, f).replace(/\r?\n/g, '\r\n'));
    const r = await cli(['release', 'check'], dir);
    expect(r.stdout).not.toMatch(/\[AIMQ-(?!PLACEHOLDER)/);
    expect(r.status).toBe(0);
    const b = await cli(['release', 'build'], dir);
    expect(b.status).toBe(0);
    expect(b.stdout).toBe(`public/${SAMPLE_FR_PAGE}\n`);
  });
});

describe('exit 2: usage and configuration errors', () => {
  it('an unknown option', () => {
    const dir = sampleProject();
    const r = cliBin(['release', 'build', '--bogus'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown option '--bogus'");
    expect(existsSync(join(dir, 'public'))).toBe(false);
  });

  it('an unknown command, with a suggestion', async () => {
    const dir = sampleProject();
    const r = await cli(['release', 'chek'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown command 'chek'");
    expect(r.stderr).toMatch(/Did you mean check\?/);
    const r2 = await cli(['frobnicate'], dir);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toContain("unknown command 'frobnicate'");
  });

  it('a release folder that does not exist', async () => {
    const dir = sampleProject();
    const r = await cli(['release', 'check', 'releases/nope'], dir);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expectLine(r.stderr, 'releases/nope', 'error', 'AIMQ-RELEASE-NOT-FOUND');
    const b = await cli(['release', 'build', 'releases/nope'], dir);
    expect(b.status).toBe(2);
    expectLine(b.stderr, 'releases/nope', 'error', 'AIMQ-RELEASE-NOT-FOUND');
    expect(existsSync(join(dir, 'public'))).toBe(false);
  });

  it('no aimq.config.yaml (an empty folder)', async () => {
    const dir = tempDir();
    for (const args of [
      ['release', 'check'],
      ['release', 'build'],
      ['release', 'new', 'x', '--date', '2026-12-01', '--place', 'Québec'],
    ]) {
      const r = await cli(args, dir);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^error: no aimq\.config\.yaml in .* \[AIMQ-CONFIG-MISSING\]$/m);
      expect(r.stderr).toContain('aimq init');
    }
    expect(listFiles(dir)).toEqual([]);
  });

  it('a config with an unknown key: did you mean, with its line', async () => {
    const dir = sampleProject();
    editLines(dir, 'aimq.config.yaml', (l) => {
      expect(l[2]).toBe('organization:');
      l[2] = 'organisation:';
    });
    const r = await cli(['release', 'check'], dir);
    expect(r.status).toBe(2);
    const { line, hint } = expectLine(r.stderr, 'aimq.config.yaml:3:1', 'error', 'AIMQ-CONFIG-UNKNOWN');
    expect(line).toContain('"organisation"');
    expect(hint).toBe('did you mean "organization"?');
  });

  it('a config with a YAML syntax error, with its line', async () => {
    const dir = sampleProject();
    editLines(dir, 'aimq.config.yaml', (l) => {
      expect(l[6]).toBe('  shortName: AIMQ');
      l[6] = '  shortName: AIMQ: Québec';
    });
    const r = await cli(['release', 'build'], dir);
    expect(r.status).toBe(2);
    expectLine(r.stderr, 'aimq.config.yaml:7:14', 'error', 'AIMQ-CONFIG-YAML');
    expect(existsSync(join(dir, 'public'))).toBe(false);
  });

  it('an output folder that cannot be written (under a regular file)', async () => {
    const dir = sampleProject();
    writeFiles(dir, { somefile: 'not a folder\n' });
    const r = await cli(['release', 'build', '--out', 'somefile/public'], dir);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const { line } = expectLine(r.stderr, 'somefile/public', 'error', 'AIMQ-OUTPUT-UNWRITABLE');
    expect(line).toContain('somefile/public');
    expect(readText(dir, 'somefile')).toBe('not a folder\n');
  });

  it('aimq init in a folder that already has aimq.config.yaml', async () => {
    const dir = sampleProject();
    const before = readText(dir, 'aimq.config.yaml');
    const r = await cli(['init'], dir);
    expect(r.status).toBe(2);
    expectLine(r.stderr, 'aimq.config.yaml', 'error', 'AIMQ-EXISTS');
    expect(readText(dir, 'aimq.config.yaml')).toBe(before);
    expect(existsSync(join(dir, '.gitignore'))).toBe(false);
  });

  it('aimq init in a folder that has other files, without --force', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'notes.txt': 'x' });
    const r = await cli(['init'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\[AIMQ-EXISTS\]$/m);
    expect(listFiles(dir)).toEqual(['notes.txt']);
  });

  it('--now with garbage, or a date that does not exist', async () => {
    const dir = sampleProject();
    for (const now of ['garbage', '2026-02-30', '2026-12-01T25:00:00-05:00']) {
      const r = await cli(['release', 'build', '--now', now], dir);
      expect(r.status, now).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^error: --now: "${esc(now)}" .*\\[AIMQ-USAGE\\]$`, 'm'));
    }
    expect(existsSync(join(dir, 'public'))).toBe(false);
  });
});

describe('report formats', () => {
  function brokenProject(): { dir: string; typoLine: number } {
    const dir = sampleProject();
    editLines(dir, FR, (l) => {
      l[3] = 'date: 2026-02-30';
    });
    writeFileSync(join(dir, FR), `${readText(dir, FR)}\nLa séance commence à 9h30 au siège.\n`);
    return { dir, typoLine: lineOf(dir, FR, '9h30') };
  }

  it('--format json prints a parseable array of complete diagnostics', async () => {
    const { dir, typoLine } = brokenProject();
    const r = await cli(['release', 'check', '--format', 'json'], dir);
    expect(r.status).toBe(1);
    const parsed = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(Array.isArray(parsed)).toBe(true);
    for (const d of parsed)
      expect(Object.keys(d).sort()).toEqual([
        'code',
        'column',
        'file',
        'hint',
        'line',
        'message',
        'severity',
      ]);
    expect(parsed).toContainEqual({
      file: FR,
      line: 4,
      column: 7,
      severity: 'error',
      code: 'AIMQ-DATE',
      message: '"date": 2026-02-30 does not exist',
      hint: 'check the day and month',
    });
    expect(parsed).toContainEqual(
      expect.objectContaining({
        file: FR,
        line: typoLine,
        column: 22,
        severity: 'warning',
        code: 'AIMQ-TYPO-TIME',
      }),
    );
  });

  it('--format json on a clean project prints an empty array', async () => {
    const dir = sampleProject();
    // The sample's config has a placeholder postal address (AIMQ-PLACEHOLDER): give it a real one.
    const config = readText(dir, 'aimq.config.yaml').replace(
      /^ {2}postalAddress: .*$/m,
      '  postalAddress: "1 rue Exemple, Montréal (Québec)  H2X 1Y4"',
    );
    writeFileSync(join(dir, 'aimq.config.yaml'), config);
    const r = await cli(['release', 'check', '--format', 'json'], dir);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('--format github prints workflow commands', async () => {
    const { dir, typoLine } = brokenProject();
    const r = await cli(['release', 'check', '--format', 'github'], dir);
    expect(r.status).toBe(1);
    // The third: the sample config's placeholder postal address (AIMQ-PLACEHOLDER).
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBe(3);
    for (const l of lines)
      expect(l).toMatch(/^::(error|warning) file=[^,:]+,line=\d+,col=\d+(,title=[^:]+)?::.+$/);
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^::error file=${esc(FR)},line=4,col=7(,title=AIMQ-DATE)?::.*2026-02-30 does not exist`),
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^::warning file=${esc(FR)},line=${typoLine},col=22(,title=AIMQ-TYPO-TIME)?::.*9h30`),
      ),
    );
  });

  it('--format with an unknown value is a usage error', async () => {
    const r = await cli(['release', 'check', '--format', 'xml'], sampleProject());
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('xml');
  });
});

describe('warnings only: exit 0', () => {
  it('a French time written 9h30: AIMQ-TYPO-TIME at its line and column', async () => {
    const dir = sampleProject();
    writeFileSync(join(dir, FR), `${readText(dir, FR)}\nLa séance commence à 9h30 au siège.\n`);
    const line = lineOf(dir, FR, '9h30');
    const r = await cli(['release', 'check'], dir);
    expect(r.status).toBe(0);
    const { line: text, hint } = expectLine(r.stdout, `${FR}:${line}:22`, 'warning', 'AIMQ-TYPO-TIME');
    expect(text).toContain('9h30');
    expect(hint).toContain('9 h 30');
    // The second warning: the sample config's placeholder postal address.
    expect(r.stderr).toContain('0 errors, 2 warnings');
    // A warning does not stop the build.
    const b = await cli(['release', 'build'], dir);
    expect(b.status).toBe(0);
    expect(b.stdout).toBe(`public/${SAMPLE_FR_PAGE}\n`);
  });

  it('an amount in fr.md and not in en.md: an AIMQ-TRANSLATION-* warning', async () => {
    const dir = sampleProject();
    writeFileSync(join(dir, FR), `${readText(dir, FR)}\nLe budget est de 1 500 $.\n`);
    const line = lineOf(dir, FR, '1 500 $');
    const r = await cli(['release', 'check'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^${esc(FR)}:${line}:18 warning: .*1 500 \\$.*\\[AIMQ-TRANSLATION-[A-Z]+\\]$`, 'm'),
    );
    expect(r.stdout).not.toMatch(/ error: /);
  });
});

describe('init and release new', () => {
  it('aimq init <dir>, then release build and release check -C <dir>', async () => {
    const cwd = tempDir();
    const r = await cli(['init', 'proj'], cwd);
    expect(r.status).toBe(0);
    const proj = join(cwd, 'proj');
    for (const f of ['aimq.config.yaml', '.gitignore']) expect(existsSync(join(proj, f)), f).toBe(true);
    for (const d of ['releases', 'lists', 'templates']) expect(existsSync(join(proj, d)), d).toBe(true);
    expect(r.stdout.split('\n')).toContain(join('proj', 'aimq.config.yaml'));
    const b = await cli(['release', 'build', '-C', 'proj'], cwd);
    expect(b.status).toBe(0);
    const page = b.stdout.trim();
    expect(page).toMatch(/^public\/fr\/.+\/index\.html$/);
    expect(existsSync(join(proj, page))).toBe(true);
    const c = await cli(['release', 'check', '-C', 'proj'], cwd);
    expect(c.status).toBe(0);
    expect(c.stdout).not.toMatch(/ error: /);
    expect(c.stderr).toMatch(/1 release checked: 0 errors/);
  });

  it('release new creates both editions, which check and build', async () => {
    const dir = sampleProject();
    const r = await cli(['release', 'new', 'my-news', '--date', '2026-12-01', '--place', 'Québec'], dir);
    expect(r.status).toBe(0);
    const made = 'releases/2026-12-01-my-news';
    expect(r.stdout.trim().split('\n').sort()).toEqual([`${made}/en.md`, `${made}/fr.md`]);
    expect(readText(dir, `${made}/fr.md`)).toMatch(/^date: 2026-12-01$/m);
    expect(readText(dir, `${made}/fr.md`)).toMatch(/^place: Québec$/m);
    const c = await cli(['release', 'check'], dir);
    expect(c.status).toBe(0);
    expect(c.stdout).not.toMatch(/ error: /);
    const b = await cli(['release', 'build', '--now', '2026-12-01T12:00:00-05:00'], dir);
    expect(b.status).toBe(0);
    expect(b.stdout).toBe('public/fr/2026-12-01-my-news/index.html\n');
    expect(existsSync(join(dir, 'public/fr/2026-12-01-my-news/index.html'))).toBe(true);
  });

  it('release new with an invalid slug or a date that does not exist: exit 2, nothing created', async () => {
    const dir = sampleProject();
    const before = listFiles(join(dir, 'releases'));
    for (const args of [
      ['My_News', '--date', '2026-12-01'],
      ['nouvelle-présidente', '--date', '2026-12-01'],
      ['my-news', '--date', '2026-02-30'],
      ['my-news', '--date', '01/12/2026'],
    ]) {
      const r = await cli(['release', 'new', ...args], dir);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/\[AIMQ-USAGE\]$/m);
    }
    expect(listFiles(join(dir, 'releases'))).toEqual(before);
  });

  it('a second release new with the same slug and date: exit 2, files untouched', async () => {
    const dir = sampleProject();
    expect(
      (await cli(['release', 'new', 'my-news', '--date', '2026-12-01', '--place', 'Québec'], dir)).status,
    ).toBe(0);
    const fr = 'releases/2026-12-01-my-news/fr.md';
    writeFileSync(join(dir, fr), `${readText(dir, fr)}Texte déjà écrit.\n`);
    const edited = readText(dir, fr);
    const r = await cli(['release', 'new', 'my-news', '--date', '2026-12-01', '--place', 'Québec'], dir);
    expect(r.status).toBe(2);
    expectLine(r.stderr, 'releases/2026-12-01-my-news', 'error', 'AIMQ-EXISTS');
    expect(readText(dir, fr)).toBe(edited);
  });
});

describe('named release folders', () => {
  it('release build <dir> builds those releases only and prints their French pages', async () => {
    const dir = sampleProject();
    expect(
      (await cli(['release', 'new', 'autre', '--date', '2026-12-01', '--place', 'Québec'], dir)).status,
    ).toBe(0);
    const r = await cli(
      ['release', 'build', 'releases/2026-12-01-autre', '--now', '2026-12-02T12:00:00-05:00'],
      dir,
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('public/fr/2026-12-01-autre/index.html\n');
    expect(existsSync(join(dir, 'public/fr/2026-12-01-autre/index.html'))).toBe(true);
    expect(existsSync(join(dir, 'public', SAMPLE_FR_PAGE))).toBe(false);
  });
});

describe('-C <dir>', () => {
  it('works from another working folder, before or after the command', async () => {
    const dir = sampleProject();
    const elsewhere = tempDir();
    const c = await cli(['-C', dir, 'release', 'check'], elsewhere);
    expect(c.status).toBe(0);
    const b = await cli(['release', 'build', '-C', dir, '--now', '2026-11-28T12:00:00-05:00'], elsewhere);
    expect(b.status).toBe(0);
    expect(b.stdout).toBe(`public/${SAMPLE_FR_PAGE}\n`);
    expect(existsSync(join(dir, 'public', SAMPLE_FR_PAGE))).toBe(true);
    expect(listFiles(elsewhere)).toEqual([]);
  });

  it('finds the project from a subfolder, as git does', async () => {
    const dir = sampleProject();
    const r = await cli(['release', 'check'], join(dir, SAMPLE_DIR));
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('1 release checked');
  });

  it('a release folder named relative to -C', async () => {
    const dir = sampleProject();
    const r = await cli(['-C', dir, 'release', 'check', SAMPLE_DIR], tempDir());
    expect(r.status).toBe(0);
  });
});
