import { scrubSecrets } from './secret-scrubber.js';

describe('scrubSecrets', () => {
  it('redacts secret-looking fields at any depth and keeps the rest', () => {
    expect(
      scrubSecrets({
        name: 'x',
        clientSecret: 's',
        nested: { pfxPassword: 'p', privateKeyPem: 'k', secretHash: 'h', thumbprint: 'T' },
        list: [{ passphrase: 'z', realm: 'contoso.com' }],
        at: new Date('2026-01-01T00:00:00Z'),
      }),
    ).toEqual({
      name: 'x',
      clientSecret: '[redacted]',
      nested: { pfxPassword: '[redacted]', privateKeyPem: '[redacted]', secretHash: '[redacted]', thumbprint: 'T' },
      list: [{ passphrase: '[redacted]', realm: 'contoso.com' }],
      at: '2026-01-01T00:00:00.000Z',
    });
  });
});

describe('scrubSecrets and references to secrets', () => {
  it('keeps ids and hints that name a secret, so the log says which one changed', () => {
    expect(scrubSecrets({ secretId: 'f1d2', clientSecretIds: ['a'], secretHint: 'x9Yz', clientSecret: 'value' })).toEqual({
      secretId: 'f1d2',
      clientSecretIds: ['a'],
      secretHint: 'x9Yz',
      clientSecret: '[redacted]',
    });
  });
});
