import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, loadMasterKey, MasterKey } from '@s2s/config';
import { AdminErrorFilter, DirectRoutes, FORM_ENDPOINT_PREFIX, FormBody, requestIdOf, StrictValidationPipe, UnsupportedBody } from '@s2s/http';
import { parseStrictJson } from '@s2s/jwt';
import { createPinoLogger, MetricsRegistry, PinoNestLogger } from '@s2s/operations';
import { TokenHttpRoute } from '@s2s/token-issuer';
import { resolveHttpsOptions } from '@s2s/tls';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { type AppModuleOptions, AppModule } from './app.module.js';
import { setUpOpenApi } from './openapi.js';

/** A started server. */
export interface RunningServer {
  app: NestFastifyApplication;
  /** The URL the server listens on (https unless TLS_MODE=off). */
  url: string;
  logger: PinoLogger;
}

/**
 * Builds and starts the trust server: TLS, the direct routes (the token endpoint, answered ahead of
 * Fastify), Fastify with a strict JSON parser and body cap, request ids, metrics, validation, error
 * rendering, OpenAPI, graceful shutdown. Used by `main.ts` and by tests that need a server in-process.
 */
export async function startServer(
  config: AppConfig,
  options: Omit<AppModuleOptions, 'masterKey'> & { masterKey?: MasterKey; logger?: PinoLogger } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createPinoLogger(config.logLevel);
  const masterKey = options.masterKey ?? new MasterKey((await loadMasterKey(config.masterKey)).key);
  const https = await resolveHttpsOptions(
    { ...config.tls, certsDir: config.certsDir, now: new Date(), hostNames: [new URL(config.publicUrl).hostname] },
    { info: (msg, fields) => logger.info(fields ?? {}, msg), warn: (msg, fields) => logger.warn(fields ?? {}, msg) },
  );

  // The hot path (SPEC 7) is answered by plain Node handlers ahead of Fastify: the token endpoint.
  const directRoutes = new DirectRoutes();
  const adapter = new FastifyAdapter({
    ...(https ? { https } : {}),
    serverFactory: (fastifyHandler: (request: IncomingMessage, response: ServerResponse) => void, options: FastifyServerOptions) =>
      createNodeServer(https, options, directRoutes.listener(fastifyHandler)),
    loggerInstance: logger,
    bodyLimit: config.bodyLimitBytes,
    genReqId: (request) => requestIdOf(request.headers),
    // Keep-alive connections would otherwise hold graceful shutdown open until they time out.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  } as ConstructorParameters<typeof FastifyAdapter>[0]);

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, { clock: options.clock, masterKey }), adapter, {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;

  // JSON for the admin API (Fastify's default text/plain parser removed): anything else is a 415.
  // The OAuth endpoints (/oauth2/*) take forms, and answer other types themselves with an OAuth error.
  const unsupportedMediaType = (): Error => Object.assign(new Error('unsupported media type'), { statusCode: 415 });
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (request.url.startsWith(FORM_ENDPOINT_PREFIX)) return done(null, new UnsupportedBody('application/json'));
    try {
      done(null, parseStrictJson(body as string));
    } catch (error) {
      done(Object.assign(error as Error, { statusCode: 400 }), undefined);
    }
  });
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    if (!request.url.startsWith(FORM_ENDPOINT_PREFIX)) return done(unsupportedMediaType(), undefined);
    done(null, new FormBody(body as string));
  });
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (request, _body, done) => {
    if (!request.url.startsWith(FORM_ENDPOINT_PREFIX)) return done(unsupportedMediaType(), undefined);
    done(null, new UnsupportedBody(String(request.headers['content-type'])));
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  const metrics = app.get(MetricsRegistry);
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observeHttp(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  // Direct routes get the same metrics and, at info, one "request completed" line like Fastify's.
  directRoutes.serve([app.get(TokenHttpRoute)], (request, response, route, requestId, seconds) => {
    metrics.observeHttp(request.method ?? '', route.path, response.statusCode, seconds);
    if (logger.isLevelEnabled('info')) {
      logger.info({ reqId: requestId, req: { method: request.method, url: request.url, remoteAddress: request.socket.remoteAddress }, res: { statusCode: response.statusCode }, responseTime: seconds * 1000 }, 'request completed');
    }
  });
  fastify.addHook('preClose', (done) => {
    directRoutes.closing = true;
    done();
  });

  app.useGlobalPipes(new StrictValidationPipe());
  app.useGlobalFilters(new AdminErrorFilter());
  setUpOpenApi(app, config.publicUrl);

  await app.listen({ port: config.port, host: config.host });
  const address = fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return { app, url: `${https ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`, logger };
}

/**
 * The HTTP(S) server, made as Fastify would make it (its `serverFactory` option): same timeouts,
 * with `listener` in front so that direct routes bypass the framework.
 */
function createNodeServer(
  https: Awaited<ReturnType<typeof resolveHttpsOptions>>,
  options: FastifyServerOptions,
  listener: (request: IncomingMessage, response: ServerResponse) => void,
): Server {
  const server = https ? createHttpsServer(https, listener) : createHttpServer(listener);
  server.keepAliveTimeout = options.keepAliveTimeout ?? 72_000;
  server.requestTimeout = options.requestTimeout ?? 0;
  server.setTimeout(options.connectionTimeout ?? 0);
  if (options.maxRequestsPerSocket) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
  return server;
}
