/** The checks of `QUASAR_CHECKS` and the config file's `checks`. */
import { InvalidValue } from '../../src/sidecar/errors';
import { parseCheckArray, parseCheckJson } from '../../src/sidecar/parse-checks';

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidValue);
    return (error as Error).message;
  }
  throw new Error('expected an InvalidValue');
};

describe('checks', () => {
  it('splits each entry into the name and the monitorCheck() options', () => {
    expect(
      parseCheckJson(
        '[{"name":"web","type":"http","url":"http://127.0.0.1/health","expectStatus":200},' +
          '{"name":"db","type":"tcp","host":"127.0.0.1","port":5432,"intervalMs":5000}]',
      ),
    ).toEqual([
      {
        name: 'web',
        options: { type: 'http', url: 'http://127.0.0.1/health', expectStatus: 200 },
      },
      { name: 'db', options: { type: 'tcp', host: '127.0.0.1', port: 5432, intervalMs: 5000 } },
    ]);
  });

  it('says so when the variable is not JSON', () => {
    expect(message(() => parseCheckJson('web=http://x'))).toMatch(
      /expected a JSON array of checks, but it is not JSON/,
    );
  });

  it('names the entry whose name or type is wrong', () => {
    expect(message(() => parseCheckArray({}))).toMatch(/expected an array of checks/);
    expect(message(() => parseCheckArray(['web']))).toMatch(/checks\[0\]: expected an object/);
    expect(message(() => parseCheckArray([{ type: 'http' }]))).toMatch(/checks\[0\]\.name/);
    expect(message(() => parseCheckArray([{ name: 'web', type: 'icmp' }]))).toMatch(
      /check "web": type expected "http" or "tcp", got "icmp"/,
    );
  });

  it('rejects a check listed twice', () => {
    const web = { name: 'web', type: 'tcp', host: 'a', port: 1 };
    expect(message(() => parseCheckArray([web, web]))).toMatch(/check "web" is listed twice/);
  });
});
