import { Module } from '@nestjs/common';
import { trustedIssuerModule } from '@s2s/trusted-issuers';
import { OAuthServerController } from './oauth-server.controller.js';
import { OAuthServerDirectory } from './oauth-server.directory.js';
import { OAuthServerService } from './oauth-server.service.js';

/** External authorization servers (SPEC 5.5): registry, metadata and JWKS download and refresh, in-memory directory. */
@Module(trustedIssuerModule(OAuthServerController, OAuthServerService, OAuthServerDirectory))
export class OAuthServersModule {}
