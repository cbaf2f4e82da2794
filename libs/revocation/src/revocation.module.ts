import { Module } from '@nestjs/common';
import { AuditModule } from '@s2s/audit';
import { ClientsModule } from '@s2s/clients';
import { OAuthServersModule } from '@s2s/oauth-servers';
import { PartnersModule } from '@s2s/partners';
import { NotBeforeController } from './not-before.controller.js';
import { RevocationState } from './revocation.state.js';
import { TokenRevocationService } from './token-revocation.service.js';
import { TokenStanding } from './token.standing.js';

/**
 * Revocation (issue 17): revoked token ids and not-before marks in memory, the one rule that decides
 * whether a token still stands ({@link TokenStanding}), and the writes. Static, so the validator and
 * the token endpoint share one {@link RevocationState}.
 */
@Module({
  imports: [AuditModule, ClientsModule, PartnersModule, OAuthServersModule],
  controllers: [NotBeforeController],
  providers: [RevocationState, TokenStanding, TokenRevocationService],
  exports: [RevocationState, TokenStanding, TokenRevocationService],
})
export class RevocationModule {}
