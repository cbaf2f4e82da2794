import { UsageError } from '../common/cli-errors.js';
import type { AssignmentBody, CompletionBody, ImportBody, NewKeyBody, RsaKeySize, SelfSignedBody } from './certificate.dto.js';

/**
 * Pure helpers of the certificate commands: option checks and request bodies built from files
 * already read. Error messages name the option and path of a file, never its contents, and never
 * spell out a key's PEM label: the file may hold a private key, and what s2sctl prints must not.
 */

/** A file given on the command line, already read (see `readInputFile`). */
export interface InputFile {
  /** The option that named it, e.g. `--cert`; used in messages. */
  readonly option: string;
  readonly path: string;
  readonly bytes: Buffer;
}

/** One `-----BEGIN <label>----- ... -----END <label>-----` block. */
interface PemBlock {
  readonly label: string;
  readonly text: string;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
const CSR_LABELS = new Set(['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);
const PRIVATE_KEY_LABEL = /(^|\s)PRIVATE KEY$/;
const BASE64_TEXT = /^[A-Za-z0-9+/=\s]+$/;
/** Every DER certificate, key and PKCS#12 file is an ASN.1 SEQUENCE. */
const ASN1_SEQUENCE = 0x30;

/** How a `--cert` file is encoded: the API takes PEM text or base64 DER. */
export type CertificateEncoding = 'pem' | 'der' | 'base64-der' | 'pem-without-certificate' | 'unknown';

function pemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(PEM_BLOCK)].map((match) => ({ label: match[1], text: match[0] }));
}

function certificateBlocks(text: string): PemBlock[] {
  return pemBlocks(text).filter((block) => CERTIFICATE_LABELS.has(block.label));
}

function joinBlocks(blocks: readonly PemBlock[]): string {
  return `${blocks.map((block) => block.text).join('\n')}\n`;
}

/** Decides how a certificate file is encoded, by its content rather than its extension (.cer is either). */
export function detectCertificateEncoding(bytes: Buffer): CertificateEncoding {
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN ')) return certificateBlocks(text).length > 0 ? 'pem' : 'pem-without-certificate';
  if (bytes[0] === ASN1_SEQUENCE) return 'der';
  // Some CAs deliver the base64 of the DER without PEM armour.
  if (BASE64_TEXT.test(text) && Buffer.from(text, 'base64')[0] === ASN1_SEQUENCE) return 'base64-der';
  return 'unknown';
}

/**
 * The certificate part of a `--cert` file as the API's `certificate` field, and the certificates
 * that followed it there, if any (a `fullchain.pem` holds the certificate and then its CA chain).
 * Only certificate blocks are taken from a PEM file, so a file that also holds the key can be
 * given as both `--cert` and `--key` without the key ending up in the certificate field.
 */
export function certificateFromFile(file: InputFile): { certificate: string; chainInFile?: string } {
  switch (detectCertificateEncoding(file.bytes)) {
    case 'pem': {
      const [leaf, ...chain] = certificateBlocks(file.bytes.toString('utf8'));
      return chain.length > 0 ? { certificate: joinBlocks([leaf]), chainInFile: joinBlocks(chain) } : { certificate: joinBlocks([leaf]) };
    }
    case 'der':
      return { certificate: file.bytes.toString('base64') };
    case 'base64-der':
      return { certificate: file.bytes.toString('latin1').replace(/\s+/g, '') };
    case 'pem-without-certificate': {
      const csr = pemBlocks(file.bytes.toString('latin1')).some((block) => CSR_LABELS.has(block.label));
      throw new UsageError(
        csr
          ? `${file.option} ${file.path} is a certificate request (CSR), not a certificate: give the certificate the CA issued for it`
          : `${file.option} ${file.path} holds no PEM certificate`,
      );
    }
    default:
      throw new UsageError(`${file.option} ${file.path} is neither a PEM nor a DER certificate`);
  }
}

/** The CA certificates of a `--chain` file (PEM only), without any other block it may hold. */
export function chainFromFile(file: InputFile): string {
  const blocks = certificateBlocks(file.bytes.toString('utf8'));
  if (blocks.length === 0) throw new UsageError(`${file.option} ${file.path} holds no PEM certificate (a chain file is PEM, one or more certificates)`);
  return joinBlocks(blocks);
}

/**
 * The one unencrypted PEM private key of a `--key` file. A password-protected key is refused here:
 * the API takes the key in clear (over TLS) and encrypts it at rest itself.
 */
export function privateKeyFromFile(file: InputFile): string {
  const text = file.bytes.toString('utf8');
  const keys = pemBlocks(text).filter((block) => PRIVATE_KEY_LABEL.test(block.label));
  if (keys.length === 0) {
    if (!text.includes('-----BEGIN ') && file.bytes[0] === ASN1_SEQUENCE) {
      throw new UsageError(`${file.option} ${file.path} looks like a DER key; convert it to PEM first (openssl pkey -inform DER -in <file> -out key.pem)`);
    }
    throw new UsageError(`${file.option} ${file.path} holds no PEM private key`);
  }
  if (keys.length > 1) throw new UsageError(`${file.option} ${file.path} holds ${keys.length} private keys; give a file with only the certificate's key`);
  const [key] = keys;
  if (key.label.startsWith('ENCRYPTED') || /^Proc-Type:\s*4,ENCRYPTED/m.test(key.text)) {
    throw new UsageError(
      `${file.option} ${file.path} is password-protected; --key takes an unencrypted PEM key, or import the certificate and key as a PFX with --pfx and a password`,
    );
  }
  return `${key.text}\n`;
}

/** The `pfx` field: the PKCS#12 file's bytes, base64. */
export function pfxFromFile(file: InputFile): string {
  if (file.bytes.toString('latin1').includes('-----BEGIN ')) {
    throw new UsageError(`${file.option} ${file.path} is a PEM file, not a PFX; import PEM files with --cert and --key`);
  }
  if (file.bytes[0] !== ASN1_SEQUENCE) throw new UsageError(`${file.option} ${file.path} is not a PKCS#12 (PFX) file`);
  return file.bytes.toString('base64');
}

/** Options of `certificate import`, keyed as nest-commander names them. */
export interface ImportOptions {
  readonly pfx?: string;
  readonly passwordFile?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly chain?: string;
}

/**
 * Which form of import the options ask for: a PFX (`--pfx [--password-file]`) or PEM files
 * (`--cert --key [--chain]`), never a mix.
 */
export function importKind(options: ImportOptions): 'pfx' | 'pem' {
  if (options.pfx !== undefined) {
    const mixed = (['cert', 'key', 'chain'] as const).filter((name) => options[name] !== undefined).map((name) => `--${name}`);
    if (mixed.length > 0) {
      throw new UsageError(`--pfx cannot be combined with ${mixed.join(', ')}: a PFX already holds the certificate, its key and chain`);
    }
    return 'pfx';
  }
  if (options.passwordFile !== undefined) throw new UsageError('--password-file goes with --pfx; --key takes an unencrypted PEM key, which has no password');
  if (options.cert === undefined && options.key === undefined) {
    throw new UsageError('nothing to import: give --pfx <file>, or --cert <file> with --key <file> (see s2sctl certificate import --help)');
  }
  if (options.cert === undefined) throw new UsageError('--key needs --cert: give the certificate that goes with the key');
  if (options.key === undefined) {
    throw new UsageError('--cert needs --key: import takes a certificate with its private key (to finish a CSR made here, use s2sctl certificate complete)');
  }
  return 'pem';
}

/**
 * Body of a PEM import. CA certificates after the certificate in the `--cert` file serve as the
 * chain when no `--chain` is given; given both, the command is ambiguous.
 */
export function buildPemImportBody(files: { readonly cert: InputFile; readonly key: InputFile; readonly chain?: InputFile }): ImportBody {
  const { certificate, chain } = certificateWithChain(files.cert, files.chain);
  return { certificate, privateKey: privateKeyFromFile(files.key), ...(chain === undefined ? {} : { chain }) };
}

/** Body of POST /certificate-requests/{id}/complete; the same file rules as a PEM import. */
export function buildCompletionBody(files: { readonly cert: InputFile; readonly chain?: InputFile }): CompletionBody {
  const { certificate, chain } = certificateWithChain(files.cert, files.chain);
  return chain === undefined ? { certificate } : { certificate, chain };
}

function certificateWithChain(cert: InputFile, chainFile: InputFile | undefined): { certificate: string; chain?: string } {
  const { certificate, chainInFile } = certificateFromFile(cert);
  if (chainInFile !== undefined && chainFile !== undefined) {
    throw new UsageError(`${cert.option} ${cert.path} holds several certificates and --chain was given too: give the certificate alone with ${cert.option}`);
  }
  const chain = chainFile === undefined ? chainInFile : chainFromFile(chainFile);
  return chain === undefined ? { certificate } : { certificate, chain };
}

/** Options shared by `certificate request` and `certificate new-self-signed`. */
export interface NewKeyOptions {
  readonly realm?: readonly string[];
  readonly dnsName?: readonly string[];
  readonly keySize?: RsaKeySize;
  readonly subject?: string;
}

/** Body of POST /certificate-requests: the realms and only the optional fields that were given. */
export function buildNewKeyBody(options: NewKeyOptions): NewKeyBody {
  if (!options.realm?.length) throw new UsageError('give at least one --realm: the certificate must name the realms it issues tokens for');
  return {
    realms: options.realm,
    ...(options.dnsName?.length ? { dnsNames: options.dnsName } : {}),
    ...(options.keySize === undefined ? {} : { keySize: options.keySize }),
    ...(options.subject === undefined ? {} : { subject: options.subject }),
  };
}

/** Body of POST /certificates/self-signed. */
export function buildSelfSignedBody(options: NewKeyOptions & { readonly days?: number }): SelfSignedBody {
  return { ...buildNewKeyBody(options), ...(options.days === undefined ? {} : { days: options.days }) };
}

/** Options of `certificate assign` after parsing (thumbprint normalised, date in UTC). */
export interface AssignOptions {
  readonly thumbprint: string;
  readonly roll?: boolean;
  readonly effectiveDate?: string;
  readonly force?: boolean;
  readonly reason?: string;
  readonly activateWhenFetched?: boolean;
  readonly deadline?: string;
  readonly keepPrevious?: boolean;
}

/**
 * Body of PUT /certificate-assignments/...: assign now (`{thumbprint}`), or roll
 * (`{thumbprint, roll: true, effectiveDate}`). `--roll` and `--effective-date` only make sense
 * together, as in `Set-CsCertificate -Roll -EffectiveDate`.
 */
export function buildAssignmentBody(options: AssignOptions): AssignmentBody {
  if (options.roll && options.effectiveDate === undefined) {
    throw new UsageError('--roll needs --effective-date: the time at which the new certificate becomes current, e.g. 2025-03-01T09:00:00Z');
  }
  if (!options.roll && options.effectiveDate !== undefined) {
    throw new UsageError('--effective-date needs --roll; without --roll the certificate becomes current immediately');
  }
  if (options.force && options.reason === undefined) {
    throw new UsageError('--force needs --reason: why the minimum roll lead is overridden (it is recorded in the audit log)');
  }
  if (!options.force && options.reason !== undefined) throw new UsageError('--reason is only used with --force or --emergency');
  if (options.activateWhenFetched && !options.roll) throw new UsageError('--activate-when-fetched needs --roll');
  if (options.deadline !== undefined && !options.activateWhenFetched) throw new UsageError('--deadline needs --activate-when-fetched');
  const extras = {
    ...(options.force ? { force: true as const, reason: options.reason! } : {}),
    ...(options.activateWhenFetched ? { activateWhenFetched: true as const } : {}),
    ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
    ...(options.keepPrevious ? { keepPrevious: true as const } : {}),
  };
  return options.roll ? { thumbprint: options.thumbprint, roll: true, effectiveDate: options.effectiveDate, ...extras } : { thumbprint: options.thumbprint, ...extras };
}
