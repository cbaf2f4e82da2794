import { createHash } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { MIGRATIONS } from './index.js';

/**
 * Shipped migrations have run on existing databases: the SQL each one sends must stay exactly what
 * it was when it shipped, also where its text is built from shared pieces (trusted-issuer.columns.ts).
 * The hashes were taken from the migrations as they shipped (SHA-256 of the `up` and `down` queries).
 */
const SHIPPED: Readonly<Record<string, string>> = {
  Foundation1763769600000: 'c7f0b5e4c330f23557907963e88c905f091b0de4d040e1ec210832af54efd04a',
  TokenIssuerCertificates1763856000000: '7ba2ca775c7fec4b5e21164a6e9e6c32695435fe147f9affa07156c05140dfca',
  ClientsAndResources1763942400000: 'f1461a7eff98664a42b17265745c714dc84669712b6a5145f259d6a81b6b91c0',
  PartnerApplications1764028800000: '32da665f655faa207d8f199f1c7778215d148ae384b1c9c7cde5eb0eecd8e1be',
  OAuthServers1764115200000: '13ef55579331da6f95cdf3c069c079f6489458cd940d9818198e878106587822',
  Rollover1764374400000: 'fa52de7092d8d7debc0b824e1ef7b5305d1cc7b22471308550ff9ea33a95d727',
  LifecycleStatus1764288000000: 'ed2ad53809c7af12fc467ee3e5835992c49ec5f42aae37044c973411dbbe4794',
  Revocation1764201600000: '19822bf36c75258010838b00ee22129ff40d153eb26cd82ddf535d498b05a018',
  HybridTrust1764460800000: 'a1a0c2c852a74f8b10187a65d86bc69500b1552a8593f164d886de065e221b43',
};

async function sqlHash(migration: { up(runner: QueryRunner): Promise<unknown>; down(runner: QueryRunner): Promise<unknown> }): Promise<string> {
  const queries: string[] = [];
  const runner = { query: async (sql: string) => void queries.push(sql) } as unknown as QueryRunner;
  await migration.up(runner);
  const up = queries.splice(0);
  await migration.down(runner);
  const down = queries.splice(0);
  return createHash('sha256').update(JSON.stringify({ up, down })).digest('hex');
}

describe('shipped migrations', () => {
  it.each(Object.entries(SHIPPED))('%s sends the SQL it shipped with', async (name, hash) => {
    const Migration = MIGRATIONS.find((candidate) => new candidate().name === name);
    expect(Migration).toBeDefined();
    expect(await sqlHash(new Migration!())).toBe(hash);
  });
});
