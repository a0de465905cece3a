import fc from 'fast-check';
import {
  MAX_FAILED_JOBS,
  MAX_ID_LENGTH,
  MAX_LABEL_LENGTH,
  MAX_QUEUES,
  MAX_STATES,
  MAX_TEXT_LENGTH,
} from '../api/limits';
import { isShowableTime } from '../format/time';
import { fuzzParameters } from '../testing/fuzz';
import {
  hostileJson,
  hostileValue,
  hugeArray,
  mutated,
  numbersIn,
  ownObject,
  PROTOTYPE_KEYS,
  prototypeSnapshot,
  stringsIn,
  type Path,
} from '../testing/hostileJson';
import { wellFormedFailedJob, wellFormedQueue } from '../testing/wellFormed';
import { readFailedJob, readQueue, readQueues, type FailedJob, type QueueView } from './queue';

const JOB_FIELDS = ['id', 'name', 'failedAt', 'reason'];
const FIELDS = [
  ...JOB_FIELDS,
  'driver', 'size', 'waiting', 'active', 'delayed', 'failed', 'failedSample', 'oldestWaitingAgeMs', 'paused',
  'actions', 'error',
]; // prettier-ignore
const PATHS: Path[] = [
  ['name'], ['driver'], ['size'], ['size', 'waiting'], ['size', 'failed'], ['size', 'completed'], ['size', '__proto__'],
  ['size', 'constructor'], ['failedSample'], ['failedSample', 0], ['failedSample', 0, 'id'],
  ['failedSample', 0, 'failedAt'], ['failedSample', 0, 'reason'], ['oldestWaitingAgeMs'], ['paused'], ['actions'],
  ['error'],
]; // prettier-ignore

function expectJobBounded(job: FailedJob) {
  expect(job.id.length).toBeGreaterThan(0);
  expect(job.id.length).toBeLessThanOrEqual(MAX_ID_LENGTH);
  expect((job.name ?? '').length).toBeLessThanOrEqual(MAX_LABEL_LENGTH);
  expect((job.reason ?? '').length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
  expect(job.failedAt === null || isShowableTime(job.failedAt)).toBe(true);
}

function expectQueueBounded(queue: QueueView) {
  expect(queue.name.length).toBeLessThanOrEqual(MAX_ID_LENGTH);
  expect(queue.counts.length).toBeLessThanOrEqual(MAX_STATES);
  expect(queue.counts.every((c) => Number.isSafeInteger(c.count) && c.count >= 0)).toBe(true);
  expect(queue.failedSample.length).toBeLessThanOrEqual(MAX_FAILED_JOBS);
  queue.failedSample.forEach(expectJobBounded);
  expect(stringsIn(queue).every((s) => s.length <= MAX_TEXT_LENGTH)).toBe(true);
  expect(numbersIn(queue).every(Number.isFinite)).toBe(true);
}

const anyJob = fc.oneof(
  fc.jsonValue(),
  hostileValue(JOB_FIELDS),
  mutated(
    wellFormedFailedJob().map((c) => c.raw),
    JOB_FIELDS.map((f) => [f]),
    JOB_FIELDS
  )
);
const anyQueue = fc.oneof(
  fc.jsonValue(),
  hostileJson(FIELDS),
  mutated(
    wellFormedQueue().map((c) => c.raw),
    PATHS,
    FIELDS
  )
);

describe('readFailedJob, for any input', () => {
  it('never throws, and returns null or a job within every bound', () => {
    fc.assert(
      fc.property(anyJob, (value) => {
        const job = readFailedJob(value);
        if (job !== null) {
          expectJobBounded(job);
        }
      }),
      fuzzParameters()
    );
  });

  it('reads a well-formed job back to the same values, a numeric id as its decimal string', () => {
    fc.assert(
      fc.property(wellFormedFailedJob(), ({ raw, view }) => {
        expect(readFailedJob(raw)).toEqual(view);
      }),
      fuzzParameters()
    );
  });

  it('reads no time at all for an instant Date cannot hold, rather than one that throws', () => {
    fc.assert(
      fc.property(
        wellFormedFailedJob(),
        fc.oneof(
          fc.double({ min: 8.64e15, noNaN: true }).filter((t) => t > 8.64e15),
          fc.double({ max: -1e-300 })
        ),
        ({ raw }, failedAt) => {
          expect(readFailedJob({ ...raw, failedAt })?.failedAt).toBeNull();
        }
      ),
      fuzzParameters()
    );
  });
});

describe('readQueue and readQueues, for any input', () => {
  it('never throw, and return queues within every bound', () => {
    fc.assert(
      fc.property(anyQueue, (value) => {
        const queue = readQueue(value);
        if (queue !== null) {
          expectQueueBounded(queue);
        }
        const queues = readQueues([value, value]);
        expect(queues.length).toBeLessThanOrEqual(2);
        queues.forEach(expectQueueBounded);
      }),
      fuzzParameters()
    );
  });

  it('read at most MAX_QUEUES queues and MAX_FAILED_JOBS jobs from huge lists', () => {
    fc.assert(
      fc.property(hugeArray(wellFormedQueue().map((c) => c.raw)), hugeArray(anyJob), (queues, jobs) => {
        expect(readQueues(queues).length).toBeLessThanOrEqual(MAX_QUEUES);
        const queue = readQueue({ name: 'q', size: {}, failedSample: jobs });
        expect(queue?.failedSample.length).toBeLessThanOrEqual(MAX_FAILED_JOBS);
      }),
      fuzzParameters(0.1)
    );
  });

  it('read a well-formed queue back to the same values', () => {
    fc.assert(
      fc.property(wellFormedQueue(), ({ raw, view }) => {
        expect(readQueue(raw)).toEqual(view);
      }),
      fuzzParameters()
    );
  });

  it('leave Object.prototype as it was, and read states named like its members as states', () => {
    const before = prototypeSnapshot();
    fc.assert(
      fc.property(anyQueue, fc.subarray([...PROTOTYPE_KEYS]), (value, states) => {
        readQueue(value);
        const size = ownObject(states.map((state, i) => [state, i + 1]));
        const queue = readQueue({ name: 'q', size });
        expect(queue?.counts).toEqual(states.map((state, i) => ({ state, count: i + 1 })));
        expect(prototypeSnapshot()).toEqual(before);
      }),
      fuzzParameters()
    );
  });

  it('read no inherited property as data', () => {
    fc.assert(
      fc.property(wellFormedQueue(), ({ raw }) => {
        expect(readQueue(Object.create(raw))).toBeNull();
        expect(readQueue(Object.assign(Object.create(raw), { name: 'own' }))).toMatchObject({
          driver: null,
          counts: [],
          failedSample: [],
          paused: false,
          actions: [],
        });
      }),
      fuzzParameters()
    );
  });
});
