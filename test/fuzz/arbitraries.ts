import fc from 'fast-check';
import type { Schema } from '../support/openapi.js';

/** A JSON text fragment written as is: numbers JSON.stringify cannot produce (-0, 1e309, 30 digits). */
export class Raw {
  constructor(readonly text: string) {}
}
/** An object as ordered entries, so keys like `__proto__` survive to the wire as own keys. */
export class Entries {
  constructor(readonly entries: [string, Json][]) {}
}
export type Json = Raw | Entries | Json[] | string | number | boolean | null;

export function toJson(v: Json): string {
  if (v instanceof Raw) return v.text;
  if (v instanceof Entries) return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`).join(',')}}`;
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  return JSON.stringify(v) ?? 'null';
}

export const edgeNumbers = fc.constantFrom(
  ...[
    '1e308',
    '-1e308',
    '1e309',
    '-1e309',
    '-0',
    '5e-324',
    '1e-400',
    '9007199254740993',
    '-9007199254740993',
    '123456789012345678901234567890',
    '0.1',
    '-1',
    '2147483648',
    '9223372036854775808',
    '1.5',
  ].map((t) => new Raw(t)),
);

export const edgeStrings = fc.constantFrom(
  'NaN',
  '-NaN',
  'Infinity',
  '-0',
  '1e308',
  '0x1F',
  '',
  ' ',
  '\u0000',
  '\u202e\u0000',
  '\ud800',
  'null',
  'undefined',
  'true',
  '{}',
  '[]',
  '💸'.repeat(64),
  'ǅ̴̡̛̗͉̀'.repeat(20),
  'a'.repeat(70_000),
  '<script>alert(1)</script>',
  "' or 1=1 --",
  "'); drop table es_events; --",
  '../../etc/passwd',
  '%s%n%x',
  '${jndi:ldap://127.0.0.1/x}',
  'usd',
  'USD',
  'zzz',
  'xts',
  'jpy',
  'kwd',
  'whsec_',
  'cus_',
  'evt_x',
  '2025-02-30',
  '9999-12-31',
  '0000-00-00T25:61:61Z',
  '-271821-04-20',
  '+275760-09-13T00:00:00.001Z',
);

export const anyString = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), edgeStrings);

/**
 * class-transformer skips these keys (names of prototype members) instead of copying them, so the
 * validator never sees them: they are ignored, not refused. They must never pollute a prototype.
 */
export const DROPPED_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'];
export const protoKeys = fc.constantFrom(...DROPPED_KEYS);
/** A string safe to percent-encode (lone surrogates cannot travel in a URL). */
export const urlString = (s: string) => encodeURIComponent(Buffer.from(s, 'utf8').toString('utf8'));

const objectOf = (key: fc.Arbitrary<string>, value: fc.Arbitrary<Json>, maxKeys = 4) =>
  fc.array(fc.tuple(key, value), { maxLength: maxKeys }).map((e) => new Entries(e));

/** Any JSON: nested junk, unicode, edge numbers, prototype keys. */
export const junk: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyString,
    fc.integer(),
    fc.double(),
    edgeNumbers,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    objectOf(fc.oneof(anyString, protoKeys), tie('value')),
  ),
})).value;

/** JSON text of an object or array: what a strict JSON body parser lets through to the route. */
export const jsonContainer = fc.oneof(fc.array(junk, { maxLength: 4 }), objectOf(fc.oneof(anyString, protoKeys), junk)).map(toJson);

