/**
 * Refused requests per client in a fixed window: too few to try tokens in bulk (a token cannot
 * be guessed anyway: this keeps the log quiet). Clients are forgotten when their window ends.
 */
export class RateLimiter {
  private readonly seen = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Undefined when the request may go on; else the seconds to wait (Retry-After). */
  take(client: string): number | undefined {
    const now = this.now();
    if (this.seen.size > 10_000) for (const [k, v] of this.seen) if (v.resetAt <= now) this.seen.delete(k);
    let entry = this.seen.get(client);
    if (!entry || entry.resetAt <= now) {
      entry = { count: 0, resetAt: now + this.windowMs };
      this.seen.set(client, entry);
    }
    entry.count++;
    return entry.count > this.limit ? Math.max(1, Math.ceil((entry.resetAt - now) / 1000)) : undefined;
  }
}
