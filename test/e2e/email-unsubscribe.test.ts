import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aimq, sampleProject } from '../helpers/cli.js';
import { SAMPLE_DIR, tagsOf } from '../helpers/project.js';

/**
 * unsubscribe.url through the real bin/aimq.js: an http or malformed address stops every
 * command with the config file and line (exit 2); an accented one reaches the message's
 * header and footer percent-encoded.
 */

const NOW = '2026-11-28T12:00:00-05:00';

function projectWithUrl(url: string): string {
  const dir = sampleProject();
  const config = join(dir, 'aimq.config.yaml');
  const text = readFileSync(config, 'utf8');
  writeFileSync(
    config,
    text.replace(
      '    mailto: communications@aimq.net',
      `    mailto: communications@aimq.net\n    url: ${url}`,
    ),
  );
  return dir;
}

function lineOfUrl(dir: string): number {
  return (
    readFileSync(join(dir, 'aimq.config.yaml'), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('    url: ')) + 1
  );
}

describe('unsubscribe.url', () => {
  it.each(['http://www.aimq.net/desabonnement', 'https://www.aimq.net/<desabonnement>'])(
    '%s: exit 2 from export, naming aimq.config.yaml and the line',
    (url) => {
      const dir = projectWithUrl(url);
      const r = aimq(['release', 'export', SAMPLE_DIR, '--format', 'eml', '--now', NOW], dir);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`aimq.config.yaml:${lineOfUrl(dir)}:`);
      expect(r.stderr).toContain('[AIMQ-CONFIG-FIELD]');
      expect(r.stderr).not.toMatch(/^ {4}at /m);
    },
  );

  it('an accented https URL: percent-encoded in List-Unsubscribe and the footer link, with One-Click', () => {
    const dir = projectWithUrl('https://www.aimq.net/désabonnement');
    const encoded = 'https://www.aimq.net/d%C3%A9sabonnement';
    const eml = aimq(
      ['release', 'export', SAMPLE_DIR, '--format', 'eml', '--edition', 'fr', '--now', NOW],
      dir,
    );
    expect(eml.status, eml.stderr).toBe(0);
    const head = eml.stdout.split('\r\n\r\n')[0]!.replace(/\r\n[ \t]+/g, ' ');
    expect(head).toMatch(
      new RegExp(`^List-Unsubscribe: <mailto:[^>]+>, <${encoded.replace(/[.?]/g, '\\$&')}>$`, 'm'),
    );
    expect(head).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    expect(head).not.toMatch(/^List-Unsubscribe:.*=\?/m);
    const html = aimq(
      ['release', 'export', SAMPLE_DIR, '--format', 'html', '--edition', 'fr', '--now', NOW],
      dir,
    );
    expect(html.status, html.stderr).toBe(0);
    expect(tagsOf(html.stdout, 'a').map((a) => a.href)).toContain(encoded);
  });
});
