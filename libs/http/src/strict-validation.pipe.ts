import { type ArgumentMetadata, Injectable, ValidationPipe, type ValidationError } from '@nestjs/common';
import { type FieldProblem, InvalidInputError, MalformedRequestError } from '@s2s/core';

/**
 * Validates every DTO: unknown fields are rejected (not silently dropped), types are checked, and
 * failures become a 422 naming each field. A body that is not a JSON object is a 400.
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
    return super.transform(value, metadata);
  }
}

function toInvalidInput(errors: ValidationError[]): InvalidInputError {
  const problems = flatten(errors, '');
  const summary = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
  return new InvalidInputError(`request validation failed: ${summary}`, problems);
}

function flatten(errors: ValidationError[], prefix: string): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      message: constraint === 'whitelistValidation' ? 'is not a known field' : message.replace(new RegExp(`^${error.property} `), ''),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
