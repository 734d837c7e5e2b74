import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.js';
import { scan, sourceFiles } from '../helpers/i18n-scan.js';

/**
 * Everything aimq prints exists in French and in English: a message written in one language
 * only — an error, a diagnostic, a hint, a line a command prints, a command's help — fails
 * here with its file and line, and so does a French text with English spacing.
 */
describe('every message in both languages', () => {
  it('has no message in one language only, and French spacing in every French one', () => {
    const findings = scan(REPO, sourceFiles(join(REPO, 'src')));
    expect(findings.map((f) => `${f.file}:${f.line} ${f.problem}: ${f.excerpt}`)).toEqual([]);
  });
});
