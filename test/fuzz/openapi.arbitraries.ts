import fc from 'fast-check';

/**
 * Request generators derived from the OpenAPI document (`/docs/openapi.json`): for each operation,
 * valid inputs built from its schema (types, enums, required fields, formats, plus domain-plausible
 * values named by {@link Hints}), and the same inputs mutated with the classes of hostile input the
 * API must refuse with a 4xx: control characters, U+0000, unpaired surrogates, wrong types, huge
 * numbers, NaN-like strings, empty and huge strings, extra and odd keys (`__proto__`), nulls, deep
 * nesting, raw non-JSON bodies.
 *
 * Plans do not depend on server state: a path parameter is a {@link PoolPick} resolved against the
 * ids known when the request is sent, so one seed always gives the same plan sequence.
 */

/** The part of an OpenAPI schema the generators read. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}

/** One operation of the document. */
export interface Operation {
  method: string;
  template: string;
  parameters: Parameter[];
  /** JSON body schema (resolved), when the operation takes one. */
  body: Schema | null;
  /** Form body schema, for the OAuth endpoints. */
  form: Schema | null;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
}

/** "The `index`-th id of pool `pool` at send time". */
export interface PoolPick {
  pool: string;
  index: number;
}

/** A raw (non-JSON-serialised) body text. */
export interface RawBody {
  raw: string;
  contentType?: string;
}

export interface RequestPlan {
  opIndex: number;
  mutated: boolean;
  /** Path parameters by name: an id from a pool, or a (hostile) string. */
  path: Record<string, PoolPick | string>;
  /** Query parameters in order (a name may repeat). */
  query: [string, string][];
  /** JSON body (serialised with JSON.stringify), a raw text, or a form. */
  body: { json: unknown } | RawBody | { form: [string, string][]; basic?: [string, string] } | null;
  /** A short description of the mutations, for failure reports. */
  notes: string[];
}

/** Domain-plausible values by property name (the schema alone only says "string"). */
export type Hints = Record<string, fc.Arbitrary<unknown>>;

export function resolve(schema: Schema | undefined, document: OpenApiDocument): Schema {
  if (!schema) return {};
  if (schema.$ref) return resolve(document.components.schemas[schema.$ref.replace('#/components/schemas/', '')], document);
  return schema;
}

/** The admin and OAuth operations of the document, in document order. */
export function operationsOf(document: OpenApiDocument, include: (method: string, template: string) => boolean): Operation[] {
  const operations: Operation[] = [];
  for (const [template, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!include(method.toUpperCase(), template)) continue;
      const content = operation.requestBody?.content ?? {};
      operations.push({
        method: method.toUpperCase(),
        template,
        parameters: operation.parameters ?? [],
        body: content['application/json']?.schema ? resolve(content['application/json'].schema, document) : null,
        form: content['application/x-www-form-urlencoded']?.schema ? resolve(content['application/x-www-form-urlencoded'].schema, document) : null,
      });
    }
  }
  return operations;
}

// ---- hostile values ------------------------------------------------------------------------

const control = fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.constant(0x7f)).map((code) => String.fromCharCode(code));
const loneSurrogate = fc.oneof(fc.integer({ min: 0xd800, max: 0xdbff }), fc.integer({ min: 0xdc00, max: 0xdfff })).map((code) => String.fromCharCode(code));
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const around = (piece: fc.Arbitrary<string>, base: fc.Arbitrary<string> = fc.string({ maxLength: 8 })): fc.Arbitrary<string> =>
  fc.tuple(base, piece, fc.string({ maxLength: 8 })).map(([before, inner, after]) => `${before}${inner}${after}`);

/** Nested arrays or objects `depth` levels deep. */
export function nested(depth: number, asObject: boolean): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = asObject ? { a: value } : [value];
  return value;
}

