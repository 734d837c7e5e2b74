import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/cli/progress.js';
import type { Counts } from '../../src/outbox/outbox.js';

/**
 * The progress line counts what is sent against what is to be sent: a campaign of 5 rows,
 * one suppressed and one without valid consent, ends at "3/3 sent", not "3/5 sent", which
 * read as two messages lost.
 */

function counts(c: Partial<Counts>): Counts {
  return {
    pending: 0,
    claimed: 0,
    sending: 0,
    sent: 0,
    retry: 0,
    failed: 0,
    uncertain: 0,
    suppressed: 0,
    'no-consent': 0,
    cancelled: 0,
    ...c,
  } as Counts;
}

describe('the progress line of a send', () => {
  it('leaves rows that are not to be sent out of the total', () => {
    const lines: string[] = [];
    const p = new Progress(
      5,
      (l) => lines.push(l),
      false,
      () => 0,
    );
    p.update(() => counts({ sent: 3, suppressed: 1, 'no-consent': 1 }), true);
    expect(lines).toEqual(['3/3 sent · 0 failed · 3.0/s\n']);
  });

  it('keeps failed and uncertain rows in it: they were to be sent', () => {
    const lines: string[] = [];
    const p = new Progress(
      10,
      (l) => lines.push(l),
      false,
      () => 0,
      5000,
      { sent: 0 },
      'fr',
    );
    p.update(() => counts({ sent: 6, failed: 1, uncertain: 1, cancelled: 2 }), true);
    expect(lines).toEqual(['6/8 envoyés · 1 en échec · 1 incertain · 6,0/s\n']);
  });
});
