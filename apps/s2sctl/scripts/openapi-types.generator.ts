/**
 * Turns the trust server's OpenAPI 3 document into TypeScript types, with no dependency
 * (`openapi-typescript` needs TypeScript 5; we are on 6). It covers what our document uses and
 * fails loudly on anything else, so that a new construct in the document stops the generator
 * instead of silently widening a type to `unknown`:
 *
 * - `components.schemas` → one exported interface (objects with properties) or type alias each;
 * - `$ref` to `#/components/schemas/*`, `enum` (and `const`), `nullable` (3.0) and `type: 'null'`
 *   or a `null` member of `oneOf`/`anyOf` (3.1), `allOf` (intersection), `oneOf`/`anyOf` (union),
 *   arrays, `required` vs optional properties, `additionalProperties` (index signature);
 * - every operation → its JSON (or form) request body and its 200/201 JSON response, keyed by
 *   `operationId` (or `METHOD /path` when there is none), in one `ApiOperations` interface.
 *
 * Everything is `readonly`: these types describe JSON on the wire, which the CLI never mutates,
 * and a readonly CLI type must be assignable to them.
 */

/** The parts of an OpenAPI 3 document the generator reads. */
export interface OpenApiDocument {
  readonly openapi: string;
  readonly paths?: Readonly<Record<string, Readonly<Record<string, OpenApiOperation | unknown>>>>;
  readonly components?: { readonly schemas?: Readonly<Record<string, SchemaObject>> };
}

interface OpenApiOperation {
  readonly operationId?: string;
  readonly requestBody?: { readonly required?: boolean; readonly content?: Readonly<Record<string, { readonly schema?: SchemaObject }>> };
  readonly responses?: Readonly<Record<string, { readonly content?: Readonly<Record<string, { readonly schema?: SchemaObject }>> }>>;
}

/** A JSON schema as OpenAPI 3.0/3.1 writes it; only the keywords below are understood. */
export interface SchemaObject {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly nullable?: boolean;
  readonly properties?: Readonly<Record<string, SchemaObject>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | SchemaObject;
  readonly items?: SchemaObject;
  readonly allOf?: readonly SchemaObject[];
  readonly oneOf?: readonly SchemaObject[];
  readonly anyOf?: readonly SchemaObject[];
  readonly description?: string;
  readonly [keyword: string]: unknown;
}

/**
 * Where the generated API types are committed, relative to the repository root: s2sctl's, which the
 * browser console re-exports type-only (apps/console/src/admin-api.types.ts).
 */
export const GENERATED_TYPES_PATH = 'apps/s2sctl/src/generated/admin-api.types.ts';

/** Every file `npm run generate:api-types` writes. */
export const GENERATED_TYPES_PATHS = [GENERATED_TYPES_PATH] as const;

/** How to regenerate, printed in the header and by the drift test. */
export const REGENERATE_COMMAND = 'npm run generate:api-types';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Keywords that change the type, handled below. */
const TYPING_KEYWORDS = new Set([
  '$ref', 'type', 'enum', 'const', 'nullable', 'properties', 'required', 'additionalProperties', 'items', 'allOf', 'oneOf', 'anyOf',
]);
/** Validation and documentation keywords: no effect on the TypeScript type. */
const IGNORED_KEYWORDS = new Set([
  'description', 'title', 'example', 'examples', 'default', 'format', 'deprecated', 'readOnly', 'writeOnly', 'externalDocs', 'xml',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'pattern',
  'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties',
]);

/** The document holds a construct the generator does not translate. */
export class UnsupportedSchemaError extends Error {
  constructor(pointer: string, what: string) {
    super(`${pointer}: ${what} is not supported by the API type generator; extend apps/s2sctl/scripts/openapi-types.generator.ts`);
    this.name = 'UnsupportedSchemaError';
  }
}

/**
 * The TypeScript source for `document`. Deterministic: schemas and operations are sorted by name,
 * so the output only changes when the API does.
 */
