import { describe, expect, it } from 'vitest';
import { deliverySummary, deliverySummaryText, editionCounts, Progress } from '../../src/cli/progress.js';
import { DELIVERY_STATES, type Counts } from '../../src/outbox/types.js';

/** What a send prints as it goes and when it ends, in French and in English. */

const NBSP = '\u00a0';

function counts(partial: Partial<Counts>): Counts {
  return { ...(Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Counts), ...partial };
}

describe('a send’s summary', () => {
  it('is French with agreeing participles, OQLF spacing and « » around commands', () => {
    const result = {
      counts: counts({ sent: 1200, failed: 1, uncertain: 2, suppressed: 1 }),
      left: 0,
      stopped: false,
    };
    expect(deliverySummary(7, result, 'fr')).toBe(
      [
        `Campagne 7${NBSP}: 1${NBSP}200 envoyés, 1 en échec, 2 incertains, 1 exclu, 0 écarté.`,
        `Voir «${NBSP}aimq outbox show 7${NBSP}»${NBSP}; «${NBSP}aimq outbox retry --uncertain 7${NBSP}» renvoie les messages incertains.`,
      ].join('\n'),
    );
    expect(deliverySummary(7, result)).toBe(
      [
        'Campaign 7: 1200 sent, 1 failed, 2 uncertain, 1 suppressed, 0 skipped.',
        'See "aimq outbox show 7"; "aimq outbox retry --uncertain 7" resends the uncertain ones.',
      ].join('\n'),
    );
  });

  it('says what is left in both languages: stopped on request, waiting for a retry', () => {
    const stopped = { counts: counts({ sent: 3, pending: 5 }), left: 5, stopped: true };
    const text = deliverySummaryText(3, stopped);
    expect(text.fr).toContain(
      `, 5 pas encore envoyés.\nArrêté à votre demande${NBSP}: relancez la même commande pour envoyer les 5 messages restants.`,
    );
    expect(text.en).toContain(
      ', 5 not sent yet.\nStopped on request: run the same command again to send the 5 left.',
    );
    const waiting = deliverySummaryText(3, {
      counts: counts({ sent: 3, retry: 1 }),
      left: 1,
      stopped: false,
    });
    expect(waiting.fr).toContain(
      `1 message attend une nouvelle tentative${NBSP}: relancez la même commande plus tard.`,
    );
    expect(waiting.en).toContain('1 message(s) wait for a retry: run the same command again later.');
  });

  it('counts editions in each language', () => {
    expect(editionCounts({ fr: 1500, en: 2 }, 'fr')).toBe(`fr 1${NBSP}500, en 2`);
    expect(editionCounts({}, 'fr')).toBe('aucun');
    expect(editionCounts({ fr: 1500 })).toBe('fr 1,500');
    expect(editionCounts({})).toBe('none');
  });
});

describe('the progress line', () => {
  it('is French under French, English otherwise, with the same figures', () => {
    const lines = { fr: [] as string[], en: [] as string[] };
    for (const lang of ['fr', 'en'] as const) {
      let t = 0;
      const p = new Progress(
        10,
        (s) => lines[lang].push(s),
        false,
        () => t,
        5000,
        { sent: 0 },
        lang,
      );
      t = 2000;
      p.update(() => counts({ sent: 3, failed: 1, retry: 1, pending: 5 }), true);
    }
    expect(lines.fr).toEqual([`3/10 envoyés · 1 en échec · 1 à réessayer · 1,5/s · 4 s restantes\n`]);
    expect(lines.en).toEqual(['3/10 sent · 1 failed · 1 to retry · 1.5/s · 4 s left\n']);
  });
});
