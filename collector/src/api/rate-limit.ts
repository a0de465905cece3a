/**
 * Token buckets for the command route, one per credential. A bucket holds `burst` commands and
 * refills at `perMinute`; an empty one refuses with the seconds until its next token. State is
 * per process: replicas each keep their own buckets (see docs/collector.md for why that is
 * enough).
 */
import type { Credential, Principal } from '../auth/principal';
import type { Family } from '../self/prometheus-text';

/** How many commands a credential may issue. */
export interface RateLimit {
  /** Sustained rate, commands per minute. */
  perMinute: number;
  /** Commands that may arrive at once, and the bucket's size. */
  burst: number;
}

/** The limiter's answer for one request. */
export type RateDecision =
  | { allowed: true }
  | {
      allowed: false;
      /** Whole seconds until the bucket holds a token again (the `Retry-After` value). */
      retryAfterSeconds: number;
      /** The first refusal since this key's last accepted command: worth one log line. */
      firstRefusal: boolean;
    };

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date, ms on the limiter's clock. */
  at: number;
  refusing: boolean;
}

/** Buckets kept before idle ones are dropped: only requests without a credential key by address. */
export const MAX_BUCKETS = 10_000;

const CREDENTIALS: readonly Credential[] = ['write-token', 'api-token', 'named-token', 'none'];

/** Who a bucket belongs to: the credential and the token's name. */
export type RateSubject = Pick<Principal, 'credential' | 'name'>;

/**
 * The bucket key of a request: its token (each named token has its own bucket), or the client
 * address for a request without one. Today no such request reaches the command route (even
 * `--no-auth` needs a token there, see `refusalOf`); if that ever changes, anonymous clients
 * still get a bucket each.
 */
export function rateKeyOf(subject: RateSubject, address: string): string {
  if (subject.credential === 'none') return `none:${address}`;
  return subject.credential === 'named-token' ? `token:${subject.name}` : subject.credential;
}

/** Per-key token buckets, with a count of refusals by credential for `/metrics`. */
export class CommandRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refusals = new Map<Credential, number>(CREDENTIALS.map((c) => [c, 0]));
  private readonly perMs: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: () => number = () => performance.now(),
    private readonly maxBuckets = MAX_BUCKETS,
  ) {
    this.perMs = limit.perMinute / 60_000;
  }

  /** Takes one token from `subject`'s bucket (keyed by `address` when it has no token). */
  take(subject: RateSubject, address: string): RateDecision {
    const { credential } = subject;
    const now = this.clock();
    const key = rateKeyOf(subject, address);
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      this.makeRoom(now);
      bucket = { tokens: this.limit.burst, at: now, refusing: false };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = this.tokensAt(bucket, now);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.refusing = false;
      return { allowed: true };
    }
    const firstRefusal = !bucket.refusing;
    bucket.refusing = true;
    this.refusals.set(credential, (this.refusals.get(credential) ?? 0) + 1);
    const waitMs = (1 - bucket.tokens) / this.perMs;
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
      firstRefusal,
    };
  }

  /** Buckets currently held. */
  get size(): number {
    return this.buckets.size;
  }

  /** The refusal counter, by credential, in the Prometheus text model. */
  families(): Family[] {
    return [
      {
        name: 'quasar_collector_commands_rate_limited_total',
        help: 'Command requests refused with 429 by the per-credential rate limit.',
        type: 'counter',
        samples: CREDENTIALS.map((credential) => ({
          labels: { credential },
          value: this.refusals.get(credential) ?? 0,
        })),
      },
    ];
  }

  private tokensAt(bucket: Bucket, now: number): number {
    return Math.min(this.limit.burst, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs);
  }

  /**
   * Keeps the map bounded. A full bucket is the same as no bucket, so those go first; if every
   * bucket is still refilling, the oldest key goes, which at worst hands one client a fresh burst.
   */
  private makeRoom(now: number): void {
    if (this.buckets.size < this.maxBuckets) return;
    for (const [key, bucket] of this.buckets) {
      if (this.tokensAt(bucket, now) >= this.limit.burst) this.buckets.delete(key);
    }
    if (this.buckets.size < this.maxBuckets) return;
    const oldest = this.buckets.keys().next();
    if (!oldest.done) this.buckets.delete(oldest.value);
  }
}
