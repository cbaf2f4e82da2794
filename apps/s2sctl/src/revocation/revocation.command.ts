import { Help, Option, SubCommand } from 'nest-commander';
import { AdminCommandRunner } from '../common/admin-command.runner.js';
import { UsageError } from '../common/cli-errors.js';
import { nonEmptyArgument } from '../common/option-argument.parser.js';
import { readSecret } from '../common/secret.reader.js';

/** Response of the `revoke-tokens` routes. */
export interface NotBeforeMark {
  readonly subjectType: string;
  readonly subjectId: string;
  readonly notBefore: string;
}

/** Body of `POST /admin/v1/tokens/revoke`: the token, or its id. */
export type TokenRevocationBody = { readonly token: string } | { readonly jti: string };

/** Response of `POST /admin/v1/tokens/revoke`. */
export interface TokenRevocation {
  readonly jti: string;
  readonly expiresAt: string;
  readonly revoked: boolean;
}

const renderMark = (mark: NotBeforeMark): string =>
  `tokens of ${mark.subjectType} ${mark.subjectId} issued before ${mark.notBefore} are refused (reason revoked_by_not_before)\n`;

/** The three `revoke-tokens` commands: POST /admin/v1/{collection}/{id}/revoke-tokens. */
abstract class RevokeTokensCommand extends AdminCommandRunner {
  protected abstract readonly collection: string;
  protected abstract readonly what: string;

  async run([id]: string[]): Promise<void> {
    const name = (id ?? '').trim();
    if (name === '') throw new UsageError(`give the ${this.what}`);
    const { settings, client } = this.openSession();
    const mark = await client.post<NotBeforeMark>(`/${this.collection}/${encodeURIComponent(name)}/revoke-tokens`);
    this.print(settings, mark, renderMark);
  }
}

/** `s2sctl client revoke-tokens <client-id>`. */
@SubCommand({
  name: 'revoke-tokens',
  arguments: '<client-id>',
  description: 'Refuse every token issued to this client before now, on every instance within a second (audited); new tokens work from the next second',
})
export class ClientRevokeTokensCommand extends RevokeTokensCommand {
  protected readonly collection = 'clients';
  protected readonly what = 'client id (see s2sctl client list)';
}

/** `s2sctl partner-application revoke-tokens <identity>`. */
@SubCommand({
  name: 'revoke-tokens',
  arguments: '<identity>',
  description: 'Refuse every token of this partner application issued before now (its nbf), on every instance within a second (audited)',
})
export class PartnerApplicationRevokeTokensCommand extends RevokeTokensCommand {
  protected readonly collection = 'partner-applications';
  protected readonly what = 'partner application identity (see s2sctl partner-application list)';
}

/** `s2sctl oauth-server revoke-tokens <identity>`. */
@SubCommand({
  name: 'revoke-tokens',
  arguments: '<identity>',
  description: 'Refuse every token of this OAuth server issued before now (iat, else nbf), on every instance within a second (audited)',
})
export class OAuthServerRevokeTokensCommand extends RevokeTokensCommand {
  protected readonly collection = 'oauth-servers';
  protected readonly what = 'OAuth server identity (see s2sctl oauth-server list)';
}

/** `s2sctl token revoke <token|-> | --jti <id>`: POST /admin/v1/tokens/revoke. */
@SubCommand({
  name: 'revoke',
  arguments: '[token]',
  argsDescription: { token: 'one of this service\'s access tokens, or - to read it from standard input' },
  description: 'Revoke one of this service\'s tokens (by the token, or --jti): refused everywhere within a second with reason token_revoked (audited)',
})
export class TokenRevokeCommand extends AdminCommandRunner {
  async run([token]: string[], options: { readonly jti?: string } = {}): Promise<void> {
    if ((token === undefined) === (options.jti === undefined)) throw new UsageError('give a token or --jti <id>, not both');
    const { settings, client } = this.openSession();
    const body: TokenRevocationBody = options.jti !== undefined ? { jti: options.jti } : { token: token === '-' ? await readSecret({ promptText: 'Token: ' }) : token! };
    const result = await client.post<TokenRevocation>('/tokens/revoke', body);
    this.print(settings, result, (r) => `${r.revoked ? 'revoked' : 'already revoked'}: jti ${r.jti}, kept until ${r.expiresAt}\n`);
  }

  @Option({ flags: '--jti <id>', description: 'the token id (jti) instead of the token; kept revoked for 24 h, the longest lifetime of our tokens' })
  parseJti(value: string): string {
    return nonEmptyArgument(value).trim();
  }

  @Help('after')
  examples(): string {
    return ['', 'Examples:', '  s2sctl token revoke "$TOKEN"', '  s2sctl token revoke --jti 1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b'].join('\n');
  }
}
