import { generateKeyPairSync } from 'node:crypto';
import { InvalidOptionArgumentError, UsageError } from '../common/cli-errors.js';
import {
  buildCertificateRegistrationBody,
  buildClientChangeBody,
  buildClientCreateBody,
  buildSecretBody,
  clientPath,
  grantTypeArgument,
  parseGrantType,
} from './client.input.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

describe('--grant-type', () => {
  it.each([
    ['client_credentials', 'client_credentials'],
    ['jwt-bearer', JWT_BEARER],
    [JWT_BEARER, JWT_BEARER],
    [' jwt-bearer ', JWT_BEARER],
  ])('%j -> %j', (value, grantType) => {
    expect(parseGrantType(value)).toBe(grantType);
  });

  it.each(['password', 'authorization_code', 'JWT-BEARER', 'urn:ietf:params:oauth:grant-type:token-exchange', ''])('refuses %j, naming the allowed values', (value) => {
    expect(() => parseGrantType(value)).toThrow(
      new InvalidOptionArgumentError(`Allowed values are client_credentials or jwt-bearer (short for ${JWT_BEARER}).`),
    );
  });

  it('is repeatable, in the order given, each grant type once', () => {
    const first = grantTypeArgument('jwt-bearer', undefined);
    expect(grantTypeArgument('client_credentials', first)).toEqual([JWT_BEARER, 'client_credentials']);
    expect(grantTypeArgument(JWT_BEARER, first)).toEqual([JWT_BEARER]);
  });
});

describe('buildClientCreateBody', () => {
  it('sends the name and nothing else by default: the server picks realm, grant types and makes a secret', () => {
    expect(buildClientCreateBody({ name: 'batch daemon', secret: true })).toEqual({ displayName: 'batch daemon' });
  });

  it('maps every option', () => {
    expect(
      buildClientCreateBody({
        name: 'web api',
        realm: 'contoso.com',
        actAsUsers: true,
        grantType: ['client_credentials', JWT_BEARER],
        legacyTokenEndpointAudience: true,
        secret: true,
        secretExpires: '2026-01-01T00:00:00.000Z',
      }),
    ).toEqual({
      displayName: 'web api',
      realm: 'contoso.com',
      actAsUsers: true,
      grantTypes: ['client_credentials', JWT_BEARER],
      allowTokenEndpointAudience: true,
      secretExpiresAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('--no-secret sends withSecret: false, and cannot be combined with --secret-expires', () => {
    expect(buildClientCreateBody({ name: 'cert only', secret: false })).toEqual({ displayName: 'cert only', withSecret: false });
    expect(() => buildClientCreateBody({ name: 'x', secret: false, secretExpires: '2026-01-01T00:00:00.000Z' })).toThrow(UsageError);
  });
});

describe('buildClientChangeBody', () => {
  it('sends exactly the given fields, false included', () => {
    expect(buildClientChangeBody({ enabled: false })).toEqual({ enabled: false });
    expect(buildClientChangeBody({ name: 'n', realm: 'r', actAsUsers: false, grantType: ['client_credentials'], legacyTokenEndpointAudience: false })).toEqual({
      displayName: 'n',
      realm: 'r',
      actAsUsers: false,
      grantTypes: ['client_credentials'],
      allowTokenEndpointAudience: false,
    });
  });

  it('refuses an empty change', () => {
    expect(() => buildClientChangeBody({})).toThrow(/^nothing to change: give --name, --realm, --enabled/);
  });
});

describe('buildSecretBody', () => {
  it('maps --description and --expires', () => {
    expect(buildSecretBody({})).toEqual({});
    expect(buildSecretBody({ description: 'prod', expires: '2026-01-01T00:00:00.000Z' })).toEqual({ description: 'prod', expiresAt: '2026-01-01T00:00:00.000Z' });
  });
});

/** A throwaway private key made at test time (no key material is committed). */
function generatedKeyPem(): string {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

describe('buildCertificateRegistrationBody', () => {
  const pem = (body: string): string => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;

  it('sends the first PEM certificate only, never a key in the same file, and says when others were left out', () => {
    const key = generatedKeyPem();
    const single = buildCertificateRegistrationBody({ option: '--cert', path: 'a.pem', bytes: Buffer.from(`${key}${pem('TEVBRg==')}`) });
    expect(single).toEqual({ body: { certificate: pem('TEVBRg==') }, ignoredChain: false });
    const bundle = buildCertificateRegistrationBody({ option: '--cert', path: 'b.pem', bytes: Buffer.from(`${pem('TEVBRg==')}${pem('Q0E=')}`) });
    expect(bundle).toEqual({ body: { certificate: pem('TEVBRg==') }, ignoredChain: true });
  });

  it('sends DER as base64', () => {
    const der = Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x02]);
    expect(buildCertificateRegistrationBody({ option: '--cert', path: 'c.cer', bytes: der }).body).toEqual({ certificate: der.toString('base64') });
  });

  it('refuses a file without a certificate', () => {
    expect(() => buildCertificateRegistrationBody({ option: '--cert', path: 'k.pem', bytes: Buffer.from(generatedKeyPem()) })).toThrow(
      new UsageError('--cert k.pem holds no PEM certificate'),
    );
  });
});

describe('clientPath', () => {
  it('encodes the client id as one segment', () => {
    expect(clientPath(' 6e1f3a2b-7c4d-4e5f-8a9b-0c1d2e3f4a5b ', '/secrets')).toBe('/clients/6e1f3a2b-7c4d-4e5f-8a9b-0c1d2e3f4a5b/secrets');
    expect(clientPath('../admin-keys')).toBe('/clients/..%2Fadmin-keys');
    expect(() => clientPath('')).toThrow(UsageError);
  });
});
