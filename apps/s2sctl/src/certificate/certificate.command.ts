import { chmod, stat, writeFile } from 'node:fs/promises';
import { Command, Help, Option, SubCommand } from 'nest-commander';
import { AdminCommandRunner } from '../common/admin-command.runner.js';
import { CliError, UsageError } from '../common/cli-errors.js';
import { describeFsError } from '../common/cli-settings.js';
import { CommandGroupRunner } from '../common/command-group.runner.js';
import { readInputFile } from '../common/input-file.reader.js';
import {
  caseInsensitiveChoiceArgument,
  integerChoiceArgument,
  nonEmptyArgument,
  positiveIntegerArgument,
  repeatableArgument,
  thumbprintArgument,
  zonedTimestampArgument,
} from '../common/option-argument.parser.js';
import { readSecret } from '../common/secret.reader.js';
import { THUMBPRINT_SYNTAX, normaliseThumbprint } from '../common/thumbprint.parser.js';
import {
  ASSIGNMENT_PATHS,
  ASSIGNMENT_TYPES,
  RSA_KEY_SIZES,
  type AssignmentType,
  type Certificate,
  type CertificateAssignment,
  type CertificateList,
  type CertificateRequest,
  type ImportBody,
  type RolloverStatus,
  type RsaKeySize,
} from './certificate.dto.js';
import {
  buildAssignmentBody,
  buildCompletionBody,
  buildNewKeyBody,
  buildPemImportBody,
  buildSelfSignedBody,
  importKind,
  pfxFromFile,
  type ImportOptions,
  type InputFile,
  type NewKeyOptions,
} from './certificate.input.js';
import { renderAssignment, renderCertificate, renderCertificateList, renderCertificateRequest, renderRolloverStatus, withFinalNewline } from './certificate.render.js';
import { buildEmergencyRoll } from '../revocation/emergency-roll.input.js';

/**
 * `s2sctl certificate ...`: the OAuth token-issuer certificate, like the Skype for Business
 * cmdlets Request-CsCertificate, Import-CsCertificate, Set-CsCertificate -Type OAuthTokenIssuer
 * [-Roll -EffectiveDate] and Remove-CsCertificate -Previous (SPEC 5.2). Private keys never pass
 * through s2sctl's output: they are read from files (or generated in the service) and sent once.
 */

const TYPE_FLAGS = '--type <type>';
const TYPE_DESCRIPTION = `certificate usage: ${ASSIGNMENT_TYPES.join(', ')} (any case)`;
const DEFAULT_TYPE: AssignmentType = 'OAuthTokenIssuer';

/** `/certificates/{thumbprint}`; the thumbprint is already normalised, encoding is belt and braces. */
function certificatePath(thumbprint: string): string {
  return `/certificates/${encodeURIComponent(thumbprint)}`;
}

/** A THUMBPRINT argument (commander cannot parse positional arguments through nest-commander). */
function thumbprintParameter(value: string): string {
  const thumbprint = normaliseThumbprint(value);
  if (thumbprint === undefined) throw new UsageError(`THUMBPRINT "${value}" is not ${THUMBPRINT_SYNTAX}`);
  return thumbprint;
}

async function inputFile(option: string, path: string): Promise<InputFile> {
  return { option, path, bytes: await readInputFile(path, option) };
}

/** `--key-size` of request and new-self-signed. */
function keySizeArgument(value: string): RsaKeySize {
  return integerChoiceArgument(value, RSA_KEY_SIZES);
}

