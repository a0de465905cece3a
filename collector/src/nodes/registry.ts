/**
 * The collector's memory of nodes: the latest valid heartbeat of each key, its age on the
 * Redis clock, and nodes whose key expired (reported offline until forgotten). Age and status
 * follow the schema's one definition (`ageOf`, `statusOf`). A node is one service and node id,
 * whichever key layout its beat came in: an agent moving from v1 to v2 keys has both keys for
 * a TTL, and is seen once, by its newer beat.
 */
import { createHash } from 'node:crypto';
import { ageOf, parseHeartbeat, parseNodeKey, statusOf } from '@gravito/quasar/schema';
import type { Heartbeat } from '@gravito/quasar/schema';
import type { NodeView } from './node-view';
import type { NodeChunk, RawNode } from './read-nodes';
import type { RejectReason, Rejections } from './rejections';

interface NodeRecord {
  key: string;
  raw: string;
  heartbeat: Heartbeat;
  beatAtMs: number;
  /** False once the key has expired. */
  present: boolean;
}

interface CycleState {
  missing: string[];
  parsed: number;
  seen: Set<string>;
  /** The latest Redis TIME a chunk was read at. */
  readAtMs: number;
}

export interface RegistryUpdate {
  /** Keys that no longer exist (to prune from the index). */
  missing: string[];
  /** Payloads accepted this cycle (new or changed). */
  parsed: number;
  /**
   * The Redis TIME of the last chunk read, or the `redisNowMs` given when later: ages are
   * exact at this time (each beat is aged at its own chunk's TIME).
   */
  readAtMs: number;
}

/**
 * What identifies a rejected payload without keeping it (a rejected value may be as large as
 * the limit, per key): its size for one left unread, a digest of one that was read. Unchanged,
 * it is neither parsed nor counted again. Computed only for keys that were rejected.
 */
const fingerprintOf = (raw: RawNode): string =>
  raw.value === null
    ? `unread:${raw.bytes}`
    : createHash('sha1').update(raw.value).digest('base64');

type Verdict =
  { ok: true; heartbeat: Heartbeat } | { ok: false; reason: RejectReason; detail: string };

const rejected = (reason: RejectReason, detail: string): Verdict => ({ ok: false, reason, detail });

/** Whether `a` is the beat to show rather than `b`, both of one node. */
const newer = (a: NodeRecord, b: NodeRecord): boolean =>
  a.present !== b.present ? a.present : a.beatAtMs > b.beatAtMs;

export class NodeRegistry {
  private readonly records = new Map<string, NodeRecord>();
  /** The fingerprint of the last rejected payload of each key. */
  private readonly rejected = new Map<string, string>();

  constructor(
    private readonly rejections: Rejections,
    private readonly maxPayloadBytes: number,
    private readonly forgetAfterMs: number,
  ) {}

  /**
   * Applies one cycle's reads of every discovered key. `redisNowMs` is the server's TIME at
   * the start of the read (each beat is aged at its own chunk's TIME). A remembered key absent from `raws` was deleted (an agent's clean stop).
   */
  update(raws: readonly RawNode[], redisNowMs: number): RegistryUpdate {
    const cycle = {
      missing: [] as string[],
      parsed: 0,
      seen: new Set<string>(),
      readAtMs: redisNowMs,
    };
    this.apply(raws, redisNowMs, cycle);
    return this.finish(redisNowMs, cycle);
  }

  /**
   * {@link update} over chunks arriving in order: each is parsed as soon as it lands. A chunk
   * whose read fails leaves its nodes as they were and is reported to `onChunkError`; when
   * every chunk fails, the first error is thrown, as the cycle then read nothing.
   */
  async updateChunks(
    chunks: readonly NodeChunk[],
    redisNowMs: number,
    onChunkError: (error: unknown) => void,
  ): Promise<RegistryUpdate> {
    const cycle = {
      missing: [] as string[],
      parsed: 0,
      seen: new Set<string>(),
      readAtMs: redisNowMs,
    };
    let failed = 0;
    for (const chunk of chunks) {
      let raws: readonly RawNode[];
      try {
        raws = await chunk.raws;
      } catch (error) {
        if (++failed === chunks.length) throw error;
        onChunkError(error);
        for (const key of chunk.keys) cycle.seen.add(key);
        continue;
      }
      this.apply(raws, redisNowMs, cycle);
    }
    return this.finish(redisNowMs, cycle);
  }

