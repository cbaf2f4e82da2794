import 'reflect-metadata';

const NULLABLE_KEY = 's2s:nullable';
const SWAGGER_PROPERTY_KEY = 'swagger/apiModelProperties';

/** Told to API users in the OpenAPI description of every nullable request field. */
export const NULLABLE_NOTE = '`null` clears it.';

export const NULL_REFUSED = 'must not be null (leave the field out to keep its value)';

/**
 * The null rule of the admin API: an explicit `null` in a request body is "clear this field" for
 * a property marked `@Nullable()` (one that is nullable in the domain, e.g. a partner's host
 * authority or CA bundle), and a 422 naming the field everywhere else (`StrictValidationPipe`).
 * `@IsOptional()` alone lets `null` through to the service, where it would mean "unchanged" to one
 * `??` and "set to null" to a NOT NULL column; this rule removes that ambiguity in one place.
 *
 * Marks the OpenAPI property `nullable` and adds {@link NULLABLE_NOTE} to its description. Put it
 * first (left of `@ApiProperty`), like `@MultiLineText()`.
 */
export function Nullable(): PropertyDecorator {
  return (target, property) => {
    Reflect.defineMetadata(NULLABLE_KEY, true, target, property);
    const swagger = Reflect.getOwnMetadata(SWAGGER_PROPERTY_KEY, target, property) as { description?: string } | undefined;
    if (!swagger) throw new Error(`@Nullable() on ${target.constructor.name}.${String(property)} must come before (left of) its @ApiProperty`);
    const description = swagger.description ? `${swagger.description} ${NULLABLE_NOTE}` : NULLABLE_NOTE;
    Reflect.defineMetadata(SWAGGER_PROPERTY_KEY, Object.assign({}, swagger, { nullable: true, description }), target, property);
  };
}

/** Is `property` of DTO class `type` (or a base class) marked {@link Nullable}? */
export function isNullable(type: abstract new (...args: never[]) => unknown, property: string): boolean {
  return Reflect.getMetadata(NULLABLE_KEY, type.prototype as object, property) === true;
}
