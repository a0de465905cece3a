/**
 * fast-check generators of the replies a reader must survive: any JSON, keys named like members
 * of `Object.prototype` (as own keys, the way `JSON.parse` makes them), numbers at and past every
 * edge a reader bounds, strings past every length bound, deep nesting, huge arrays, and a valid
 * value with hostile values written into the places a reader looks.
 */
import fc from 'fast-check';

/** Keys that find something on a plain object that does not have them. */
export const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'toLocaleString',
  '__defineGetter__',
] as const;

/** Numbers at and past the edges: `Date`'s range, safe integers, 1 EiB, doubles, signs, percentages. */
export const EXTREME_NUMBERS: readonly number[] = [
  0,
  -0,
  -1,
  0.5,
  100.0001,
  1e16,
  -1e16,
  8.64e15,
  8.64e15 + 1,
  2 ** 31,
  2 ** 53,
  2 ** 53 + 2,
  2 ** 60 + 1,
  2 ** 64,
  1e308,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
];

/** An object whose entries are all own data properties, `__proto__` included, as `JSON.parse` builds them. */
export function ownObject(entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A number from {@link EXTREME_NUMBERS}, or any double or integer JSON can carry. */
export function extremeNumber(): fc.Arbitrary<number> {
  return fc.oneof(
    fc.constantFrom(...EXTREME_NUMBERS),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer()
  );
}

/** Strings just past and far past the length bounds, with astral characters across the cut. */
export function longString(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(129, 257, 513, 5000, 100_000), fc.constantFrom('x', '😀', 'a😀'))
    .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));
}

/** An object key: an `Object.prototype` member name, a field name a reader looks for, or any short string. */
export function hostileKey(fieldNames: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...PROTOTYPE_KEYS),
    fieldNames.length > 0 ? fc.constantFrom(...fieldNames) : fc.string({ maxLength: 6 }),
    fc.string({ maxLength: 6 })
  );
}

/** Any JSON value, its objects keyed by {@link hostileKey}s, its leaves extreme. */
export function hostileJson(fieldNames: readonly string[] = []): fc.Arbitrary<unknown> {
  const { value } = fc.letrec<{ value: unknown; leaf: unknown; array: unknown[]; object: unknown }>((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('array'), tie('object')),
    leaf: fc.oneof(fc.constant(null), fc.boolean(), extremeNumber(), fc.string(), longString()),
    array: fc.array(tie('value'), { maxLength: 8 }),
    object: fc.array(fc.tuple(hostileKey(fieldNames), tie('value')), { maxLength: 8 }).map(ownObject),
  }));
  return value;
}

/** A value nested thousands deep, alternating arrays and objects keyed by `key`. */
export function deeplyNested(keys: readonly string[] = ['id']): fc.Arbitrary<unknown> {
  return fc.tuple(fc.integer({ min: 100, max: 5000 }), fc.constantFrom(...keys)).map(([depth, key]) => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) {
      value = i % 2 === 0 ? [value] : ownObject([[key, value]]);
    }
    return value;
  });
}

/** An array of tens of thousands of copies of one entry (`lengths` to pick from). */
export function hugeArray(
  entry: fc.Arbitrary<unknown>,
  lengths: readonly number[] = [10_000, 100_000]
): fc.Arbitrary<unknown[]> {
  return fc.tuple(fc.constantFrom(...lengths), entry).map(([length, item]) => new Array<unknown>(length).fill(item));
}

/** `{"__proto__": {...}}` and friends: what would pollute `Object.prototype` if merged into `{}`. */
export function pollutingObject(): fc.Arbitrary<unknown> {
  return fc.constantFrom(...PROTOTYPE_KEYS).map((key) =>
    ownObject([
      [
        key,
        ownObject([
          ['polluted', true],
          ['id', 'inherited'],
        ]),
      ],
    ])
  );
}

/** A value a reader may meet in any one place: JSON, or anything JavaScript has, at any size. */
export function hostileValue(fieldNames: readonly string[] = []): fc.Arbitrary<unknown> {
  return fc.oneof(
    hostileJson(fieldNames),
    fc.jsonValue(),
    fc.constantFrom(NaN, Infinity, -Infinity, undefined),
    extremeNumber(),
    longString(),
    pollutingObject(),
    deeplyNested(fieldNames.length > 0 ? fieldNames : ['id']),
    hugeArray(fc.oneof(hostileJson(fieldNames), fc.constant(null))),
    fc.anything({ withBigInt: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true })
  );
}

/** A path into a value: object keys and array indexes. */
export type Path = ReadonlyArray<string | number>;

/** A copy of `value` with `leaf` written at `path`, creating what is missing on the way. */
export function setPath(value: unknown, path: Path, leaf: unknown): unknown {
  if (path.length === 0) {
    return leaf;
  }
  const [key, ...rest] = path;
  if (typeof key === 'number') {
    const list = Array.isArray(value) ? [...(value as unknown[])] : [];
    list[key] = setPath(list[key], rest, leaf);
    return list;
  }
  const base = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : [];
  const current = base.find(([k]) => k === key)?.[1];
  return ownObject([...base.filter(([k]) => k !== key), [key, setPath(current, rest, leaf)]]);
}

/** `valid`, with one to six of `paths` overwritten by {@link hostileValue}s. */
export function mutated(
  valid: fc.Arbitrary<unknown>,
  paths: readonly Path[],
  fieldNames: readonly string[]
): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      valid,
      fc.array(fc.tuple(fc.constantFrom(...paths), hostileValue(fieldNames)), { minLength: 1, maxLength: 6 })
    )
    .map(([value, edits]) => edits.reduce<unknown>((out, [path, leaf]) => setPath(out, path, leaf), value));
}

/** Every string in `value` (own enumerable properties, recursively). */
export function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    out.push(value);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) {
      stringsIn(item, out);
    }
  }
  return out;
}

/** Every number in `value` (own enumerable properties, recursively). */
export function numbersIn(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') {
    out.push(value);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) {
      numbersIn(item, out);
    }
  }
  return out;
}

/** The own property names of `Object.prototype`, to compare before and after reading. */
export function prototypeSnapshot(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}