/** Values of the schema's type, or near it, mostly plausible: what shakes out range and format bugs. */
export function plausible(s: Schema | undefined, depth = 0): fc.Arbitrary<Json> {
  if (!s || depth > 4) return junk;
  const options: fc.Arbitrary<Json>[] = [];
  if (s.example !== undefined) options.push(fc.constant(s.example as Json));
  if (s.enum?.length) options.push(fc.constantFrom(...(s.enum as Json[])));
  switch (s.type) {
    case 'string':
      options.push(anyString);
      break;
    case 'number':
    case 'integer':
      options.push(fc.integer(), fc.double(), edgeNumbers, fc.integer({ min: -2, max: 400 }));
      break;
    case 'boolean':
      options.push(fc.boolean());
      break;
    case 'array':
      options.push(
        fc.array(plausible(s.items, depth + 1), { maxLength: 4 }),
        fc.constant(Array.from({ length: 1500 }, (): Json => (s.items?.example as Json) ?? new Entries([]))),
      );
      break;
    default:
      if (s.properties) options.push(bodyFor(s, depth + 1));
      if (s.additionalProperties && typeof s.additionalProperties === 'object')
        options.push(objectOf(fc.oneof(fc.constantFrom('eur', 'jpy', 'usd', 'kwd', 'EUR'), anyString), plausible(s.additionalProperties, depth + 1)));
  }
  if (s.nullable) options.push(fc.constant(null));
  if (options.length === 0) return junk;
  return fc.oneof({ weight: 4, arbitrary: fc.oneof(...options) }, { weight: 1, arbitrary: junk });
}

/** An object body shaped like the schema: each property plausible, junk or missing, sometimes with extra keys. */
export function bodyFor(s: Schema, depth = 0): fc.Arbitrary<Json> {
  const props = Object.entries(s.properties ?? {});
  const fields = props.map(([k, p]) =>
    fc.option(
      plausible(p, depth).map((v) => [k, v] as [string, Json]),
      { freq: 4 },
    ),
  );
  const extras = fc.array(fc.tuple(fc.oneof(protoKeys, anyString), junk), { maxLength: 2 });
  return fc
    .tuple(fc.tuple(...fields), fc.oneof({ weight: 5, arbitrary: fc.constant([] as [string, Json][]) }, { weight: 1, arbitrary: extras }))
    .map(([fs, ex]) => new Entries([...fs.filter((f): f is [string, Json] => f !== null), ...ex]));
}

/** A value JSON can carry that is not of type `type`; null only where the field is required (null is "absent" for an optional one). */
export function wrongType(s: Schema, required: boolean): fc.Arbitrary<Json> {
  const all: Record<string, fc.Arbitrary<Json>> = {
    string: anyString,
    number: fc.oneof(fc.integer(), edgeNumbers),
    boolean: fc.boolean(),
    array: fc.array(junk, { maxLength: 3 }),
    object: objectOf(anyString, junk, 2),
  };
  const own = s.type === 'integer' ? 'number' : (s.type ?? (s.properties ? 'object' : undefined));
  const others = Object.entries(all)
    .filter(([k]) => k !== own)
    .map(([, a]) => a);
  if (required && !s.nullable) others.push(fc.constant(null));
  return fc.oneof(...others);
}

/**
 * Bodies the route must refuse with 400/422: not an object, an unknown or prototype key added to a
 * valid body, a required field removed, or one documented field of the wrong type.
 */
export function invalidBodyFor(s: Schema, valid: Record<string, Json>): fc.Arbitrary<{ why: string; body: Json }> {
  const props = Object.entries(s.properties ?? {}).filter(([, p]) => p.type !== undefined || p.properties);
  const base = Object.entries(valid);
  const options: fc.Arbitrary<{ why: string; body: Json }>[] = [
    fc
      .oneof(fc.array(junk, { maxLength: 3 }), anyString, fc.integer(), edgeNumbers, fc.boolean(), fc.constant(null))
      .map((body) => ({ why: 'not an object', body })),
    fc
      .tuple(
        anyString.filter((k) => !DROPPED_KEYS.includes(k) && !Object.hasOwn(s.properties ?? {}, k)),
        junk,
      )
      .map(([k, v]) => ({ why: `unknown key ${JSON.stringify(k)}`, body: new Entries([...base, [k, v]]) })),
  ];
  if (s.required?.length) {
    options.push(fc.constantFrom(...s.required).map((k) => ({ why: `required ${k} missing`, body: new Entries(base.filter(([b]) => b !== k)) })));
  }
  if (props.length) {
    options.push(
      fc.constantFrom(...props).chain(([k, p]) =>
        wrongType(p, s.required?.includes(k) ?? false).map((v) => ({
          why: `${k} of the wrong type`,
          body: new Entries([...base.filter(([b]) => b !== k), [k, v]]),
        })),
      ),
    );
  }
  return fc.oneof(...options);
}
