import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/schema/yaml.js';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import type { JsonDiagnostic as Diag } from '../helpers/diagnostic.js';
import { readText, SAMPLE_FR } from '../helpers/project.js';

/**
 * The common YAML mistakes are reported where they are (not at the line where the `yaml`
 * package gave up) and with their cause, in both languages.
 */
function firstError(yaml: string) {
  const { errors } = parseYaml(yaml);
  expect(errors.length, yaml).toBeGreaterThan(0);
  return errors[0]!;
}

describe('YAML mistakes: the real place and the real cause', () => {
  it('an unclosed [ or { is reported at the bracket, not at the next line', () => {
    const e = firstError('title: Un titre\ntags: [gouvernance, mission\nplace: Montréal\n');
    expect([e.line, e.column]).toEqual([2, 7]);
    expect(e.message).toEqual({
      fr: 'le "[" ouvert ici n’est jamais fermé par "]"',
      en: 'the "[" opened here is never closed with "]"',
    });
    const m = firstError('title: Un titre\nsubtitle: {unclosed\nplace: Montréal\n');
    expect([m.line, m.column]).toEqual([2, 11]);
    expect((m.message as { en: string }).en).toContain('never closed with "}"');
  });

  it('an unclosed quote is reported at the quote, not at the end of the file', () => {
    for (const q of ['"', "'"]) {
      const e = firstError(`title: ${q}Un titre\nplace: Montréal\nsummary: x\n`);
      expect([e.line, e.column], q).toEqual([1, 8]);
      expect((e.message as { fr: string }).fr).toBe(
        `le guillemet ${q} qui ouvre cette valeur n’est jamais fermé\u00a0: YAML lit les lignes suivantes comme la suite de la valeur`,
      );
    }
  });

  it("an apostrophe inside a value quoted with ' (L'AIMQ)", () => {
    const e = firstError("title: 'L'AIMQ annonce'\nplace: Montréal\n");
    expect([e.line, e.column]).toEqual([1, 11]);
    expect((e.message as { en: string }).en).toBe(
      `text follows the ' that closes the value: "AIMQ annonce'" is not part of it`,
    );
    expect((e.hint as { en: string }).en).toContain("double it ('L''AIMQ')");
  });

  it('a colon inside an unquoted value (title: Note: ceci)', () => {
    const e = firstError('title: Note: ceci\nplace: Montréal\n');
    expect([e.line, e.column]).toEqual([1, 8]);
    expect(e.message).toEqual({
      fr: 'la valeur "Note: ceci" contient ": " sans être entre guillemets\u00a0: YAML y voit une clé suivie de sa valeur',
      en: 'the value "Note: ceci" contains ": " without quotes: YAML reads it as a key and its value',
    });
  });

  it('a missing space after the colon (status:draft)', () => {
    const e = firstError('title: Un titre\nstatus:draft\nplace: Montréal\n');
    expect([e.line, e.column]).toEqual([2, 8]);
    expect((e.message as { en: string }).en).toBe(
      'a space is missing after "status:": without it, YAML sees no key',
    );
    expect((e.hint as { en: string }).en).toBe('write status: draft');
  });

  it('a tab for indentation', () => {
    const e = firstError('contacts:\n  - name: A\n\temail: a@example.org\n');
    expect([e.line, e.column]).toEqual([3, 1]);
    expect((e.message as { fr: string }).fr).toContain('tabulation');
  });

  it('a duplicate key names the line of the first one', () => {
    const e = firstError('title: Un titre\nplace: Montréal\ntitle: Un autre\n');
    expect([e.line, e.column]).toEqual([3, 1]);
    expect(e.message).toEqual({
      fr: 'les clés doivent être uniques\u00a0: "title" apparaît deux fois (d’abord à la ligne 1)',
      en: 'Map keys must be unique: "title" appears twice (first at line 1)',
    });
  });

  it('a list item indented less than the ones above it', () => {
    const e = firstError('tags:\n  - a\n - b\nplace: Montréal\n');
    expect([e.line, e.column]).toEqual([3, 2]);
    expect((e.message as { en: string }).en).toBe('this list item is not aligned with the items above it');
    expect(parseYaml('tags:\n  - a\n - b\n').errors).toHaveLength(1);
  });

  it('a list item indented more than the one above it is not silently glued to it', () => {
    const r = parseYaml('tags:\n  - gouvernance\n   - mission\nplace: Montréal\n');
    expect(r.data).toBeUndefined();
    expect([r.errors[0]!.line, r.errors[0]!.column]).toEqual([3, 4]);
    expect((r.errors[0]!.message as { en: string }).en).toContain(
      'YAML reads it as the rest of the value "gouvernance - mission"',
    );
  });

  it('a field of a list item out of line with the fields above it', () => {
    const e = firstError('contacts:\n  - name: A\n   email: a@example.org\n');
    expect([e.line, e.column]).toEqual([3, 4]);
    expect((e.message as { en: string }).en).toBe(
      'this line is aligned neither with the fields of the list item above it nor with its dash',
    );
  });

  it('a key indented more than the one above it is reported at its own line, once', () => {
    const r = parseYaml('title: Un titre\n  place: Montréal\n');
    expect(r.errors).toHaveLength(1);
    expect([r.errors[0]!.line, r.errors[0]!.column]).toEqual([2, 3]);
    expect((r.errors[0]!.message as { en: string }).en).toBe(
      'this line is indented more than the key "title" above it: YAML reads it as the rest of its value',
    );
  });

  it('a value that starts with a reserved character (@, `) names it, and the value to quote', () => {
    const e = firstError('title: Un titre\nsubtitle: @AIMQ sur les réseaux\n');
    expect([e.line, e.column]).toEqual([2, 11]);
    expect(e.message).toEqual({
      fr: 'une valeur sans guillemets ne peut pas commencer par "@" en YAML',
      en: 'a value without quotes cannot start with "@" in YAML',
    });
    expect((e.hint as { en: string }).en).toBe('quote the value: "@AIMQ sur les réseaux"');
  });

  it('a line that is not a field, and a list item under no key', () => {
    const text = firstError('title: Un titre\nCeci est une note\nplace: Montréal\n');
    expect([text.line, text.column]).toEqual([2, 1]);
    expect((text.message as { en: string }).en).toBe(
      'this line is not a "key: value" field: "Ceci est une note"',
    );
    const item = firstError('title: Un titre\n- gouvernance\n');
    expect([item.line, item.column]).toEqual([2, 1]);
    expect((item.message as { en: string }).en).toBe(
      'this list item is under no key: YAML cannot tell which field it belongs to',
    );
  });

  it('subtitle: {{name}} is an error (not a Node warning on stderr and a mapping)', () => {
    const e = firstError('subtitle: {{name}}\n');
    expect((e.hint as { en: string }).en).toBe('quote the value, e.g. subtitle: "{{name}}"');
  });
});

