/**
 * The collector's memory of nodes: the latest valid heartbeat of each key, its age on the
 * Redis clock, and nodes whose key expired (reported offline until forgotten). Age and status
 * follow the schema's one definition (`ageOf`, `statusOf`).
 */
import { ageOf, parseHeartbeat, statusOf } from '@gravito/quasar/schema';
import type { Heartbeat } from '@gravito/quasar/schema';
import type { NodeView } from './node-view';
import type { RawNode } from './read-nodes';
import type { Rejections } from './rejections';

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
}

export interface RegistryUpdate {
  /** Keys that no longer exist (to prune from the index). */
  missing: string[];
  /** Payloads accepted this cycle (new or changed). */
  parsed: number;
}

export class NodeRegistry {
  private readonly records = new Map<string, NodeRecord>();
  /** The last rejected payload of each key: unchanged, it is neither parsed nor counted again. */
  private readonly rejected = new Map<string, string>();

  constructor(
    private readonly rejections: Rejections,
    private readonly maxPayloadBytes: number,
    private readonly forgetAfterMs: number,
  ) {}

  /**
   * Applies one cycle's reads of every discovered key. `redisNowMs` is the server's TIME at
   * the read. A remembered key absent from `raws` was deleted (an agent's clean stop).
   */
  update(raws: readonly RawNode[], redisNowMs: number): RegistryUpdate {
    const cycle = { missing: [] as string[], parsed: 0, seen: new Set<string>() };
    this.apply(raws, redisNowMs, cycle);
    return this.finish(redisNowMs, cycle);
  }

  /** {@link update} over chunks arriving in order: each is parsed as soon as it lands. */
  async updateChunks(
    chunks: ReadonlyArray<Promise<readonly RawNode[]>>,
    redisNowMs: number,
  ): Promise<RegistryUpdate> {
    const cycle = { missing: [] as string[], parsed: 0, seen: new Set<string>() };
    // Every chunk gets a handler at once, so a later one failing is never left unhandled.
    for (const chunk of chunks) chunk.catch(() => undefined);
    for (const chunk of chunks) this.apply(await chunk, redisNowMs, cycle);
    return this.finish(redisNowMs, cycle);
  }

  private apply(raws: readonly RawNode[], redisNowMs: number, cycle: CycleState): void {
    for (const { key, value, pttlMs } of raws) {
      cycle.seen.add(key);
      const previous = this.records.get(key);
      if (value === null) {
        cycle.missing.push(key);
        this.rejections.clear(key);
        this.rejected.delete(key);
        if (previous) previous.present = false;
        continue;
      }
      if (previous && previous.raw === value) {
        // Unchanged since the last read: only its age moves.
        previous.present = true;
        previous.beatAtMs = redisNowMs - ageOf(previous.heartbeat, pttlMs, redisNowMs);
        continue;
      }
      if (this.rejected.get(key) === value) continue;
      if (value.length > this.maxPayloadBytes || Buffer.byteLength(value) > this.maxPayloadBytes) {
        this.rejected.set(key, value);
        this.rejections.reject(key, 'oversized', `${Buffer.byteLength(value)} bytes`);
        continue;
      }
      const result = parseHeartbeat(value);
      if (!result.ok) {
        this.rejected.set(key, value);
        this.rejections.reject(key, 'invalid', result.error);
        continue;
      }
      this.rejected.delete(key);
      this.rejections.clear(key);
      cycle.parsed++;
      const heartbeat = result.value;
      this.records.set(key, {
        key,
        raw: value,
        heartbeat,
        beatAtMs: redisNowMs - ageOf(heartbeat, pttlMs, redisNowMs),
        present: true,
      });
    }
  }

  private finish(redisNowMs: number, cycle: CycleState): RegistryUpdate {
    for (const record of this.records.values()) {
      if (!cycle.seen.has(record.key)) record.present = false;
    }
    // Bad payloads are remembered only while their key is still discovered.
    for (const key of this.rejected.keys()) if (!cycle.seen.has(key)) this.rejected.delete(key);
    this.forget(redisNowMs);
    return { missing: cycle.missing, parsed: cycle.parsed };
  }

  private forget(redisNowMs: number): void {
    for (const [key, record] of this.records) {
      if (!record.present && redisNowMs - record.beatAtMs > this.forgetAfterMs) {
        this.records.delete(key);
      }
    }
  }

  /** Every remembered node with its status at `redisNowMs`. */
  views(redisNowMs: number): NodeView[] {
    const views: NodeView[] = [];
    for (const record of this.records.values()) {
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
