/**
 * A per-isolate count in front of a shared rate limiter. Most keys (a shopper's IP) send a handful of batches a
 * minute; asking the shared limiter about each of them costs a binding call per request (under `wrangler dev`, a
 * SQLite write on the thread that also serves the routes) and protects nothing. A key is therefore counted here
 * first, and only its requests beyond `free` in the current window go to the shared limiter, which then enforces
 * the real budget. The price is bounded and stated: a key may send up to `free` more per window per isolate than
 * the shared limit.
 */
export class LocalAllowance {
  private window = -1;
  private counts = new Map<string, number>();

  constructor(
    private readonly free: number,
    private readonly windowMs: number,
    /** Past this many keys in one window, new keys skip the local count and go straight to the shared limiter. */
    private readonly maxKeys = 10_000,
  ) {}

  /** true while `key` is within its local allowance for the window containing `now`; counts the request if so. */
  take(key: string, now: number): boolean {
    const window = Math.floor(now / this.windowMs);
    if (window !== this.window) {
      this.window = window;
      this.counts.clear();
    }
    const used = this.counts.get(key);
    if (used === undefined && this.counts.size >= this.maxKeys) return false;
    if ((used ?? 0) >= this.free) return false;
    this.counts.set(key, (used ?? 0) + 1);
    return true;
  }
}