describe('through the CLI: front matter and aimq.config.yaml', () => {
  it('front matter: the line of the [ and the cause, in French', async () => {
    const dir = sampleProject();
    writeFileSync(
      join(dir, SAMPLE_FR),
      readText(dir, SAMPLE_FR).replace(/^tags: .*$/m, 'tags: [gouvernance, mission'),
    );
    const line = readText(dir, SAMPLE_FR).split('\n').indexOf('tags: [gouvernance, mission') + 1;
    const r = await aimqIn(['release', 'check', '--format', 'json'], dir, { AIMQ_LANG: 'fr' });
    expect(r.status).toBe(1);
    const d = (JSON.parse(r.stdout) as Diag[]).find((x) => x.code === 'AIMQ-YAML')!;
    expect([d.file, d.line, d.column]).toEqual([SAMPLE_FR, line, 7]);
    expect(d.message).toBe('le "[" ouvert ici n’est jamais fermé par "]"');
  });

  it('aimq.config.yaml: a colon in an unquoted value, at its line', async () => {
    const dir = sampleProject();
    const text = readText(dir, 'aimq.config.yaml');
    writeFileSync(
      join(dir, 'aimq.config.yaml'),
      text.replace(/^ {2}shortName: .*$/m, '  shortName: AIMQ: Québec'),
    );
    const line = text.split('\n').findIndex((l) => l.startsWith('  shortName:')) + 1;
    const r = await aimqIn(['release', 'check'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `aimq.config.yaml:${line}:14 error: the value "AIMQ: Québec" contains ": " without quotes: YAML reads it as a key and its value [AIMQ-CONFIG-YAML]`,
    );
  });
});