const ODD_STRINGS = [
  '', ' ', '\t', '\n', 'NaN', 'Infinity', '-Infinity', '1e999', '-0', '0x1f', '1_000', '١٢٣', 'null', 'true', 'undefined', '[]', '{}',
  '__proto__', 'constructor', '../../etc/passwd', "' OR '1'='1", '%00', '%ED%A0%80', '\u202e', '\ufeff', '\u2028', 'e\u0301', '😀',
  '-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '0000-01-01T00:00:00Z', '2026-02-30T00:00:00Z', '9999-12-31T23:59:59.999999999Z',
];
const ODD_NUMBERS = [1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 63, 2 ** 31, -1, 0, -0, 1.5, 4096.5, Number.MIN_VALUE, 8.64e15, -8.64e15];

/** A hostile string: what the text rules must refuse, plus odd but legal text. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: around(control), weight: 4 },
  { arbitrary: fc.constantFrom('\u0000', 'a\u0000b', 'x\u0000\u0000'), weight: 3 },
  { arbitrary: around(loneSurrogate), weight: 3 },
  { arbitrary: fc.string({ unit: anyCodeUnit, maxLength: 24 }), weight: 2 },
  { arbitrary: fc.constantFrom(...ODD_STRINGS), weight: 3 },
  { arbitrary: fc.constantFrom('x'.repeat(70_000), 'é'.repeat(40_000)), weight: 1 },
  { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
);

/** Date-times a JavaScript Date holds but PostgreSQL (and a four-digit ISO 8601 year) does not, and impossible ones. */
export const hostileDate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '0000-01-01T00:00:00Z', '-000001-01-01T00:00:00Z', '+010000-01-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:00:00+25:00'),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
);

/** A hostile JSON value of any type. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 10 },
  { arbitrary: hostileDate, weight: 2 },
  { arbitrary: fc.constantFrom(...ODD_NUMBERS), weight: 2 },
  { arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean()), weight: 2 },
  { arbitrary: fc.constant(null), weight: 4 },
  { arbitrary: fc.constantFrom<unknown>({}, [], [null], [''], { a: 1 }), weight: 2 },
  { arbitrary: fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }), weight: 1 },
  { arbitrary: fc.tuple(fc.integer({ min: 17, max: 3000 }), fc.boolean()).map(([depth, asObject]) => nested(depth, asObject)), weight: 1 },
  { arbitrary: fc.constant('y'.repeat(300_000)), weight: 1 },
);

/** A hostile value for a field of this schema: mostly out-of-range dates for a date-time, anything otherwise. */
function hostileFor(schema: Schema): fc.Arbitrary<unknown> {
  return schema.format === 'date-time' ? fc.oneof({ weight: 3, arbitrary: hostileDate }, { weight: 1, arbitrary: hostileValue }) : hostileValue;
}

/** Keys nobody declared, including prototype names and keys that break the text rules. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', '', 'isAdmin', 'a\u0000', '\u0000', '\ud800', 'x\udfff', 'a\nb', 'toString', 'hasOwnProperty'),
  around(control, fc.constant('k')),
  fc.string({ maxLength: 12 }),
);

/** Raw bodies a JSON parser must refuse (400) or that are not objects. */
const RAW_BODIES: RawBody[] = [
  { raw: '{"__proto__":{"polluted":true}}' },
  { raw: '{"constructor":{"prototype":{"polluted":true}}}' },
  { raw: '{"a":1,"a":2}' },
  { raw: '{' },
  { raw: '' },
  { raw: 'null' },
  { raw: '"text"' },
  { raw: '[]' },
  { raw: '123' },
  { raw: '{"a":1}garbage' },
  { raw: '\ufeff{}' },
  { raw: '{"a":"\\ud800"}' },
  { raw: '{"a\\u0000":"b"}' },
  { raw: '{"a":"\\u0000"}' },
  { raw: `{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}` },
  { raw: `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}` },
  { raw: 'a=b&c=d', contentType: 'application/x-www-form-urlencoded' },
  { raw: '{}', contentType: 'text/plain' },
  { raw: '{}', contentType: 'application/json; charset=utf-16' },
];
export const hostileRawBody: fc.Arbitrary<RawBody> = fc.constantFrom(...RAW_BODIES);

