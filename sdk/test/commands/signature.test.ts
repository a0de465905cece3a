import { signCommand, verifyCommand } from '../../src/commands/signature';
import { canonicalCommand } from '../../src/schema';
import type { QuasarCommand } from '../../src/schema';

const TOKEN = 'test-token';

/** The worked example of docs/protocol.md, Commands. */
const VECTOR: QuasarCommand = {
  id: '0b6f8c1e-6a3b-4c1d-9e2f-7a8b9c0d1e2f',
  type: 'RETRY_JOB',
  targetNodeId: 'worker-01-48213',
  payload: { queue: 'emails', jobKey: '42', driver: 'bullmq', jobId: '42' },
  timestamp: 1767500000000,
  issuer: 'collector',
  scope: 'job',
  expiresAt: 1767500060000,
};
const VECTOR_CANONICAL =
  '{"expiresAt":1767500060000,"id":"0b6f8c1e-6a3b-4c1d-9e2f-7a8b9c0d1e2f","issuer":"collector",' +
  '"payload":{"driver":"bullmq","jobId":"42","jobKey":"42","queue":"emails"},"scope":"job",' +
  '"targetNodeId":"worker-01-48213","timestamp":1767500000000,"type":"RETRY_JOB"}';
const VECTOR_SIG = '30cf252741d9a1b34c791aa59ef076548fb05b2275d0bbf0f6696e6c063f7b02';

describe('command signatures', () => {
  it('reproduces the documented test vector', () => {
    expect(canonicalCommand(VECTOR)).toBe(VECTOR_CANONICAL);
    expect(signCommand(VECTOR, TOKEN).sig).toBe(VECTOR_SIG);
  });

  it('returns a signed copy and leaves the command alone', () => {
    const signed = signCommand(VECTOR, TOKEN);
    expect(signed).toEqual({ ...VECTOR, sig: VECTOR_SIG });
    expect(VECTOR.sig).toBeUndefined();
  });

  it('verifies a command it signed', () => {
    expect(verifyCommand(signCommand(VECTOR, TOKEN), TOKEN)).toBe(true);
  });

  it('verifies a signed command whatever its key order', () => {
    const signed = signCommand(VECTOR, TOKEN);
    const reordered = Object.fromEntries(Object.entries(signed).reverse()) as QuasarCommand;
    expect(verifyCommand(reordered, TOKEN)).toBe(true);
  });

  it('replaces a signature the command already had', () => {
    const resigned = signCommand({ ...VECTOR, sig: '00'.repeat(32) }, TOKEN);
    expect(resigned.sig).toBe(VECTOR_SIG);
  });

  it.each<[string, (c: QuasarCommand) => QuasarCommand]>([
    ['id', (c) => ({ ...c, id: '0b6f8c1e-6a3b-4c1d-9e2f-7a8b9c0d1e30' })],
    ['type', (c) => ({ ...c, type: 'DELETE_JOB' })],
    ['targetNodeId', (c) => ({ ...c, targetNodeId: 'worker-02-48213' })],
    ['payload.queue', (c) => ({ ...c, payload: { ...c.payload, queue: 'invoices' } })],
    ['payload.jobId', (c) => ({ ...c, payload: { ...c.payload, jobId: '43' } })],
    ['payload.jobKey', (c) => ({ ...c, payload: { ...c.payload, jobKey: '*' } })],
    ['timestamp', (c) => ({ ...c, timestamp: c.timestamp + 1 })],
    ['expiresAt', (c) => ({ ...c, expiresAt: (c.expiresAt ?? 0) + 60_000 })],
    ['expiresAt removed', (c) => ({ ...c, expiresAt: undefined })],
    ['scope', (c) => ({ ...c, scope: 'all-failed' })],
    ['an added field', (c) => ({ ...c, extra: true })],
  ])('rejects a signed command whose %s was changed', (_field, tamper) => {
    expect(verifyCommand(tamper(signCommand(VECTOR, TOKEN)), TOKEN)).toBe(false);
  });

  it('rejects a signature made with another token', () => {
    expect(verifyCommand(signCommand(VECTOR, 'other-token'), TOKEN)).toBe(false);
    expect(verifyCommand(signCommand(VECTOR, TOKEN), `${TOKEN} `)).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['not hex', 'z'.repeat(64)],
    ['upper-case hex', VECTOR_SIG.toUpperCase()],
    ['too short', VECTOR_SIG.slice(0, 62)],
    ['too long', `${VECTOR_SIG}00`],
    ['an odd length', VECTOR_SIG.slice(0, 63)],
    ['not a string', 42],
  ])('returns false, without throwing, for a sig that is %s', (_label, sig) => {
    const command = { ...VECTOR, sig } as unknown as QuasarCommand;
    expect(() => verifyCommand(command, TOKEN)).not.toThrow();
    expect(verifyCommand(command, TOKEN)).toBe(false);
  });

  it('returns false for an empty token, and for a command it cannot serialise', () => {
    expect(verifyCommand({ ...VECTOR, sig: VECTOR_SIG }, '')).toBe(false);
    const unserialisable = { ...VECTOR, sig: VECTOR_SIG, extra: BigInt(1) } as QuasarCommand;
    expect(verifyCommand(unserialisable, TOKEN)).toBe(false);
  });

  it('refuses to sign with an empty token', () => {
    expect(() => signCommand(VECTOR, '')).toThrow(TypeError);
  });
});
