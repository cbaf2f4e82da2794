import { type ArgumentMetadata, Injectable, ValidationPipe, type ValidationError } from '@nestjs/common';
import { type FieldProblem, InvalidInputError, MalformedRequestError } from '@s2s/core';
import { isNullable, NULL_REFUSED } from './nullable.decorator.js';
import { dateProblem, isMultiLineText, keyProblem, printableField, textProblem } from './text.rules.js';

/** Deeper than any request DTO (the deepest is 3: resource → roles[] → role); the walk stops here. */
const MAX_DEPTH = 16;
const TOO_DEEP = 'is nested too deeply';

/**
 * Validates every DTO: unknown fields are rejected (not silently dropped), types are checked, and
 * failures become a 422 naming each field. A body that is not a JSON object is a 400.
 *
 * On top of class-validator it applies, in one place, the text rules (`text.rules.ts`) to every
 * string and key of a body or query DTO and to every named path and query parameter, the
 * date-time range rule to every Date a DTO transforms to, and the null rule
 * (`nullable.decorator.ts`): `null` only where a property is marked `@Nullable()`.
 */
@Injectable()
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => toInvalidInput(errors),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object) {
      if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new MalformedRequestError('the request body must be a JSON object (Content-Type: application/json)');
      }
    }
    if ((metadata.type === 'body' || metadata.type === 'query') && typeof value === 'object' && value !== null) {
      // class-transformer recurses once per level and would overflow the stack (a 500) on a deep
      // enough value; nothing this deep can be a valid DTO, so it is refused before the transform.
      const tooDeep = deeperThan(value, MAX_DEPTH);
      if (tooDeep !== null) throw problemsError([{ field: tooDeep, message: TOO_DEEP }]);
    }
    if ((metadata.type === 'param' || metadata.type === 'query') && metadata.data !== undefined) {
      // A single named parameter (`@Param('identity')`, `@Query('role')`): a string, or an array when repeated.
      const problems = valueProblems(value, printableField(metadata.data), false, 0);
      if (problems.length) throw problemsError(problems);
    }
    return super.transform(value, metadata);
  }

  /** class-validator's findings plus the text and null rules, reported together. */
  protected override async validate(object: object, validatorOptions?: Parameters<ValidationPipe['validate']>[1]): Promise<ValidationError[]> {
    const errors = await super.validate(object, validatorOptions);
    const problems = objectProblems(object, '', 0);
    return problems.length ? [...errors, ...problems.map(toValidationError)] : errors;
  }
}

/** Problems of the keys and values of `object`; the rules of a property come from its DTO class. */
function objectProblems(object: object, prefix: string, depth: number): FieldProblem[] {
  if (depth > MAX_DEPTH) return [{ field: prefix, message: TOO_DEEP }];
  const prototype = Object.getPrototypeOf(object) as { constructor?: unknown } | null;
  const dto = typeof prototype?.constructor === 'function' && prototype.constructor !== Object ? (prototype.constructor as abstract new (...args: never[]) => unknown) : null;
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(object)) {
    const field = prefix ? `${prefix}.${printableField(key)}` : printableField(key);
    const keyIssue = keyProblem(key);
    if (keyIssue) {
      problems.push({ field, message: keyIssue });
      continue;
    }
    const item = (object as Record<string, unknown>)[key];
    if (typeof item === 'function') continue; // a stand-in `constructor` ValidationPipe may set
    if (item === null) {
      if (!(dto && isNullable(dto, key))) problems.push({ field, message: NULL_REFUSED });
      continue;
    }
    problems.push(...valueProblems(item, field, dto !== null && isMultiLineText(dto, key), depth + 1));
  }
  return problems;
}

/** The path of the first value nested deeper than `limit` levels in `root`, or null. Iterative: `root` may be very deep. */
function deeperThan(root: object, limit: number): string | null {
  const stack: { value: object; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (depth > limit) return path;
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      if (typeof child !== 'object' || child === null) continue;
      const segment = Array.isArray(value) ? `[${key}]` : path ? `.${printableField(key)}` : printableField(key);
      stack.push({ value: child, path: `${path}${segment}`, depth: depth + 1 });
    }
  }
  return null;
}

function valueProblems(value: unknown, field: string, multiLine: boolean, depth: number): FieldProblem[] {
  if (typeof value === 'string') {
    const problem = textProblem(value, { multiLine });
    return problem ? [{ field, message: problem }] : [];
  }
  if (Array.isArray(value)) {
    if (depth > MAX_DEPTH) return [{ field, message: TOO_DEEP }];
    return value.flatMap((item, index) =>
      item === null ? [{ field: `${field}[${index}]`, message: NULL_REFUSED }] : valueProblems(item, `${field}[${index}]`, multiLine, depth + 1),
    );
  }
  if (value instanceof Date) {
    const problem = dateProblem(value);
    return problem ? [{ field, message: problem }] : [];
  }
  if (typeof value === 'object' && value !== null) return objectProblems(value, field, depth);
  return [];
}

function toValidationError(problem: FieldProblem): ValidationError {
  return { property: problem.field, constraints: { textAndNullRules: problem.message }, children: [] };
}

function problemsError(problems: FieldProblem[]): InvalidInputError {
  return new InvalidInputError(`request validation failed: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, problems);
}

function toInvalidInput(errors: ValidationError[]): InvalidInputError {
  return problemsError(flatten(errors, ''));
}

function flatten(errors: ValidationError[], prefix: string): FieldProblem[] {
  return errors.flatMap((error) => {
    // Keys are shown escaped (a key may carry control characters); the rules' own paths already are.
    const property = printableField(error.property);
    const field = prefix ? `${prefix}.${property}` : property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      message: constraint === 'whitelistValidation' ? 'is not a known field' : message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
