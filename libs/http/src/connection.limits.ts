import type { Server as NetServer, Socket } from 'node:net';

/**
 * What a client may hold of the server (issue "Nothing a client sends makes the server answer 500
 * or hold a connection forever"): `HTTP_HEADERS_TIMEOUT_MS`, `HTTP_REQUEST_TIMEOUT_MS`,
 * `HTTP_KEEP_ALIVE_TIMEOUT_MS`, `MAX_CONNECTIONS_PER_ADDRESS`.
 */
export interface ConnectionLimits {
  /** The request line and headers must be complete within this time (also the TLS handshake's limit). */
  headersTimeoutMs: number;
  /** The whole request, body included, must be received within this time. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this time. */
  keepAliveTimeoutMs: number;
  /** Open connections allowed from one remote address; a further one is closed at once. */
  maxConnectionsPerAddress: number;
}

/**
 * The options for `http(s).createServer` that enforce `limits`. Node answers a request that misses
 * either timeout with 408 and closes its connection (Fastify's `clientError` handler writes the
 * 408); it checks every `connectionsCheckingInterval`, by default only every 30 s, so the interval
 * is a quarter of the shorter limit (at most 1 s, at least 50 ms): a limit is enforced within
 * about that much after it passes. `connectionsCheckingInterval` and the TLS `handshakeTimeout`
 * can only be given at creation.
 */
export function serverOptionsFor(limits: ConnectionLimits): {
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  connectionsCheckingInterval: number;
  handshakeTimeout: number;
} {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4))),
    // A TLS client that connects and never finishes its handshake (Node's default allows 120 s).
    handshakeTimeout: limits.headersTimeoutMs,
  };
}

/**
 * Closes at once every new connection from an address that already has `max` open (counted from
 * the TCP connection, before TLS, until the socket closes). Behind a proxy every client shares the
 * proxy's address: raise the cap there.
 */
export function capConnectionsPerAddress(server: NetServer, max: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = open.get(address) ?? 0;
    if (count >= max) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
