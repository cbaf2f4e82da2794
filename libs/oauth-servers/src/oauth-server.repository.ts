import type { OAuthServer } from './oauth-server.js';

/** Storage port of OAuth servers (implemented by the persistence library). */
export abstract class OAuthServerRepository {
  abstract list(): Promise<OAuthServer[]>;
  abstract find(identity: string): Promise<OAuthServer | null>;
  abstract insert(server: OAuthServer): Promise<void>;
  abstract update(server: OAuthServer): Promise<void>;
  abstract delete(identity: string): Promise<void>;
}

/** Change-feed topic of OAuth servers. */
export const OAUTH_SERVERS_TOPIC = 'oauth-servers';
