import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';

/**
 * #11.24: an error in a project's override of a partial names the override (the file the
 * adviser must fix) and its own line, not the packaged template that includes it.
 */

function withOverride(kind: 'web' | 'email', name: string, text: string): string {
  const dir = sampleProject();
  mkdirSync(join(dir, 'templates', kind), { recursive: true });
  writeFileSync(join(dir, 'templates', kind, name), text);
  return dir;
}

describe('an error in an overridden partial (#11.24)', () => {
  it.each([
    ['email', 'a render error', 'x\n<p>{{ contact.name }}</p>\n', 2],
    ['email', 'an unknown filter', 'x\n\n{{ c.name | nofilter }}\n', 3],
    ['email', 'a syntax error', 'x\n{% if %}\n', 2],
    ['web', 'an unknown filter', 'a\n{% if c %}{{ c.name | nofilter }}{% endif %}\n', 2],
    ['web', 'a syntax error', 'a\n{% if %}\n', 2],
  ] as const)(
    '%s partial with %s is reported at the override, its own line',
    async (kind, _what, text, line) => {
      const dir = withOverride(kind, 'contact.liquid', text);
      const r = await aimqIn(['release', 'build'], dir);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(
          `^templates/${kind}/contact\\.liquid:${line}:\\d+ error: template.*\\[AIMQ-TEMPLATE\\]`,
          'm',
        ),
      );
      // Neither the packaged parent nor LiquidJS's own "file:" suffix.
      expect(r.stderr).not.toMatch(/layout\.mjml|release\.liquid|file:\//);
    },
  );
});