  private apply(raws: readonly RawNode[], redisNowMs: number, cycle: CycleState): void {
    for (const raw of raws) {
      const { key, value, pttlMs, readAtMs } = raw;
      if (readAtMs > cycle.readAtMs) cycle.readAtMs = readAtMs;
      cycle.seen.add(key);
      const previous = this.records.get(key);
      if (pttlMs === -2) {
        cycle.missing.push(key);
        this.rejections.clear(key);
        this.rejected.delete(key);
        if (previous) previous.present = false;
        continue;
      }
      if (previous && value !== null && previous.raw === value) {
        // Unchanged since the last read: only its age moves.
        previous.present = true;
        previous.beatAtMs = readAtMs - ageOf(previous.heartbeat, pttlMs, readAtMs);
        continue;
      }
      // A node whose key holds a bad value keeps its last good beat, which ages into stale.
      const lastRejected = this.rejected.get(key);
      const fingerprint = lastRejected === undefined ? undefined : fingerprintOf(raw);
      if (fingerprint !== undefined && fingerprint === lastRejected) continue;
      const verdict = this.judge(raw);
      if (!verdict.ok) {
        this.rejected.set(key, fingerprint ?? fingerprintOf(raw));
        this.rejections.reject(key, verdict.reason, verdict.detail);
        continue;
      }
      const { heartbeat } = verdict;
      this.rejected.delete(key);
      this.rejections.clear(key);
      cycle.parsed++;
      this.records.set(key, {
        key,
        raw: value as string,
        heartbeat,
        beatAtMs: readAtMs - ageOf(heartbeat, pttlMs, readAtMs),
        present: true,
      });
    }
  }

  /**
   * The heartbeat in `raw`, or why it cannot be used. The body must name the node its key
   * names: an agent may not report as another service.
   */
  private judge(raw: RawNode): Verdict {
    if (raw.oversized) {
      return rejected('oversized', `${raw.bytes} bytes, over ${this.maxPayloadBytes}`);
    }
    if (raw.bytes < 0) return rejected('invalid', 'not a string key');
    const { value } = raw;
    if (value === null) return rejected('invalid', 'empty, or gone during the read');
    // STRLEN came before the read: a value rewritten in between is measured again.
    const bytes = Buffer.byteLength(value);
    if (bytes > this.maxPayloadBytes) return rejected('oversized', `${bytes} bytes`);
    const result = parseHeartbeat(value);
    if (!result.ok) return rejected('invalid', result.error);
    const { service, id } = result.value;
    const named = parseNodeKey(raw.key);
    if (named?.service !== service || named.nodeId !== id) {
      return rejected(
        'mismatch',
        `body says service ${JSON.stringify(service)}, node ${JSON.stringify(id)}`,
      );
    }
    return { ok: true, heartbeat: result.value };
  }

  private finish(redisNowMs: number, cycle: CycleState): RegistryUpdate {
    for (const record of this.records.values()) {
      if (!cycle.seen.has(record.key)) record.present = false;
    }
    // Bad payloads are remembered only while their key is still discovered.
    for (const key of this.rejected.keys()) if (!cycle.seen.has(key)) this.rejected.delete(key);
    this.forget(redisNowMs);
    return { missing: cycle.missing, parsed: cycle.parsed, readAtMs: cycle.readAtMs };
  }

  private forget(redisNowMs: number): void {
    for (const [key, record] of this.records) {
      if (!record.present && redisNowMs - record.beatAtMs > this.forgetAfterMs) {
        this.records.delete(key);
      }
    }
  }

  /**
   * Every remembered node with its status at `redisNowMs`, once: of a node remembered under
   * both layouts' keys, the newer beat (a live key before an expired one).
   */
  views(redisNowMs: number): NodeView[] {
    const newest = new Map<string, NodeRecord>();
    for (const record of this.records.values()) {
      const node = `${record.heartbeat.service}\u0000${record.heartbeat.id}`;
      const other = newest.get(node);
      if (!other || newer(record, other)) newest.set(node, record);
    }
    const views: NodeView[] = [];
    for (const record of newest.values()) {
      const ageMs = Math.max(0, redisNowMs - record.beatAtMs);
      const status = statusOf(record.heartbeat, { ageMs, present: record.present });
      views.push({
        key: record.key,
        heartbeat: record.heartbeat,
        status,
        ageMs,
        beatAtMs: record.beatAtMs,
      });
    }
    return views;
  }

  get size(): number {
    return this.records.size;
  }
}
