import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

/** Colour pixelmatch paints a changed pixel with; the faded original it draws under it is grey, never this. */
const DIFF_COLOR: [number, number, number] = [255, 0, 0];
/** Colour of the frame drawn around the changed area. */
const BOX_COLOR: [number, number, number] = [0, 90, 255];
const BOX_LINE = 3;
const BOX_MARGIN = 6;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PixelDiff {
  /** Pixels that differ (anti-aliasing left out), on the padded size. */
  changed: number;
  width: number;
  height: number;
  /** The smallest rectangle holding every changed pixel; undefined when none changed. */
  box?: Box;
}

/**
 * Compares two PNG screenshots with pixelmatch. Shots of different sizes (a page grew)
 * are padded with white at the right and bottom to the larger size first, so added or
 * removed lines count as changes. When `diffFile` is given and pixels changed, writes the
 * difference image there: the after image faded, changed pixels in red, and a blue frame
 * around the changed area.
 */
export function diffPngs(beforeFile: string, afterFile: string, diffFile?: string): PixelDiff {
  const beforeBytes = readFileSync(beforeFile);
  const afterBytes = readFileSync(afterFile);
  // Screenshots are deterministic: the same bytes are the same picture, and decoding two
  // tall PNGs in JavaScript is most of a comparison's cost.
  if (beforeBytes.equals(afterBytes)) {
    const view = new DataView(afterBytes.buffer, afterBytes.byteOffset, afterBytes.byteLength);
    return { changed: 0, width: view.getUint32(16), height: view.getUint32(20) };
  }
  const before = PNG.sync.read(beforeBytes);
  const after = PNG.sync.read(afterBytes);
  const width = Math.max(before.width, after.width);
  const height = Math.max(before.height, after.height);
  const a = padded(before, width, height);
  const b = padded(after, width, height);
  const out = new PNG({ width, height });
  const changed = pixelmatch(a, b, out.data, width, height, { threshold: 0.1, diffColor: DIFF_COLOR });
  if (!changed) return { changed, width, height };
  const box = changedArea(out.data, width, height);
  if (diffFile !== undefined) {
    drawFrame(out.data, width, height, box);
    mkdirSync(dirname(diffFile), { recursive: true });
    // The "Sub" filter only: pngjs otherwise tries five filters on every row, which made
    // writing a tall difference image cost more than computing it.
    writeFileSync(diffFile, PNG.sync.write(out, { colorType: 6, filterType: 1 }));
  }
  return { changed, width, height, box };
}

/** RGBA pixels of `png` on a white canvas of `width` × `height`. */
function padded(png: PNG, width: number, height: number): Uint8Array {
  if (png.width === width && png.height === height) return png.data;
  const data = new Uint8Array(width * height * 4).fill(255);
  for (let y = 0; y < png.height; y++) {
    const row = png.data.subarray(y * png.width * 4, (y + 1) * png.width * 4);
    data.set(row, y * width * 4);
  }
  return data;
}

function changedArea(data: Uint8Array, width: number, height: number): Box {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      if (data[i] === DIFF_COLOR[0] && data[i + 1] === DIFF_COLOR[1] && data[i + 2] === DIFF_COLOR[2]) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

function drawFrame(data: Uint8Array, width: number, height: number, box: Box): void {
  const left = Math.max(0, box.x - BOX_MARGIN);
  const top = Math.max(0, box.y - BOX_MARGIN);
  const right = Math.min(width - 1, box.x + box.width - 1 + BOX_MARGIN);
  const bottom = Math.min(height - 1, box.y + box.height - 1 + BOX_MARGIN);
  const paint = (x: number, y: number) => {
    const i = (y * width + x) * 4;
    data[i] = BOX_COLOR[0];
    data[i + 1] = BOX_COLOR[1];
    data[i + 2] = BOX_COLOR[2];
    data[i + 3] = 255;
  };
  for (let t = 0; t < BOX_LINE; t++) {
    for (let x = left; x <= right; x++) {
      if (top + t <= bottom) paint(x, top + t);
      if (bottom - t >= top) paint(x, bottom - t);
    }
    for (let y = top; y <= bottom; y++) {
      if (left + t <= right) paint(left + t, y);
      if (right - t >= left) paint(right - t, y);
    }
  }
}
