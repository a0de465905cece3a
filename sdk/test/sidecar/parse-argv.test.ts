/** The command line of `quasar-agent`. */
import { SidecarConfigError } from '../../src/sidecar/errors';
import { parseArgv } from '../../src/sidecar/parse-argv';

const failure = (argv: string[]): string => {
  try {
    parseArgv(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(SidecarConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a SidecarConfigError');
};

describe('parseArgv', () => {
  it('reads "--flag value" and "--flag=value"', () => {
    expect(parseArgv(['--service', 'shop', '--interval=2.5']).flags).toEqual({
      service: 'shop',
      interval: '2.5',
    });
  });

  it('collects a repeated --queue in order', () => {
    expect(parseArgv(['--queue', 'a', '--queue=b:bullmq']).flags.queues).toEqual(['a', 'b:bullmq']);
  });

  it('reads switches as --flag, --no-flag and --flag=value', () => {
    expect(parseArgv(['--laravel-workers']).flags.laravelWorkers).toBe('true');
    expect(parseArgv(['--no-laravel-workers']).flags.laravelWorkers).toBe('false');
    expect(parseArgv(['--otlp-export=off']).flags.otlpExport).toBe('off');
  });

  it('recognises --help, -h, --version and -V', () => {
    expect(parseArgv(['--help'])).toMatchObject({ help: true, version: false });
    expect(parseArgv(['-h']).help).toBe(true);
    expect(parseArgv(['--version'])).toMatchObject({ help: false, version: true });
    expect(parseArgv(['-V']).version).toBe(true);
  });

  it('rejects unknown flags, missing values, repeats and positional arguments', () => {
    expect(failure(['--servce', 'x'])).toBe('unknown flag --servce (see --help)');
    expect(failure(['--no-service'])).toBe('unknown flag --no-service (see --help)');
    expect(failure(['--service'])).toBe('--service needs a value (see --help)');
    expect(failure(['--service', '--name', 'x'])).toBe('--service needs a value (see --help)');
    expect(failure(['--name', 'a', '--name', 'b'])).toBe('--name is given twice (see --help)');
    expect(failure(['--no-laravel-workers=true'])).toBe(
      '--no-laravel-workers takes no value (see --help)',
    );
    expect(failure(['shop'])).toBe('unexpected argument "shop" (see --help)');
  });
});
