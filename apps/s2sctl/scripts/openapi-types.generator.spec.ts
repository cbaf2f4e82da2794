import { generateApiTypes, UnsupportedSchemaError, type OpenApiDocument, type SchemaObject } from './openapi-types.generator.js';

/** A document with the given schemas and, optionally, operations. */
function documentWith(schemas: Record<string, SchemaObject>, paths: OpenApiDocument['paths'] = {}): OpenApiDocument {
  return { openapi: '3.0.0', paths, components: { schemas } };
}

/** The generated declaration of one schema, from its `export` line to the blank line after it. */
function declarationOf(source: string, name: string): string {
  const start = source.indexOf(`export interface ${name} `) >= 0 ? source.indexOf(`export interface ${name} `) : source.indexOf(`export type ${name} =`);
  if (start < 0) throw new Error(`${name} not generated:\n${source}`);
  return source.slice(start, source.indexOf('\n\n', start));
}

describe('generateApiTypes', () => {
  it('writes the header that says how to regenerate', () => {
    expect(generateApiTypes(documentWith({})).split('\n').slice(0, 2)).toEqual([
      "// Generated from the trust server's OpenAPI document by apps/s2sctl/scripts/generate-api-types.ts.",
      '// Do not edit: regenerate with `npm run generate:api-types` (a test fails while this file differs from the API).',
    ]);
  });

  it('makes an interface of an object: required and optional members, $ref, enums, nullable, arrays, descriptions', () => {
    const source = generateApiTypes(
      documentWith({
        Key: { type: 'object', properties: { x5t: { type: 'string' } }, required: ['x5t'] },
        Partner: {
          type: 'object',
          description: 'A trusted peer.',
          properties: {
            identity: { type: 'string', description: 'Unique name.' },
            trustLevel: { type: 'string', enum: ['Full', 'Application'] },
            keySize: { type: 'number', enum: [2048, 4096] },
            metadataUrl: { type: 'string', nullable: true, format: 'uri', example: 'https://x' },
            keys: { type: 'array', items: { $ref: '#/components/schemas/Key' } },
            roles: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
            count: { type: 'integer', minimum: 0 },
            enabled: { type: 'boolean', default: true },
            "it's": { type: 'string' },
          },
          required: ['identity', 'trustLevel', 'metadataUrl', 'keys'],
        },
      }),
    );
    expect(declarationOf(source, 'Partner')).toBe(
      [
        'export interface Partner {',
        '  /** Unique name. */',
        '  readonly identity: string;',
        "  readonly trustLevel: 'Full' | 'Application';",
        '  readonly keySize?: 2048 | 4096;',
        '  readonly metadataUrl: string | null;',
        '  readonly keys: readonly Key[];',
        "  readonly roles?: readonly ('a' | 'b')[];",
        '  readonly count?: number;',
        '  readonly enabled?: boolean;',
        "  readonly 'it\\'s'?: string;",
        '}',
      ].join('\n'),
    );
    expect(source).toContain('/** A trusted peer. */\nexport interface Partner {');
  });

  it('reads null from nullable, type arrays and oneOf; allOf is an intersection', () => {
    const source = generateApiTypes(
      documentWith({
        A: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
        B: { type: 'object', properties: { b: { type: 'string' } }, required: ['b'] },
        Holder: {
          type: 'object',
          properties: {
            wrapped: { nullable: true, type: 'object', allOf: [{ $ref: '#/components/schemas/A' }] },
            both: { allOf: [{ $ref: '#/components/schemas/A' }, { $ref: '#/components/schemas/B' }] },
            both31: { type: ['string', 'null'] },
            either: { oneOf: [{ $ref: '#/components/schemas/A' }, { type: 'null' }] },
            anyList: { type: 'array', items: { oneOf: [{ $ref: '#/components/schemas/A' }, { $ref: '#/components/schemas/B' }] } },
            nullableList: { type: 'array', nullable: true, items: { type: 'string' } },
          },
          required: ['wrapped', 'both', 'both31', 'either', 'anyList', 'nullableList'],
        },
      }),
    );
    expect(declarationOf(source, 'Holder')).toBe(
      [
        'export interface Holder {',
        '  readonly wrapped: A | null;',
        '  readonly both: A & B;',
        '  readonly both31: string | null;',
        '  readonly either: A | null;',
        '  readonly anyList: readonly (A | B)[];',
        '  readonly nullableList: readonly string[] | null;',
        '}',
      ].join('\n'),
    );
  });

  it('maps additionalProperties to an index signature that every named member fits', () => {
    const source = generateApiTypes(
      documentWith({
        FreeForm: { type: 'object' },
        Counts: { type: 'object', additionalProperties: { type: 'number' } },
        Closed: { type: 'object', additionalProperties: false },
        Mixed: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'], additionalProperties: { type: 'number' } },
        Open: { type: 'object', properties: { status: { type: 'string' } }, additionalProperties: true },
      }),
    );
    expect(declarationOf(source, 'FreeForm')).toBe('export type FreeForm = {\n  readonly [key: string]: unknown;\n};');
    expect(declarationOf(source, 'Counts')).toBe('export type Counts = {\n  readonly [key: string]: number;\n};');
    expect(declarationOf(source, 'Closed')).toBe('export type Closed = Record<string, never>;');
    expect(declarationOf(source, 'Mixed')).toBe('export interface Mixed {\n  readonly status: string;\n  readonly [key: string]: number | string;\n}');
    expect(declarationOf(source, 'Open')).toBe('export interface Open {\n  readonly status?: string;\n  readonly [key: string]: unknown;\n}');
  });

  it('lists operations by operationId (else METHOD /path) with their request body and 200/201 JSON response', () => {
    const source = generateApiTypes(
      documentWith(
        { Thing: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } },
        {
          '/things': {
            post: {
              operationId: 'ThingController_create',
              requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
              responses: { '201': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } }, '400': {} },
            },
            get: { responses: { '200': { description: 'not JSON' } } },
            parameters: [],
          },
          '/oauth2/token': {
            post: {
              requestBody: {
                content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { grant_type: { type: 'string' } }, required: ['grant_type'] } } },
              },
              responses: { '200': { content: { 'application/json': { schema: { type: 'object', properties: { access_token: { type: 'string' } } } } } } },
            },
          },
        },
      ),
    );
    const operations = source.slice(source.indexOf('export interface ApiOperations {'));
    expect(operations).toContain(
      [
        "  'GET /things': {",
        "    readonly method: 'GET';",
        "    readonly path: '/things';",
        '    readonly requestBody: never;',
        '    readonly response: unknown;',
        '  };',
      ].join('\n'),
    );
    expect(operations).toContain(
      [
        "  'POST /oauth2/token': {",
        "    readonly method: 'POST';",
        "    readonly path: '/oauth2/token';",
        '    readonly requestBody: {',
        '      readonly grant_type: string;',
        '    } | undefined;',
        '    readonly response: {',
        '      readonly access_token?: string;',
        '    };',
        '  };',
      ].join('\n'),
    );
    expect(operations).toContain(
      [
        '  ThingController_create: {',
        "    readonly method: 'POST';",
        "    readonly path: '/things';",
        '    readonly requestBody: Thing;',
        '    readonly response: Thing;',
        '  };',
      ].join('\n'),
    );
    expect(source).toContain("export type RequestBodyOf<K extends keyof ApiOperations> = ApiOperations[K]['requestBody'];");
    expect(source).toContain("export type ResponseOf<K extends keyof ApiOperations> = ApiOperations[K]['response'];");
  });

  it('sorts schemas and operations, so that only API changes change the output', () => {
    const schemas = { Zeta: { type: 'string' }, Alpha: { type: 'string' } };
    const source = generateApiTypes(documentWith(schemas));
    expect(source.indexOf('export type Alpha')).toBeLessThan(source.indexOf('export type Zeta'));
    expect(generateApiTypes(documentWith({ Alpha: schemas.Alpha, Zeta: schemas.Zeta }))).toBe(source);
  });

  it.each<[string, SchemaObject, string]>([
    ['an unknown keyword', { type: 'string', not: { type: 'number' } }, '#/components/schemas/Bad: the keyword "not"'],
    ['a reference outside components.schemas', { $ref: 'other.json#/Thing' }, '#/components/schemas/Bad: the reference "other.json#/Thing"'],
    ['a reference to a missing schema', { $ref: '#/components/schemas/Missing' }, 'the reference "#/components/schemas/Missing"'],
    ['an unknown type', { type: 'file' }, '#/components/schemas/Bad/type: the type "file"'],
    ['a nested unknown keyword', { type: 'object', properties: { a: { type: 'array', items: { type: 'string', patternProperties: {} } } } }, '#/components/schemas/Bad/properties/a/items: the keyword "patternProperties"'],
  ])('fails loudly on %s instead of typing it unknown', (_case, schema, message) => {
    expect(() => generateApiTypes(documentWith({ Bad: schema }))).toThrow(UnsupportedSchemaError);
    expect(() => generateApiTypes(documentWith({ Bad: schema }))).toThrow(message);
  });

  it('refuses a document that is not OpenAPI 3', () => {
    expect(() => generateApiTypes({ openapi: '2.0' } as OpenApiDocument)).toThrow('OpenAPI version "2.0"');
  });
});
