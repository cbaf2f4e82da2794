import { InvalidInputError } from '@s2s/core';
import { fetchPolicyOf, metadataUrlHost, TRUSTED_ISSUER_IDENTITY, trustedIssuerSettings } from './trusted-issuer.js';

/** The settings every trusted-issuer kind validates the same way: identity, metadata URL host and download policy. */

function refusal(fn: () => unknown): InvalidInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('expected an InvalidInputError');
}

describe('trusted-issuer settings', () => {
  it.each(['microsoft.exchange', 'microsoft.sts', 'lab-1_idp'])('accepts the identity %s', (identity) => {
    expect(TRUSTED_ISSUER_IDENTITY.test(identity)).toBe(true);
  });

  it.each(['Microsoft.Exchange', '.hidden', '', 'a/b', 'x'.repeat(129)])('refuses the identity %j', (identity) => {
    expect(TRUSTED_ISSUER_IDENTITY.test(identity)).toBe(false);
  });

  it('takes the host of a metadata URL in lowercase, IPv6 without brackets', () => {
    expect(metadataUrlHost('https://Mail.Contoso.com/autodiscover/metadata/json/1')).toBe('mail.contoso.com');
    expect(metadataUrlHost('https://[::1]:8443/metadata')).toBe('::1');
    expect(refusal(() => metadataUrlHost('not a url')).details).toEqual([{ field: 'metadataUrl', message: 'is not a valid URL' }]);
  });

  it('defaults to enabled, the system store, https only and the URL host as the only allowed host', () => {
    expect(trustedIssuerSettings('mail.contoso.com', {}, null)).toEqual({ enabled: true, metadataCaBundle: null, metadataHostAllowList: ['mail.contoso.com'], allowHttpMetadata: false });
    expect(trustedIssuerSettings(null, {}, null).metadataHostAllowList).toEqual([]);
  });

  it('keeps the current values a change leaves out, and clears the CA bundle with null', () => {
    const current = { enabled: false, metadataCaBundle: 'PEM', metadataHostAllowList: ['a.contoso.com', 'b.contoso.com'], allowHttpMetadata: true };
    expect(trustedIssuerSettings('b.contoso.com', {}, current)).toEqual(current);
    expect(trustedIssuerSettings('b.contoso.com', { metadataCaBundle: null, enabled: true }, current)).toEqual({ ...current, metadataCaBundle: null, enabled: true });
  });

  it('refuses an allow-list without the metadata URL host, and keeps hosts in lowercase', () => {
    expect(refusal(() => trustedIssuerSettings('mail.contoso.com', { metadataHostAllowList: ['other.contoso.com'] }, null)).message).toBe(
      'metadataHostAllowList: must include the metadata URL host mail.contoso.com',
    );
    expect(trustedIssuerSettings('mail.contoso.com', { metadataHostAllowList: ['MAIL.contoso.com'] }, null).metadataHostAllowList).toEqual(['mail.contoso.com']);
  });

  it('gives the fetcher the settings as its policy', () => {
    expect(fetchPolicyOf({ metadataCaBundle: 'PEM', metadataHostAllowList: ['h'], allowHttpMetadata: true })).toEqual({ allowHttp: true, caBundle: 'PEM', hostAllowList: ['h'] });
  });
});
