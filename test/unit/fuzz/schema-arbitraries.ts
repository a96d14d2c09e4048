/**
 * Valid and invalid payloads derived from the zod schemas in common/api.ts, reading each
 * field's bounds from the schema itself (ZodNumber.minValue/maxValue/isInt, ZodEnum.options,
 * ZodString.maxLength), so the fuzz tests follow the contract when a bound changes.
 */
import fc from 'fast-check';
import { z } from 'zod';
import {
  MAX_SAVED_IMAGE_BASE64,
  MAX_SAVED_TEXT,
  MyDigitIdSchema,
  PIXEL_COUNT,
  PredictRequestSchema,
  RunRefSchema,
  SaveImageRequestSchema,
  SaveTextRequestSchema,
} from '../../../common/api';
import { RedisUrlSchema } from '../../../common/redis-url';
import { SweepRefSchema } from '../../../common/sweep';
import { deepValue, exoticValue, megabyteString, nastyNumber, PROTO_KEYS, withOwnKey } from './hostile';

/** A field's valid and invalid values; `isRequired` when leaving it out is an error. */
export interface FieldArbitraries {
  valid: fc.Arbitrary<unknown>;
  invalid: fc.Arbitrary<unknown>;
  isRequired: boolean;
}

const RUN_ID = RunRefSchema.shape.runId;
const SWEEP_ID = SweepRefSchema.shape.sweepId;
const DIGIT_ID = MyDigitIdSchema;
const SAVED_TEXT = SaveTextRequestSchema.shape.text;
const SAVED_PNG = SaveImageRequestSchema.shape.png;
const PIXELS = PredictRequestSchema.shape.pixels;

/** Values of the wrong type for a field of `kind` ('number' | 'string' | 'object' | 'array'). */
function wrongType(kind: 'number' | 'string' | 'object' | 'array', isNullable = false): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [
    fc.boolean(),
    exoticValue.filter((v) => !(kind === 'object' && isEmptyObjectLike(v))),
    deepValue.filter((v) => !(kind === 'array' && Array.isArray(v) && v.length === PIXEL_COUNT)),
  ];
  if (!isNullable) options.push(fc.constant(null));
  if (kind !== 'number') options.push(nastyNumber);
  if (kind !== 'string') options.push(fc.string(), fc.constantFrom('128', '0.5', 'NaN', 'lstm'));
  if (kind !== 'array') options.push(fc.array(fc.integer(), { maxLength: 4 }));
  if (kind !== 'object') options.push(fc.object({ maxDepth: 1 }));
  return fc.oneof(...options);
}

/**
 * zod's z.object accepts any object whose own keys fit: a Date, Map, Set or empty typed array
 * has none, so for an all-optional object it parses as "all defaults". That is not a wrong
 * type for zod, so it is left out of the must-reject set (the fuzz test checks separately that
 * only plain data reaches the service).
 */
function isEmptyObjectLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

function numberField(schema: z.ZodNumber, isNullable: boolean): Omit<FieldArbitraries, 'isRequired'> {
  const min = schema.minValue ?? -Number.MAX_VALUE;
  const max = schema.maxValue ?? Number.MAX_VALUE;
  const minIncluded = schema.safeParse(min).success;
  const maxIncluded = schema.safeParse(max).success;
  const valid = schema.isInt
    ? fc.integer({ min: minIncluded ? min : min + 1, max: maxIncluded ? max : max - 1 })
    : fc.double({ min, max, minExcluded: !minIncluded, maxExcluded: !maxIncluded, noNaN: true });
  // Compared with < and >, so -0 counts as 0: -0 is a valid 0 wherever 0 is.
  const below = fc.double({ max: min, noNaN: true }).filter((x) => (minIncluded ? x < min : x <= min));
  const above = fc.double({ min: max, noNaN: true }).filter((x) => (maxIncluded ? x > max : x >= max));
  const bad: fc.Arbitrary<unknown>[] = [below, above, fc.constantFrom(Number.NaN, Infinity, -Infinity), wrongType('number', isNullable)];
  if (schema.isInt) bad.push(fc.double({ min, max, noNaN: true }).filter((x) => !Number.isInteger(x)));
  return { valid: isNullable ? fc.option(valid, { nil: null }) : valid, invalid: fc.oneof(...bad) };
}

