import { formatCalendarDate } from '../time/zoned.js';
import { addDays, BASIS_LABEL, consentOn, dayIn } from './consent.js';
import type { Recipient } from './recipient.js';

/** A recipient whose consent has expired, or expires soon. */
export interface ConsentFinding {
  file: string;
  line: number;
  email: string;
  /** How the basis is described: `implied consent (inquiry, 6 months)`. */
  basis: string;
  consentDate: string;
  /** The first day it no longer covers; null when an implied basis has no date to count from. */
  expiredOn: string | null;
  /** The consent date is after the day of the check: a typo, counted as expired. */
  future?: true;
}

/** How many days ahead `aimq lists check` warns of consent about to expire. */
export const EXPIRING_WITHIN_DAYS = 30;

/**
 * What `aimq lists check` says about consent, recipient by recipient as the list streams:
 * consents expired on `now`'s day, those expiring within 30 days, and how many lines record
 * no basis.
 */
export function consentReport(now: number, timeZone: string) {
  const today = dayIn(now, timeZone);
  const horizon = addDays(today, EXPIRING_WITHIN_DAYS);
  const expired: ConsentFinding[] = [];
  const expiring: ConsentFinding[] = [];
  let unrecorded = 0;
  return {
    checkedOn: formatCalendarDate(today),
    expired,
    expiring,
    get unrecorded() {
      return unrecorded;
    },
    add(r: Recipient): void {
      const status = consentOn(r, today, timeZone);
      if (status.kind === 'unrecorded') {
        unrecorded++;
        return;
      }
      const finding = (expiredOn: string | undefined, basis: keyof typeof BASIS_LABEL): ConsentFinding => ({
        file: r.file,
        line: r.line,
        email: r.email,
        basis: BASIS_LABEL[basis],
        consentDate: r.consentDate,
        expiredOn: expiredOn ?? null,
      });
      if (status.kind === 'expired')
        expired.push({ ...finding(status.expiredOn, status.basis), ...(status.future && { future: true }) });
      else if (status.kind === 'valid' && status.expiresOn !== undefined) {
        // Still valid today but no longer on the horizon's day: it expires within the window.
        if (consentOn(r, horizon, timeZone).kind === 'expired')
          expiring.push(finding(status.expiresOn, status.basis));
      }
    },
  };
}
