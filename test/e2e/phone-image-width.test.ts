import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sampleProject } from '../helpers/cli.js';
import { aimqIn } from '../helpers/cli-in.js';
import { SAMPLE_DIR, SAMPLE_EN, SAMPLE_FR, SAMPLE_ID } from '../helpers/project.js';

/** Body images carry a width Outlook for Windows obeys (it ignores CSS max-width). */

const NOW = '2026-11-28T12:00:00-05:00';

/** A real grey PNG of `width`×`height`. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width, 0x80)]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

/** A baseline JPEG's header: SOI, a JFIF APP0 segment, then SOF0 with 8 bits, 300 high, 480 wide. */
const JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
  0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0x2c, 0x01, 0xe0, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01,
  0x03, 0x11, 0x01, 0xff, 0xd9,
]);

describe('an image in the body of an e-mail edition', () => {
  it('gets the width of its file, at most the 552 px text column', async () => {
    const dir = sampleProject();
    writeFileSync(join(dir, SAMPLE_DIR, 'grande photo.png'), png(1600, 20));
    writeFileSync(join(dir, SAMPLE_DIR, 'icone.png'), png(64, 64));
    writeFileSync(join(dir, SAMPLE_DIR, 'carte.jpg'), JPEG);
    const images = (alt: string) =>
      `\n![${alt} 1](grande%20photo.png)\n\n![${alt} 2](icone.png)\n\n![${alt} 3](carte.jpg)\n\n![${alt} 4](https://www.example.org/x.png)\n`;
    appendFileSync(join(dir, SAMPLE_FR), images('Image'));
    appendFileSync(join(dir, SAMPLE_EN), images('Picture'));
    for (const embed of [[], ['--embed-images']]) {
      const r = await aimqIn(
        [
          'release',
          'export',
          SAMPLE_DIR,
          '--format',
          'html',
          '--edition',
          'fr',
          '--out',
          'out/',
          '--now',
          NOW,
          ...embed,
        ],
        dir,
      );
      expect(r.status, r.stderr).toBe(0);
      const html = readFileSync(join(dir, 'out', `${SAMPLE_ID}.fr.html`), 'utf8');
      const widths = [...html.matchAll(/<img src="[^"]*" alt="Image (\d)"( width="(\d+)")?/g)].map((m) => [
        m[1],
        m[3],
      ]);
      expect(widths, embed.join('')).toEqual([
        ['1', '552'],
        ['2', '64'],
        ['3', '480'],
        // A remote image's size is not known: no width, as before.
        ['4', undefined],
      ]);
    }
  });
});
