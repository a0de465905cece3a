import { sealJob, unsealJob } from '../../../src/commands/inspect/seal';
import { isSealedJob } from '../../../src/schema/inspected-job';

const job = JSON.stringify({ queue: 'emails', id: '7', data: '{"to":"a@example.com"}' });

describe('sealJob / unsealJob', () => {
  it('opens with the token and command it was sealed for, and holds nothing in clear', () => {
    const sealed = sealJob(job, 'token-a', 'cmd-1');
    expect(isSealedJob(sealed)).toBe(true);
    expect(JSON.stringify(sealed)).not.toContain('example.com');
    expect(unsealJob(sealed, ['token-a'], 'cmd-1')).toBe(job);
  });

  it('opens with a token of a rotation, tried after the current one', () => {
    const sealed = sealJob(job, 'old', 'cmd-1');
    expect(unsealJob(sealed, ['new', 'old'], 'cmd-1')).toBe(job);
  });

  it('does not open under another token, another command, or once tampered with', () => {
    const sealed = sealJob(job, 'token-a', 'cmd-1');
    expect(unsealJob(sealed, ['token-b'], 'cmd-1')).toBeUndefined();
    expect(unsealJob(sealed, ['token-a'], 'cmd-2')).toBeUndefined();
    const data = Buffer.from(sealed.data, 'base64');
    data[0] = (data[0] ?? 0) ^ 1;
    expect(
      unsealJob({ ...sealed, data: data.toString('base64') }, ['token-a'], 'cmd-1'),
    ).toBeUndefined();
    expect(unsealJob({ ...sealed, iv: 'AAAA' }, ['token-a'], 'cmd-1')).toBeUndefined();
  });

  it('seals the same job differently each time (a fresh IV)', () => {
    expect(sealJob(job, 't', 'c').data).not.toBe(sealJob(job, 't', 'c').data);
  });
});