function enumField(schema: z.ZodEnum): Omit<FieldArbitraries, 'isRequired'> {
  const options = schema.options.map(String);
  const near = fc.constantFrom(...options).map((o) => fc.constantFrom(o.toUpperCase(), ` ${o}`, `${o}\u0000`, `${o}s`));
  const invalid = fc.oneof(
    fc.string().filter((s) => !options.includes(s)),
    near.chain((a) => a),
    wrongType('string'),
  );
  return { valid: fc.constantFrom(...options), invalid };
}

function stringField(schema: z.ZodString): Omit<FieldArbitraries, 'isRequired'> {
  if (schema === RUN_ID) return runIdField();
  if (schema === SWEEP_ID) return sweepIdField();
  if (schema === DIGIT_ID) return digitIdField();
  if (schema === SAVED_TEXT) return savedTextField();
  if (schema === SAVED_PNG) return savedPngField();
  if (schema === RedisUrlSchema) return redisUrlField();
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? 1 << 16;
  const tooLong = fc.oneof(fc.string({ minLength: maxLength + 1, maxLength: maxLength + 20 }), megabyteString);
  const bad: fc.Arbitrary<unknown>[] = [tooLong, wrongType('string')];
  if (minLength > 0) bad.push(fc.string({ maxLength: minLength - 1 }));
  // zod counts UTF-16 code units, fast-check counts graphemes: filter on .length.
  const text = fc
    .string({ unit: 'grapheme', minLength, maxLength: Math.min(maxLength, 300) })
    .filter((s) => s.length >= minLength && s.length <= maxLength);
  return { valid: fc.oneof(text, fc.constant('é'.repeat(maxLength))), invalid: fc.oneof(...bad) };
}

/** Run ids become folder names: anything that could leave the runs folder must fail. */
function runIdField(): Omit<FieldArbitraries, 'isRequired'> {
  const valid = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/).filter((s) => RUN_ID.safeParse(s).success);
  const traversal = fc.constantFrom(
    '..',
    '../etc',
    '..\\win',
    'a/../../b',
    '/abs',
    'C:\\x',
    '.hidden',
    'a..b',
    'a/b',
    'a\\b',
    '',
    ' ',
    'r1\u0000',
    'é',
    '🙂',
    '%2e%2e',
  );
  const invalid = fc.oneof(
    traversal,
    fc.string({ unit: 'binary', minLength: 1 }).filter((s) => !RUN_ID.safeParse(s).success),
    fc.stringMatching(/^[A-Za-z0-9]{129,200}$/),
    megabyteString,
    wrongType('string'),
  );
  return { valid, invalid };
}

/** Sweep ids become file names: "sweep-" and a run-id-like tail; anything else must fail. */
function sweepIdField(): Omit<FieldArbitraries, 'isRequired'> {
  const valid = fc.stringMatching(/^sweep-[A-Za-z0-9_.-]{1,100}$/).filter((s) => SWEEP_ID.safeParse(s).success);
  const invalid = fc.oneof(
    fc.constantFrom(
      'sweep-',
      'sweep-..',
      'sweep-../x',
      'sweep-a/b',
      'sweep-a\\b',
      'Sweep-a',
      'run-1',
      '',
      'sweep-é',
      `sweep-${'a'.repeat(101)}`,
    ),
    runIdField().valid.filter((s) => !SWEEP_ID.safeParse(s).success),
    wrongType('string'),
  );
  return { valid, invalid };
}

/** A personal digit's id: lowercase letters, digits and "-", made by the service; anything else must fail. */
function digitIdField(): Omit<FieldArbitraries, 'isRequired'> {
  const valid = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,63}$/).filter((s) => DIGIT_ID.safeParse(s).success);
  const invalid = fc.oneof(
    fc.constantFrom('', '-d', 'D-1', 'd_1', 'd.1', 'd/1', '../d', 'd 1', 'dé', `d${'a'.repeat(64)}`),
    fc.string({ unit: 'binary', minLength: 1 }).filter((s) => !DIGIT_ID.safeParse(s).success),
    wrongType('string'),
  );
  return { valid, invalid };
}

