import { CommandRateLimiter, rateKeyOf } from '../../src/api/rate-limit';
import type { Credential } from '../../src/auth/principal';
import { renderPrometheus } from '../../src/self/prometheus-text';

const subject = (credential: Credential) => ({ credential, name: credential });

/** A limiter on a clock the test moves by hand. */
function limiterAt(limit: { perMinute: number; burst: number }, maxBuckets?: number) {
  const clock = { now: 0 };
  const limiter = new CommandRateLimiter(limit, () => clock.now, maxBuckets);
  return { limiter, clock };
}

const allowedOf = (limiter: CommandRateLimiter, n: number, address = '10.0.0.1') =>
  Array.from({ length: n }, () => limiter.take(subject('write-token'), address).allowed);

describe('the command rate limiter', () => {
  it('lets a full burst through at once, then refuses with the seconds until the next token', () => {
    const { limiter } = limiterAt({ perMinute: 6, burst: 3 });
    expect(allowedOf(limiter, 3)).toEqual([true, true, true]);
    expect(limiter.take(subject('write-token'), 'a')).toEqual({
      allowed: false,
      retryAfterSeconds: 10,
      firstRefusal: true,
    });
  });

  it('refills at the per-minute rate, never beyond the burst', () => {
    const { limiter, clock } = limiterAt({ perMinute: 60, burst: 2 });
    expect(allowedOf(limiter, 3)).toEqual([true, true, false]);
    clock.now += 1000;
    expect(allowedOf(limiter, 2)).toEqual([true, false]);
    clock.now += 3_600_000;
    expect(allowedOf(limiter, 3)).toEqual([true, true, false]);
  });

  it('rounds Retry-After up to whole seconds, and never below one', () => {
    const { limiter, clock } = limiterAt({ perMinute: 60, burst: 1 });
    limiter.take(subject('api-token'), 'a');
    clock.now += 999;
    const refused = limiter.take(subject('api-token'), 'a');
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
  });

  it('keys each credential apart, and requests without one by client address', () => {
    const { limiter } = limiterAt({ perMinute: 1, burst: 1 });
    expect(limiter.take(subject('write-token'), '10.0.0.1').allowed).toBe(true);
    expect(limiter.take(subject('write-token'), '10.0.0.2').allowed).toBe(false);
    expect(limiter.take(subject('api-token'), '10.0.0.1').allowed).toBe(true);
    expect(limiter.take(subject('none'), '10.0.0.1').allowed).toBe(true);
    expect(limiter.take(subject('none'), '10.0.0.2').allowed).toBe(true);
    expect(limiter.take(subject('none'), '10.0.0.1').allowed).toBe(false);
    const named = (name: string) => ({ credential: 'named-token' as const, name });
    expect(limiter.take(named('ci'), '10.0.0.1').allowed).toBe(true);
    expect(limiter.take(named('ops'), '10.0.0.1').allowed).toBe(true);
    expect(limiter.take(named('ci'), '10.0.0.2').allowed).toBe(false);
    expect(rateKeyOf(subject('none'), '__proto__')).toBe('none:__proto__');
    expect(rateKeyOf(subject('api-token'), '10.0.0.1')).toBe('api-token');
    expect(rateKeyOf({ credential: 'named-token', name: 'ci' }, '10.0.0.1')).toBe('token:ci');
  });

  it('marks only the first refusal of a dry spell, for one log line', () => {
    const { limiter, clock } = limiterAt({ perMinute: 60, burst: 1 });
    limiter.take(subject('write-token'), 'a');
    const spell = [1, 2, 3].map(() => limiter.take(subject('write-token'), 'a'));
    expect(spell.map((d) => !d.allowed && d.firstRefusal)).toEqual([true, false, false]);
    clock.now += 1000;
    expect(limiter.take(subject('write-token'), 'a').allowed).toBe(true);
    expect(limiter.take(subject('write-token'), 'a')).toMatchObject({
      allowed: false,
      firstRefusal: true,
    });
  });

  it('counts refusals by credential for /metrics', () => {
    const { limiter } = limiterAt({ perMinute: 1, burst: 1 });
    allowedOf(limiter, 4);
    const text = renderPrometheus(limiter.families());
    expect(text).toContain(
      'quasar_collector_commands_rate_limited_total{credential="write-token"} 3',
    );
    expect(text).toContain(
      'quasar_collector_commands_rate_limited_total{credential="api-token"} 0',
    );
    expect(text).toContain('# TYPE quasar_collector_commands_rate_limited_total counter');
  });

  it('holds at most its bound of buckets, dropping full ones first', () => {
    const { limiter, clock } = limiterAt({ perMinute: 60, burst: 2 }, 3);
    limiter.take(subject('none'), 'busy');
    limiter.take(subject('none'), 'busy');
    limiter.take(subject('none'), 'idle-1');
    clock.now += 1000;
    limiter.take(subject('none'), 'idle-2');
    limiter.take(subject('none'), 'new');
    expect(limiter.size).toBe(3);
    // `busy` was still refilling, so it kept its bucket: one token back after a second.
    expect(limiter.take(subject('none'), 'busy').allowed).toBe(true);
    expect(limiter.take(subject('none'), 'busy').allowed).toBe(false);
  });

  it('drops the oldest bucket when every bucket is still refilling', () => {
    const { limiter } = limiterAt({ perMinute: 1, burst: 1 }, 2);
    for (const address of ['a', 'b', 'c', 'd']) limiter.take(subject('none'), address);
    expect(limiter.size).toBe(2);
    expect(limiter.take(subject('none'), 'd').allowed).toBe(false);
  });
});
