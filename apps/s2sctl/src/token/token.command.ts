import { Command, CommandRunner, Help, Option, SubCommand } from 'nest-commander';
import { AdminCommandRunner } from '../common/admin-command.runner.js';
import { CliError, UsageError } from '../common/cli-errors.js';
import { resolveCliSettings } from '../common/cli-settings.js';
import { CommandGroupRunner } from '../common/command-group.runner.js';
import { collectGlobalOptions } from '../common/global-options.js';
import { readInputFile } from '../common/input-file.reader.js';
import { nonEmptyArgument } from '../common/option-argument.parser.js';
import { OutputFormatter } from '../common/output.formatter.js';
import { readSecret } from '../common/secret.reader.js';
import { buildClientAssertion, loadAssertionSigner } from './client-assertion.builder.js';
import { basicAuthorization } from './client-secret.credential.js';
import { decodeTokenForDisplay } from './jwt.decoder.js';
import { OAuthTokenClient } from './oauth-token.client.js';
import { buildTokenRequestForm, clientAuthenticationKind, type TokenGetOptions } from './token-request.builder.js';
import { TOKEN_VALIDATION_PATH, type TokenValidationResult } from './token-validation.dto.js';
import { buildTokenValidationBody } from './token-validation.input.js';
import { invalidReason, renderTokenValidation } from './token-validation.render.js';
import type { TokenResponse } from './token.dto.js';
import { renderDecodedToken } from './token.render.js';
import { TokenRevokeCommand } from '../revocation/revocation.command.js';

/**
 * `s2sctl token ...`: tokens as a client application sees them. `get` calls the server's token
 * endpoint as a registered client (not the admin API: no admin key is sent); `decode` only reads a
 * token locally; `validate` asks the admin API to verify one.
 */

/**
 * `s2sctl token get`: POST <server>/oauth2/token with the client credentials grant, authenticated
 * with a client secret (`client_secret_basic`) or a certificate's key (`private_key_jwt`).
 */
@SubCommand({
  name: 'get',
  description:
    'Get an access token from the token endpoint as a client (client credentials), with its secret or with a certificate ' +
    'and key (private_key_jwt); prints the token alone, so TOKEN=$(s2sctl token get ...) works',
})
export class TokenGetCommand extends CommandRunner {
  constructor(private readonly formatter: OutputFormatter) {
    super();
  }

  async run(_params: string[], options: TokenGetOptions): Promise<void> {
    const kind = clientAuthenticationKind(options);
    // Files are checked before anything is asked for or sent.
    const signer =
      kind === 'certificate'
        ? loadAssertionSigner(
            { option: '--cert', path: options.cert!, bytes: await readInputFile(options.cert!, '--cert') },
            { option: '--key', path: options.key!, bytes: await readInputFile(options.key!, '--key') },
          )
        : undefined;
    const settings = resolveCliSettings(collectGlobalOptions(this.command));
    const endpoint = new OAuthTokenClient({ baseUrl: settings.serverUrl, ca: settings.ca });

    let response: TokenResponse;
    if (signer) {
      // RFC 7523 3 / SPEC 5.9: the assertion's aud is the issuer identifier the server publishes.
      const { issuer } = await endpoint.discover();
      const assertion = await buildClientAssertion({ clientId: options.client, audience: issuer, signer });
      response = await endpoint.requestToken(buildTokenRequestForm(options, assertion));
    } else {
      const secret = await readSecret({ file: options.secretFile, promptText: 'Client secret: ' });
      if (secret === '') throw new UsageError('the client secret is empty');
      response = await endpoint.requestToken(buildTokenRequestForm(options), basicAuthorization(options.client, secret));
    }

    if (settings.output === 'json') {
      process.stdout.write(this.formatter.json(response));
      return;
    }
    process.stdout.write(`${response.access_token}\n`);
    if (typeof response.expires_in === 'number') process.stderr.write(`expires in ${response.expires_in}s\n`);
  }

  @Help('after')
  examples(): string {
    return [
      '',
      'The client secret is read from --secret-file, else from standard input when it is not a terminal, else from a prompt',
      'that does not echo; never from the command line. With --cert and --key the server is asked for its issuer',
      '(/.well-known/oauth-authorization-server) and a two-minute client assertion is signed with the key (RS256).',
      'The token goes to stdout, its lifetime to stderr; -o json prints the token response.',
      '',
      'Examples:',
      '  TOKEN=$(s2sctl token get --client <client-id> --resource api://webapi --secret-file daemon.secret)',
      '  s2sctl token get --client <client-id> --scope api://webapi/.default --cert daemon.pem --key daemon.key -o json',
      '  s2sctl token get --client <client-id> --resource <partner> --upn alice@contoso.com --secret-file daemon.secret',
    ].join('\n');
  }

  @Option({ flags: '--client <client-id>', description: 'client id (see s2sctl client list)', required: true })
  parseClient(value: string): string {
    return nonEmptyArgument(value.trim());
  }

  @Option({ flags: '--resource <uri>', description: 'what the token is for: App ID URI of a resource, or a partner application (RFC 8707)' })
  parseResource(value: string): string {
    return nonEmptyArgument(value.trim());
  }

