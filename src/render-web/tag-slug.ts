import { createHash } from 'node:crypto';

/**
 * The URL segment of a tag: ASCII, lower case, accents removed, words joined by hyphens
 * (« Infrastructures » → `infrastructures`, « Eau potable » → `eau-potable`). It depends on
 * the tag's text alone, so a tag page keeps its address from one build to the next. A tag
 * with no Latin letter or digit (« 水 ») gets a short digest of its text instead.
 */
export function tagSlug(tag: string): string {
  const ascii = tag
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[œŒ]/g, 'oe')
    .replace(/[æÆ]/g, 'ae')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return ascii || `t-${createHash('sha256').update(tag.normalize('NFC')).digest('hex').slice(0, 8)}`;
}
