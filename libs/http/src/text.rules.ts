import 'reflect-metadata';

/**
 * The text rules of the admin API, in one place (applied by `StrictValidationPipe` to every body,
 * query and path parameter, and to the keys of every object in a body):
 *
 * 1. Every string is well-formed UTF-16: no unpaired surrogate (`String.prototype.isWellFormed`).
 *    An unpaired surrogate has no UTF-8 encoding, so PostgreSQL (and any JSON consumer that
 *    re-encodes) cannot store it.
 * 2. No control characters (U+0000–U+001F, U+007F) in names, identifiers, URLs, filters and any
 *    other single-line field. PostgreSQL cannot store U+0000 at all; the others enable log and
 *    header injection (CWE-117) and lookalike names.
 * 3. Fields documented as multi-line ({@link MultiLineText}: PEM certificates, CA bundles,
 *    descriptions) also accept tab, line feed and carriage return; never the other controls.
 * 4. Object keys follow rule 1 and rule 2.
 *
 * Refusals are 422 `validation_failed` naming the field, raised before any service runs.
 */

const MULTI_LINE_KEY = 's2s:multi-line-text';
const SWAGGER_PROPERTY_KEY = 'swagger/apiModelProperties';

/** Told to API users in the OpenAPI description of every multi-line field. */
export const MULTI_LINE_NOTE = 'Multi-line text: tab, line feed and carriage return are allowed here; other control characters are not.';

/** Control characters refused in single-line text: C0 (U+0000–U+001F) and DEL (U+007F). */
const CONTROL = /[\u0000-\u001f\u007f]/;
/** The same, except tab (U+0009), line feed (U+000A) and carriage return (U+000D). */
const CONTROL_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** What a field label must escape to be printable: controls and surrogate halves (paired or not). */
const UNPRINTABLE = /[\u0000-\u001f\u007f\ud800-\udfff]/g;

export const NOT_WELL_FORMED = 'must be well-formed Unicode text (it contains an unpaired UTF-16 surrogate)';
export const HAS_CONTROL_CHARACTER = 'must not contain control characters (U+0000-U+001F, U+007F)';
export const HAS_CONTROL_CHARACTER_MULTI_LINE = 'must not contain control characters other than tab, line feed and carriage return';
export const BAD_KEY = 'is not a valid field name (control characters or unpaired surrogates)';

/**
 * The date-time rule, for the same reason as the text rules (what PostgreSQL cannot store fails
 * there, as a 500): a JavaScript Date reaches ±275760 years, `timestamptz` and a four-digit ISO
 * 8601 year do not (year 0000 and six-digit years are refused by PostgreSQL).
 */
const EARLIEST = Date.parse('0001-01-01T00:00:00.000Z'); // Date.UTC would read year 1 as 1901
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');
export const DATE_OUT_OF_RANGE = 'must be a date-time between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z';

/** Why a date breaks the date-time rule, or null (an invalid Date is left to `@IsDate`). */
export function dateProblem(value: Date): string | null {
  const time = value.getTime();
  return Number.isNaN(time) || (time >= EARLIEST && time <= LATEST) ? null : DATE_OUT_OF_RANGE;
}

/** Node ≥ 20 has `String.prototype.isWellFormed` (ES2024); the project's `lib` is ES2023. */
const isWellFormed = (value: string): boolean => (value as unknown as { isWellFormed(): boolean }).isWellFormed();

/** Why `value` breaks the text rules, or null when it is acceptable. */
export function textProblem(value: string, options: { multiLine?: boolean } = {}): string | null {
  if (!isWellFormed(value)) return NOT_WELL_FORMED;
  if (options.multiLine) return CONTROL_EXCEPT_LINE_BREAKS.test(value) ? HAS_CONTROL_CHARACTER_MULTI_LINE : null;
  return CONTROL.test(value) ? HAS_CONTROL_CHARACTER : null;
}

/** Why an object key breaks the rules (keys are always single-line), or null. */
export function keyProblem(key: string): string | null {
  return textProblem(key) === null ? null : BAD_KEY;
}

/**
 * A key or path as an error message may show it: control characters and surrogate code units as
 * `\uXXXX`, so that the error body, the log line and a terminal show what was sent without
 * carrying it.
 */
export function printableField(name: string): string {
  return name.replace(UNPRINTABLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Marks a DTO string property (or string array) as multi-line text: tab, line feed and carriage
 * return are accepted there (PEM, CA bundles, descriptions). Put it first (leftmost) in the
 * property's decorators, so that it runs after `@ApiProperty` and can add {@link MULTI_LINE_NOTE}
 * to the OpenAPI description.
 */
export function MultiLineText(): PropertyDecorator {
  return (target, property) => {
    Reflect.defineMetadata(MULTI_LINE_KEY, true, target, property);
    const swagger = Reflect.getOwnMetadata(SWAGGER_PROPERTY_KEY, target, property) as { description?: string } | undefined;
    // A misplaced decorator would silently leave the OpenAPI document wrong: fail at class definition.
    if (!swagger) throw new Error(`@MultiLineText() on ${target.constructor.name}.${String(property)} must come before (left of) its @ApiProperty`);
    const description = swagger.description ? `${swagger.description} ${MULTI_LINE_NOTE}` : MULTI_LINE_NOTE;
    Reflect.defineMetadata(SWAGGER_PROPERTY_KEY, Object.assign({}, swagger, { description }), target, property);
  };
}

/** Is `property` of DTO class `type` (or a base class) marked {@link MultiLineText}? */
export function isMultiLineText(type: abstract new (...args: never[]) => unknown, property: string): boolean {
  return Reflect.getMetadata(MULTI_LINE_KEY, type.prototype as object, property) === true;
}