  @Option({ flags: '--scope <scope>', description: 'scope instead of (or with) --resource, e.g. api://webapi/.default' })
  parseScope(value: string): string {
    return nonEmptyArgument(value.trim());
  }

  @Option({ flags: '--secret-file <file>', description: 'read the client secret from this file (default: stdin or a prompt)' })
  parseSecretFile(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--cert <file>', description: 'certificate registered on the client (PEM or DER), for private_key_jwt (with --key)' })
  parseCert(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--key <file>', description: 'unencrypted PEM RSA private key of --cert; signs the client assertion and is never sent' })
  parseKey(value: string): string {
    return nonEmptyArgument(value);
  }

  @Option({ flags: '--upn <upn>', description: 'act as this user (user principal name); the client must be allowed to act as users' })
  parseUpn(value: string): string {
    return nonEmptyArgument(value.trim());
  }

  @Option({ flags: '--smtp <address>', description: 'act as the user with this e-mail address' })
  parseSmtp(value: string): string {
    return nonEmptyArgument(value.trim());
  }

  @Option({ flags: '--sip <address>', description: 'act as the user with this SIP address' })
  parseSip(value: string): string {
    return nonEmptyArgument(value.trim());
  }

  @Option({ flags: '--sid <sid>', description: 'act as the user with this Windows security identifier (S-1-5-...)' })
  parseSid(value: string): string {
    return nonEmptyArgument(value.trim());
  }
}

/** `s2sctl token decode <token|->`: local only, no server call, nothing verified. */
@SubCommand({
  name: 'decode',
  arguments: '<token>',
  argsDescription: { token: 'a compact JWT, or - to read it from standard input' },
  description:
    "Show a token's header and payload (and an S2S outer token's nested actor token) without verifying it; " +
    'the signature is never printed. Calls no server',
})
export class TokenDecodeCommand extends CommandRunner {
  constructor(private readonly formatter: OutputFormatter) {
    super();
  }

  async run([token]: string[]): Promise<void> {
    // Only the output format matters here: no server, key or CA is needed to read a token.
    const output = collectGlobalOptions(this.command).output ?? 'table';
    const text = token === '-' ? await readSecret({ promptText: 'Token: ' }) : token;
    const view = decodeTokenForDisplay(text);
    process.stdout.write(output === 'json' ? this.formatter.json(view) : renderDecodedToken(view, new Date()));
  }

  @Help('after')
  examples(): string {
    return [
      '',
      'Examples:',
      '  s2sctl token decode eyJhbGciOi...',
      '  s2sctl token get --client <client-id> --resource api://webapi --secret-file daemon.secret | s2sctl token decode -',
    ].join('\n');
  }
}

/**
 * `s2sctl token validate <token|->`: POST /admin/v1/tokens/validate. Exit code 0 for a valid
 * token, 1 for an invalid one (after printing the result, with the reason on stderr).
 */
@SubCommand({
  name: 'validate',
  arguments: '<token>',
  argsDescription: { token: 'a compact JWT, or - to read it from standard input (a leading "Bearer " is dropped)' },
  description:
    'Have the server verify a token as its protected endpoints would (signature, trust, audience, lifetime) and say why it ' +
    'is or is not valid; exit code 0 valid, 1 not valid. Needs the admin key',
})
export class TokenValidateCommand extends AdminCommandRunner {
  async run([token]: string[], options: { readonly explain?: boolean; readonly audience?: string } = {}): Promise<void> {
    // The session first: a missing admin key is reported before a token is asked for.
    const { settings, client } = this.openSession();
    const body = buildTokenValidationBody(token === '-' ? await readSecret({ promptText: 'Token: ' }) : token, options.audience);
    const result = await client.post<TokenValidationResult>(TOKEN_VALIDATION_PATH, body);
    this.print(settings, result, (view) => renderTokenValidation(this.formatter, view, { explain: options.explain === true }));
    // Printed as `s2sctl: token is not valid: <reason>` on stderr, exit code 1.
    if (!result.valid) throw new CliError(invalidReason(result), 1);
  }

  @Help('after')
  examples(): string {
    return [
      '',
      'The first line says valid (and as whom the token was trusted) or invalid with the reason; --explain adds every check,',
      'the signing key, when the issuer metadata was fetched and the clock difference. -o json prints the API response.',
      '',
      'Examples:',
      '  s2sctl token validate "$TOKEN" --explain',
      '  s2sctl token validate - --audience api://webapi < token.txt',
      '  if s2sctl token validate "$TOKEN" > /dev/null; then echo ok; fi',
    ].join('\n');
  }

  @Option({ flags: '--explain', description: 'list every check with its result, the signing key, the metadata age and the clock difference' })
  parseExplain(): boolean {
    return true;
  }

  @Option({ flags: '--audience <aud>', description: 'check the token against this audience (default: chosen by the server)' })
  parseAudience(value: string): string {
    return nonEmptyArgument(value).trim();
  }
}

/** `s2sctl token`: groups get, decode, validate and revoke. */
@Command({
  name: 'token',
  description: 'Get a token from the token endpoint as a client, decode a token locally, or have the server validate one',
  subCommands: [TokenGetCommand, TokenDecodeCommand, TokenValidateCommand, TokenRevokeCommand],
})
export class TokenCommand extends CommandGroupRunner {}
