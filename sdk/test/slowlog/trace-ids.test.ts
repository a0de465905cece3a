/**
 * Slow entries carry the active OTel span's ids. A real ContextManager (on AsyncLocalStorage)
 * makes a span active; `trace.wrapSpanContext` stands in for a tracer.
 */
import Redis from 'ioredis';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QuasarAgent } from '../../src';
import { traceIdsOf } from '../../src/slowlog/trace-ids';
import { claimDatabase, describeWithRedis, eventually } from '../../../testing/redis';
import { AsyncLocalContextManager } from './async-context-manager';
import { readSlowLog, silent } from './support';

const spanContext: SpanContext = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.SAMPLED,
};

const withSpan = <T>(sc: SpanContext, fn: () => T): T =>
  context.with(trace.setSpan(context.active(), trace.wrapSpanContext(sc)), fn);

describe('traceIdsOf', () => {
  it('gives the ids of a valid span context', () => {
    expect(traceIdsOf(spanContext)).toEqual({
      traceId: spanContext.traceId,
      spanId: spanContext.spanId,
    });
  });

  it('gives nothing for an invalid or absent one', () => {
    expect(traceIdsOf({ ...spanContext, traceId: '0'.repeat(32) })).toBeUndefined();
    expect(traceIdsOf({ ...spanContext, spanId: 'nope' })).toBeUndefined();
    expect(traceIdsOf(undefined)).toBeUndefined();
  });
});

describeWithRedis('slow entries and the active span (real Redis)', () => {
  let redis: Redis;
  let agent: QuasarAgent;

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalContextManager());
  });
  afterAll(() => {
    context.disable();
  });
  beforeEach(async () => {
    const url = await claimDatabase();
    redis = new Redis(url);
    agent = new QuasarAgent({
      service: 'traced',
      transport: { url },
      logger: silent,
      otel: { enabled: false },
      slowLog: { requestThresholdMs: 0, jobThresholdMs: 0 },
    });
    await agent.start();
  });
  afterEach(async () => {
    await agent.stop();
    await redis.quit();
  });

  it('adds traceId and spanId when a span is active, and only then', async () => {
    withSpan(spanContext, () => agent.recordSlow({ kind: 'job', name: 'in-span', durationMs: 1 }));
    agent.recordSlow({ kind: 'job', name: 'no-span', durationMs: 1 });
    withSpan({ ...spanContext, traceId: '0'.repeat(32) }, () =>
      agent.recordSlow({ kind: 'job', name: 'invalid-span', durationMs: 1 }),
    );
    await agent.stop();
    const stored = await readSlowLog(redis, 'traced');
    expect(stored.map((s) => [s.entry.name, s.entry.traceId, s.entry.spanId])).toEqual([
      ['in-span', spanContext.traceId, spanContext.spanId],
      ['no-span', undefined, undefined],
      ['invalid-span', undefined, undefined],
    ]);
  });

  it('links a timed request to the span active when it arrived, not when it finished', async () => {
    let respond: (res: ServerResponse) => void = () => undefined;
    const arrived = new Promise<ServerResponse>((resolve) => (respond = resolve));
    const server = createServer((_req, res) => respond(res));
    // What HTTP instrumentations do: emit 'request' inside the request's span.
    const emit = server.emit.bind(server);
    server.emit = ((event: string, ...args: unknown[]) =>
      event === 'request'
        ? withSpan(spanContext, () => emit(event, ...args))
        : emit(event, ...args)) as typeof server.emit;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      agent.instrumentHttpServer(server);
      const response = fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/traced`);
      // Answered from the test's own context, where no span is active.
      (await arrived).end('ok');
      await response;
      const [stored] = await eventually(async () => {
        const entries = await readSlowLog(redis, 'traced');
        return entries.length > 0 ? entries : undefined;
      });
      expect(stored!.entry).toMatchObject({
        name: 'GET /traced',
        traceId: spanContext.traceId,
        spanId: spanContext.spanId,
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
