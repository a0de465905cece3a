/**
 * The collector's memory of nodes: the latest valid heartbeat of each key, its age on the
 * Redis clock, and nodes whose key expired (reported offline until forgotten). Age and status
 * follow the schema's one definition (`ageOf`, `statusOf`). A node is one service and node id,
 * whichever key layout its beat came in: an agent moving from v1 to v2 keys has both keys for
 * a TTL, and is seen once, by its newer beat.
 */
import { createHash } from 'node:crypto';
import { ageOf, parseHeartbeat, parseNodeKey } from '@gravito/quasar/schema';
import type { Heartbeat, NodeKeyParts } from '@gravito/quasar/schema';
import { addRecord, deleteRecord, listViews } from './node-record';
import type { NodeRecord } from './node-record';
import type { NodeView } from './node-view';
import type { NodeChunk, RawNode } from './read-nodes';
import type { RejectReason, Rejections } from './rejections';

interface CycleState {
  missing: string[];
  parsed: number;
  /** This update's number: what `seenIn` is set to for each key it reads. */
  seen: number;
  /** The latest Redis TIME a chunk was read at. */
  readAtMs: number;
}

/** The fingerprint of a key's last rejected payload, and the last update that read the key. */
interface Rejected {
  fingerprint: string;
  seenIn: number;
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
  | { ok: true; heartbeat: Heartbeat; named: NodeKeyParts }
  | { ok: false; reason: RejectReason; detail: string };

const rejected = (reason: RejectReason, detail: string): Verdict => ({ ok: false, reason, detail });

export class NodeRegistry {
  private readonly records = new Map<string, NodeRecord>();
  /** The last rejected payload of each key. */
  private readonly rejected = new Map<string, Rejected>();
  /** Updates so far: each marks the keys it reads with its number instead of a set of them. */
  private updates = 0;
  /** Listings so far (see `listViews`). */
  private listings = 0;

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
    const cycle: CycleState = {
      missing: [],
      parsed: 0,
      seen: ++this.updates,
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
    const cycle: CycleState = {
      missing: [],
      parsed: 0,
      seen: ++this.updates,
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
        for (const key of chunk.keys) this.markSeen(key, cycle.seen);
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
      const previous = this.records.get(key);
      if (previous) previous.seenIn = cycle.seen;
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
      let fingerprint: string | undefined;
      if (lastRejected) {
        lastRejected.seenIn = cycle.seen;
        fingerprint = fingerprintOf(raw);
        if (fingerprint === lastRejected.fingerprint) continue;
      }
      const verdict = this.judge(raw, previous?.named);
      if (!verdict.ok) {
        fingerprint ??= fingerprintOf(raw);
        if (lastRejected) lastRejected.fingerprint = fingerprint;
        else this.rejected.set(key, { fingerprint, seenIn: cycle.seen });
        this.rejections.reject(key, verdict.reason, verdict.detail);
        continue;
      }
      const { heartbeat } = verdict;
      if (lastRejected) this.rejected.delete(key);
      this.rejections.clear(key);
      cycle.parsed++;
      const beatAtMs = readAtMs - ageOf(heartbeat, pttlMs, readAtMs);
      if (previous) {
        // The record is the registry's own (views copy from it): updated, not replaced.
        previous.raw = value as string;
        previous.heartbeat = heartbeat;
        previous.beatAtMs = beatAtMs;
        previous.present = true;
        continue;
      }
      addRecord(this.records, {
        key,
        named: verdict.named,
        raw: value as string,
        heartbeat,
        beatAtMs,
        present: true,
        seenIn: cycle.seen,
        twin: undefined,
        listedIn: 0,
      });
    }
  }

  /** Marks `key` read by the update numbered `seen`, though its read failed. */
  private markSeen(key: string, seen: number): void {
    const record = this.records.get(key);
    if (record) record.seenIn = seen;
    const rejected = this.rejected.get(key);
    if (rejected) rejected.seenIn = seen;
  }

  /**
   * The heartbeat in `raw`, or why it cannot be used. The body must name the node its key
   * names: an agent may not report as another service. `named` is the key's parse when a beat
   * of it was accepted before (a key names the same node for good).
   */
  private judge(raw: RawNode, named = parseNodeKey(raw.key)): Verdict {
    if (raw.oversized) {
      return rejected('oversized', `${raw.bytes} bytes, over ${this.maxPayloadBytes}`);
    }
    if (raw.bytes < 0) return rejected('invalid', 'not a string key');
    const { value } = raw;
    if (value === null) return rejected('invalid', 'empty, or gone during the read');
    // STRLEN came before the read: a value rewritten in between is measured again, unless its
    // length alone keeps it within the limit (a UTF-16 code unit is at most 3 UTF-8 bytes).
    if (value.length * 3 > this.maxPayloadBytes) {
      const bytes = Buffer.byteLength(value);
      if (bytes > this.maxPayloadBytes) return rejected('oversized', `${bytes} bytes`);
    }
    const result = parseHeartbeat(value);
    if (!result.ok) return rejected('invalid', result.error);
    const { service, id } = result.value;
    if (named?.service !== service || named.nodeId !== id) {
      return rejected(
        'mismatch',
        `body says service ${JSON.stringify(service)}, node ${JSON.stringify(id)}`,
      );
    }
    return { ok: true, heartbeat: result.value, named };
  }

  private finish(redisNowMs: number, cycle: CycleState): RegistryUpdate {
    for (const record of this.records.values()) {
      if (record.seenIn !== cycle.seen) record.present = false;
    }
    // Bad payloads are remembered only while their key is still discovered.
    for (const [key, { seenIn }] of this.rejected) {
      if (seenIn !== cycle.seen) this.rejected.delete(key);
    }
    this.forget(redisNowMs);
    return { missing: cycle.missing, parsed: cycle.parsed, readAtMs: cycle.readAtMs };
  }

  private forget(redisNowMs: number): void {
    for (const record of this.records.values()) {
      if (!record.present && redisNowMs - record.beatAtMs > this.forgetAfterMs) {
        deleteRecord(this.records, record);
      }
    }
  }

  /**
   * Every remembered node with its status at `redisNowMs`, once: of a node remembered under
   * both layouts' keys, the newer beat (a live key before an expired one).
   */
  views(redisNowMs: number): NodeView[] {
    return listViews(this.records.values(), redisNowMs, ++this.listings);
  }

  get size(): number {
    return this.records.size;
  }
}
