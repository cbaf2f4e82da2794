import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test double for the admin API: a real HTTPS server on 127.0.0.1 with a self-signed certificate
 * made by the `openssl` CLI, so tests exercise real TLS verification. Routes answer canned JSON;
 * every request is recorded for assertions.
 */

export interface StubResponse {
  readonly status: number;
  /** Serialised as JSON unless `rawBody` is given. */
  readonly body?: unknown;
  readonly rawBody?: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export type StubRoute = StubResponse | ((request: RecordedRequest) => StubResponse);

export interface SelfSignedCertificate {
  readonly dir: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
}

/**
 * A fresh self-signed certificate in a new temp directory, for localhost / 127.0.0.1 unless
 * another DNS name is given.
 */
export function generateSelfSignedCertificate(dnsName?: string): SelfSignedCertificate {
  const dir = mkdtempSync(join(tmpdir(), 's2sctl-tls-'));
  const certFile = join(dir, 'server.pem');
  const keyFile = join(dir, 'server.key');
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-keyout', keyFile, '-out', certFile],
      ...['-subj', `/CN=${dnsName ?? 'localhost'}`, '-addext', `subjectAltName=${dnsName ? `DNS:${dnsName}` : 'DNS:localhost,IP:127.0.0.1'}`],
    ],
    { stdio: 'ignore' },
  );
  return { dir, certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

/** HTTPS stub of the admin API on 127.0.0.1 (random port); see the file comment. */
export class TlsStubServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, StubRoute>();

  private constructor(
    private readonly server: Server,
    readonly certificate: SelfSignedCertificate,
    readonly url: string,
  ) {}

  static async start(certificate: SelfSignedCertificate = generateSelfSignedCertificate()): Promise<TlsStubServer> {
    // Assigned once the server listens; the request handler only runs after that.
    // eslint-disable-next-line prefer-const
    let stub: TlsStubServer | undefined;
    const server = createServer({ cert: certificate.cert, key: certificate.key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'https://stub');
        const recorded: RecordedRequest = {
          method: req.method ?? '',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        stub!.requests.push(recorded);
        const route = stub!.routes.get(`${recorded.method} ${recorded.path}`);
        const response: StubResponse = route
          ? typeof route === 'function'
            ? route(recorded)
            : route
          : { status: 404, body: { code: 'not_found', message: `no stub for ${recorded.method} ${recorded.path}` } };
        const payload = response.rawBody ?? (response.body === undefined ? '' : JSON.stringify(response.body));
        res.writeHead(response.status, response.rawBody === undefined ? { 'Content-Type': 'application/json' } : { 'Content-Type': 'text/html' });
        res.end(payload);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    stub = new TlsStubServer(server, certificate, `https://127.0.0.1:${port}`);
    return stub;
  }

  /** Answers `METHOD /path` (path including /admin/v1) with `route` from now on. */
  on(method: string, path: string, route: StubRoute): this {
    this.routes.set(`${method} ${path}`, route);
    return this;
  }

  reset(): void {
    this.requests.length = 0;
    this.routes.clear();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.certificate.dir, { recursive: true, force: true });
  }
}
