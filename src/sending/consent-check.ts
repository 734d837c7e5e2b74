import { parseTargets } from '../dispatch/plan.js';
import { AimqError } from '../errors/index.js';
import { consentOn, dayIn, noConsentReply, parseConsent } from '../lists/consent.js';
import { readList } from '../lists/read.js';
import type { Recipient } from '../lists/recipient.js';
import type { Campaign } from '../outbox/outbox.js';

/** The bases that can run out: the only ones worth keeping in memory during a send. */
const EXPIRING = new Set(['implied-relationship', 'implied-inquiry']);

/**
 * Checks each message's consent right before it leaves, against the lists as they are now:
 * a campaign planned on one day and resumed on a later one (or a long send across midnight)
 * must not send to an implied consent that expired in between. Returns the reason a row
 * is left out, or undefined. Holds only the recipients whose consent can expire. A list
 * that can no longer be read keeps the decision made when the campaign was planned.
 */
export async function consentGuard(
  campaign: Pick<Campaign, 'targets'>,
  root: string,
  timeZone: string,
  clock: () => number,
): Promise<(email: string) => string | undefined> {
  const expiring = new Map<string, Pick<Recipient, 'consent' | 'consentDate' | 'file' | 'line'>>();
  for (const shown of campaign.targets) {
    try {
      const [target] = parseTargets([shown], root, root);
      if (target?.kind !== 'list') continue;
      for await (const item of readList(target.value, target.shown)) {
        const r = item.recipient;
        if (!r || expiring.has(r.key)) continue;
        const basis = parseConsent(r.consent);
        if (basis && EXPIRING.has(basis))
          expiring.set(r.key, { consent: r.consent, consentDate: r.consentDate, file: r.file, line: r.line });
      }
    } catch (err) {
      if (!(err instanceof AimqError)) throw err;
    }
  }
  return (email) => {
    const r = expiring.get(email.trim().toLowerCase());
    if (!r) return undefined;
    const status = consentOn(r, dayIn(clock(), timeZone), timeZone);
    return status.kind === 'expired' ? noConsentReply(status, r) : undefined;
  };
}
