import type { FailureGroup } from '../../pulse/failure-groups';
import type { FailedJob } from '../../pulse/queue';
import { MAX_QUERY_LENGTH, groupMatches, jobMatches, normaliseQuery, searchFailures } from './searchFailures';

const job = (id: string, name: string | null, reason: string | null): FailedJob => ({
  id,
  name,
  failedAt: null,
  reason,
});
const group = (key: string, message: string, frame: string | null, example: FailedJob): FailureGroup => ({
  key,
  message,
  frame,
  count: 1,
  firstSeen: null,
  lastSeen: null,
  example,
});

const jobs = [
  job('901', 'charge-card', 'Card ending 4242 declined by issuer'),
  job('902', 'reserve-stock', 'Deadlock on row 17 of "inventory"'),
  job('903', 'notify-carrier', null),
  job('77', null, 'Carrier 10.0.3.1:8443 timed out'),
];
const groups = [
  group('a', 'Card ending <n> declined by issuer', 'chargeCard (/app/src/billing/charge.js)', jobs[0]!),
  group('b', 'Deadlock on row <n> of <str>', null, jobs[1]!),
  group('c', 'Carrier <ip> timed out after <n> ms', 'notifyCarrier (/app/src/shipping/carrier.js)', jobs[2]!),
];

const keys = (found: { groups: FailureGroup[]; jobs: FailedJob[] }) => ({
  groups: found.groups.map((g) => g.key),
  jobs: found.jobs.map((j) => j.id),
});

describe('searchFailures', () => {
  it('keeps everything for an empty or blank query', () => {
    expect(searchFailures(groups, jobs, '')).toEqual({ groups, jobs });
    expect(searchFailures(groups, jobs, '   \t')).toEqual({ groups, jobs });
  });

  it('matches a word of the error in groups and jobs, whatever its case', () => {
    expect(keys(searchFailures(groups, jobs, 'DEADLOCK'))).toEqual({ groups: ['b'], jobs: ['902'] });
    expect(keys(searchFailures(groups, jobs, '  declined '))).toEqual({ groups: ['a'], jobs: ['901'] });
  });

  it("matches a group by its frame and its example job's name, a job by its id and name", () => {
    expect(keys(searchFailures(groups, jobs, 'billing/charge'))).toEqual({ groups: ['a'], jobs: [] });
    expect(keys(searchFailures(groups, jobs, 'notify-carrier'))).toEqual({ groups: ['c'], jobs: ['903'] });
    expect(keys(searchFailures(groups, jobs, '77'))).toEqual({ groups: [], jobs: ['77'] });
    expect(keys(searchFailures(groups, jobs, 'carrier'))).toEqual({ groups: ['c'], jobs: ['903', '77'] });
  });

  it('matches nothing for a query nothing contains', () => {
    expect(searchFailures(groups, jobs, 'out of memory')).toEqual({ groups: [], jobs: [] });
  });

  it('takes regular expression characters literally', () => {
    expect(keys(searchFailures(groups, jobs, '<n>'))).toEqual({ groups: ['a', 'b', 'c'], jobs: [] });
    expect(keys(searchFailures(groups, jobs, '.*'))).toEqual({ groups: [], jobs: [] });
    expect(keys(searchFailures(groups, jobs, '(/app/src/billing'))).toEqual({ groups: ['a'], jobs: [] });
    expect(keys(searchFailures(groups, jobs, '"inventory"'))).toEqual({ groups: ['b'], jobs: ['902'] });
    for (const query of ['[', ')(', '\\', '*', '+?', '$^', '(?<x>', '\\u{']) {
      expect(() => searchFailures(groups, jobs, query)).not.toThrow();
      expect(searchFailures(groups, jobs, query)).toEqual({ groups: [], jobs: [] });
    }
  });

  it('folds unicode case and composition', () => {
    const accented = [job('1', 'Größe', 'Échec de la requête'), job('2', 'emoji 🚀 launch', 'ΣΊΣΥΦΟΣ')];
    expect(keys(searchFailures([], accented, 'échec')).jobs).toEqual(['1']);
    // "é" as e + combining acute matches the composed "É".
    expect(keys(searchFailures([], accented, 'e\u0301chec')).jobs).toEqual(['1']);
    expect(keys(searchFailures([], accented, 'GRÖSSE')).jobs).toEqual([]);
    expect(keys(searchFailures([], accented, 'größe')).jobs).toEqual(['1']);
    expect(keys(searchFailures([], accented, '🚀')).jobs).toEqual(['2']);
    expect(keys(searchFailures([], accented, 'σίσυφος')).jobs).toEqual(['2']);
    expect(keys(searchFailures([], accented, 'ΣΊΣΥΦΟΣ')).jobs).toEqual(['2']);
  });

  it('reads prototype-named values as text', () => {
    const odd = [job('__proto__', 'constructor', 'toString')];
    expect(keys(searchFailures([], odd, '__proto__')).jobs).toEqual(['__proto__']);
    expect(keys(searchFailures([], odd, 'CONSTRUCTOR')).jobs).toEqual(['__proto__']);
    expect(keys(searchFailures([], odd, 'hasOwnProperty')).jobs).toEqual([]);
  });
});

describe('normaliseQuery', () => {
  it('trims and folds the query', () => {
    expect(normaliseQuery('  SMTP 421 ')).toBe('smtp 421');
  });

  it(`cuts a huge query to ${MAX_QUERY_LENGTH} characters, quickly`, () => {
    const huge = 'x'.repeat(10_000_000);
    const started = Date.now();
    expect(normaliseQuery(huge)).toHaveLength(MAX_QUERY_LENGTH);
    const found = searchFailures(groups, [job('1', 'x'.repeat(MAX_QUERY_LENGTH), null)], huge);
    expect(Date.now() - started).toBeLessThan(1_000);
    // The cut query still matches what contains its first 200 characters.
    expect(keys(found)).toEqual({ groups: [], jobs: ['1'] });
  });

  it('never cuts a surrogate pair in half', () => {
    const query = normaliseQuery('🚀'.repeat(MAX_QUERY_LENGTH + 50));
    expect(Array.from(query)).toHaveLength(MAX_QUERY_LENGTH);
    expect(query).toBe('🚀'.repeat(MAX_QUERY_LENGTH));
  });
});

describe('groupMatches and jobMatches', () => {
  it('match everything for the empty query and ignore missing fields', () => {
    expect(groupMatches(groups[1]!, '')).toBe(true);
    expect(jobMatches(job('5', null, null), '')).toBe(true);
    expect(jobMatches(job('5', null, null), 'null')).toBe(false);
    expect(groupMatches(groups[1]!, 'null')).toBe(false);
  });
});
