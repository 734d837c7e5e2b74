import { describe, expect, it } from 'vitest';
import { listingPath, pageCount, topicListings, yearListings } from '../../src/render-web/archive.js';
import type { ReleaseEntry } from '../../src/render-web/list-item.js';

/** A release dated `date` with French and English pages and `tags`. */
function entry(id: string, date: string, tags: string[]): ReleaseEntry {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const epoch = Date.UTC(year, month - 1, day, 5);
  return {
    id,
    tags,
    pages: ['fr', 'en'].map((lang) => ({
      lang,
      path: `${lang}/${id}/index.html`,
      title: id,
      summary: '',
      day: { year, month, day },
      published: `${date}T00:00:00-05:00`,
      epoch,
      embargoed: false,
    })),
  };
}

// Newest first, as the site sorts them.
const ENTRIES = [
  entry('c', '2025-03-01', ['eau potable', 'Gouvernance']),
  entry('b', '2024-12-31', ['Eau potable']),
  entry('a', '2024-01-01', ['Eau Potable', 'Eau']),
];

describe('the archive’s listings', () => {
  it('group releases by calendar year, newest year first, keeping the order', () => {
    const years = yearListings(ENTRIES, ['fr', 'en']);
    expect(years.map((y) => [y.key, y.entries.map((e) => e.id)])).toEqual([
      ['2025', ['c']],
      ['2024', ['b', 'a']],
    ]);
    expect(listingPath(years[1]!, 'en', 1)).toBe('en/2024/index.html');
    expect(listingPath(years[1]!, 'fr', 3)).toBe('fr/2024/page/3/index.html');
  });

  it('make one topic of spellings with one slug, named as the oldest release wrote it', () => {
    const topics = topicListings(ENTRIES, { languages: ['fr', 'en'] });
    const water = topics.find((t) => t.key === 'eau-potable')!;
    expect(water.entries.map((e) => e.id)).toEqual(['c', 'b', 'a']);
    expect(water.label).toEqual({ fr: 'Eau Potable', en: 'Eau Potable' });
    expect(listingPath(water, 'fr')).toBe('fr/sujets/eau-potable/index.html');
    expect(listingPath(water, 'en', 2)).toBe('en/topics/eau-potable/page/2/index.html');
  });

  it('take a topic’s names from the config, and keep two topics with one translated name apart', () => {
    const topics = topicListings(ENTRIES, {
      languages: ['fr', 'en'],
      newsroom: {
        pageSize: 20,
        tags: [
          { fr: 'Eau potable', en: 'Water' },
          { fr: 'Eau', en: 'Water' },
          { fr: 'Gouvernance', en: 'Governance' },
        ],
      },
    });
    const bySlug = Object.fromEntries(topics.map((t) => [t.key, t]));
    expect(bySlug.gouvernance!.slug).toEqual({ fr: 'gouvernance', en: 'governance' });
    expect(bySlug.gouvernance!.label).toEqual({ fr: 'Gouvernance', en: 'Governance' });
    expect(bySlug['eau-potable']!.label.en).toBe('Water');
    const enPaths = topics.map((t) => listingPath(t, 'en'));
    expect(new Set(enPaths).size).toBe(enPaths.length);
    expect(bySlug.eau!.slug.en).toBe('water-eau');
    expect(bySlug['eau-potable']!.slug.en).toBe('water-eau-potable');
  });

  it('count pages of the page size, at least one', () => {
    const [year] = yearListings(ENTRIES.slice(1), ['fr']);
    expect(pageCount(year!, 1)).toBe(2);
    expect(pageCount(year!, 2)).toBe(1);
    expect(pageCount({ ...year!, entries: [] }, 20)).toBe(1);
  });
});
