import { Logger } from '@nestjs/common';
import { MalformedRequestError } from '@s2s/core';
import { parseStrictJson, StrictJsonError } from '@s2s/jwt';
import { describeError } from './admin-error.filter.js';

/** The error the admin API's JSON body parser hands Fastify (apps/trust-server server.factory). */
function parserError(text: string): unknown {
  try {
    parseStrictJson(text);
  } catch (error) {
    return Object.assign(error as Error, { statusCode: 400 });
  }
  throw new Error('expected parseStrictJson to throw');
}

describe('describeError for the strict JSON body parser', () => {
  const logger = new Logger('test');

  it('answers a body nested 100 000 levels deep 400 invalid_json', () => {
    const error = parserError(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(error).toBeInstanceOf(StrictJsonError);
    expect(describeError(error, 'req-1', logger)).toEqual({
      status: 400,
      body: { code: 'invalid_json', message: 'the JSON is nested more than 64 levels deep', requestId: 'req-1' },
    });
  });

  it('keeps bad_request for duplicate keys and syntax errors (the established contract)', () => {
    expect(describeError(parserError('{"realm":"a","realm":"b"}'), 'req-2', logger)).toEqual({
      status: 400,
      body: { code: 'bad_request', message: 'duplicate key "realm" in a JSON object', requestId: 'req-2' },
    });
    expect(describeError(parserError('{"realm":'), 'req-3', logger)).toMatchObject({ status: 400, body: { code: 'bad_request' } });
  });

  it('renders a StrictJsonError 400 even without a statusCode, and leaves domain errors alone', () => {
    expect(describeError(new StrictJsonError('the JSON is nested more than 64 levels deep', 'nesting_too_deep'), 'req-4', logger).status).toBe(400);
    expect(describeError(new MalformedRequestError('the request body must be a JSON object'), 'req-5', logger).body.code).toBe('bad_request');
  });
});