/** `s2sctl certificate request`: POST /admin/v1/certificate-requests (Request-CsCertificate). */
@SubCommand({
  name: 'request',
  description:
    'Have the service generate a key pair and a certificate signing request (CSR) for the realms; the key never leaves ' +
    'the service. Give the CSR to your CA, then finish with s2sctl certificate complete',
})
export class CertificateRequestCommand extends AdminCommandRunner {
  async run(_params: string[], options: NewKeyOptions & { readonly out?: string; readonly force?: boolean } = {}): Promise<void> {
    const body = buildNewKeyBody(options);
    const { out } = options;
    // Checked before the request exists, so a refusal leaves no pending key pair behind.
    if (out !== undefined && !options.force && (await exists(out))) throw new UsageError(`${out} already exists; give --force to overwrite it`);
    const { settings, client } = this.openSession();
    const request = await client.post<CertificateRequest>('/certificate-requests', body);
    if (out === undefined) {
      this.print(settings, request, (created) => renderCertificateRequest(this.formatter, created, { csr: true }));
    } else {
      try {
        await writeCsrFile(out, request.csr, options.force === true);
      } catch (error) {
        // The request exists now: print its CSR rather than lose it.
        this.print(settings, request, (created) => renderCertificateRequest(this.formatter, created, { csr: true }));
        throw new CliError(`certificate request ${request.id} was created, but ${out} could not be written: ${describeFsError(error)} (the CSR is printed above)`);
      }
      this.print(settings, request, (created) => this.formatter.keyValue([['id', created.id], ['status', created.status], ['csr-file', out]]));
    }
    if (settings.output !== 'json') {
      this.note(`next: have your CA sign the CSR, then run s2sctl certificate complete --request-id ${request.id} --cert <issued certificate>`);
    }
  }

  @Help('after')
  examples(): string {
    return [
      '',
      'Examples:',
      '  s2sctl certificate request --realm contoso.com --out s2s.csr',
      '  s2sctl certificate request --realm contoso.com --realm fabrikam.com --dns-name s2s.contoso.com --key-size 3072',
    ].join('\n');
  }

  @Option({ flags: '--realm <realm>', description: 'realm the certificate issues tokens for, as a DNS name SAN; repeat for several', required: true })
  parseRealm(value: string, previous?: string[]): string[] {
    return repeatableArgument(value, previous);
  }

  @Option({ flags: '--dns-name <name>', description: 'extra DNS name SAN besides the realms; repeatable' })
  parseDnsName(value: string, previous?: string[]): string[] {
    return repeatableArgument(value, previous);
  }

  @Option({ flags: '--key-size <bits>', description: `RSA key size: ${RSA_KEY_SIZES.join(', ')} (default 2048)` })
  parseKeySize(value: string): RsaKeySize {
    return keySizeArgument(value);
  }

