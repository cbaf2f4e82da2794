import { Foundation1763769600000 } from './1763769600000-foundation.migration.js';
import { TokenIssuerCertificates1763856000000 } from './1763856000000-token-issuer-certificates.migration.js';
import { ClientsAndResources1763942400000 } from './1763942400000-clients-and-resources.migration.js';
import { PartnerApplications1764028800000 } from './1764028800000-partner-applications.migration.js';
import { OAuthServers1764115200000 } from './1764115200000-oauth-servers.migration.js';
import { Revocation1764201600000 } from './1764201600000-revocation.migration.js';
import { LifecycleStatus1764288000000 } from './1764288000000-lifecycle-status.migration.js';
import { Rollover1764374400000 } from './1764374400000-rollover.migration.js';
import { HybridTrust1764460800000 } from './1764460800000-hybrid-trust.migration.js';

/** All migrations, oldest first. Append new ones; never edit one that has shipped. */
export const MIGRATIONS = [Foundation1763769600000, TokenIssuerCertificates1763856000000, ClientsAndResources1763942400000, PartnerApplications1764028800000, OAuthServers1764115200000, Revocation1764201600000, LifecycleStatus1764288000000, Rollover1764374400000, HybridTrust1764460800000];
