import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { aimqIn } from '../helpers/cli-in.js';
import { type GeneratedRelease, newsroomProject, releaseFiles } from '../helpers/newsroom-project.js';
import { editLines, listFiles, mtimes, readText, writeFiles } from '../helpers/project.js';

const NOW = '2026-11-28T12:00:00-05:00';

/** What changed between two mtimes() of the output: new, rewritten and removed files. */
function changes(before: Record<string, number>, after: Record<string, number>) {
  return {
    added: Object.keys(after)
      .filter((f) => !(f in before))
      .sort(),
    rewritten: Object.keys(after)
      .filter((f) => f in before && before[f] !== after[f])
      .sort(),
    removed: Object.keys(before)
      .filter((f) => !(f in after))
      .sort(),
  };
}

describe('incremental builds of the newsroom’s archive', () => {
  let dir: string;
  let out: string;
  const build = async () => {
    const r = await aimqIn(['release', 'build', '--now', NOW], dir);
    expect(r.status, r.stderr).toBe(0);
  };

  beforeAll(async () => {
    ({ dir } = newsroomProject());
    out = join(dir, 'public');
    await build();
  });

  it('a second build with no change rewrites nothing', async () => {
    const before = mtimes(out);
    await build();
    expect(changes(before, mtimes(out))).toEqual({ added: [], rewritten: [], removed: [] });
  });

  it('a new release rewrites its year, its topics and their feeds, the indexes, feeds and sitemap: nothing else', async () => {
    const before = mtimes(out);
    const added: GeneratedRelease = {
      id: '2025-06-15-communique-nouveau',
      date: '2025-06-15',
      year: 2025,
      tags: ['Gouvernance'],
      frTitle: 'Communiqué nouveau',
      enTitle: 'New release',
      enSlug: '2025-06-15-new-release',
    };
    writeFiles(dir, releaseFiles(added));
    await build();
    const { added: made, rewritten, removed } = changes(before, mtimes(out));
    expect(removed).toEqual([]);
    // Its own files: pages, e-mail copies.
    expect(made.length).toBeGreaterThan(2);
    for (const f of made) expect(f.includes(added.id) || f.includes(added.enSlug!), f).toBe(true);
    expect(rewritten).toEqual(
      [
        'fr/index.html',
        'en/index.html',
        'fr/feed.xml',
        'en/feed.xml',
        'sitemap.xml',
        'fr/2025/index.html',
        'en/2025/index.html',
        'fr/sujets/gouvernance/index.html',
        'fr/sujets/gouvernance/feed.xml',
        'en/topics/governance/index.html',
        'en/topics/governance/feed.xml',
      ].sort(),
    );
    expect(readText(out, 'fr/2025/index.html')).toContain('Communiqué nouveau');
    expect(readText(out, 'en/topics/governance/feed.xml')).toContain('New release');
  });

  it('a new tag makes its topic pages; taking it away removes them', async () => {
    const id = listFiles(join(dir, 'releases')).find((f) => f.startsWith('2026-') && f.endsWith('/fr.md'))!;
    const file = `releases/${id}`;
    const original = readText(dir, file);
    editLines(dir, file, (lines) => {
      const i = lines.findIndex((l) => l.startsWith('summary:'));
      lines.splice(i + 1, 0, 'tags: [Énergie]');
      // A release with tags already has a tags: line after its summary; keep one.
      if (lines[i + 2]?.startsWith('tags:')) lines.splice(i + 2, 1);
    });
    await build();
    const files = listFiles(out);
    for (const f of [
      'fr/sujets/energie/index.html',
      'fr/sujets/energie/feed.xml',
      'en/topics/energie/index.html',
      'en/topics/energie/feed.xml',
    ])
      expect(files, f).toContain(f);
    expect(readText(out, 'en/topics/energie/index.html')).toContain('<h1>Topic: Énergie</h1>');
    writeFiles(dir, { [file]: original });
    await build();
    expect(listFiles(out).filter((f) => f.includes('energie'))).toEqual([]);
  });

  it('an output folder emptied by hand is filled again, archive included', async () => {
    rmSync(join(out, 'fr', '2024'), { recursive: true });
    await build();
    expect(listFiles(out)).toEqual(
      expect.arrayContaining(['fr/2024/index.html', 'fr/2024/page/2/index.html']),
    );
  });
});
