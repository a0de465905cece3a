/**
 * The shipped alerts are complete and documented: each has a severity, a summary, a
 * description and a runbook link to its own section of docs/alerts.md, each is unit-tested both
 * firing and not firing, and the docs name no alert or recording rule that does not exist.
 */
import { readdirSync } from 'node:fs';
import { list, readRepoFile, readYaml, record, str } from '../stack/support';

const RULES = 'provisioning/prometheus/rules/quasar.rules.yml';
const TESTS = 'provisioning/prometheus/rules/tests';
const DOCS = 'docs/alerts.md';

interface Rule {
  alert?: string;
  record?: string;
  labels: Record<string, unknown>;
  annotations: Record<string, unknown>;
}

function rules(): Rule[] {
  const groups = list(record(readYaml(RULES), RULES).groups, 'groups');
  return groups.flatMap((group, g) =>
    list(record(group, `group ${g}`).rules, `group ${g} rules`).map((value, r) => {
      const rule = record(value, `group ${g} rule ${r}`);
      return {
        alert: typeof rule.alert === 'string' ? rule.alert : undefined,
        record: typeof rule.record === 'string' ? rule.record : undefined,
        labels: rule.labels === undefined ? {} : record(rule.labels, 'labels'),
        annotations: rule.annotations === undefined ? {} : record(rule.annotations, 'annotations'),
      };
    }),
  );
}

const alertNames = () => rules().flatMap((r) => (r.alert ? [r.alert] : []));

/** Each alert_rule_test of every unit-test file: the alert and whether it expects alerts. */
function alertTests(): Array<{ alertname: string; fires: boolean }> {
  const files = readdirSync(`${__dirname}/../../${TESTS}`).filter((f) => f.endsWith('.test.yml'));
  return files.flatMap((file) =>
    list(record(readYaml(`${TESTS}/${file}`), file).tests, `${file} tests`).flatMap((t) =>
      list(record(t, file).alert_rule_test ?? [], `${file} alert_rule_test`).map((a) => {
        const entry = record(a, file);
        return {
          alertname: str(entry.alertname, 'alertname'),
          fires: list(entry.exp_alerts ?? [], 'exp_alerts').length > 0,
        };
      }),
    ),
  );
}

/** `## Heading` sections of docs/alerts.md. */
const sections = () => [...readRepoFile(DOCS).matchAll(/^## (.+)$/gm)].map((m) => m[1]!);

describe('the shipped alert rules', () => {
  it('give every alert a severity, a summary, a description and its runbook section', () => {
    const alerts = rules().filter((r) => r.alert !== undefined);
    expect(alerts.length).toBeGreaterThanOrEqual(12);
    for (const rule of alerts) {
      expect({ alert: rule.alert, severity: rule.labels.severity }).toEqual({
        alert: rule.alert,
        severity: expect.stringMatching(/^(critical|warning)$/),
      });
      expect({ alert: rule.alert, annotations: Object.keys(rule.annotations).sort() }).toEqual({
        alert: rule.alert,
        annotations: ['description', 'runbook_url', 'summary'],
      });
      expect(rule.annotations.runbook_url).toBe(`docs/alerts.md#${rule.alert!.toLowerCase()}`);
    }
  });

  it('cover what issue 18 asks for', () => {
    expect(alertNames()).toEqual(
      expect.arrayContaining([
        'QuasarNodeDown',
        'QuasarCheckDown',
        'QuasarTlsCertificateExpiringSoon',
        'QuasarQueueBacklogGrowing',
        'QuasarQueueOldestWaitingOverSlo',
        'QuasarQueueFailureRatioHigh',
        'QuasarQueueStuck',
        'QuasarSlowRequestBurst',
        'QuasarCollectorExportsFailing',
        'QuasarServiceNotExported',
      ]),
    );
  });

  it('are each unit-tested firing and not firing', () => {
    const tests = alertTests();
    for (const name of alertNames()) {
      const mine = tests.filter((t) => t.alertname === name);
      expect({ name, fires: mine.some((t) => t.fires) }).toEqual({ name, fires: true });
      expect({ name, silent: mine.some((t) => !t.fires) }).toEqual({ name, silent: true });
    }
  });

  it('have one section each in docs/alerts.md, and the docs name no other', () => {
    const documented = sections().filter((s) => /^Quasar[A-Z]\w+$/.test(s));
    expect([...documented].sort()).toEqual([...alertNames()].sort());
  });

  it('list every recording rule in docs/alerts.md', () => {
    const docs = readRepoFile(DOCS);
    const recorded = rules().flatMap((r) => (r.record ? [r.record] : []));
    expect(recorded.length).toBeGreaterThanOrEqual(8);
    for (const name of recorded)
      expect([name, docs.includes(`| \`${name}\``)]).toEqual([name, true]);
    const named = [...docs.matchAll(/`(quasar:[a-z_]+:[a-z0-9_]+)`/g)].map((m) => m[1]!);
    expect(named.filter((n) => !recorded.includes(n))).toEqual([]);
  });
});
