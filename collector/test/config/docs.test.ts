/** docs/collector.md stays true: every setting and every bridge metric is documented. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS } from '../../src/config/settings';
import { BRIDGE_DESCRIPTORS } from '../../src/mapping/descriptors';
import { QUEUE_COUNTER_DESCRIPTORS } from '../../src/mapping/queue-counter-metrics';
import { API_ERRORS } from '../../src/api/errors';

const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'collector.md'), 'utf8');

describe('docs/collector.md', () => {
  it.each(SETTINGS.map((s) => [s.flag, s.env] as const))(
    'documents --%s and its variables',
    (flag, env) => {
      expect(doc).toContain(`\`--${flag}\``);
      for (const name of env) expect(doc).toContain(`\`${name}\``);
    },
  );

  it.each(
    [...Object.values(BRIDGE_DESCRIPTORS), ...Object.values(QUEUE_COUNTER_DESCRIPTORS)].map(
      (d) => [d.name, d.unit] as const,
    ),
  )('documents the metric %s', (name) => {
    expect(doc).toContain(`\`${name}\``);
  });

  it.each(Object.entries(API_ERRORS).map(([code, e]) => [code, e.status] as const))(
    'documents the error code %s with status %d',
    (code, status) => {
      expect(doc).toMatch(new RegExp(`\\| \`${code}\`\\s*\\| ${status}\\s*\\|`));
    },
  );
});
