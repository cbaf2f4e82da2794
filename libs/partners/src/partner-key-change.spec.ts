import type { PartnerApplication, PartnerKey } from './partner-application.js';
import { keysAfterRefresh } from './partner-application.service.js';

const key = (x5t: string): PartnerKey => ({ x5t, certificatePem: `pem-${x5t}`, notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2027-01-01T00:00:00Z') });
const partner = (policy: PartnerApplication['keyChangePolicy'], keys: PartnerKey[], pendingKeys: PartnerKey[] = []): PartnerApplication =>
  ({ identity: 'mail', keyChangePolicy: policy, keys, pendingKeys }) as unknown as PartnerApplication;

describe('partner keys after a refresh', () => {
  it('accept: trusts exactly what the metadata publishes now', () => {
    expect(keysAfterRefresh(partner('accept', [key('a')]), [key('a'), key('b')])).toEqual({ keys: [key('a'), key('b')], pendingKeys: [] });
  });

  it('review: keeps trusting known keys, holds new ones, drops what is no longer published', () => {
    expect(keysAfterRefresh(partner('review', [key('a'), key('old')]), [key('b'), key('a')])).toEqual({ keys: [key('a')], pendingKeys: [key('b')] });
  });

  it('review: a key held before and still published stays held; one no longer published is dropped from the held list', () => {
    expect(keysAfterRefresh(partner('review', [key('a')], [key('b'), key('c')]), [key('a'), key('b')])).toEqual({ keys: [key('a')], pendingKeys: [key('b')] });
  });
});
