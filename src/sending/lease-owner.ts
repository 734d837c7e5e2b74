import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** This machine, as lease owners name it: AIMQ_HOST_ID when set (containers that share a hostname, tests). */
const HOST = process.env.AIMQ_HOST_ID?.trim() || hostname();

/**
 * This boot of the machine (Linux), or '' where it cannot be known. A process that died
 * during the boot that is still running left every commit it made in the page cache, so
 * the outbox has them all, fsync'd or not.
 */
const BOOT = (() => {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
})();

/** `host:pid:random[:boot]`: the lease owner of this process. */
export function leaseOwner(): string {
  return `${HOST}:${process.pid}:${randomBytes(4).toString('hex')}${BOOT ? `:${BOOT}` : ''}`;
}

/** A lease owner on this host whose process is gone holds nothing any more. */
export function ownerIsDead(owner: string): boolean {
  const [host, pid] = owner.split(':');
  if (host !== HOST || !pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** A dead owner that died without the machine going down since: see DeliveryQueue.recoverAbandoned. */
export function ownerDiedOnThisBoot(owner: string): boolean {
  const boot = owner.split(':')[3];
  return Boolean(BOOT) && boot === BOOT && ownerIsDead(owner);
}
