import { fingerprintError, NO_REASON } from '../../../src/queues/failures/fingerprint';
import { normaliseMessage, MAX_MESSAGE_LENGTH } from '../../../src/queues/failures/normalise';
import { appFrame } from '../../../src/queues/failures/app-frame';

describe('normaliseMessage', () => {
  it.each([
    ['User 42 not found', 'User <n> not found'],
    ['Timeout after 30000ms on attempt 3', 'Timeout after <n>ms on attempt <n>'],
    [
      'Order "A-1931" rejected: card \'4242\' declined',
      'Order <str> rejected: card <str> declined',
    ],
    ['connect ECONNREFUSED 10.0.3.7:6379', 'connect ECONNREFUSED <ip>'],
    ['GET https://api.example.com/v1/users/991?x=1 failed', 'GET <url> failed'],
    ['mail to ann@example.org bounced', 'mail to <email> bounced'],
    ['job 3f2b8c1e-9a4d-4c55-8e7f-0123456789ab gone', 'job <uuid> gone'],
    ['object 507f1f77bcf86cd799439011 missing', 'object <id> missing'],
    ['segfault at 0x7ffd5e8c', 'segfault at <hex>'],
    ['commit 9fceb02d failed, deadbeef kept', 'commit <id> failed, deadbeef kept'],
    ['Too   many\tspaces', 'Too many spaces'],
    ['first line 1\nsecond line 2', 'first line <n>'],
    ['job123 failed (E11000 duplicate key)', 'job<n> failed (E11000 duplicate key)'],
  ])('%j → %j', (input, expected) => {
    expect(normaliseMessage(input)).toBe(expected);
  });

  it('keeps words that merely contain letters, and cuts long messages', () => {
    expect(normaliseMessage('SQLSTATE[HY000] General error')).toBe('SQLSTATE[HY000] General error');
    expect(normaliseMessage('x'.repeat(5_000))).toHaveLength(MAX_MESSAGE_LENGTH);
  });

  it('stays fast on hostile input (no catastrophic backtracking)', () => {
    const hostile = `${'"'.repeat(500)}${'a@'.repeat(500)}${'1.'.repeat(500)}${'0:'.repeat(500)}`;
    const started = process.hrtime.bigint();
    normaliseMessage(hostile);
    // A generous bound: a backtracking pattern would take seconds, not milliseconds.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(500);
  });
});

describe('appFrame', () => {
  it('finds the first Node frame outside node_modules and the runtime, without line numbers', () => {
    const stack = [
      'Error: boom',
      '    at Socket.emit (node:events:519:28)',
      '    at Object.send (/app/node_modules/nodemailer/lib/smtp.js:88:11)',
      '    at sendReceipt (/app/src/jobs/receipt.ts:42:7)',
      '    at processJob (/app/src/worker.ts:10:3)',
    ].join('\n');
    expect(appFrame(stack)).toBe('sendReceipt (/app/src/jobs/receipt.ts)');
  });

  it('reads anonymous V8 frames and PHP traces, skipping vendor/', () => {
    expect(appFrame('Error\n    at /app/index.js:3:9')).toBe('/app/index.js');
    const php = [
      '#0 /var/www/vendor/laravel/framework/src/Queue/Jobs/Job.php(98): handle()',
      '#1 /var/www/app/Jobs/SendInvoice.php(31): App\\Jobs\\SendInvoice->charge()',
    ].join('\n');
    expect(appFrame(php)).toBe(
      'App\\Jobs\\SendInvoice->charge (/var/www/app/Jobs/SendInvoice.php)',
    );
  });

  it('gives undefined for a stack of library frames only, or none', () => {
    expect(appFrame('Error\n    at x (/a/node_modules/b.js:1:1)')).toBeUndefined();
    expect(appFrame('no frames here')).toBeUndefined();
  });
});

describe('fingerprintError', () => {
  it('gives equal keys to failures that differ only in values', () => {
    const a = fingerprintError('User 42 not found', '    at load (/app/src/users.ts:9:1)');
    const b = fingerprintError('User 97 not found', '    at load (/app/src/users.ts:12:4)');
    expect(a.key).toBe(b.key);
    expect(a.key).toMatch(/^[0-9a-f]{16}$/);
    expect(a).toEqual({
      key: a.key,
      message: 'User <n> not found',
      frame: 'load (/app/src/users.ts)',
    });
  });

  it('tells the same message apart by where the app threw it', () => {
    const a = fingerprintError('boom', '    at a (/app/a.ts:1:1)');
    const b = fingerprintError('boom', '    at b (/app/b.ts:1:1)');
    const c = fingerprintError('boom');
    expect(new Set([a.key, b.key, c.key]).size).toBe(3);
  });

  it('never throws on what Redis may hold', () => {
    for (const reason of [undefined, null, 42, {}, '', '   ', '__proto__', '\u0000\uffff']) {
      expect(() => fingerprintError(reason, { toString: () => 'x' })).not.toThrow();
    }
    expect(fingerprintError(undefined).message).toBe(NO_REASON);
    expect(fingerprintError('__proto__').message).toBe('__proto__');
  });
});