export function generateApiTypes(document: OpenApiDocument, source = 'the trust server\'s OpenAPI document'): string {
  if (!/^3\./.test(document.openapi ?? '')) throw new UnsupportedSchemaError('#/openapi', `OpenAPI version "${document.openapi}"`);
  const schemas = document.components?.schemas ?? {};
  const names = new Map<string, string>();
  for (const name of Object.keys(schemas)) {
    const identifier = typeName(name);
    if ([...names.values()].includes(identifier)) throw new UnsupportedSchemaError(`#/components/schemas/${name}`, `a second schema named ${identifier}`);
    names.set(name, identifier);
  }
  const emitter = new TypeEmitter(names);

  const out: string[] = [
    `// Generated from ${source} by apps/s2sctl/scripts/generate-api-types.ts.`,
    `// Do not edit: regenerate with \`${REGENERATE_COMMAND}\` (a test fails while this file differs from the API).`,
    '',
  ];

  for (const name of [...names.keys()].sort(compare)) {
    const schema = schemas[name];
    const pointer = `#/components/schemas/${name}`;
    out.push(...docComment(schema.description, ''));
    const body = emitter.type(schema, pointer, '');
    out.push(isPlainObject(schema) ? `export interface ${names.get(name)} ${body}` : `export type ${names.get(name)} = ${body};`, '');
  }

  const operations = collectOperations(document);
  out.push('/** Every operation of the API: its method, path, request body (`never`: none) and 200/201 response body (`unknown`: not JSON). */');
  out.push('export interface ApiOperations {');
  for (const operation of operations) {
    const indent = '    ';
    out.push(`  ${propertyKey(operation.key)}: {`);
    out.push(`${indent}readonly method: '${operation.method.toUpperCase()}';`);
    out.push(`${indent}readonly path: ${quote(operation.path)};`);
    const request = operation.request;
    out.push(`${indent}readonly requestBody: ${request ? emitter.type(request.schema, request.pointer, indent) + (request.required ? '' : ' | undefined') : 'never'};`);
    out.push(`${indent}readonly response: ${operation.response ? emitter.type(operation.response.schema, operation.response.pointer, indent) : 'unknown'};`);
    out.push('  };');
  }
  out.push('}', '');
  out.push('/** The request body of an operation. */');
  out.push("export type RequestBodyOf<K extends keyof ApiOperations> = ApiOperations[K]['requestBody'];", '');
  out.push('/** The 200/201 response body of an operation. */');
  out.push("export type ResponseOf<K extends keyof ApiOperations> = ApiOperations[K]['response'];", '');
  return out.join('\n');
}

interface CollectedOperation {
  key: string;
  method: string;
  path: string;
  request?: { schema: SchemaObject; pointer: string; required: boolean };
  response?: { schema: SchemaObject; pointer: string };
}

function collectOperations(document: OpenApiDocument): CollectedOperation[] {
  const operations: CollectedOperation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as OpenApiOperation | undefined;
      if (!operation) continue;
      const pointer = `#/paths/${escapePointer(path)}/${method}`;
      const collected: CollectedOperation = { key: operation.operationId ?? `${method.toUpperCase()} ${path}`, method, path };
      const requestContent = operation.requestBody?.content;
      if (requestContent) {
        const mediaType = ['application/json', 'application/x-www-form-urlencoded'].find((type) => requestContent[type]?.schema);
        if (!mediaType) throw new UnsupportedSchemaError(`${pointer}/requestBody`, `a request body of type ${Object.keys(requestContent).join(', ')}`);
        collected.request = {
          schema: requestContent[mediaType].schema!,
          pointer: `${pointer}/requestBody/content/${escapePointer(mediaType)}/schema`,
          required: operation.requestBody?.required === true,
        };
      }
      const status = ['200', '201'].find((code) => operation.responses?.[code]);
      const responseSchema = status ? operation.responses![status].content?.['application/json']?.schema : undefined;
      if (responseSchema) {
        collected.response = { schema: responseSchema, pointer: `${pointer}/responses/${status}/content/application~1json/schema` };
      }
      if (operations.some((other) => other.key === collected.key)) throw new UnsupportedSchemaError(pointer, `a second operation keyed ${collected.key}`);
      operations.push(collected);
    }
  }
  return operations.sort((a, b) => compare(a.key, b.key));
}

