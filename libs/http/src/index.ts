export { parseStrictJson, StrictJsonError } from './strict-json.parser.js';
export { StrictValidationPipe } from './strict-validation.pipe.js';
export { MultiLineText, MULTI_LINE_NOTE, dateProblem, isMultiLineText, keyProblem, printableField, textProblem } from './text.rules.js';
export { Nullable, NULLABLE_NOTE, isNullable } from './nullable.decorator.js';
export { AdminErrorFilter, describeError } from './admin-error.filter.js';
export { AdminErrorDto, FieldProblemDto } from './admin-error.dto.js';
export { ApiAdminErrors } from './api-admin-errors.decorator.js';
export { FormBody, UnsupportedBody, FORM_ENDPOINT_PREFIX } from './form-body.js';
export { BodyTooLargeError, DirectRoutes, mediaTypeOf, readBodyText, requestIdOf, sendJson, type DirectRequestContext, type DirectRoute, type DirectRouteObserver } from './direct-route.js';
