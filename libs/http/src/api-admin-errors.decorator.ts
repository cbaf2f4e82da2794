import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { AdminErrorDto } from './admin-error.dto.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request (not JSON, duplicate keys, body not an object); `invalid_json` for JSON nested more than 64 levels deep',
  401: 'Missing or invalid admin API key',
  403: 'The admin API key may not do this (reader writing)',
  404: 'No such object',
  409: 'Conflicts with the current state',
  413: 'Request body too large',
  415: 'Content-Type is not application/json',
  422: 'Validation failed; `details` names each field',
  503: 'Database unavailable',
};

/** Documents the admin error responses of a controller or route in the OpenAPI document. */
export function ApiAdminErrors(...statuses: number[]): ClassDecorator & MethodDecorator {
  const documented = statuses.length ? statuses : [400, 401, 403, 413, 415, 422, 503];
  return applyDecorators(...documented.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: AdminErrorDto })));
}
