import cluster from 'node:cluster';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, loadMasterKey, MasterKey } from '@s2s/config';
import { SystemClock } from '@s2s/core';
import { certificateThumbprints, describeCertificate, readCertificates, readPkcs12 } from '@s2s/crypto';
import type { ServingCertificate } from '@s2s/lifecycle';
import {
  addExchangeHooks,
  AdminErrorFilter,
  answerClientError,
  answerFrameworkError,
  BodyTooLargeError,
  capConnectionsPerAddress,
  type ConnectionLimits,
  contentTypeVerdict,
  FORM_ENDPOINT_PREFIX,
  HttpExchangeObserver,
  lazyRequestLogger,
  readBodyText,
  requestIdOf,
  serveOnFastify,
  ServerLifecycle,
  serverOptionsFor,
  StrictValidationPipe,
  UnsupportedCharsetError,
} from '@s2s/http';
import { parseStrictJson } from '@s2s/jwt';
import { createPinoLogger, MetricsRegistry, PinoNestLogger } from '@s2s/operations';
import { TokenHttpRoute } from '@s2s/token-issuer';
import { IntrospectionHttpRoute, TokenRevocationHttpRoute } from '@s2s/validation';
import { resolveHttpsOptions } from '@s2s/tls';
import { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { type AppModuleOptions, AppModule } from './app.module.js';
import { serveConsole } from './console.js';
import { setUpOpenApi } from './openapi.js';


/** Longest path parameter the router matches (encoded): identities are ≤ 128 characters, App ID URIs percent-encoded. */
const MAX_PATH_PARAMETER_LENGTH = 1024;
/** A started server. */
export interface RunningServer {
  app: NestFastifyApplication;
  /** The URL the server listens on (https unless TLS_MODE=off). */
  url: string;
  logger: PinoLogger;
}

/**
 * Builds and starts the trust server: TLS, time limits and the per-address connection cap, the
 * OAuth endpoints (token, introspection, revocation: Fastify routes that read their own bodies),
 * Fastify with a strict JSON parser and body cap, request ids, metrics, validation, error
 * rendering, OpenAPI, graceful shutdown. The rules the OAuth endpoints and the body parsers share
 * are in `@s2s/http`'s http-exchange.ts.
 * Used by `main.ts` and by tests that need a server in-process.
 */
export async function startServer(
  config: AppConfig,
  options: Omit<AppModuleOptions, 'masterKey'> & { masterKey?: MasterKey; logger?: PinoLogger } = {},
): Promise<RunningServer> {
  // A WORKERS=N worker says which one it is on every line (the primary logs crashes by pid and slot).
  const logger = options.logger ?? createPinoLogger(config.logLevel, cluster.isWorker ? { pid: process.pid, worker: Number(process.env.S2S_WORKER_SLOT) } : {});
  const masterKey = options.masterKey ?? new MasterKey((await loadMasterKey(config.masterKey)).key);
  // One clock for the whole server: TLS provisioning at start reads the one the application gets.
  const clock = options.clock ?? new SystemClock();
  const https = await resolveHttpsOptions(
    { ...config.tls, certsDir: config.certsDir, now: clock.now(), hostNames: [new URL(config.publicUrl).hostname] },
    { info: (msg, fields) => logger.info(fields ?? {}, msg), warn: (msg, fields) => logger.warn(fields ?? {}, msg) },
  );

  const lifecycle = new ServerLifecycle();
  const frameworkLogger = new Logger('FrameworkErrors');
  const adapter = new FastifyAdapter({
    ...(https ? { https } : {}),
    serverFactory: (fastifyHandler: (request: IncomingMessage, response: ServerResponse) => void) =>
      createNodeServer(https, config.http, fastifyHandler),
    loggerInstance: logger,
    // One "request completed" line per request, from HttpExchangeObserver (onResponse below).
    logController: new SharedRequestLogController(),
    // request.log is made on first use: most requests never log through it (see lazyRequestLogger).
    childLoggerFactory: lazyRequestLogger,
    // No Nest middleware (the shared HTTP concerns are Fastify hooks): without this, middie's
    // onRequest hook would still run on every request.
    skipMiddie: true,
    bodyLimit: config.bodyLimitBytes,
    // A path parameter may be a 128-character identity or a percent-encoded App ID URI: the router's
    // default of 100 characters would answer such a valid route 414.
    routerOptions: { maxParamLength: MAX_PATH_PARAMETER_LENGTH },
    genReqId: (request) => requestIdOf(request.headers),
    // Keep-alive connections would otherwise hold graceful shutdown open until they time out.
    forceCloseConnections: 'idle',
    // Once shutdown begins, the onRequest hook below refuses requests in our error shapes (Fastify's own 503 has neither).
    return503OnClosing: false,
    // What the router (an undecodable URL) and Node's HTTP parser (an oversized request line or
    // header block, a malformed or late request) refuse before any hook runs: in our error shapes
    // with a request id too, not Fastify's `{statusCode, error, message}`.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => answerFrameworkError(error, request, reply, frameworkLogger),
    clientErrorHandler: (error: Error, socket: Socket) => answerClientError(error, socket, (fields, message) => logger.info(fields, message)),
  } as ConstructorParameters<typeof FastifyAdapter>[0]);

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, { clock, masterKey, servingCertificate: servingCertificateOf(https) }), adapter, {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  addBodyParsers(fastify, config.bodyLimitBytes);

  const observer = new HttpExchangeObserver(app.get(MetricsRegistry), logger);
  addExchangeHooks(fastify, lifecycle, observer);
  serveOnFastify(fastify, app.get(TokenHttpRoute), lifecycle);
  serveOnFastify(fastify, app.get(IntrospectionHttpRoute), lifecycle);
  serveOnFastify(fastify, app.get(TokenRevocationHttpRoute), lifecycle);
  fastify.addHook('preClose', (done) => {
    lifecycle.closing = true;
    done();
  });

  app.useGlobalPipes(new StrictValidationPipe());
  app.useGlobalFilters(new AdminErrorFilter());
  setUpOpenApi(app, config.publicUrl);
  await serveConsole(fastify, { enabled: config.console, logger });

  await app.listen({ port: config.port, host: config.host });
  const address = fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return { app, url: `${https ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`, logger };
}

/**
 * Fastify's per-request lines ("incoming request", "request completed") are replaced by the one
 * line of {@link HttpExchangeObserver} (the `onResponse` hook of `addExchangeHooks`); a response
 * that fails while being sent is still logged by Fastify.
 */
class SharedRequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) super.requestCompleted(error, request, reply);
  }
}