  @Option({ flags: '--subject <dn>', description: 'subject distinguished name, e.g. "CN=s2s.contoso.com, O=Contoso" (default: CN = first realm)' })
  parseSubject(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--out <file>', description: 'write the CSR (PEM) to this file instead of printing it' })
  parseOut(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--force', description: 'overwrite the --out file if it exists' })
  parseForce(): boolean {
    // commander calls a flag's parser with no value; presence means true.
    return true;
  }
}

/** `s2sctl certificate complete`: POST /admin/v1/certificate-requests/{id}/complete. */
@SubCommand({
  name: 'complete',
  description: 'Finish a certificate request with the certificate the CA issued for its CSR (it must match the pending key)',
})
export class CertificateCompleteCommand extends AdminCommandRunner {
  async run(_params: string[], options: { readonly requestId: string; readonly cert: string; readonly chain?: string }): Promise<void> {
    const { settings, client } = this.openSession();
    const body = buildCompletionBody({
      cert: await inputFile('--cert', options.cert),
      chain: options.chain === undefined ? undefined : await inputFile('--chain', options.chain),
    });
    const certificate = await client.post<Certificate>(`/certificate-requests/${encodeURIComponent(options.requestId)}/complete`, body);
    this.print(settings, certificate, (created) => renderCertificate(this.formatter, created));
    if (settings.output !== 'json') this.note(assignHint(certificate));
  }

  @Help('after')
  examples(): string {
    return [
      '',
      'The certificate file may be PEM or DER (.cer); CA certificates after it in a PEM file are sent as the chain.',
      '',
      'Example:',
      '  s2sctl certificate complete --request-id 3f0c... --cert issued.cer --chain ca-chain.pem',
    ].join('\n');
  }

  @Option({ flags: '--request-id <id>', description: 'ID printed by s2sctl certificate request', required: true })
  parseRequestId(value: string): string {
    return nonEmptyArgument(value.trim());
  }

  @Option({ flags: '--cert <file>', description: 'certificate issued by the CA: PEM or DER', required: true })
  parseCert(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--chain <file>', description: 'intermediate CA certificate(s), PEM' })
  parseChain(value: string): string {
    return nonEmptyArgument(value);
  }
}

/** `s2sctl certificate import`: POST /admin/v1/certificates with a PFX or PEM files (Import-CsCertificate). */
@SubCommand({
  name: 'import',
  description: 'Import a certificate with its private key: a PFX (PKCS#12) file and its password, or PEM certificate and key files',
})
export class CertificateImportCommand extends AdminCommandRunner {
  async run(_params: string[], options: ImportOptions = {}): Promise<void> {
    const kind = importKind(options);
    const { settings, client } = this.openSession();
    let body: ImportBody;
    if (kind === 'pfx') {
      // The file is checked before its password is asked for.
      const pfx = pfxFromFile(await inputFile('--pfx', options.pfx!));
      body = { pfx, password: await readSecret({ file: options.passwordFile, promptText: 'PFX password: ' }) };
    } else {
      body = buildPemImportBody({
        cert: await inputFile('--cert', options.cert!),
        key: await inputFile('--key', options.key!),
        chain: options.chain === undefined ? undefined : await inputFile('--chain', options.chain),
      });
    }
    const certificate = await client.post<Certificate>('/certificates', body);
    this.print(settings, certificate, (created) => renderCertificate(this.formatter, created));
    if (settings.output !== 'json') this.note(assignHint(certificate));
  }

  @Help('after')
  examples(): string {
    return [
      '',
      'The PFX password is read from --password-file, else from standard input when it is not a terminal, else from a',
      'prompt that does not echo; it is never taken on the command line. Files over 1 MiB are refused.',
      '',
      'Examples:',
      '  s2sctl certificate import --pfx s2s.pfx',
      '  s2sctl certificate import --pfx s2s.pfx --password-file pfx-password.txt',
      '  s2sctl certificate import --cert s2s.pem --key s2s.key --chain ca-chain.pem',
    ].join('\n');
  }

  @Option({ flags: '--pfx <file>', description: 'PKCS#12 file with the certificate, its private key and chain' })
  parsePfx(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--password-file <file>', description: 'read the PFX password from this file (default: stdin or a prompt)' })
  parsePasswordFile(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--cert <file>', description: 'certificate, PEM or DER (with --key); CA certificates after it in a PEM file are sent as the chain' })
  parseCert(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--key <file>', description: 'unencrypted PEM private key of --cert' })
  parseKey(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--chain <file>', description: 'intermediate CA certificate(s), PEM (with --cert)' })
  parseChain(value: string): string {
    return nonEmptyArgument(value);
  }
}

/** `s2sctl certificate new-self-signed`: POST /admin/v1/certificates/self-signed (for labs). */
@SubCommand({
  name: 'new-self-signed',
  description: 'Generate a self-signed certificate for the realms in the service (labs and tests; partners must trust it explicitly)',
})
export class CertificateNewSelfSignedCommand extends AdminCommandRunner {
  async run(_params: string[], options: NewKeyOptions & { readonly days?: number } = {}): Promise<void> {
    const body = buildSelfSignedBody(options);
    const { settings, client } = this.openSession();
    const certificate = await client.post<Certificate>('/certificates/self-signed', body);
    this.print(settings, certificate, (created) => renderCertificate(this.formatter, created));
    if (settings.output !== 'json') this.note(assignHint(certificate));
  }

  @Help('after')
  examples(): string {
    return ['', 'Example:', '  s2sctl certificate new-self-signed --realm contoso.com --days 365'].join('\n');
  }

  @Option({ flags: '--realm <realm>', description: 'realm the certificate issues tokens for, as a DNS name SAN; repeat for several', required: true })
  parseRealm(value: string, previous?: string[]): string[] {
    return repeatableArgument(value, previous);
  }

  @Option({ flags: '--dns-name <name>', description: 'extra DNS name SAN besides the realms; repeatable' })
  parseDnsName(value: string, previous?: string[]): string[] {
    return repeatableArgument(value, previous);
  }

  @Option({ flags: '--days <n>', description: 'validity in days (default: chosen by the server)' })
  parseDays(value: string): number {
    return positiveIntegerArgument(value);
  }

  @Option({ flags: '--key-size <bits>', description: `RSA key size: ${RSA_KEY_SIZES.join(', ')} (default 2048)` })
  parseKeySize(value: string): RsaKeySize {
    return keySizeArgument(value);
  }

  @Option({ flags: '--subject <dn>', description: 'subject distinguished name, e.g. "CN=s2s.contoso.com" (default: CN = first realm)' })
  parseSubject(value: string): string {
    return nonEmptyArgument(value);
  }
}

/** `s2sctl certificate list`: GET /admin/v1/certificates. */
@SubCommand({ name: 'list', description: 'List the certificates in the store with their expiry and assignment slot; warns about expiring ones' })
export class CertificateListCommand extends AdminCommandRunner {
  async run(): Promise<void> {
    const { settings, client } = this.openSession();
    const list = await client.get<CertificateList>('/certificates');
    this.print(settings, list, (body) => renderCertificateList(this.formatter, body));
  }
}

/** `s2sctl certificate show <thumbprint>`: GET /admin/v1/certificates/{thumbprint}. */
@SubCommand({
  name: 'show',
  arguments: '<thumbprint>',
  argsDescription: { thumbprint: `${THUMBPRINT_SYNTAX} (see s2sctl certificate list)` },
  description: 'Show one certificate: thumbprints, subject, issuer, DNS names, validity, key and slot; --pem prints the public certificate',
})
export class CertificateShowCommand extends AdminCommandRunner {
  async run([thumbprint]: string[], options: { readonly pem?: boolean } = {}): Promise<void> {
    const path = certificatePath(thumbprintParameter(thumbprint));
    const { settings, client } = this.openSession();
    const certificate = await client.get<Certificate>(path);
    this.print(settings, certificate, (body) => {
      if (!options.pem) return renderCertificate(this.formatter, body);
      if (!body.certificatePem) throw new CliError('the server did not return the certificate PEM');
      return withFinalNewline(body.certificatePem);
    });
  }

  @Option({ flags: '--pem', description: 'print only the public certificate (PEM), e.g. to give to partners (-o json prints the whole body)' })
  parsePem(): boolean {
    return true;
  }
}

/**
 * `s2sctl certificate remove <thumbprint>`: DELETE /admin/v1/certificates/{thumbprint};
 * `s2sctl certificate remove --type OAuthTokenIssuer --previous`: DELETE
 * /admin/v1/certificate-assignments/oauth-token-issuer/previous (Remove-CsCertificate -Previous).
 */
@SubCommand({
  name: 'remove',
  arguments: '[thumbprint]',
  argsDescription: { thumbprint: `certificate to delete from the store: ${THUMBPRINT_SYNTAX}` },
  description:
    'Delete a certificate (and its private key) from the store, or with --type OAuthTokenIssuer --previous clear the ' +
    'previous slot once tokens signed with it have expired',
})
export class CertificateRemoveCommand extends AdminCommandRunner {
  async run([thumbprint]: string[], options: { readonly type?: AssignmentType; readonly previous?: boolean } = {}): Promise<void> {
    if (options.previous) {
      if (thumbprint !== undefined) throw new UsageError('give either a THUMBPRINT or --previous, not both');
      if (options.type === undefined) throw new UsageError(`--previous needs --type (${ASSIGNMENT_TYPES.join(', ')}): the assignment whose previous certificate to remove`);
      const { settings, client } = this.openSession();
      const assignment = await client.delete<CertificateAssignment>(`${ASSIGNMENT_PATHS[options.type]}/previous`);
      this.print(settings, assignment, (body) => renderAssignment(this.formatter, body));
      return;
    }
    if (options.type !== undefined) throw new UsageError('--type is only used with --previous; to delete a certificate give its THUMBPRINT alone');
    if (thumbprint === undefined) throw new UsageError('give the THUMBPRINT of the certificate to delete, or --type OAuthTokenIssuer --previous');
    const normalised = thumbprintParameter(thumbprint);
    const { settings, client } = this.openSession();
    // A certificate in a slot is refused with 409 certificate_assigned; the server's message says how to free it.
    const removed = await client.delete<Certificate>(certificatePath(normalised));
    this.print(settings, removed, (body) => `removed ${body?.thumbprint ?? normalised}${body?.subject ? ` (${body.subject})` : ''}\n`);
  }

  @Help('after')
  examples(): string {
    return [
      '',
      'Examples:',
      '  s2sctl certificate remove 9A:3F:...:41',
      '  s2sctl certificate remove --type OAuthTokenIssuer --previous',
    ].join('\n');
  }

  @Option({ flags: TYPE_FLAGS, description: `${TYPE_DESCRIPTION}; with --previous` })
  parseType(value: string): AssignmentType {
    return caseInsensitiveChoiceArgument(value, ASSIGNMENT_TYPES);
  }

  @Option({ flags: '--previous', description: 'remove the certificate in the previous slot of --type (it stays in the store)' })
  parsePrevious(): boolean {
    return true;
  }
}

/** `s2sctl certificate assign`: PUT /admin/v1/certificate-assignments/oauth-token-issuer (Set-CsCertificate). */
@SubCommand({
  name: 'assign',
  description:
    'Assign a certificate as the OAuth token issuer: at once (it becomes current, the old current becomes previous), or with ' +
    '--roll --effective-date staged as next, published in metadata now and current from that time on',
})
export class CertificateAssignCommand extends AdminCommandRunner {
  async run(
    _params: string[],
    options: {
      readonly type: AssignmentType;
      readonly thumbprint: string;
      readonly roll?: boolean;
      readonly effectiveDate?: string;
      readonly force?: boolean;
      readonly reason?: string;
      readonly activateWhenFetched?: boolean;
      readonly deadline?: string;
      readonly keepPrevious?: boolean;
      readonly emergency?: boolean;
    },
  ): Promise<void> {
    if (options.emergency) {
      // Emergency roll (revocation runbook): its own route, POST …/oauth-token-issuer/emergency.
      const { path, body } = buildEmergencyRoll(ASSIGNMENT_PATHS[options.type], options);
      const { settings, client } = this.openSession();
      const assignment = await client.post<CertificateAssignment>(path, body);
      this.print(settings, assignment, (result) => renderAssignment(this.formatter, result));
      return;
    }
    const body = buildAssignmentBody(options);
    const { settings, client } = this.openSession();
    const assignment = await client.put<CertificateAssignment>(ASSIGNMENT_PATHS[options.type], body);
    this.print(settings, assignment, (result) => renderAssignment(this.formatter, result));
  }

  @Help('after')
  examples(): string {
    return [
      '',
      'The effective date is an instant, so it must name its timezone (Z or an offset); it is sent in UTC.',
      '',
      'Examples:',
      '  s2sctl certificate assign --type OAuthTokenIssuer --thumbprint 9A3F...41',
      '  s2sctl certificate assign --type OAuthTokenIssuer --thumbprint 9A3F...41 --roll --effective-date 2025-03-01T09:00:00+01:00',
      '  s2sctl certificate assign --type OAuthTokenIssuer --thumbprint 9A3F...41 --roll --effective-date 2025-03-01T09:00:00Z \\',
      '      --activate-when-fetched --deadline 2025-03-08T09:00:00Z',
      '',
      'The effective date must be at least the minimum roll lead ahead (oauth-configuration --minimum-roll-lead, default 24h);',
      'earlier only with --force --reason TEXT (recorded in the audit log). Refused with code roll_lead_too_short otherwise.',
      '',
      'Emergency roll (a compromised key): the certificate becomes current now and the old key is withdrawn at once:',
      '  s2sctl certificate assign --type OAuthTokenIssuer --thumbprint 9A3F...41 --emergency --reason "key leaked, ticket 4711"',
    ].join('\n');
  }

  @Option({ flags: TYPE_FLAGS, description: TYPE_DESCRIPTION, required: true })
  parseType(value: string): AssignmentType {
    return caseInsensitiveChoiceArgument(value, ASSIGNMENT_TYPES);
  }

  @Option({ flags: '--thumbprint <thumbprint>', description: THUMBPRINT_SYNTAX, required: true })
  parseThumbprint(value: string): string {
    return thumbprintArgument(value);
  }

  @Option({ flags: '--roll', description: 'stage the certificate as next instead of making it current now (needs --effective-date)' })
  parseRoll(): boolean {
    return true;
  }

  @Option({ flags: '--effective-date <time>', description: 'when the rolled certificate becomes current: ISO 8601 with Z or an offset' })
  parseEffectiveDate(value: string): string {
    return zonedTimestampArgument(value);
  }

  @Option({ flags: '--force', description: 'allow an effective date closer than the minimum roll lead (needs --reason)' })
  parseForce(): boolean {
    return true;
  }

  @Option({ flags: '--reason <text>', description: 'with --force: why the minimum roll lead is overridden; with --emergency: why the old key is withdrawn (recorded in the audit log)' })
  parseReason(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--activate-when-fetched', description: 'activation gate: at the effective date become current only once every enabled partner fetched our metadata since publication' })
  parseActivateWhenFetched(): boolean {
    return true;
  }

  @Option({ flags: '--deadline <time>', description: 'with --activate-when-fetched: become current at this time anyway (default: 7 days after the effective date)' })
  parseDeadline(value: string): string {
    return zonedTimestampArgument(value);
  }

  @Option({ flags: '--keep-previous', description: 'keep the certificate this retires in the previous slot (default: removed once every token it signed has expired)' })
  parseKeepPrevious(): boolean {
    return true;
  }

  @Option({ flags: '--emergency', description: 'compromised key: make this certificate current now and withdraw the old key at once (needs --reason)' })
  parseEmergency(): boolean {
    return true;
  }
}

/** `s2sctl certificate show-request`: GET /admin/v1/certificate-requests/{id}, e.g. the CSR automatic renewal created. */
@SubCommand({
  name: 'show-request',
  description: 'Show a certificate request and its CSR (PEM), e.g. the one automatic renewal (autoRenew csr) created; --out writes the CSR to a file',
})
export class CertificateShowRequestCommand extends AdminCommandRunner {
  async run(_params: string[], options: { readonly requestId: string; readonly out?: string; readonly force?: boolean }): Promise<void> {
    const { out } = options;
    if (out !== undefined && !options.force && (await exists(out))) throw new UsageError(`${out} already exists; give --force to overwrite it`);
    const { settings, client } = this.openSession();
    const request = await client.get<CertificateRequest>(`/certificate-requests/${encodeURIComponent(options.requestId)}`);
    if (out === undefined) {
      this.print(settings, request, (shown) => renderCertificateRequest(this.formatter, shown, { csr: true }));
      return;
    }
    try {
      await writeCsrFile(out, request.csr, options.force === true);
    } catch (error) {
      throw new CliError(`${out} could not be written: ${describeFsError(error)}`);
    }
    this.print(settings, request, (shown) => this.formatter.keyValue([['id', shown.id], ['status', shown.status], ['csr-file', out]]));
  }

  @Option({ flags: '--request-id <id>', description: 'ID of the request (s2sctl certificate status shows the one automatic renewal made)', required: true })
  parseRequestId(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--out <file>', description: 'write the CSR (PEM) to this file instead of printing it' })
  parseOut(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--force', description: 'overwrite the --out file if it exists' })
  parseForce(): boolean {
    return true;
  }
}

/** `s2sctl certificate status`: GET /admin/v1/certificate-assignments/oauth-token-issuer/status. */
@SubCommand({
  name: 'status',
  description:
    'Show the slots and, for a staged next certificate, which enabled partners downloaded our metadata since it was published ' +
    '(and unknown fetchers), the activation gate and automatic renewal',
})
export class CertificateStatusCommand extends AdminCommandRunner {
  async run(): Promise<void> {
    const { settings, client } = this.openSession();
    const status = await client.get<RolloverStatus>(`${ASSIGNMENT_PATHS[DEFAULT_TYPE]}/status`);
    this.print(settings, status, (body) => renderRolloverStatus(this.formatter, body));
  }
}

/** `s2sctl certificate get`: GET /admin/v1/certificate-assignments/oauth-token-issuer. */
@SubCommand({
  name: 'get',
  description: 'Show the current, next (with its effective date) and previous OAuth token-issuer certificates',
})
export class CertificateGetCommand extends AdminCommandRunner {
  async run(_params: string[], options: { readonly type?: AssignmentType } = {}): Promise<void> {
    const { settings, client } = this.openSession();
    const assignment = await client.get<CertificateAssignment>(ASSIGNMENT_PATHS[options.type ?? DEFAULT_TYPE]);
    this.print(settings, assignment, (body) => renderAssignment(this.formatter, body));
  }

  @Option({ flags: TYPE_FLAGS, description: `${TYPE_DESCRIPTION} (default ${DEFAULT_TYPE})` })
  parseType(value: string): AssignmentType {
    return caseInsensitiveChoiceArgument(value, ASSIGNMENT_TYPES);
  }
}

/** `s2sctl certificate`: groups the certificate commands. */
@Command({
  name: 'certificate',
  description: 'Request, import, list, assign and roll the OAuth token-issuer certificate',
  subCommands: [
    CertificateRequestCommand,
    CertificateCompleteCommand,
    CertificateImportCommand,
    CertificateNewSelfSignedCommand,
    CertificateListCommand,
    CertificateShowCommand,
    CertificateRemoveCommand,
    CertificateAssignCommand,
    CertificateGetCommand,
    CertificateStatusCommand,
    CertificateShowRequestCommand,
  ],
})
export class CertificateCommand extends CommandGroupRunner {}

/** What to run after adding a certificate to the store. */
function assignHint(certificate: Certificate): string {
  return certificate.assignment
    ? `assigned: ${certificate.assignment}`
    : `next: s2sctl certificate assign --type ${DEFAULT_TYPE} --thumbprint ${certificate.thumbprint} [--roll --effective-date <time>]`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new CliError(`cannot check --out ${path}: ${describeFsError(error)}`);
  }
}

/** The CSR is public: world-readable (0644) so it can be handed to whoever runs the CA. */
async function writeCsrFile(path: string, csr: string, overwrite: boolean): Promise<void> {
  await writeFile(path, withFinalNewline(csr), { mode: 0o644, flag: overwrite ? 'w' : 'wx' });
  // `mode` only applies to a new file, and the umask may have narrowed it.
  await chmod(path, 0o644);
}
