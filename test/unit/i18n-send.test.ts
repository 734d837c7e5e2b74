import { describe, expect, it } from 'vitest';
import { localTime } from '../../src/cli/local-time.js';
import { deliverySummary, editionCounts, Progress } from '../../src/cli/progress.js';
import { inLang } from '../../src/i18n/text.js';
import { type Counts, DELIVERY_STATES } from '../../src/outbox/outbox.js';

/**
 * The lines a send prints while it runs and when it ends, in both languages: the progress
 * line (its clock passed in), the summary with what to do next, the counts per edition and
 * the local time as each language writes it.
 */

const NBSP = '\u00a0';

function counts(values: Partial<Counts>): Counts {
  return { ...Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])), ...values } as Counts;
}

describe('the summary of a send', () => {
  it('says what was sent and what to do next, in French and in English, plurals by language', () => {
    const s = deliverySummary(7, {
      counts: counts({ sent: 1250, failed: 1, uncertain: 2, suppressed: 0, cancelled: 3 }),
      left: 1,
      stopped: false,
    });
    expect(s.fr.split('\n')).toEqual([
      `Campagne 7${NBSP}: 1${NBSP}250 envoyés, 1 en échec, 2 incertains, 0 exclu, 3 ignorés, 1 pas encore envoyé.`,
      `1 message attend une nouvelle tentative${NBSP}: relancez la même commande plus tard.`,
      `Voyez "aimq outbox show 7"${NBSP}; "aimq outbox retry --uncertain 7" renvoie les messages incertains.`,
    ]);
    expect(s.en.split('\n')).toEqual([
      'Campaign 7: 1250 sent, 1 failed, 2 uncertain, 0 suppressed, 3 skipped, 1 not sent yet.',
      '1 message(s) wait for a retry: run the same command again later.',
      'See "aimq outbox show 7"; "aimq outbox retry --uncertain 7" resends the uncertain ones.',
    ]);
  });

  it('an aborted send gives its reason in the reader’s language', () => {
    const s = deliverySummary(2, {
      counts: counts({ sent: 3 }),
      left: 5,
      stopped: false,
      aborted: { fr: 'le serveur SMTP est resté injoignable', en: 'the SMTP server could not be reached' },
    });
    expect(inLang(s, 'fr').split('\n')[1]).toBe(`Arrêté${NBSP}: le serveur SMTP est resté injoignable`);
    expect(inLang(s, 'en').split('\n')[1]).toBe('Stopped: the SMTP server could not be reached');
  });

  it('counts per edition, and « aucun » / none without any', () => {
    expect(editionCounts({ fr: 1200, bilingual: 2 })).toEqual({
      fr: `fr 1${NBSP}200, bilingual 2`,
      en: 'fr 1,200, bilingual 2',
    });
    expect(editionCounts({})).toEqual({ fr: 'aucun', en: 'none' });
  });
});

describe('the progress line', () => {
  it('is French with French numbers when the reader is French, English as before otherwise', () => {
    for (const [lang, expected] of [
      [
        'fr',
        `1${NBSP}000/3${NBSP}000 envoyés · 2 en échec · 1 incertain · 4 à réessayer · 100,0/s · encore 20 s`,
      ],
      ['en', '1000/3000 sent · 2 failed · 1 uncertain · 4 to retry · 100.0/s · 20 s left'],
    ] as const) {
      let t = 0;
      const lines: string[] = [];
      const p = new Progress(
        3000,
        (l) => lines.push(l),
        false,
        () => t,
        5000,
        { sent: 0 },
        lang,
      );
      t = 10_000;
      p.update(() => counts({ sent: 1000, failed: 2, uncertain: 1, retry: 4 }));
      expect(lines).toEqual([`${expected}\n`]);
    }
  });
});

describe('local times', () => {
  it('French writes the hour as the OQLF does, English as ISO', () => {
    const at = Date.parse('2026-12-01T14:30:00-05:00');
    expect(localTime(at, 'America/Toronto', 'fr')).toBe(`2026-12-01 14${NBSP}h${NBSP}30 (-05:00)`);
    expect(localTime(at, 'America/Toronto')).toBe('2026-12-01 14:30 (-05:00)');
    expect(localTime(Date.parse('2026-07-01T09:05:00-04:00'), 'America/Toronto', 'fr')).toBe(
      `2026-07-01 9${NBSP}h${NBSP}05 (-04:00)`,
    );
  });
});
