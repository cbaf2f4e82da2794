import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, onRequestHookHandler } from 'fastify';
import type { Logger as PinoLogger } from 'pino';

/** Where the console is served. */
export const CONSOLE_PATH = '/console';

/**
 * The Content-Security-Policy of every console response: scripts, styles and API calls from this
 * origin only (no inline script or style element, no eval), nothing framed, no form posts, no
 * `<base>`; Trusted Types enforced, so no string ever reaches an HTML sink.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types',
].join('; ');

/** Headers of every console response (files, redirects, 404s). */
const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

/** The built console (Vite output of apps/console): dist/console beside dist/apps/. */
export function consoleRoot(): string {
  // dist/apps/trust-server/src/console.js → dist/console
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../console');
}

/**
 * Serves the browser console (apps/console, built by `npm run build`) at `/console` with
 * `@fastify/static`, under a strict CSP. The console is a client of the admin API like s2sctl:
 * it holds no privilege of its own, so these routes are open (the API checks the key it sends).
 * With `CONSOLE=off` nothing is registered: `/console` is a plain 404.
 *
 * Also marks every admin API response `Cache-Control: no-store` (and `Pragma: no-cache`): a
 * browser must not keep API answers (secrets shown once, configuration) in its cache.
 */
export async function serveConsole(fastify: FastifyInstance, options: { enabled: boolean; root?: string; logger: PinoLogger }): Promise<void> {
  // A route-level hook on the admin routes only (added as Nest registers them, at listen): the
  // token and validation hot paths run no extra code.
  const noStore: onRequestHookHandler = (_request, reply, done) => {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    done();
  };
  fastify.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/admin/')) return;
    route.onRequest = route.onRequest === undefined ? [noStore] : [...(Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest]), noStore];
  });
  if (!options.enabled) return;
  const root = options.root ?? consoleRoot();
  const withHeaders = (reply: FastifyReply): FastifyReply => reply.headers(CONSOLE_HEADERS);
  if (!existsSync(join(root, 'index.html'))) {
    options.logger.warn({ root }, 'console not built (run npm run build): /console answers 404');
    fastify.get(CONSOLE_PATH, (_request, reply) => withHeaders(reply).code(404).send({ code: 'not_found', message: 'The console is not built: run npm run build.' }));
    return;
  }
  // One encapsulated scope: its onSend hook sees only the console's routes (never the hot paths).
  await fastify.register(async (scope) => {
    scope.addHook('onSend', (_request, reply, payload, done) => {
      withHeaders(reply);
      done(null, payload);
    });
    // /console → /console/ (the app's URLs resolve below it).
    scope.get(CONSOLE_PATH, (_request, reply) => reply.redirect(`${CONSOLE_PATH}/`, 301));
    await scope.register(fastifyStatic, {
      root,
      prefix: `${CONSOLE_PATH}/`,
      index: 'index.html',
      dotfiles: 'deny',
      decorateReply: false,
      setHeaders: (response: FastifyReply, path: string) => {
        // Hashed asset names never change content; index.html must be revalidated to pick up a new build.
        void response.header('cache-control', path.startsWith(join(root, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  });
}
