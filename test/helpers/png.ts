import { inflateSync } from 'node:zlib';

/** A decoded PNG: `channels` bytes per pixel, row after row, no padding. */
export interface DecodedPng {
  width: number;
  height: number;
  /** 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
  channels: number;
  pixels: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 4: 2, 6: 4 };

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A minimal PNG decoder for tests: 8-bit greyscale, RGB, grey+alpha or RGBA, not
 * interlaced (what Chromium writes). Checks the signature and every chunk's CRC,
 * inflates the IDAT stream and undoes the per-row filters. Throws on anything else.
 */
export function decodePng(file: Buffer): DecodedPng {
  if (file.length < 8 || !file.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: bad signature');
  let offset = 8;
  let header:
    | { width: number; height: number; bitDepth: number; colorType: number; interlace: number }
    | undefined;
  const idat: Buffer[] = [];
  let ended = false;
  while (offset < file.length) {
    if (offset + 12 > file.length) throw new Error('truncated PNG chunk');
    const length = file.readUInt32BE(offset);
    const type = file.toString('latin1', offset + 4, offset + 8);
    const end = offset + 8 + length;
    if (end + 4 > file.length) throw new Error(`truncated PNG chunk ${type}`);
    const data = file.subarray(offset + 8, end);
    if (crc32(file.subarray(offset + 4, end)) !== file.readUInt32BE(end))
      throw new Error(`bad CRC in PNG chunk ${type}`);
    if (type === 'IHDR') {
      header = {
        width: data.readUInt32BE(0),
        height: data.readUInt32BE(4),
        bitDepth: data[8]!,
        colorType: data[9]!,
        interlace: data[12]!,
      };
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      ended = true;
      break;
    }
    offset = end + 4;
  }
  if (!header) throw new Error('PNG without IHDR');
  if (!ended) throw new Error('PNG without IEND');
  const { width, height, bitDepth, colorType, interlace } = header;
  const channels = CHANNELS[colorType];
  if (bitDepth !== 8 || channels === undefined)
    throw new Error(`unsupported PNG: bit depth ${bitDepth}, colour type ${colorType}`);
  if (interlace !== 0) throw new Error('unsupported PNG: interlaced');
  if (width === 0 || height === 0) throw new Error('PNG with no pixels');

  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length !== height * (stride + 1))
    throw new Error(`PNG data is ${raw.length} bytes, expected ${height * (stride + 1)}`);
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    const prev = row - stride;
    for (let x = 0; x < stride; x++) {
      const cur = raw[src + x]!;
      const a = x >= channels ? pixels[row + x - channels]! : 0;
      const b = y > 0 ? pixels[prev + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[prev + x - channels]! : 0;
      let value: number;
      switch (filter) {
        case 0:
          value = cur;
          break;
        case 1:
          value = cur + a;
          break;
        case 2:
          value = cur + b;
          break;
        case 3:
          value = cur + ((a + b) >> 1);
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          value = cur + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          throw new Error(`bad PNG filter ${filter} on row ${y}`);
      }
      pixels[row + x] = value & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/** Share of pixels (0 to 1) whose colour differs from the most common one: near 0 for a blank image. */
export function nonBackgroundShare(png: DecodedPng): number {
  const counts = new Map<number, number>();
  const total = png.width * png.height;
  for (let i = 0; i < total; i++) {
    let key = 0;
    for (let ch = 0; ch < png.channels; ch++) key = key * 256 + png.pixels[i * png.channels + ch]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const most = Math.max(...counts.values());
  return (total - most) / total;
}