/** A file's text: up to MAX_SAVED_TEXT characters; generating longer ones a character at a time would take minutes, so the too-long one is built. */
function savedTextField(): Omit<FieldArbitraries, 'isRequired'> {
  const tooLong = fc.constant('x'.repeat(MAX_SAVED_TEXT + 1));
  // Valid ones stay under browser mode's 1 MB request limit (there saveTextFile never goes over HTTP anyway).
  const large = fc.constant('trial,units\r\n'.repeat(20_000));
  return {
    valid: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), large),
    invalid: fc.oneof(tooLong, wrongType('string')),
  };
}

/** PNG bytes as base64: the signature, then anything; random text is not a PNG, so both sides are built. */
function savedPngField(): Omit<FieldArbitraries, 'isRequired'> {
  const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0];
  const png = fc.uint8Array({ maxLength: 300 }).map((rest) => Buffer.from([...SIGNATURE, ...rest]).toString('base64'));
  const notPng = fc.uint8Array({ minLength: 9, maxLength: 60 }).filter((bytes) => bytes[0] !== 0x89);
  const invalid = fc.oneof(
    notPng.map((bytes) => Buffer.from(bytes).toString('base64')),
    png.map((text) => `${text}!`), // outside the alphabet
    png.map((text) => `${text}A`), // a group cut short
    png.map((text) => ` ${text}`),
    fc.constant(`iVBORw0KGgoA${'A'.repeat(MAX_SAVED_IMAGE_BASE64)}`), // too long
    wrongType('string'),
  );
  return { valid: png, invalid };
}

/** A sweep on workers' Redis URL: built from its parts (a password, TLS, a port, a database); random text is almost never one. */
function redisUrlField(): Omit<FieldArbitraries, 'isRequired'> {
  const host = fc.oneof(fc.constantFrom('127.0.0.1', 'localhost', '[::1]'), fc.stringMatching(/^[a-z][a-z0-9-]{0,20}(\.[a-z]{2,5})?$/));
  const auth = fc.oneof(
    fc.constant(''),
    fc.string({ minLength: 1, maxLength: 20 }).map((pw) => `:${encodeURIComponent(pw)}@`),
    fc
      .tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.string({ minLength: 1, maxLength: 20 }))
      .map(([u, pw]) => `${u}:${encodeURIComponent(pw)}@`),
  );
  const valid = fc
    .tuple(
      fc.constantFrom('redis', 'rediss'),
      auth,
      host,
      fc.option(fc.integer({ min: 1, max: 65_535 })),
      fc.option(fc.integer({ min: 0, max: 15 })),
    )
    .map(([scheme, a, h, port, db]) => `${scheme}://${a}${h}${port === null ? '' : `:${port}`}${db === null ? '' : `/${db}`}`);
  const invalid = fc.oneof(
    fc.constantFrom(
      '',
      'http://host:6379/0',
      'redis://',
      'redis://host:0/0',
      'redis://host:99999',
      'redis://host/db',
      'redis://host/0?tls=1',
      'host:6379',
    ),
    fc.string({ maxLength: 40 }).filter((text) => !RedisUrlSchema.safeParse(text).success),
    fc.constant(`redis://host/${'0'.repeat(3_000)}`),
    wrongType('string'),
  );
  return { valid: valid.filter((url) => RedisUrlSchema.safeParse(url).success), invalid };
}

