export { StrictValidationPipe } from './strict-validation.pipe.js';
export { MultiLineText, MULTI_LINE_NOTE, dateProblem, isMultiLineText, keyProblem, printableField, textProblem } from './text.rules.js';
export { Nullable, NULLABLE_NOTE, isNullable } from './nullable.decorator.js';
export { OwnPropertiesFirst } from './own-properties-first.decorator.js';
export { AdminErrorFilter, adminErrorCode, describeError, errorBodyFor, sendError } from './admin-error.filter.js';
export { answerClientError, answerFrameworkError, BAD_URL_MESSAGE, type ClientError } from './framework-errors.js';
export { AdminErrorDto, FieldProblemDto } from './admin-error.dto.js';
export { ApiAdminErrors } from './api-admin-errors.decorator.js';
export { FORM_ENDPOINT_PREFIX } from './form-endpoints.js';
export {
  BodyNotUtf8Error,
  BodyTooLargeError,
  charsetsOf,
  contentTypeVerdict,
  decodeUtf8,
  formEscapesAreUtf8,
  FormRefusedError,
  HttpExchangeObserver,
  mediaTypeOf,
  readBodyText,
  readFormText,
  requestIdOf,
  ServerLifecycle,
  SHUTTING_DOWN_MESSAGE,
  UnsupportedCharsetError,
  type ContentTypeVerdict,
  type FormRefusal,
  type HttpMetricsSink,
  type RequestLogSink,
} from './http-exchange.js';
export { addExchangeHooks, serveOnFastify, type JsonAnswer, type JsonRoute, type OwnRouteConfig, type RouteContext } from './fastify-route.js';
export { lazyRequestLogger } from './request-logger.js';
export { capConnectionsPerAddress, serverOptionsFor, type ConnectionLimits } from './connection.limits.js';
