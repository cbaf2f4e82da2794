import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { lazyRequestLogger } from './request-logger.js';

/** A pino logger with redaction (as the server's) writing its JSON lines into `lines`, with `child` counted. */
function capturingLogger(lines: Record<string, unknown>[]): { logger: FastifyBaseLogger; children: () => number } {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level: 'info', redact: { paths: ['*.authorization'], censor: '[redacted]' } }, stream);
  let children = 0;
  const child = logger.child as (...args: unknown[]) => unknown;
  Object.assign(logger, {
    child: (...args: unknown[]) => {
      children += 1;
      return child.apply(logger, args);
    },
  });
  return { logger: logger as unknown as FastifyBaseLogger, children: () => children };
}

describe('lazyRequestLogger', () => {
  it('makes no pino child for a request that never logs', () => {
    const lines: Record<string, unknown>[] = [];
    const { logger, children } = capturingLogger(lines);
    const requestLogger = lazyRequestLogger(logger, { reqId: 'r-1' }, {});
    expect(requestLogger.level).toBe('info');
    expect(children()).toBe(0);
    expect(lines).toEqual([]);
  });

  it('logs as the child Fastify would have made: the request id bound, redaction applied, once made', async () => {
    const lines: Record<string, unknown>[] = [];
    const { logger, children } = capturingLogger(lines);
    const requestLogger = lazyRequestLogger(logger, { reqId: 'r-2' }, {});
    requestLogger.error({ headers: { authorization: 'Basic c2VjcmV0' } }, 'reply failed');
    requestLogger.info('second line');
    requestLogger.debug('below the level: not written');
    await new Promise((resolve) => setImmediate(resolve));
    expect(children()).toBe(1);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 50, reqId: 'r-2', msg: 'reply failed', headers: { authorization: '[redacted]' } });
    expect(lines[1]).toMatchObject({ level: 30, reqId: 'r-2', msg: 'second line' });
  });

  it('passes the child options on (a route-level log level)', () => {
    const lines: Record<string, unknown>[] = [];
    const { logger } = capturingLogger(lines);
    const requestLogger = lazyRequestLogger(logger, { reqId: 'r-3' }, { level: 'error' });
    expect(requestLogger.level).toBe('error');
    requestLogger.warn('filtered by the child level');
    expect(requestLogger.level).toBe('error');
    expect(lines).toEqual([]);
  });
});