/** JSON text for form values and query strings. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

// ---- valid values from the schema ----------------------------------------------------------

export function validValue(schema: Schema, name: string, document: OpenApiDocument, hints: Hints): fc.Arbitrary<unknown> {
  const resolved = resolve(schema, document);
  if (hints[name]) return hints[name];
  if (resolved.enum) return fc.constantFrom(...resolved.enum);
  switch (resolved.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number':
      return fc.integer({ min: resolved.minimum ?? 0, max: resolved.maximum ?? 100_000 });
    case 'array':
      return fc.array(validValue(resolved.items ?? {}, name, document, hints), { minLength: 1, maxLength: 3 });
    case 'string':
      if (resolved.format === 'date-time') return fc.date({ min: new Date('2030-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString());
      return fc.string({ minLength: 1, maxLength: 24 });
    default:
      if (resolved.properties) return validObject(resolved, document, hints);
      return fc.string({ maxLength: 8 });
  }
}

export function validObject(schema: Schema, document: OpenApiDocument, hints: Hints): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) model[name] = validValue(property, name, document, hints);
  return fc.record(model, { requiredKeys: (schema.required ?? []).filter((key) => key in model) });
}

// ---- mutations -----------------------------------------------------------------------------

type Mutation = (body: Record<string, unknown>) => { body: unknown; note: string };

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // Own property even for "__proto__", so that JSON.stringify sends it as a key.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** One mutation of a body object built from `schema`. */
function mutation(schema: Schema, document: OpenApiDocument): fc.Arbitrary<Mutation> {
  const names = Object.keys(schema.properties ?? {});
  const nestedObjects = names.filter((name) => {
    const property = resolve(schema.properties![name], document);
    return property.type === 'array' && resolve(property.items, document).properties;
  });
  const options: fc.Arbitrary<Mutation>[] = [
    fc.tuple(hostileKey, hostileValue).map(([key, value]) => (body) => {
      setOwn(body, key, value);
      return { body, note: `extra key ${JSON.stringify(key)}` };
    }),
  ];
  if (names.length) {
    options.push(
      fc.constantFrom(...names).chain((name) =>
        hostileFor(resolve(schema.properties![name], document)).map((value) => (body: Record<string, unknown>) => {
          setOwn(body, name, value);
          return { body, note: `${name} = hostile` };
        }),
      ),
      fc.tuple(fc.nat(), fc.constant(null)).map(([index]) => (body) => {
        const name = names[index % names.length]!;
        setOwn(body, name, null);
        return { body, note: `${name} = null` };
      }),
      fc.nat().map((index) => (body) => {
        const name = names[index % names.length]!;
        delete body[name];
        return { body, note: `without ${name}` };
      }),
    );
  }
  if (nestedObjects.length) {
    options.push(
      fc.tuple(fc.nat(), fc.oneof(hostileKey, fc.constantFrom('value', 'description', 'allowedMemberTypes')), hostileValue).map(([index, key, value]) => (body) => {
        const name = nestedObjects[index % nestedObjects.length]!;
        const item: Record<string, unknown> = { value: 'Role.Read' };
        setOwn(item, key, value);
        setOwn(body, name, [item]);
        return { body, note: `${name}[0].${JSON.stringify(key)} = hostile` };
      }),
    );
  }
  options.push(hostileValue.map((value) => () => ({ body: value, note: 'whole body hostile' })));
  return fc.oneof(...options);
}

/**
 * One mutation most of the time, so that the rest of the request stays valid and the hostile part
 * gets past the other checks to wherever it could do harm; sometimes two or three.
 */
export function fewMutations<T>(one: fc.Arbitrary<T>): fc.Arbitrary<T[]> {
  return fc.oneof({ weight: 3, arbitrary: one.map((value) => [value]) }, { weight: 1, arbitrary: fc.array(one, { minLength: 2, maxLength: 3 }) });
}

