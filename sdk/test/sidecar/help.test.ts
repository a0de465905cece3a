/** `--help` is generated from the settings table. */
import { helpText } from '../../src/sidecar/help';
import { SETTING_LIST } from '../../src/sidecar/settings';

describe('helpText', () => {
  const help = helpText();

  it('lists every environment variable, flag and config key of every setting', () => {
    for (const s of SETTING_LIST) {
      for (const name of [...(s.env ?? []), ...(s.flag ? [s.flag] : [])]) {
        expect({ setting: s.key, name, listed: help.includes(name) }).toEqual({
          setting: s.key,
          name,
          listed: true,
        });
      }
      if (s.configKey) expect(help).toContain(`config "${s.configKey}"`);
    }
  });

  it('states the precedence and the exit status of a bad setting', () => {
    expect(help).toMatch(
      /flag, else its environment variable, else the config file, else its\s+default/,
    );
    expect(help).toMatch(/exit status 2/);
  });

  it('keeps every line within 100 columns', () => {
    expect(help.split('\n').filter((line) => line.length > 100)).toEqual([]);
  });
});
