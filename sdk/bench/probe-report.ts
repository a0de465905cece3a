/**
 * Rounds, medians and ratios for the probe benchmark, and how they are printed: one table of
 * per-read medians, one of ratios, and the JSON fields of both.
 */
import type { Redis } from 'ioredis';
import { median } from './cpu-clock';
import { measureBatch } from './redis-cost';
import type { BatchCost } from './redis-cost';

/** One thing measured: a named read. */
export interface Subject {
  name: string;
  op: () => Promise<unknown>;
}

/** The per-read costs a ratio is taken of. */
export type Metric = 'cpuUs' | 'redisCpuUs' | 'wallUs';

/** Median per metric of one subject's rounds. */
export type Medians = Record<Metric | 'commands', number>;

/** `a ÷ b`, per metric. */
export type Ratios = Record<Metric, number>;

const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const cell = (n: number, width: number, digits = 1) => n.toFixed(digits).padStart(width);

/**
 * `items` in an order drawn from `seed` (Fisher–Yates driven by mulberry32): the same seed
 * gives the same order in every run, and different seeds give different neighbours.
 */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * Runs every subject `ops` times per round, in a shuffled order each round: whichever subject
 * runs just before another leaves it garbage to collect, so no pair may stay neighbours in
 * every round. Returns each subject's medians across rounds.
 */
export async function measureRounds(
  subjects: readonly Subject[],
  rounds: number,
  ops: number,
  stats: Redis,
): Promise<Map<string, Medians>> {
  const costs = new Map<string, BatchCost[]>(subjects.map((s) => [s.name, []]));
  for (let i = 0; i < rounds; i++) {
    for (const subject of shuffled(subjects, i)) {
      costs.get(subject.name)?.push(await measureBatch(subject.op, ops, stats));
    }
  }
  const medians = new Map<string, Medians>();
  for (const [name, list] of costs) {
    const of = (m: Metric | 'commands') => median(list.map((c) => c[m]));
    medians.set(name, {
      cpuUs: of('cpuUs'),
      redisCpuUs: of('redisCpuUs'),
      wallUs: of('wallUs'),
      commands: of('commands'),
    });
  }
  return medians;
}

/** `a ÷ b`, per metric. */
export function ratios(a: Medians, b: Medians): Ratios {
  return {
    cpuUs: a.cpuUs / b.cpuUs,
    redisCpuUs: a.redisCpuUs / b.redisCpuUs,
    wallUs: a.wallUs / b.wallUs,
  };
}

/** Prints one row of medians per subject. */
export function printMedians(medians: Map<string, Medians>, rounds: number, ops: number): void {
  console.log(`\nPer read, median of ${rounds} rounds (${ops} reads of each per round)`);
  console.log(
    `${'subject'.padEnd(24)}${'client cpu µs'.padStart(15)}${'redis cpu µs'.padStart(14)}${'wall µs'.padStart(11)}${'commands'.padStart(10)}`,
  );
  for (const [name, m] of medians) {
    console.log(
      `${name.padEnd(24)}${cell(m.cpuUs, 15)}${cell(m.redisCpuUs, 14)}${cell(m.wallUs, 11)}${cell(m.commands, 10)}`,
    );
  }
}

/** Prints one row per ratio. */
export function printRatios(rows: Record<string, Ratios>): void {
  const width = Math.max(...Object.keys(rows).map((name) => name.length)) + 2;
  console.log(
    `\n${'ratio'.padEnd(width)}${'client cpu'.padStart(12)}${'redis cpu'.padStart(12)}${'wall'.padStart(10)}`,
  );
  for (const [name, r] of Object.entries(rows)) {
    console.log(
      `${name.padEnd(width)}${cell(r.cpuUs, 12, 3)}${cell(r.redisCpuUs, 12, 3)}${cell(r.wallUs, 10, 3)}`,
    );
  }
}

/** A ratio's JSON fields. */
export function ratioJson(r: Ratios): Record<string, number> {
  return {
    client_cpu: round(r.cpuUs, 3),
    redis_cpu: round(r.redisCpuUs, 3),
    wall: round(r.wallUs, 3),
  };
}

/** Each subject's medians as JSON, keyed by its name in snake case. */
export function mediansJson(medians: Map<string, Medians>): Record<string, unknown> {
  return Object.fromEntries(
    [...medians].map(([name, m]) => [
      name.replace(/ /g, '_'),
      {
        client_cpu_us: round(m.cpuUs),
        redis_cpu_us: round(m.redisCpuUs),
        wall_us: round(m.wallUs),
        commands: round(m.commands),
      },
    ]),
  );
}
