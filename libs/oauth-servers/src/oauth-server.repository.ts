import { TrustedIssuerRepository } from '@s2s/trusted-issuers';
import type { OAuthServer } from './oauth-server.js';

/** Storage port of OAuth servers (implemented by the persistence library). */
export abstract class OAuthServerRepository extends TrustedIssuerRepository<OAuthServer> {}

/** Change-feed topic of OAuth servers. */
export const OAUTH_SERVERS_TOPIC = 'oauth-servers';
