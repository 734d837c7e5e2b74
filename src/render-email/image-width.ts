import { closeSync, openSync, readSync } from 'node:fs';
import { imageSize } from 'image-size';

/** The formats e-mail programs show, Outlook for Windows included. */
const EMAIL_FORMATS = new Set(['png', 'gif', 'jpg']);

/** As much of a file as image-size's own file reader looks at: the header, not a 5 MB photo. */
const HEAD_BYTES = 512 * 1024;

/**
 * The width in pixels at which a PNG, GIF or JPEG file shows (a JPEG turned by its EXIF
 * orientation shows its height across); undefined for another format, an unreadable file or
 * a damaged header. Outlook for Windows ignores CSS `max-width` and shows an image at this
 * width unless the `<img>` says otherwise.
 */
export function imageWidth(file: string): number | undefined {
  try {
    const size = imageSize(head(file));
    if (!size.type || !EMAIL_FORMATS.has(size.type)) return undefined;
    const width = (size.orientation ?? 1) >= 5 ? size.height : size.width;
    return width !== undefined && width > 0 ? width : undefined;
  } catch {
    return undefined;
  }
}

function head(file: string): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    return buffer.subarray(0, readSync(fd, buffer, 0, HEAD_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}
