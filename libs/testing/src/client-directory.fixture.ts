import { randomBytes } from 'node:crypto';
import {
  type Client,
  type ClientCertificate,
  ClientDirectory,
  type ClientRegistration,
  ClientRepository,
  type ClientSecret,
  type Resource,
  ResourceRepository,
} from '@s2s/clients';
import { ChangeFeed } from '@s2s/core';

/** Every repository call but the listing ones: a test that reaches one is wrong, and says so. */
async function notUsed(): Promise<never> {
  throw new Error('not used by this test');
}

/** Lists `registrations`; fails on any other call. */
class ListingClientRepository extends ClientRepository {
  constructor(private readonly registrations: readonly ClientRegistration[]) {
    super();
  }

  listRegistrations = async (): Promise<ClientRegistration[]> => [...this.registrations];
  findRegistration = notUsed;
  insert = notUsed;
  update = notUsed;
  delete = notUsed;
  insertSecret = notUsed;
  deleteSecret = notUsed;
  insertCertificate = notUsed;
  deleteCertificate = notUsed;
  insertRoleGrant = notUsed;
  deleteRoleGrant = notUsed;
  insertScopeGrant = notUsed;
  deleteScopeGrant = notUsed;
}

/** Lists `resources`; fails on any other call. */
class ListingResourceRepository extends ResourceRepository {
  constructor(private readonly resources: readonly Resource[]) {
    super();
  }

  list = async (): Promise<Resource[]> => [...this.resources];
  findById = notUsed;
  findByAppIdUri = notUsed;
  insert = notUsed;
  update = notUsed;
  delete = notUsed;
}

/** Never announces a change (the directory is loaded once); publishing fails. */
class SilentChangeFeed extends ChangeFeed {
  publish = notUsed;
  subscribe(): void {}
  afterAnyChange(): void {}
}

/**
 * A {@link ClientDirectory} loaded from `registrations` and `resources`, with repositories that
 * answer the listings the directory loads from and fail loudly on any other call.
 */
export async function clientDirectoryOf(registrations: readonly ClientRegistration[], resources: readonly Resource[] = []): Promise<ClientDirectory> {
  const directory = new ClientDirectory(new ListingClientRepository(registrations), new ListingResourceRepository(resources), new SilentChangeFeed());
  await directory.reload();
  return directory;
}

/** An enabled client_credentials client of realm contoso.com, created and updated at `at`. */
export function testClient(clientId: string, at: Date, overrides: Partial<Client> = {}): Client {
  return {
    clientId,
    displayName: clientId,
    realm: 'contoso.com',
    enabled: true,
    actAsUsers: false,
    grantTypes: ['client_credentials'],
    allowTokenEndpointAudience: false,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/** A certificate as the test computed its identifiers (independently of the service's code). */
export interface TestCertificate {
  certificatePem: string;
  /** Hex SHA-1 of the DER, uppercase (the stored thumbprint). */
  sha1Hex: string;
  /** base64url SHA-256 of the DER. */
  x5tS256: string;
  notAfter: Date;
}

/** The registration of {@link testClient} with `certificates`, added at `at`, and nothing else. */
export function certificateRegistration(
  clientId: string,
  certificates: readonly TestCertificate[],
  at: Date,
  options: { subject?: string; client?: Partial<Client> } = {},
): ClientRegistration {
  const rows: ClientCertificate[] = certificates.map((c) => ({
    clientId,
    thumbprint: c.sha1Hex,
    thumbprintSha256: Buffer.from(c.x5tS256, 'base64url').toString('hex').toUpperCase(),
    certificatePem: c.certificatePem,
    subject: options.subject ?? `CN=${clientId}`,
    notAfter: c.notAfter,
    createdAt: at,
  }));
  return { client: testClient(clientId, at, options.client), secrets: [], certificates: rows, roleGrants: [], scopeGrants: [] };
}

/**
 * A stored secret of `clientId` whose value is `value` and whose stored hash is `secretHash` (the
 * test computes it), created at `at`, valid until `expiresAt` (exclusive; null: no expiry).
 */
export function testSecret(clientId: string, value: string, secretHash: string, at: Date, expiresAt: Date | null = null): ClientSecret {
  return { id: randomBytes(8).toString('hex'), clientId, secretHash, hint: value.slice(-4), description: null, createdAt: at, expiresAt };
}

/** The registration of `client` with `secrets`, and nothing else. */
export function secretRegistration(client: Client, secrets: readonly ClientSecret[]): ClientRegistration {
  return { client, secrets: [...secrets], certificates: [], roleGrants: [], scopeGrants: [] };
}
