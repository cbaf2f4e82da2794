import { InvalidOptionArgumentError, UsageError } from '../common/cli-errors.js';
import type { InputFile } from '../certificate/certificate.input.js';
import {
  acceptedDomainArgument,
  applicationIdentifierArgument,
  buildPartnerChangeBody,
  buildPartnerCreateBody,
  checkPartnerSetOptions,
  metadataCaBundleFromFile,
  metadataHostArgument,
  metadataUrlArgument,
  partnerParameterSet,
  partnerPath,
  pinnedCertificatesFromFiles,
  trustLevelArgument,
} from './partner-application.input.js';

// Synthetic PEM blocks: the helpers look at armour and the first DER byte, not at ASN.1 contents.
const pem = (label: string, body: string): string => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----`;
const LEAF = pem('CERTIFICATE', 'TEFBRg==');
const ISSUER = pem('CERTIFICATE', 'SU5URVI=');
const KEY = pem('PRIVATE KEY', 'S0VZLXNlY3JldA==');
const DER = Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x02, 0x01]);
const APP_ID = '00000002-0000-0ff1-ce00-000000000000';
const URL = 'https://mail.contoso.com/autodiscover/metadata/json/1';

const file = (option: string, content: string | Buffer, path = `${option.slice(2)}.file`): InputFile => ({
  option,
  path,
  bytes: typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
});

/** Runs `fn` expecting a UsageError and returns its message. */
function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('option values', () => {
  it.each([
    ['full', 'Full'],
    ['APPLICATION', 'Application'],
    [' User ', 'User'],
  ])('--trust-level %j -> %j', (value, level) => {
    expect(trustLevelArgument(value)).toBe(level);
  });

  it('--trust-level refuses other values, naming the choices', () => {
    expect(() => trustLevelArgument('Partner')).toThrow(new InvalidOptionArgumentError('Supported values are Full, Application, User (in any case).'));
  });

  it.each([
    [APP_ID, APP_ID],
    [APP_ID.toUpperCase(), APP_ID],
    [`{${APP_ID}}`, APP_ID],
    [` ${APP_ID} `, APP_ID],
  ])('--application-identifier %j is sent as the lowercase GUID', (value, expected) => {
    expect(applicationIdentifierArgument(value)).toBe(expected);
  });

  it.each(['00000002-0000-0ff1-ce00', 'exchange', `${APP_ID}@contoso.com`, ''])('--application-identifier refuses %j', (value) => {
    expect(() => applicationIdentifierArgument(value)).toThrow(InvalidOptionArgumentError);
  });

  it('--metadata-url takes http(s) URLs only', () => {
    expect(metadataUrlArgument(` ${URL} `)).toBe(URL);
    expect(metadataUrlArgument('http://lab.local/metadata/json/1')).toBe('http://lab.local/metadata/json/1');
    for (const bad of ['mail.contoso.com/metadata', 'ftp://mail.contoso.com/m', 'file:///etc/passwd']) {
      expect(() => metadataUrlArgument(bad)).toThrow(new InvalidOptionArgumentError(`Expected an https URL, e.g. ${URL}.`));
    }
  });

  it('--metadata-host is repeatable, each host once, and refuses URLs and paths', () => {
    const first = metadataHostArgument('mail.contoso.com', undefined);
    expect(metadataHostArgument('10.0.0.5', first)).toEqual(['mail.contoso.com', '10.0.0.5']);
    expect(metadataHostArgument(' mail.contoso.com ', first)).toEqual(['mail.contoso.com']);
    expect(metadataHostArgument('::1', undefined)).toEqual(['::1']);
    for (const bad of ['https://mail.contoso.com', 'mail.contoso.com/x', 'a b', ' ']) {
      expect(() => metadataHostArgument(bad, undefined)).toThrow(InvalidOptionArgumentError);
    }
  });
});

describe('partnerParameterSet (New-CsPartnerApplication parameter sets)', () => {
  it('metadata URL, or application identifier + realm + certificate', () => {
    expect(partnerParameterSet({ identity: 'x', metadataUrl: URL })).toBe('metadata');
    expect(partnerParameterSet({ identity: 'x', applicationIdentifier: APP_ID, realm: 'contoso.com', certificate: ['a.cer'] })).toBe('certificates');
  });

  it('refuses a mix of both sets', () => {
    expect(usageMessage(() => partnerParameterSet({ identity: 'x', metadataUrl: URL, realm: 'contoso.com', certificate: ['a.cer'] }))).toBe(
      "--metadata-url cannot be combined with --realm, --certificate: the metadata document names the partner's application identifier, realm and certificates",
    );
  });

  it('refuses neither set, and names what is missing from an incomplete one', () => {
    expect(usageMessage(() => partnerParameterSet({ identity: 'x' }))).toBe(
      'give --metadata-url <url>, or --application-identifier <guid> --realm <realm> --certificate <file> (see s2sctl partner-application new --help)',
    );
    expect(usageMessage(() => partnerParameterSet({ identity: 'x', applicationIdentifier: APP_ID }))).toBe(
      'without --metadata-url, also give --realm <realm> and --certificate <file>',
    );
    expect(usageMessage(() => partnerParameterSet({ identity: 'x', applicationIdentifier: APP_ID, realm: 'r', certificate: [] }))).toBe(
      'without --metadata-url, also give --certificate <file>',
    );
  });

  it('refuses the metadata download options without a metadata URL', () => {
    const pinned = { identity: 'x', applicationIdentifier: APP_ID, realm: 'contoso.com', certificate: ['a.cer'] };
    expect(usageMessage(() => partnerParameterSet({ ...pinned, metadataHost: ['h'] }))).toBe('--metadata-host goes with --metadata-url');
    expect(usageMessage(() => partnerParameterSet({ ...pinned, metadataCaFile: 'ca.pem', allowHttpMetadata: true }))).toBe(
      '--metadata-ca-file, --allow-http-metadata go with --metadata-url',
    );
  });

  it('refuses an http:// metadata URL without --allow-http-metadata', () => {
    expect(usageMessage(() => partnerParameterSet({ identity: 'x', metadataUrl: 'http://lab.local/m' }))).toMatch(/^the metadata URL is http:\/\/: use https, or add --allow-http-metadata/);
    expect(partnerParameterSet({ identity: 'x', metadataUrl: 'http://lab.local/m', allowHttpMetadata: true })).toBe('metadata');
  });
});

describe('files', () => {
  it('pins the first certificate of each file (PEM as text, DER as base64) and names the files with more', () => {
    expect(pinnedCertificatesFromFiles([file('--certificate', `${KEY}\n${LEAF}\n${ISSUER}\n`, 'full.pem'), file('--certificate', DER, 'b.cer')])).toEqual({
      certificates: [`${LEAF}\n`, DER.toString('base64')],
      ignoredChains: ['full.pem'],
    });
  });

  it('refuses a --certificate file that holds no certificate, without quoting it', () => {
    const message = usageMessage(() => pinnedCertificatesFromFiles([file('--certificate', `${KEY}\n`, 'key.pem')]));
    expect(message).toBe('--certificate key.pem holds no PEM certificate');
  });

  it('takes every certificate of a CA bundle and nothing else', () => {
    expect(metadataCaBundleFromFile(file('--metadata-ca-file', `subject=CN=root\n${LEAF}\n${KEY}\n${ISSUER}\n`))).toBe(`${LEAF}\n${ISSUER}\n`);
    expect(usageMessage(() => metadataCaBundleFromFile(file('--metadata-ca-file', DER, 'root.cer')))).toBe(
      '--metadata-ca-file root.cer holds no PEM certificate (a CA bundle is PEM, one or more CA certificates)',
    );
  });
});

describe('buildPartnerCreateBody', () => {
  it('by metadata URL: the URL, the trust level (Application by default) and nothing else', () => {
    expect(buildPartnerCreateBody({ identity: 'microsoft.exchange', metadataUrl: URL }, {})).toEqual({
      body: { identity: 'microsoft.exchange', metadataUrl: URL, trustLevel: 'Application' },
      ignoredChains: [],
    });
  });

  it('by metadata URL with every option', () => {
    const { body } = buildPartnerCreateBody(
      {
        identity: 'lab.sharepoint',
        metadataUrl: 'http://sp.lab.local/m',
        host: 'sp.lab.local',
        trustLevel: 'Full',
        acceptSecurityIdentifierInformation: true,
        enabled: false,
        metadataCaFile: 'ca.pem',
        metadataHost: ['sp.lab.local', '10.0.0.5'],
        allowHttpMetadata: true,
      },
      { metadataCaFile: file('--metadata-ca-file', `${ISSUER}\n`) },
    );
    expect(body).toEqual({
      identity: 'lab.sharepoint',
      metadataUrl: 'http://sp.lab.local/m',
      hostAuthority: 'sp.lab.local',
      trustLevel: 'Full',
      acceptSecurityIdentifierInformation: true,
      enabled: false,
      metadataCaBundle: `${ISSUER}\n`,
      metadataHostAllowList: ['sp.lab.local', '10.0.0.5'],
      allowHttpMetadata: true,
    });
  });

  it('by application identifier, realm and certificates', () => {
    const result = buildPartnerCreateBody(
      { identity: 'fabrikam.app', applicationIdentifier: APP_ID, realm: 'fabrikam.com', certificate: ['a.pem', 'b.cer'] },
      { certificates: [file('--certificate', `${LEAF}\n`, 'a.pem'), file('--certificate', DER, 'b.cer')] },
    );
    expect(result).toEqual({
      body: { identity: 'fabrikam.app', applicationIdentifier: APP_ID, realm: 'fabrikam.com', certificates: [`${LEAF}\n`, DER.toString('base64')], trustLevel: 'Application' },
      ignoredChains: [],
    });
  });
});

describe('buildPartnerChangeBody', () => {
  it('sends exactly the given fields; switches may be false', () => {
    expect(buildPartnerChangeBody({ enabled: false, acceptSecurityIdentifierInformation: false, allowHttpMetadata: false, trustLevel: 'User' }, {}).body).toEqual({
      enabled: false,
      acceptSecurityIdentifierInformation: false,
      allowHttpMetadata: false,
      trustLevel: 'User',
    });
    expect(
      buildPartnerChangeBody({ certificate: ['a.pem'], applicationIdentifier: APP_ID, realm: 'fabrikam.com' }, { certificates: [file('--certificate', `${LEAF}\n`)] }).body,
    ).toEqual({ applicationIdentifier: APP_ID, realm: 'fabrikam.com', certificates: [`${LEAF}\n`] });
  });

  it('nothing to change is a usage error; global options do not count', () => {
    expect(usageMessage(() => checkPartnerSetOptions({}))).toMatch(/^nothing to change: give --metadata-url, --certificate, /);
    expect(usageMessage(() => checkPartnerSetOptions({ server: 'https://x', output: 'json' } as never))).toMatch(/^nothing to change/);
  });

  it('refuses --metadata-url with --certificate', () => {
    expect(usageMessage(() => buildPartnerChangeBody({ metadataUrl: URL, certificate: ['a.pem'] }, {}))).toBe(
      '--metadata-url cannot be combined with --certificate: a partner with a metadata URL takes its keys from the metadata',
    );
  });
});

describe('partnerPath', () => {
  it('encodes the identity as one segment', () => {
    expect(partnerPath(' microsoft.exchange ')).toBe('/partner-applications/microsoft.exchange');
    expect(partnerPath('a/b c', '/refresh')).toBe('/partner-applications/a%2Fb%20c/refresh');
    expect(usageMessage(() => partnerPath(' '))).toBe('give the partner application identity (see s2sctl partner-application list)');
  });
});

describe('partners that use an OAuth server (New-CsPartnerApplication -UseOAuthServer)', () => {
  it('is its own parameter set: --application-identifier with --use-oauth-server, nothing of the others', () => {
    expect(partnerParameterSet({ identity: 'microsoft.exchange', applicationIdentifier: APP_ID, useOauthServer: 'microsoft.sts' })).toBe('oauth-server');
    expect(usageMessage(() => partnerParameterSet({ identity: 'x', useOauthServer: 'microsoft.sts' }))).toBe('with --use-oauth-server, also give --application-identifier <guid>');
    expect(usageMessage(() => partnerParameterSet({ identity: 'x', applicationIdentifier: APP_ID, useOauthServer: 'microsoft.sts', metadataUrl: URL, certificate: ['a.cer'] }))).toBe(
      "--use-oauth-server cannot be combined with --metadata-url, --certificate: the partner's tokens and keys come from the OAuth server, its realm is the server's tenant",
    );
  });

  it('sends useOAuthServer and the accepted domains; --accepted-domain none empties the list on set', () => {
    const { body } = buildPartnerCreateBody({ identity: 'microsoft.exchange', applicationIdentifier: APP_ID, useOauthServer: 'microsoft.sts', acceptedDomain: ['contoso.com', '*.contoso.net'] }, {});
    expect(body).toEqual({ identity: 'microsoft.exchange', applicationIdentifier: APP_ID, useOAuthServer: 'microsoft.sts', acceptedDomains: ['contoso.com', '*.contoso.net'], trustLevel: 'Application' });
    expect(buildPartnerChangeBody({ acceptedDomain: ['none'] }, {}).body).toEqual({ acceptedDomains: [] });
  });

  it('--accepted-domain takes a DNS domain or a *. wildcard, in lowercase', () => {
    expect(acceptedDomainArgument(' Contoso.COM ')).toBe('contoso.com');
    expect(acceptedDomainArgument('*.contoso.net')).toBe('*.contoso.net');
    for (const bad of ['contoso', '*contoso.com', 'contoso..com', 'user@contoso.com', '*.*.contoso.com']) expect(() => acceptedDomainArgument(bad)).toThrow(InvalidOptionArgumentError);
  });
});

