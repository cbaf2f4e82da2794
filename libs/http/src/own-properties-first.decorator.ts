import 'reflect-metadata';

/** Where @nestjs/swagger lists a DTO's documented properties, in document order (its own key). */
const SWAGGER_PROPERTIES_KEY = 'swagger/apiModelPropertiesArray';

/**
 * Lists a DTO's own properties before the ones it inherits in its OpenAPI schema. Swagger lists
 * the inherited ones first; with this, a body whose common fields moved to a base class (the
 * trusted-issuer settings of partner applications and OAuth servers) keeps the property order it
 * had, as class-validator keeps its order of findings (own fields first). Order only: the
 * properties, their types and the required list are the same.
 */
export function OwnPropertiesFirst(): ClassDecorator {
  return (target) => {
    const base = Object.getPrototypeOf(target.prototype) as object;
    const inherited = (Reflect.getMetadata(SWAGGER_PROPERTIES_KEY, base) as string[] | undefined) ?? [];
    const all = (Reflect.getOwnMetadata(SWAGGER_PROPERTIES_KEY, target.prototype) as string[] | undefined) ?? [];
    const own = all.filter((key) => !inherited.includes(key));
    Reflect.defineMetadata(SWAGGER_PROPERTIES_KEY, [...own, ...all.filter((key) => inherited.includes(key))], target.prototype);
  };
}