/** A list: elements valid and the length within bounds; invalid = one bad element, or too short or too long. */
function arrayField(schema: z.ZodArray): Omit<FieldArbitraries, 'isRequired'> {
  const element = fieldArbitraries(schema.element as z.ZodType);
  const def = schema.def.checks?.map((check) => check._zod.def) ?? [];
  const minLength = Math.max(0, ...def.map((d) => ('minimum' in d && d.check === 'min_length' ? Number(d.minimum) : 0)));
  const maxLength = Math.min(1 << 10, ...def.map((d) => ('maximum' in d && d.check === 'max_length' ? Number(d.maximum) : 1 << 10)));
  const valid = fc.array(element.valid, { minLength, maxLength: Math.min(maxLength, minLength + 8) });
  const bad: fc.Arbitrary<unknown>[] = [
    fc
      .tuple(
        fc.array(element.valid, { minLength: Math.max(1, minLength), maxLength: Math.max(1, Math.min(maxLength, 6)) }),
        element.invalid,
        fc.nat(),
      )
      .map(([items, wrong, at]) => items.map((item, i) => (i === at % items.length ? wrong : item))),
    wrongType('array'),
  ];
  if (minLength > 0) bad.push(fc.array(element.valid, { maxLength: minLength - 1 }));
  if (maxLength < 1 << 10) bad.push(fc.array(element.valid, { minLength: maxLength + 1, maxLength: maxLength + 3 }));
  return { valid, invalid: fc.oneof(...bad) };
}

/** number | short text: valid is either; invalid is what neither branch takes. */
function unionField(schema: z.ZodUnion): Omit<FieldArbitraries, 'isRequired'> {
  const options = schema.options.map((option) => fieldArbitraries(option as z.ZodType));
  const invalid = fc.oneof(...options.map((o) => o.invalid)).filter((value) => !schema.safeParse(value).success);
  return { valid: fc.oneof(...options.map((o) => o.valid)), invalid };
}

/** A discriminated union of strict objects: a valid member, or a member with one thing wrong. */
function discriminatedField(schema: z.ZodDiscriminatedUnion): Omit<FieldArbitraries, 'isRequired'> {
  const members = schema.options.map((option) => objectArbitraries(option as z.ZodObject));
  const invalid = fc.oneof(...members.map((m) => m.invalid), wrongType('object')).filter((value) => !schema.safeParse(value).success);
  return { valid: fc.oneof(...members.map((m) => m.valid)), invalid };
}

function literalField(schema: z.ZodLiteral): Omit<FieldArbitraries, 'isRequired'> {
  const value = schema.value as string;
  return {
    valid: fc.constant(value),
    invalid: fc.oneof(
      fc.string().filter((s) => s !== value),
      fc.constant(value.toUpperCase()),
      wrongType('string'),
    ),
  };
}

/** `pixels`: exactly PIXEL_COUNT numbers in 0–1. */
function pixelsField(): Omit<FieldArbitraries, 'isRequired'> {
  const pixel = fc.double({ min: 0, max: 1, noNaN: true });
  // A short random pattern tiled over the image: every pixel value fast-check likes (0, 1, -0,
  // tiny denormals) still turns up, at a fraction of the cost of 784 draws per case.
  const valid = fc
    .array(pixel, { minLength: 1, maxLength: 16 })
    .map((pattern) => Array.from({ length: PIXEL_COUNT }, (_, i) => pattern[i % pattern.length]));
  const badPixel = fc.oneof(
    fc.double({ min: 1, minExcluded: true, noNaN: true }),
    fc.double({ max: 0, maxExcluded: true, noNaN: true }).filter((v) => v < 0) /* fast-check counts -0 below 0; zod does not */,
    fc.constantFrom(Number.NaN, null, '0.5', true),
  );
  const withBadPixel = fc
    .tuple(valid, fc.nat({ max: PIXEL_COUNT - 1 }), badPixel)
    .map(([pixels, at, value]) => pixels.map((p, i) => (i === at ? value : p)));
  const wrongLength = fc.oneof(
    fc.array(pixel, { maxLength: 40 }),
    fc
      .nat({ max: 2 * PIXEL_COUNT })
      .filter((n) => n !== PIXEL_COUNT)
      .map((n) => new Array<number>(n).fill(0.5)),
  );
  const arrayLike = fc.constantFrom(new Float32Array(PIXEL_COUNT), { length: PIXEL_COUNT }, new Array<number>(PIXEL_COUNT));
  return { valid, invalid: fc.oneof(withBadPixel, wrongLength, arrayLike, wrongType('array')) };
}

