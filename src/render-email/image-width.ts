import { readFileSync } from 'node:fs';

/**
 * The width in pixels of a PNG, GIF or JPEG file, from its header; undefined for another
 * format, an unreadable file or a damaged header. Outlook for Windows ignores CSS
 * `max-width` and shows an image at this width unless the `<img>` says otherwise.
 */
export function imageWidth(file: string): number | undefined {
  let b: Buffer;
  try {
    b = readFileSync(file);
  } catch {
    return undefined;
  }
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.toString('latin1', 12, 16) === 'IHDR')
    return positive(b.readUInt32BE(16));
  if (b.length >= 10 && b.toString('latin1', 0, 4) === 'GIF8') return positive(b.readUInt16LE(6));
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return undefined;
      const marker = b[i + 1]!;
      // Fill bytes, and markers without a length (RSTn, TEM).
      if (marker === 0xff) {
        i++;
        continue;
      }
      if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
        i += 2;
        continue;
      }
      // Start of frame (SOF0-SOF15 but DHT 0xC4, JPG 0xC8, DAC 0xCC): height, then width.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
        return positive(b.readUInt16BE(i + 7));
      i += 2 + b.readUInt16BE(i + 2);
    }
  }
  return undefined;
}

const positive = (n: number) => (n > 0 ? n : undefined);