/**
 * The body parsers of the Nest routes (the admin API and the rest): JSON; anything else is a 415
 * (Fastify's default text/plain parser removed), its body read first (and so bounded: 413 first,
 * as for any body). Every body is read by the shared reader (`BODY_LIMIT_BYTES`, fatal UTF-8)
 * under the shared content-type and charset rule. The OAuth endpoints (token, introspection,
 * revocation) read their own form bodies, with the same rules, in their own plugin scopes
 * (`serveOnFastify`), where these parsers do not apply.
 */
function addBodyParsers(fastify: FastifyInstance, limitBytes: number): void {
  const unsupportedMediaType = (): Error => Object.assign(new Error('unsupported media type'), { statusCode: 415 });
  /**
   * No Nest route is under `/oauth2/`: a body sent to another path there is read (and so bounded:
   * 413) and dropped, whatever its type, so that the answer is the router's 404 in the RFC 6749
   * 5.2 shape (AdminErrorFilter), not a 415 that names the admin API's JSON.
   */
  const dropOAuthPathBody = (request: FastifyRequest, done: (error: Error | null, body?: unknown) => void): void => {
    readBodyText(request.raw, limitBytes).then(
      () => done(null, undefined),
      (error: unknown) => (error instanceof BodyTooLargeError ? done(error, undefined) : done(null, undefined)),
    );
  };
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', (request, _payload, done) => {
    if (request.url.startsWith(FORM_ENDPOINT_PREFIX)) return dropOAuthPathBody(request, done);
    if (contentTypeVerdict(request.headers['content-type'], 'application/json') === 'charset_not_utf8') return done(new UnsupportedCharsetError(), undefined);
    readBodyText(request.raw, limitBytes).then(
      (text) => {
        let body: unknown;
        try {
          body = parseStrictJson(text);
        } catch (error) {
          return done(Object.assign(error as Error, { statusCode: 400 }), undefined);
        }
        done(null, body);
      },
      (error: Error) => done(error, undefined),
    );
  });
  fastify.addContentTypeParser('*', (request, _payload, done) => {
    if (request.url.startsWith(FORM_ENDPOINT_PREFIX)) return dropOAuthPathBody(request, done);
    readBodyText(request.raw, limitBytes).then(
      () => done(unsupportedMediaType(), undefined),
      (error: unknown) => done(error instanceof BodyTooLargeError ? error : unsupportedMediaType(), undefined),
    );
  });
}

/**
 * The HTTP(S) server (Fastify's `serverFactory` option), with the time limits and the per-address
 * connection cap of `limits`, and `listener` (Fastify's request handler). No socket
 * inactivity timeout: the limits bound every phase of a request and the keep-alive wait.
 */
function createNodeServer(https: Awaited<ReturnType<typeof resolveHttpsOptions>>, limits: ConnectionLimits, listener: (request: IncomingMessage, response: ServerResponse) => void): Server {
  const options = serverOptionsFor(limits);
  const server = https ? createHttpsServer({ ...https, ...options }, listener) : createHttpServer(options, listener);
  server.setTimeout(0);
  capConnectionsPerAddress(server, limits.maxConnectionsPerAddress);
  return server;
}

/** The leaf certificate the listener serves (thumbprint, expiry, PEM), or null with TLS off or an unreadable PKCS#12. */
function servingCertificateOf(https: Awaited<ReturnType<typeof resolveHttpsOptions>>): ServingCertificate['certificate'] {
  if (!https) return null;
  try {
    const pem = 'cert' in https ? readCertificates(https.cert.toString('utf8'))[0]! : readPkcs12(https.pfx, https.passphrase ?? '').certificatePem;
    return { pem, thumbprint: certificateThumbprints(pem).sha1Hex, notAfter: describeCertificate(pem).notAfter };
  } catch {
    return null;
  }
}
