import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Certificates, keys, CSRs and PFX files made by the `openssl` CLI: the independent tool the
 * suite checks the service against (SPEC 9). Files live in a temp directory removed by `dispose()`.
 */
export class OpenSslToolkit {
  readonly dir = mkdtempSync(join(tmpdir(), 's2s-openssl-'));
  private counter = 0;

  /** Runs openssl with `args`; returns stdout as text. */
  run(args: string[], input?: string | Buffer): string {
    return execFileSync('openssl', args, { cwd: this.dir, input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
  }

  /** Runs openssl and returns stdout as bytes (DER, PFX). */
  runBinary(args: string[], input?: string | Buffer): Buffer {
    return execFileSync('openssl', args, { cwd: this.dir, input, stdio: ['pipe', 'pipe', 'pipe'] });
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  write(name: string, content: string | Buffer): string {
    const file = this.path(name);
    writeFileSync(file, content);
    return file;
  }

  read(name: string): string {
    return readFileSync(this.path(name), 'utf8');
  }

  private next(prefix: string): string {
    this.counter += 1;
    return `${prefix}-${this.counter}`;
  }

  /** A self-signed certificate and its key (`openssl req -x509`). Returns file paths and PEM texts. */
  selfSigned(options: { cn: string; dnsNames?: string[]; days?: number; keyAlgorithm?: string }): {
    certFile: string;
    keyFile: string;
    certificatePem: string;
    privateKeyPem: string;
  } {
    const name = this.next('self');
    const keyFile = this.path(`${name}.key`);
    const certFile = this.path(`${name}.crt`);
    this.run(['genpkey', ...(options.keyAlgorithm ? keyArgs(options.keyAlgorithm) : keyArgs('rsa:2048')), '-out', keyFile]);
    // OpenSSL 3.0 has no -not_before: tests move their frozen clock instead to get expired or not-yet-valid certificates.
    const args = ['req', '-x509', '-new', '-key', keyFile, '-subj', `/CN=${options.cn}`, '-days', String(options.days ?? 30), '-out', certFile];
    if (options.dnsNames?.length) args.push('-addext', `subjectAltName=${options.dnsNames.map((d) => `DNS:${d}`).join(',')}`);
    this.run(args);
    return { certFile, keyFile, certificatePem: readFileSync(certFile, 'utf8'), privateKeyPem: readFileSync(keyFile, 'utf8') };
  }

  /** A test CA (self-signed, basicConstraints CA:TRUE). */
  certificateAuthority(cn = 's2s-trust test CA'): { certFile: string; keyFile: string; certificatePem: string } {
    const name = this.next('ca');
    const keyFile = this.path(`${name}.key`);
    const certFile = this.path(`${name}.crt`);
    this.run(['genpkey', ...keyArgs('rsa:2048'), '-out', keyFile]);
    this.run(['req', '-x509', '-new', '-key', keyFile, '-subj', `/CN=${cn}`, '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', certFile]);
    return { certFile, keyFile, certificatePem: readFileSync(certFile, 'utf8') };
  }

  /** Signs a CSR with the CA, copying its SAN extension (what a real CA does for an approved request). */
  signCsr(ca: { certFile: string; keyFile: string }, csrPem: string, days = 30): { certFile: string; certificatePem: string } {
    const name = this.next('issued');
    const csrFile = this.write(`${name}.csr`, csrPem);
    const certFile = this.path(`${name}.crt`);
    this.run(['x509', '-req', '-in', csrFile, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial', '-days', String(days), '-copy_extensions', 'copyall', '-out', certFile]);
    return { certFile, certificatePem: readFileSync(certFile, 'utf8') };
  }

  /** A PFX of a certificate and key (`openssl pkcs12 -export`), optionally with a chain. */
  pfx(options: { certFile: string; keyFile?: string; password: string; chainFile?: string; legacy?: boolean }): Buffer {
    const args = ['pkcs12', '-export', '-in', options.certFile, '-passout', `pass:${options.password}`];
    if (options.keyFile) args.push('-inkey', options.keyFile);
    else args.push('-nokeys');
    if (options.chainFile) args.push('-certfile', options.chainFile);
    if (options.legacy) args.push('-legacy');
    return this.runBinary(args);
  }

  /** base64url SHA-1 of the DER (`openssl x509 -outform der`): the `x5t` of a certificate. */
  x5t(certFile: string): string {
    const der = this.runBinary(['x509', '-in', certFile, '-outform', 'der']);
    return execFileSync('openssl', ['dgst', '-sha1', '-binary'], { input: der }).toString('base64url');
  }

  /** SHA-1 fingerprint as uppercase hex without colons. */
  sha1Thumbprint(certFile: string): string {
    return this.run(['x509', '-in', certFile, '-noout', '-fingerprint', '-sha1']).trim().split('=')[1]!.replace(/:/g, '').toUpperCase();
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function keyArgs(spec: string): string[] {
  if (spec.startsWith('rsa:')) return ['-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${spec.slice(4)}`];
  if (spec === 'ec') return ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  throw new Error(`unknown key spec ${spec}`);
}
