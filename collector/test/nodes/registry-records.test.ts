/**
 * What the registry remembers per key between cycles (the record, the key's parse, the twin
 * under the other layout, which keys a cycle saw), against reads built as `readNodes` returns
 * them: each remembered shortcut must give what a fresh look at the key would.
 */
import { QuasarKeys } from '@gravito/quasar/schema';
import type { Heartbeat } from '@gravito/quasar/schema';
import type { RawNode } from '../../src/nodes/read-nodes';
import { NodeRegistry } from '../../src/nodes/registry';
import { Rejections } from '../../src/nodes/rejections';
import { beat } from '../support/beats';

const NOW = 1_800_000_000_000;
const TTL_MS = 30_000;

const silent = { warn(): void {} };

/** A read of `key` holding `heartbeat`, `ageMs` old by its TTL, at `atMs`. */
function rawOf(key: string, heartbeat: Heartbeat | null, atMs = NOW, ageMs = 0): RawNode {
  const value = heartbeat === null ? null : JSON.stringify(heartbeat);
  return {
    key,
    value,
    pttlMs: value === null ? -2 : TTL_MS - ageMs,
    bytes: value === null ? 0 : Buffer.byteLength(value),
    oversized: false,
    readAtMs: atMs,
  };
}

describe('NodeRegistry records', () => {
  let rejections: Rejections;
  let registry: NodeRegistry;
  const v1 = QuasarKeys.node('orders', 'web-1');
  const v2 = QuasarKeys.v2.node('orders', 'web-1');
  const other = QuasarKeys.node('billing', 'web-2');

  beforeEach(() => {
    rejections = new Rejections(silent);
    registry = new NodeRegistry(rejections, 256 * 1024, 10_000);
  });

  it('still refuses a body naming another service after the key was accepted', () => {
    registry.update([rawOf(v1, beat('orders', 'web-1', NOW))], NOW);
    registry.update([rawOf(v1, beat('billing', 'web-1', NOW + 1000), NOW + 1000)], NOW + 1000);
    registry.update([rawOf(v1, beat('orders', 'web-9', NOW + 2000), NOW + 2000)], NOW + 2000);
    expect(rejections.totals.mismatch).toBe(2);
    const [view] = registry.views(NOW + 2000);
    expect(view?.heartbeat).toMatchObject({ service: 'orders', id: 'web-1', timestamp: NOW });
  });

  it('takes a changed body of an accepted key as its new beat', () => {
    registry.update([rawOf(v1, beat('orders', 'web-1', NOW))], NOW);
    const update = registry.update(
      [rawOf(v1, { ...beat('orders', 'web-1', NOW + 1000), pid: 77 }, NOW + 1000)],
      NOW + 1000,
    );
    expect(update.parsed).toBe(1);
    expect(registry.views(NOW + 1000).map((v) => v.heartbeat.pid)).toEqual([77]);
  });

  it('lists a node under both layouts once, by its newer beat, where its first key stood', () => {
    registry.update(
      [
        rawOf(v1, beat('orders', 'web-1', NOW), NOW, 5000),
        rawOf(other, beat('billing', 'web-2', NOW)),
        rawOf(v2, beat('orders', 'web-1', NOW), NOW, 1000),
      ],
      NOW,
    );
    expect(registry.views(NOW).map((v) => [v.key, v.ageMs])).toEqual([
      [v2, 1000],
      [other, 0],
    ]);
    // The v2 key expires: its live v1 twin is the one to show.
    registry.update(
      [rawOf(v1, beat('orders', 'web-1', NOW), NOW, 5000), rawOf(other, beat('billing', 'web-2'))],
      NOW,
    );
    expect(registry.views(NOW).map((v) => [v.key, v.status])).toEqual([
      [v1, 'online'],
      [other, 'online'],
    ]);
  });

  it('links a twin that appears after its node, and shows the other alone once it is forgotten', () => {
    registry.update([rawOf(v2, beat('orders', 'web-1', NOW), NOW, 1000)], NOW);
    registry.update(
      [
        rawOf(v2, beat('orders', 'web-1', NOW), NOW, 1000),
        rawOf(v1, beat('orders', 'web-1', NOW), NOW, 5000),
      ],
      NOW,
    );
    expect(registry.views(NOW).map((v) => v.key)).toEqual([v2]);
    // v2 stops being discovered, and is forgotten past forgetAfterMs while v1 beats on.
    const later = NOW + 20_000;
    registry.update([rawOf(v1, beat('orders', 'web-1', later), later)], later);
    expect(registry.size).toBe(1);
    expect(registry.views(later).map((v) => [v.key, v.status])).toEqual([[v1, 'online']]);
  });

  it('keeps a bad payload counted once while its key is read, and forgets it once it is not', () => {
    const bad = { ...rawOf(other, null), value: '{', pttlMs: TTL_MS, bytes: 1 };
    registry.update([bad], NOW);
    registry.update([bad], NOW);
    expect(rejections.totals.invalid).toBe(1);
    registry.update([], NOW);
    registry.update([bad], NOW);
    expect(rejections.totals.invalid).toBe(2);
  });

  it('keeps the nodes of a chunk whose read failed, and their bad payloads remembered', async () => {
    const bad = { ...rawOf(other, null), value: '{', pttlMs: TTL_MS, bytes: 1 };
    registry.update([rawOf(v1, beat('orders', 'web-1', NOW)), bad], NOW);
    const failed = Promise.reject(new Error('chunk lost'));
    const errors: unknown[] = [];
    await registry.updateChunks(
      [
        { keys: [v1, other], raws: failed },
        { keys: [], raws: Promise.resolve([]) },
      ],
      NOW,
      (error) => errors.push(error),
    );
    expect(errors).toHaveLength(1);
    expect(registry.views(NOW).map((v) => [v.key, v.status])).toEqual([[v1, 'online']]);
    registry.update([rawOf(v1, beat('orders', 'web-1', NOW)), bad], NOW);
    expect(rejections.totals.invalid).toBe(1);
  });
});