/** Arbitraries for one field's schema, unwrapping default/optional/nullable. */
export function fieldArbitraries(schema: z.ZodType): FieldArbitraries {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) {
    return { ...fieldArbitraries(schema.unwrap() as z.ZodType), isRequired: false };
  }
  if (schema instanceof z.ZodNullable) {
    const inner = schema.unwrap() as z.ZodType;
    if (inner instanceof z.ZodNumber) return { ...numberField(inner, true), isRequired: true };
    const arbs = fieldArbitraries(inner);
    return { valid: fc.option(arbs.valid, { nil: null }), invalid: arbs.invalid.filter((v) => v !== null), isRequired: true };
  }
  if (schema instanceof z.ZodNumber) return { ...numberField(schema, false), isRequired: true };
  if (schema instanceof z.ZodEnum) return { ...enumField(schema), isRequired: true };
  if (schema instanceof z.ZodString) return { ...stringField(schema), isRequired: true };
  if (schema === PIXELS) return { ...pixelsField(), isRequired: true };
  if (schema instanceof z.ZodObject) return { ...objectArbitraries(schema), isRequired: true };
  if (schema instanceof z.ZodArray) return { ...arrayField(schema), isRequired: true };
  if (schema instanceof z.ZodDiscriminatedUnion) return { ...discriminatedField(schema), isRequired: true };
  if (schema instanceof z.ZodUnion) return { ...unionField(schema), isRequired: true };
  if (schema instanceof z.ZodLiteral) return { ...literalField(schema), isRequired: true };
  throw new Error(`no arbitrary for a ${schema.constructor.name}`);
}

/**
 * A strict object schema's valid payloads (each optional field present or not) and invalid
 * ones: exactly one thing wrong, chosen from a wrong-type payload, an extra key (prototype keys
 * included), a bad field value, a missing required field, or any of these one level down.
 */
export function objectArbitraries(schema: z.ZodObject): Omit<FieldArbitraries, 'isRequired'> {
  const fields = Object.entries(schema.shape).map(([key, field]) => [key, fieldArbitraries(field as z.ZodType)] as const);
  const model = Object.fromEntries(fields.map(([key, arbs]) => [key, arbs.valid]));
  const requiredKeys = fields.filter(([, arbs]) => arbs.isRequired).map(([key]) => key);
  const valid = fc.record(model, { requiredKeys, noNullPrototype: true }) as fc.Arbitrary<Record<string, unknown>>;
  const keys = fields.map(([key]) => key);

  const extraKey = fc.oneof(
    fc.constantFrom(...PROTO_KEYS),
    fc.string({ unit: 'binary' }).filter((k) => !keys.includes(k)),
  );
  const mutations: fc.Arbitrary<unknown>[] = [
    fc.tuple(valid, extraKey, fc.anything({ maxDepth: 1 })).map(([payload, key, value]) => withOwnKey(payload, key, value)),
    fc.tuple(valid, fc.constantFrom(...fields)).chain(([payload, [key, arbs]]) => arbs.invalid.map((bad) => ({ ...payload, [key]: bad }))),
    // Mirrors the JSON transport: the pollution key arrives as an own property via JSON.parse.
    valid.map((payload) => withProtoKeyViaJson(payload)),
  ];
  if (requiredKeys.length > 0) {
    mutations.push(fc.tuple(valid, fc.constantFrom(...requiredKeys)).map(([payload, key]) => omit(payload, key)));
    // Every request has a required field, so any exotic object at the top is missing it.
    mutations.push(wrongType('object'), exoticValue);
  } else {
    mutations.push(wrongType('object'));
  }
  return { valid, invalid: fc.oneof(...mutations) };
}

/** `payload` re-read through JSON.parse with an own `__proto__` key in front. */
function withProtoKeyViaJson(payload: Record<string, unknown>): unknown {
  const rest = JSON.stringify(payload).slice(1);
  return JSON.parse(`{"__proto__":{"isAdmin":true}${rest === '}' ? '' : ','}${rest}`) as unknown;
}

function omit(payload: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...payload };
  delete copy[key];
  return copy;
}
