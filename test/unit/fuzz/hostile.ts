/**
 * Hostile values for the fuzz tests: every JavaScript type, the numbers that break naive checks,
 * huge strings, deep nesting and prototype-pollution keys. Kept apart from the schema-derived
 * arbitraries so both IPC and CLI fuzzing can share them.
 */
import fc from 'fast-check';

/** Keys that pollute or shadow Object.prototype when code copies them naively. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'] as const;

/** Numbers that slip past `typeof x === 'number'`: NaN, ±Infinity, -0, extremes, unsafe integers. */
export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    Number.NaN,
    Infinity,
    -Infinity,
    -0,
    0,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.MIN_VALUE,
    2 ** 53,
    -(2 ** 53),
    1e308,
    -1e308,
    2 ** 31,
    -1,
  ),
  fc.double(),
  fc.integer(),
);

/** About a megabyte of text; built with repeat() because generating it char by char is slow. */
export const megabyteString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('x', 'é', '\u0000', '🙂', '../', '"'), fc.integer({ min: 1 << 20, max: (1 << 20) + 64 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)));

/** An object (or array) nested `depth` levels deep: recursion in a validator or JSON.stringify overflows. */
export function nested(depth: number, isArray: boolean): unknown {
  let value: unknown = isArray ? [] : {};
  for (let i = 0; i < depth; i++) value = isArray ? [value] : { a: value };
  return value;
}

export const deepValue: fc.Arbitrary<unknown> = fc
  .tuple(fc.integer({ min: 1_000, max: 10_000 }), fc.boolean())
  .map(([depth, isArray]) => nested(depth, isArray));

/** Typed arrays of every kind: objects with numeric own keys that are not Arrays. */
export const typedArray: fc.Arbitrary<unknown> = fc.oneof(
  fc.float32Array({ maxLength: 800 }),
  fc.int8Array({ maxLength: 8 }),
  fc.uint8ClampedArray({ maxLength: 8 }),
  fc.float64Array({ maxLength: 8 }),
  fc.bigInt64Array({ maxLength: 8 }),
);

/** Values that are not plain data and cannot travel as JSON. */
export const exoticValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.bigInt(),
  fc.string().map((description) => Symbol(description)),
  fc.func(fc.anything()),
  fc.date({ noInvalidDate: false }),
  typedArray,
  fc.constant(new Map([['runId', 'r1']])),
  fc.constant(new Set([1])),
  fc.constant(new ArrayBuffer(8)),
  fc.constant(/regex/),
  fc.constant(new Error('error as payload')),
  fc.constant(Promise.resolve(1)),
);

/**
 * A value of any type, never undefined (an absent field is valid almost everywhere, so it is
 * tested separately). Every case above plus fast-check's own random values; the megabyte and
 * deeply nested ones are expensive to build and to check, so they come up less often.
 */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: nastyNumber, weight: 4 },
  { arbitrary: fc.string({ unit: 'binary' }), weight: 4 },
  { arbitrary: fc.constantFrom('', ' ', '128', '1e3', '0x10', 'NaN', 'null', 'true', '[]', '{}', '__proto__'), weight: 2 },
  { arbitrary: megabyteString, weight: 1 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: exoticValue, weight: 4 },
  { arbitrary: fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 5 }), weight: 4 },
  { arbitrary: fc.object({ maxDepth: 2 }), weight: 4 },
  { arbitrary: deepValue, weight: 1 },
  { arbitrary: protoKeyObject(), weight: 2 },
);

/**
 * An object whose own keys include a prototype-pollution key, built by JSON.parse exactly as a
 * JSON transport would build it (a literal `{ __proto__: … }` would set the prototype instead).
 */
export function protoKeyObject(): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(fc.constantFrom(...PROTO_KEYS), fc.jsonValue({ maxDepth: 2 }))
    .map(
      ([key, value]) => JSON.parse(`{${JSON.stringify(key)}: {"polluted": ${JSON.stringify(value) ?? 'null'}}}`) as Record<string, unknown>,
    );
}

/** A copy of `target` with an extra own enumerable key, `__proto__` included, as JSON.parse makes it. */
export function withOwnKey(target: object, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...target };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A Proxy whose every trap throws: reading anything about it fails. */
function throwingProxy(): object {
  const trap = (name: string) => () => {
    throw new Error(`proxy ${name} trap`);
  };
  return new Proxy(
    {},
    {
      get: trap('get'),
      ownKeys: trap('ownKeys'),
      getPrototypeOf: trap('getPrototypeOf'),
      has: trap('has'),
      getOwnPropertyDescriptor: trap('descriptor'),
    },
  );
}

/** A getter that throws when `key` is read. */
function throwingGetter(key: string): object {
  return Object.defineProperty({}, key, {
    enumerable: true,
    get() {
      throw new Error(`getter ${key} throws`);
    },
  });
}

/**
 * Makers of payloads that throw when read: a throwing getter, a Proxy whose traps throw, a
 * throwing toJSON. Factories rather than values, because fast-check itself probes generated
 * values (`cloneMethod in value`), which would trip the proxy before the test sees it.
 */
export const throwingPayloadMaker: fc.Arbitrary<() => unknown> = fc.oneof(
  fc.constantFrom('runId', 'hyperparams', 'pixels', 'destination', 'units').map((key) => () => throwingGetter(key)),
  fc.constant(throwingProxy),
  fc.constant(() => ({
    toJSON() {
      throw new Error('toJSON throws');
    },
  })),
);

/** Values JSON.stringify cannot write: BigInt anywhere, cycles, very deep nesting. */
export const unserializable: fc.Arbitrary<unknown> = fc.oneof(
  fc.bigInt(),
  fc.bigInt().map((n) => ({ nested: { n } })),
  fc.constant(null).map(() => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    return cycle;
  }),
  fc.integer({ min: 20_000, max: 40_000 }).map((depth) => nested(depth, false)),
);

/** Snapshot of the built-in prototypes' own keys, to prove nothing was polluted. */
export function prototypeSnapshot(): string[] {
  const keys = (proto: object, label: string) => Reflect.ownKeys(proto).map((key) => `${label}.${String(key)}`);
  return [...keys(Object.prototype, 'Object'), ...keys(Array.prototype, 'Array'), ...keys(Function.prototype, 'Function')].sort();
}
