import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { diffPngs } from '../../src/preview/pixel-diff.js';
import { tempDir } from '../helpers/cli.js';

/** A white PNG of `width` × `height` with black rectangles [x, y, w, h], written to a file. */
function picture(dir: string, name: string, width: number, height: number, rects: number[][] = []): string {
  const png = new PNG({ width, height });
  png.data.fill(255);
  for (const [x, y, w, h] of rects)
    for (let j = y!; j < y! + h!; j++)
      for (let i = x!; i < x! + w!; i++) {
        const o = (j * width + i) * 4;
        png.data[o] = 0;
        png.data[o + 1] = 0;
        png.data[o + 2] = 0;
      }
  const file = join(dir, name);
  writeFileSync(file, PNG.sync.write(png));
  return file;
}

function pixel(png: PNG, x: number, y: number): number[] {
  const o = (y * png.width + x) * 4;
  return [...png.data.subarray(o, o + 3)];
}

describe('diffPngs', () => {
  it('counts the changed pixels, frames them, and writes the difference image', () => {
    const dir = tempDir();
    const a = picture(dir, 'a.png', 100, 80, [[10, 10, 5, 5]]);
    const b = picture(dir, 'b.png', 100, 80, [
      [10, 10, 5, 5],
      [50, 40, 10, 4],
    ]);
    const out = join(dir, 'diff.png');
    const d = diffPngs(a, b, out);
    expect(d.changed).toBe(40);
    expect(d.box).toEqual({ x: 50, y: 40, width: 10, height: 4 });
    const diff = PNG.sync.read(readFileSync(out));
    expect([diff.width, diff.height]).toEqual([100, 80]);
    expect(pixel(diff, 55, 42)).toEqual([255, 0, 0]);
    // The frame, 6 px outside the box, 3 px wide.
    expect(pixel(diff, 44, 42)).toEqual([0, 90, 255]);
    expect(pixel(diff, 55, 34)).toEqual([0, 90, 255]);
    expect(pixel(diff, 20, 70)).not.toEqual([0, 90, 255]);
  });

  it('pads the shorter image with white: a longer page counts its new lines as changed', () => {
    const dir = tempDir();
    const a = picture(dir, 'a.png', 60, 50);
    const b = picture(dir, 'b.png', 60, 70, [[0, 60, 60, 5]]);
    const d = diffPngs(a, b, join(dir, 'diff.png'));
    expect([d.width, d.height]).toEqual([60, 70]);
    expect(d.changed).toBe(300);
    expect(d.box).toEqual({ x: 0, y: 60, width: 60, height: 5 });
    // White added below a white page is no change.
    const c = picture(dir, 'c.png', 60, 70);
    expect(diffPngs(a, c, join(dir, 'none.png')).changed).toBe(0);
    expect(existsSync(join(dir, 'none.png'))).toBe(false);
  });

  it('the same picture: nothing changed, no image written', () => {
    const dir = tempDir();
    const a = picture(dir, 'a.png', 40, 30, [[5, 5, 10, 10]]);
    const b = picture(dir, 'b.png', 40, 30, [[5, 5, 10, 10]]);
    const d = diffPngs(a, b, join(dir, 'diff.png'));
    expect(d).toEqual({ changed: 0, width: 40, height: 30 });
    expect(existsSync(join(dir, 'diff.png'))).toBe(false);
  });
});
