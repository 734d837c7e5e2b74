import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

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

/** Who holds a lease, and whether a holder is gone: what the send loop and recovery need. */
export interface LeaseIdentity {
  /** `host:pid:random[:boot]`: the lease owner of this process. */
  owner(): string;
  /** A lease owner on this host whose process is gone holds nothing any more. */
  isDead(owner: string): boolean;
  /** A dead owner that died without the machine going down since: see DeliveryQueue.recoverAbandoned. */
  diedOnThisBoot(owner: string): boolean;
}

/** This machine as lease owners name it: AIMQ_HOST_ID when set (containers that share a hostname, tests). */
export function leaseIdentity(env: NodeJS.ProcessEnv): LeaseIdentity {
  const host = env.AIMQ_HOST_ID?.trim() || hostname();
  const isDead = (owner: string): boolean => {
    const [h, pid] = owner.split(':');
    if (h !== host || !pid) return false;
    try {
      process.kill(Number(pid), 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ESRCH';
    }
  };
  return {
    owner: () => `${host}:${process.pid}:${randomBytes(4).toString('hex')}${BOOT ? `:${BOOT}` : ''}`,
    isDead,
    diedOnThisBoot: (owner) => Boolean(BOOT) && owner.split(':')[3] === BOOT && isDead(owner),
  };
}