class TypeEmitter {
  constructor(private readonly names: ReadonlyMap<string, string>) {}

  /** The type of `schema`; `indent` is the indentation of the line the type starts on. */
  type(schema: SchemaObject, pointer: string, indent: string): string {
    for (const keyword of Object.keys(schema)) {
      if (!TYPING_KEYWORDS.has(keyword) && !IGNORED_KEYWORDS.has(keyword) && !keyword.startsWith('x-')) {
        throw new UnsupportedSchemaError(pointer, `the keyword "${keyword}"`);
      }
    }
    const types = typeof schema.type === 'string' ? [schema.type] : [...(schema.type ?? [])];
    const nullable = schema.nullable === true || types.includes('null');
    const nonNullTypes = types.filter((type) => type !== 'null');
    // `type: 'null'` alone (3.1, e.g. the null member of a oneOf) is null, not "any type".
    const base = types.length > 0 && nonNullTypes.length === 0 ? 'null' : this.baseType(schema, nonNullTypes, pointer, indent);
    return nullable && base !== 'null' && base !== 'unknown' ? union([base, 'null']) : base;
  }

  private baseType(schema: SchemaObject, types: string[], pointer: string, indent: string): string {
    if (schema.$ref !== undefined) {
      const siblings = Object.keys(schema).filter((keyword) => keyword !== '$ref' && TYPING_KEYWORDS.has(keyword) && keyword !== 'nullable');
      if (siblings.length > 0) throw new UnsupportedSchemaError(pointer, `"$ref" next to ${siblings.join(', ')}`);
      return this.reference(schema.$ref, pointer);
    }
    if (schema.enum !== undefined) return union(schema.enum.map((value) => literal(value, `${pointer}/enum`)));
    if ('const' in schema) return literal(schema.const, `${pointer}/const`);
    if (schema.allOf !== undefined) {
      const parts = schema.allOf.map((part, index) => this.type(part, `${pointer}/allOf/${index}`, indent));
      // `type: object` next to allOf only restates what the parts are; own properties add a part.
      if (schema.properties !== undefined || schema.additionalProperties !== undefined) parts.push(this.objectType(schema, pointer, indent));
      return parts.length === 1 ? parts[0] : parts.map(parenthesise).join(' & ');
    }
    const alternatives = schema.oneOf ?? schema.anyOf;
    if (alternatives !== undefined) {
      const keyword = schema.oneOf ? 'oneOf' : 'anyOf';
      return union(alternatives.map((member, index) => this.type(member, `${pointer}/${keyword}/${index}`, indent)));
    }
    if (types.length > 1) return union(types.map((type) => this.type({ ...schema, type, nullable: false }, pointer, indent)));
    switch (types[0]) {
      case undefined:
        return schema.properties !== undefined || schema.additionalProperties !== undefined ? this.objectType(schema, pointer, indent) : 'unknown';
      case 'string':
        return 'string';
      case 'number':
      case 'integer':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'array':
        if (schema.items === undefined) return 'readonly unknown[]';
        return `readonly ${parenthesise(this.type(schema.items, `${pointer}/items`, indent))}[]`;
      case 'object':
        return this.objectType(schema, pointer, indent);
      default:
        throw new UnsupportedSchemaError(`${pointer}/type`, `the type "${types[0]}"`);
    }
  }

  private reference(ref: string, pointer: string): string {
    const match = /^#\/components\/schemas\/(.+)$/.exec(ref);
    const name = match ? match[1].replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
    if (name === undefined || !this.names.has(name)) throw new UnsupportedSchemaError(pointer, `the reference "${ref}"`);
    return this.names.get(name)!;
  }

