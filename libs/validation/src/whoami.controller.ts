import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@s2s/admin-access';
import { S2sProtected, S2sToken } from './s2s-bearer.guard.js';
import type { ValidatedToken } from './token-validation.js';

/**
 * `GET /s2s/whoami`: a protected endpoint partners and clients call to check that this service
 * accepts their token and how it sees them (the self-test Test-OAuthConnectivity provides for
 * Exchange). It is also the reference use of `@S2sProtected()` for resource servers.
 */
@ApiTags('oauth')
@Public()
@S2sProtected()
@Controller('s2s')
export class WhoAmIController {
  @Get('whoami')
  @ApiOperation({ summary: 'Self-test: how this service sees the bearer token (401 with a challenge when it does not accept it)' })
  whoami(@S2sToken() token: ValidatedToken): Record<string, unknown> {
    return { trust: token.trust, appId: token.appId, roles: token.roles, scopes: token.scopes, user: token.user, expiresAt: token.expiresAt.toISOString() };
  }
}