/** A body for `schema`: valid, or mutated (see {@link fewMutations}), or a raw text. */
export function bodyPlan(schema: Schema, document: OpenApiDocument, hints: Hints, mutated: boolean): fc.Arbitrary<{ body: RequestPlan['body']; notes: string[] }> {
  const valid = validObject(schema, document, hints);
  if (!mutated) return valid.map((body) => ({ body: { json: body }, notes: [] }));
  return fc.oneof(
    {
      weight: 9,
      arbitrary: fc.tuple(valid, fewMutations(mutation(schema, document))).map(([body, mutations]) => {
        let current: unknown = body;
        const notes: string[] = [];
        for (const mutate of mutations) {
          if (typeof current !== 'object' || current === null || Array.isArray(current)) break;
          // A copy: hostile values are shared constants, and plans are made up front.
          const result = mutate(Object.defineProperties({}, Object.getOwnPropertyDescriptors(current)));
          current = result.body;
          notes.push(result.note);
        }
        return { body: { json: current }, notes };
      }),
    },
    { weight: 1, arbitrary: hostileRawBody.map((raw) => ({ body: raw, notes: ['raw body'] })) },
  );
}

/** Query parameters of an operation: valid ones from the schema, or mutated (hostile value, unknown name, repeated name). */
export function queryPlan(parameters: Parameter[], document: OpenApiDocument, hints: Hints, mutated: boolean): fc.Arbitrary<{ query: [string, string][]; notes: string[] }> {
  const query = parameters.filter((parameter) => parameter.in === 'query');
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const parameter of query) model[parameter.name] = validValue(parameter.schema ?? { type: 'string' }, parameter.name, document, hints);
  // A hint may give null for "leave this parameter out" (e.g. a cursor, which is only valid when the server made it).
  const valid = fc.record(model, { requiredKeys: query.filter((parameter) => parameter.required).map((parameter) => parameter.name) }).map((values) =>
    Object.entries(values)
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([name, value]) => [name, asText(value)] as [string, string]),
  );
  if (!mutated || query.length === 0) return valid.map((entries) => ({ query: entries, notes: [] }));
  const names = query.map((parameter) => parameter.name);
  return fc
    .tuple(
      valid,
      fewMutations(
        fc.oneof(
          {
            // Mostly a documented parameter given a hostile value; date-time filters (which reach the
            // database as timestamps) three times as often as the others.
            weight: 4,
            arbitrary: fc
              .oneof(...query.map((parameter) => ({ weight: resolve(parameter.schema, document).format === 'date-time' ? 3 : 1, arbitrary: fc.constant(parameter) })))
              .chain((parameter) => hostileFor(resolve(parameter.schema, document)).map((value) => ({ kind: 'set' as const, name: parameter.name, value: asText(value) }))),
          },
          { weight: 1, arbitrary: fc.tuple(hostileKey, hostileString).map(([name, value]) => ({ kind: 'add' as const, name, value })) },
          { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...names), hostileString).map(([name, value]) => ({ kind: 'add' as const, name, value })) },
        ),
      ),
    )
    .map(([entries, changes]) => {
      const result = [...entries];
      const notes: string[] = [];
      for (const change of changes) {
        if (change.kind === 'set') {
          const at = result.findIndex(([name]) => name === change.name);
          if (at >= 0) result[at] = [change.name, change.value];
          else result.push([change.name, change.value]);
          notes.push(`query ${change.name} = hostile`);
        } else {
          result.push([change.name, change.value]);
          notes.push(`query + ${JSON.stringify(change.name)}`);
        }
      }
      return { query: result, notes };
    });
}

/**
 * Percent-encodes any JavaScript string for a URL, unpaired surrogates included (as the three
 * bytes WTF-8 gives them, which `encodeURIComponent` refuses to produce).
 */
export function percentEncode(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (/^[A-Za-z0-9\-._~]$/.test(char)) {
      out += char;
      continue;
    }
    const bytes =
      code < 0x80
        ? [code]
        : code < 0x800
          ? [0xc0 | (code >> 6), 0x80 | (code & 0x3f)]
          : code < 0x10000
            ? [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
            : [0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
    out += bytes.map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}