  /**
   * An object literal type. A schema without `properties` and without `additionalProperties: false`
   * accepts any member (JSON Schema's default), hence the `unknown` index signature.
   */
  private objectType(schema: SchemaObject, pointer: string, indent: string): string {
    const inner = `${indent}  `;
    const properties = schema.properties ?? {};
    const required = new Set(schema.required ?? []);
    const lines: string[] = [];
    const memberTypes: string[] = [];
    for (const [name, property] of Object.entries(properties)) {
      const type = this.type(property, `${pointer}/properties/${escapePointer(name)}`, inner);
      const optional = !required.has(name);
      memberTypes.push(optional ? union([type, 'undefined']) : type);
      lines.push(...docComment(property.description, inner), `${inner}readonly ${propertyKey(name)}${optional ? '?' : ''}: ${type};`);
    }
    // Required but not described: the document promises the member, not its type.
    for (const name of required) {
      if (name in properties) continue;
      memberTypes.push('unknown');
      lines.push(`${inner}readonly ${propertyKey(name)}: unknown;`);
    }
    const additional = schema.additionalProperties;
    if (additional !== false && (additional !== undefined || Object.keys(properties).length === 0)) {
      const valueType =
        additional === undefined || additional === true ? 'unknown' : this.type(additional, `${pointer}/additionalProperties`, inner);
      // Every named member must fit the index signature.
      const indexType = valueType === 'unknown' || memberTypes.length === 0 ? valueType : union([valueType, ...memberTypes]);
      lines.push(`${inner}readonly [key: string]: ${indexType};`);
    }
    return lines.length === 0 ? 'Record<string, never>' : `{\n${lines.join('\n')}\n${indent}}`;
  }
}

/** True when the schema is emitted as `export interface` (an object with named members). */
function isPlainObject(schema: SchemaObject): boolean {
  return (
    (schema.type === 'object' || schema.type === undefined) &&
    schema.properties !== undefined &&
    !schema.nullable &&
    schema.$ref === undefined &&
    schema.allOf === undefined &&
    schema.oneOf === undefined &&
    schema.anyOf === undefined &&
    schema.enum === undefined
  );
}

function literal(value: unknown, pointer: string): string {
  if (typeof value === 'string') return quote(value);
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean' || value === null) return String(value);
  throw new UnsupportedSchemaError(pointer, `the literal ${JSON.stringify(value)}`);
}

/** A union without duplicates, in first-seen order. */
function union(members: string[]): string {
  const unique = [...new Set(members)];
  return unique.length === 1 ? unique[0] : unique.map((member) => (hasTopLevel(member, '&') ? `(${member})` : member)).join(' | ');
}

/** Wraps a union, an intersection or a readonly array so that a following `[]` applies to all of it. */
function parenthesise(type: string): string {
  return hasTopLevel(type, '|') || hasTopLevel(type, '&') || type.startsWith('readonly ') ? `(${type})` : type;
}

/** True when `operator` occurs in `type` outside braces, brackets, parentheses and quotes. */
function hasTopLevel(type: string, operator: '|' | '&'): boolean {
  let depth = 0;
  let quoted = false;
  for (let index = 0; index < type.length; index++) {
    const character = type[index];
    if (quoted) {
      if (character === '\\') index++;
      else if (character === "'") quoted = false;
    } else if (character === "'") quoted = true;
    else if ('{[('.includes(character)) depth++;
    else if ('}])'.includes(character)) depth--;
    else if (character === operator && depth === 0) return true;
  }
  return false;
}

function typeName(schemaName: string): string {
  const identifier = schemaName.replace(/[^A-Za-z0-9_$]/g, '_');
  return /^[0-9]/.test(identifier) ? `_${identifier}` : identifier;
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quote(name);
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function docComment(description: string | undefined, indent: string): string[] {
  if (!description) return [];
  const lines = description.replace(/\*\//g, '*\\/').split('\n');
  return lines.length === 1 ? [`${indent}/** ${lines[0]} */`] : [`${indent}/**`, ...lines.map((line) => `${indent} *${line ? ` ${line}` : ''}`), `${indent} */`];
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Code-point order, independent of the locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
