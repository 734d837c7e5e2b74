import { describe, expect, it } from 'vitest';
import { asErrLine } from '../../src/cli/main.js';
import { deliverySummary, Progress, progressWatch } from '../../src/cli/progress.js';
import { inLang } from '../../src/i18n/text.js';
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

describe('the summary of a send stopped by the SMTP server', () => {
  it('says how to go on with what is left, in both languages', () => {
    const s = deliverySummary(4, {
      counts: counts({ pending: 2 }),
      left: 2,
      stopped: false,
      aborted: { fr: 'ESOCKET: connect ECONNREFUSED', en: 'ESOCKET: connect ECONNREFUSED' },
    });
    expect(inLang(s, 'en').split('\n').slice(1)).toEqual([
      'Stopped: ESOCKET: connect ECONNREFUSED',
      'Check the SMTP server and its settings (aimq smtp verify), then run the same command again to send the 2 left.',
    ]);
    expect(inLang(s, 'fr').split('\n')[2]).toBe(
      'Vérifiez le serveur SMTP et ses réglages (aimq smtp verify), puis relancez la même commande pour envoyer les 2 restants.',
    );
  });

  it('adds nothing when nothing is left', () => {
    const s = deliverySummary(4, {
      counts: counts({ sent: 2 }),
      left: 0,
      stopped: false,
      aborted: { fr: 'x', en: 'x' },
    });
    expect(inLang(s, 'en').split('\n')).toHaveLength(2);
  });
});

describe('the progress bar on a terminal', () => {
  it('ends its line when the send is done, so that the summary starts a line of its own', () => {
    const out: string[] = [];
    // What the CLI's standard error does with each text (main.ts).
    const io = { stderr: (t: string) => out.push(asErrLine(t)), isTTY: true, lang: 'en' as const };
    const progress = progressWatch(io)(2, counts({}));
    progress.update(() => counts({ pending: 2 }));
    progress.update(() => counts({ sent: 2 }), true);
    io.stderr('Campaign 1: 2 sent, 0 failed, 0 uncertain, 0 suppressed, 0 skipped.');
    const lines = out.join('').split('\n');
    expect(lines.at(-2)).toBe('Campaign 1: 2 sent, 0 failed, 0 uncertain, 0 suppressed, 0 skipped.');
    expect(lines.at(-3)).toMatch(/\[#{24}\] 2\/2 sent · 0 failed · [\d.]+\/s/);
    expect(lines.at(-3)!.endsWith('\u001b[K')).toBe(true);
  });

  it('still prints one plain line per update elsewhere', () => {
    const out: string[] = [];
    const io = { stderr: (t: string) => out.push(asErrLine(t)), isTTY: false, lang: 'en' as const };
    progressWatch(io)(2, counts({})).update(() => counts({ sent: 2 }), true);
    expect(out.join('')).toMatch(/^2\/2 sent · 0 failed · [\d.]+\/s\n$/);
  });
});
