import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleProject, tempDir } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';

/** commander's own words and checks, in French and English. */
describe('the CLI', () => {
  it('dispatch --once --watch is a usage error (exit 2), worded in the user’s language', async () => {
    const dir = sampleProject();
    const fr = await aimqIn(['dispatch', '--once', '--watch'], dir, { AIMQ_LANG: 'fr' });
    expect(fr.status).toBe(2);
    expect(fr.stderr).toBe(
      'erreur\u00a0: l’option «\u00a0--once\u00a0» ne va pas avec l’option «\u00a0--watch\u00a0»\n',
    );
    const en = await aimqIn(['dispatch', '--watch', '--once'], dir, { AIMQ_LANG: 'en' });
    expect(en.status).toBe(2);
    expect(en.stderr).toContain("error: option '--once' cannot be used with option '--watch'");
  });

  it('build --preview without a browser says why in French, in the log and in the gallery', async () => {
    const dir = sampleProject();
    const r = await aimqIn(['release', 'build', '--preview', '--out', 'public'], dir, {
      AIMQ_LANG: 'fr',
      AIMQ_CHROME: '/nonexistent',
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(
      'Aucune capture d’écran\u00a0: AIMQ_CHROME désigne /nonexistent, qui n’est pas un fichier exécutable.',
    );
    expect(r.stderr).not.toContain('which is not');
    const gallery = readFileSync(join(dir, 'public', '_preview', 'index.html'), 'utf8');
    expect(gallery).toContain('Pas de captures d’écran\u00a0: AIMQ_CHROME désigne /nonexistent');
  });

  it('aimq help <unknown> is an unknown command (exit 2), not the general help with exit 0', async () => {
    const dir = sampleProject();
    const fr = await aimqIn(['release', 'help', 'bild'], dir, { AIMQ_LANG: 'fr' });
    expect(fr.status).toBe(2);
    expect(fr.stdout).toBe('');
    expect(fr.stderr).toBe('erreur\u00a0: commande inconnue «\u00a0bild\u00a0»\n');
    const en = await aimqIn(['help', 'nope'], dir, { AIMQ_LANG: 'en' });
    expect(en.status).toBe(2);
    expect(en.stderr).toBe("error: unknown command 'nope'\n");
    // A known one still shows its help.
    const known = await aimqIn(['release', 'help', 'build'], dir, { AIMQ_LANG: 'en' });
    expect(known.status).toBe(0);
    expect(known.stdout).toMatch(/^Usage: aimq release build /);
    expect((await aimqIn(['help', 'help'], dir, { AIMQ_LANG: 'en' })).status).toBe(0);
  });

  it('a new project’s starter contact is said to come from aimq init, not only from release new', async () => {
    const dir = tempDir();
    expect((await aimqIn(['init', 'p'], dir)).status).toBe(0);
    const r = await aimqIn(['-C', 'p', 'release', 'check', '--format', 'json'], dir, { AIMQ_LANG: 'fr' });
    const starter = (JSON.parse(r.stdout) as { code: string; message: string }[]).filter(
      (d) => d.code === 'AIMQ-PLACEHOLDER' && d.message.includes('communications@aimq.net'),
    );
    expect(starter.length).toBeGreaterThan(0);
    for (const d of starter)
      expect(d.message).toContain('laissée par aimq init ou copiée par aimq release new');
  });
});
