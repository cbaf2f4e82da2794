import { createHash, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { adminApi, type AdminApi, httpRequest, OpenSslToolkit, REPO_ROOT, removeDir, startServerProcess, type ServerProcess } from '@s2s/testing';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * Issue 19: the browser console, driven in headless Chromium (the Debian `chromium` package, which
 * .ci/run installs) against a real trust server over HTTPS, with a second installation ("conf")
 * as the partner. Every test asserts what the admin API holds after the console acted, saves a
 * screenshot of the page it checks under test-results/console/, and fails on any CSP or Trusted
 * Types violation the browser reports.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUTPUT = join(REPO_ROOT, 'test-results', 'console');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  process.stderr.write(`console e2e tests SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)\n`);
}
const describeWithBrowser = haveChromium ? describe : describe.skip;

/** Per test: each drives a browser through several pages against two servers. */
const TEST_TIMEOUT_MS = 240_000;

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs` with the last error. */
async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SHA-256 of the certificate's SubjectPublicKeyInfo, base64: what --ignore-certificate-errors-spki-list pins. */
function spkiHash(pem: Buffer): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

const WRITE_CONTROL = /^(Create|Add|Assign|Stage|Remove|Delete|Grant|Revoke|Save|Refresh metadata|Import|Request a certificate|Complete|Approve|Disable|Enable|Run connectivity test|Explain)\b/;

describeWithBrowser('browser console', () => {
  let server: ServerProcess;
  let partner: ServerProcess;
  let ca: Buffer;
  let partnerCa: Buffer;
  let admin: AdminApi;
  let bootstrapKey: string;
  let browser: Browser;
  let context: BrowserContext;
  let openssl: OpenSslToolkit;
  const violations: string[] = [];

  const consoleUrl = (query = ''): string => `${server.url}/console/${query}`;
  const shot = async (page: Page, name: string): Promise<void> => {
    await page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage: true });
  };
  const watch = (page: Page): Page => {
    page.on('console', (message) => {
      if (/Content Security Policy|Trusted Type|Refused to/i.test(message.text())) violations.push(message.text());
    });
    page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
    return page;
  };
  const newPage = async (): Promise<Page> => watch(await context.newPage());
  const signIn = async (page: Page, key: string, query = ''): Promise<void> => {
    await page.goto(consoleUrl(query));
    await page.getByLabel('Admin key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
  };
  const go = async (page: Page, title: string): Promise<void> => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: title, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
  };
  const status = (page: Page, text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).first().waitFor();

  beforeAll(async () => {
    await mkdir(OUTPUT, { recursive: true });
    openssl = new OpenSslToolkit();
    // The partner: a second installation with realm and token-issuer certificate, its console off.
    [server, partner] = await Promise.all([
      startServerProcess({ env: { PUBLIC_URL: 'https://127.0.0.1:8443' } }),
      startServerProcess({ env: { PUBLIC_URL: 'https://conf.contoso.com', CONSOLE: 'off' } }),
    ]);
    ca = (await server.tlsCertificate())!;
    partnerCa = (await partner.tlsCertificate())!;
    bootstrapKey = await server.bootstrapKey();
    admin = adminApi(server, ca, bootstrapKey);
    const partnerAdmin = adminApi(partner, partnerCa, await partner.bootstrapKey());
    await partnerAdmin('PUT', '/oauth-configuration', { realm: 'contoso.com', publicHost: 'conf.contoso.com' });
    const partnerCertificate = await partnerAdmin('POST', '/certificates/self-signed', { realms: ['contoso.com'] });
    await partnerAdmin('PUT', '/certificate-assignments/oauth-token-issuer', { thumbprint: partnerCertificate.thumbprint });

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Playwright gives every launch a fresh temporary --user-data-dir. The server's self-signed
      // TLS certificate is trusted by pinning its key, nothing else.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--ignore-certificate-errors-spki-list=${spkiHash(ca)}`,
      ],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, timezoneId: 'Europe/Zurich' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
    // Generous: a loaded 2-core CI machine runs a browser, two servers and the test at once.
    context.setDefaultTimeout(60_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    for (const running of [server, partner]) {
      if (!running) continue;
      await running.stop();
      await removeDir(running.dataDir);
    }
    openssl?.dispose();
  });

  afterEach(() => {
    const seen = violations.splice(0);
    expect(seen).toEqual([]);
  });

  it('serves the console under a strict CSP, the admin API with no-store, and nothing with CONSOLE=off', async () => {
    const page = await httpRequest(consoleUrl(), { ca });
    expect(page.status).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("require-trusted-types-for 'script'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    // No inline script, no third-party origin.
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.text).not.toMatch(/(src|href)="https?:/);
    expect((await httpRequest(`${server.url}/console`, { ca })).headers.location).toBe('/console/');
    const api = await httpRequest(`${server.url}/admin/v1/status`, { ca, headers: { authorization: `Bearer ${bootstrapKey}` } });
    expect(api.status).toBe(200);
    expect(api.headers['cache-control']).toBe('no-store');
    for (const path of ['/console', '/console/', '/console/index.html']) expect((await httpRequest(`${partner.url}${path}`, { ca: partnerCa })).status).toBe(404);
    const browserPage = await newPage();
    await browserPage.goto(`${server.url}/console`);
    expect(browserPage.url()).toBe(consoleUrl());
    await browserPage.getByLabel('Admin key').waitFor();
    await shot(browserPage, 'sign-in');
    await browserPage.close();
  }, TEST_TIMEOUT_MS);

  it('signs in with the bootstrap key, keeps it out of every storage, sets the realm', async () => {
    const page = await newPage();
    await page.goto(consoleUrl());
    await page.getByLabel('Admin key').fill('s2sk.nope.wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'unauthorized' }).waitFor();
    await shot(page, 'sign-in-refused');

    await page.getByLabel('Admin key').fill(bootstrapKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    const stored = await page.evaluate('({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie })');
    expect(stored).toEqual({ local: 0, session: 0, cookie: '' });
    expect(await context.cookies()).toEqual([]);
    expect(await page.content()).not.toContain(bootstrapKey);

    await page.getByLabel('Realm', { exact: true }).fill('contoso.com');
    await page.getByRole('button', { name: 'Save configuration' }).click();
    await page.getByTestId('realm').filter({ hasText: 'contoso.com' }).waitFor();
    expect((await admin('GET', '/oauth-configuration')).realm).toBe('contoso.com');
    await shot(page, 'realm-set');

    // A reload forgets the key.
    await page.reload();
    await page.getByLabel('Admin key').waitFor();
    await page.close();
  }, TEST_TIMEOUT_MS);

  it('certificates: self-signed + assign, PFX import + assign, remove previous, CSR download + complete, roll with the minimum lead', async () => {
    const page = await newPage();
    await signIn(page, bootstrapKey);
    await go(page, 'Certificates');

    // Lab self-signed certificate, assigned at once.
    const selfSigned = page.getByRole('form', { name: 'Lab self-signed certificate' });
    expect(await selfSigned.getByLabel(/^Realms/).inputValue()).toBe('contoso.com');
    await selfSigned.getByRole('button', { name: 'Create self-signed certificate' }).click();
    await status(page, /^Created /);
    const first = (await admin('GET', '/certificates')).items[0].thumbprint as string;
    await page.locator(`tr[data-thumbprint="${first}"]`).getByRole('button', { name: 'Assign…' }).click();
    const assign = page.getByRole('form', { name: 'Assign or roll' });
    expect(await assign.getByLabel('Certificate', { exact: true }).inputValue()).toBe(first);
    await assign.getByRole('button', { name: 'Assign now' }).click();
    await page.getByTestId('slot-current').filter({ hasText: first }).waitFor();
    expect((await admin('GET', '/certificate-assignments/oauth-token-issuer')).current.thumbprint).toBe(first);

    // PFX import with a typed password; assigned at once, so the first becomes previous.
    const lab = openssl.selfSigned({ cn: 'pfx.contoso.com', dnsNames: ['contoso.com', 'pfx.contoso.com'], days: 200 });
    const pfxFile = openssl.write('console.pfx', openssl.pfx({ certFile: lab.certFile, keyFile: lab.keyFile, password: 'pfx-secret-1' }));
    const importForm = page.getByRole('form', { name: 'Import a PFX' });
    await importForm.getByLabel('PFX / PKCS#12 file').setInputFiles(pfxFile);
    await importForm.getByLabel('PFX password').fill('wrong-password');
    await importForm.getByRole('button', { name: 'Import PFX' }).click();
    await importForm.getByRole('alert').filter({ hasText: 'wrong_pfx_password' }).waitFor();
    expect(await importForm.getByLabel('PFX password').inputValue()).toBe('');
    await importForm.getByLabel('PFX password').fill('pfx-secret-1');
    await importForm.getByRole('button', { name: 'Import PFX' }).click();
    await status(page, /^Imported /);
    const pfxThumbprint = ((await admin('GET', '/certificates')).items as any[]).find((item) => item.source === 'pfx').thumbprint as string;
    expect(await importForm.getByLabel('PFX password').inputValue()).toBe('');
    await assign.getByLabel('Certificate', { exact: true }).selectOption(pfxThumbprint);
    await assign.getByRole('button', { name: 'Assign now' }).click();
    await page.getByTestId('slot-previous').filter({ hasText: first }).waitFor();
    await page.getByRole('button', { name: 'Remove previous' }).click();
    await page.getByTestId('slot-previous').filter({ hasText: 'none' }).waitFor();
    const slots = await admin('GET', '/certificate-assignments/oauth-token-issuer');
    expect([slots.current.thumbprint, slots.previous]).toEqual([pfxThumbprint, null]);

    // CSR: request, download, have a CA issue it, complete it by uploading the certificate.
    const requestForm = page.getByRole('form', { name: 'Certificate request' });
    await requestForm.getByRole('button', { name: 'Request a certificate (CSR)' }).click();
    await status(page, /CSR for the CA/);
    const [csrDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^Download CSR / }).click()]);
    const csrPem = await readFile((await csrDownload.path())!, 'utf8');
    expect(csrPem).toContain('-----BEGIN CERTIFICATE REQUEST-----');
    const requestId = (await admin('GET', '/certificate-requests')).items[0].id as string;
    expect(csrPem.trim()).toBe(((await admin('GET', `/certificate-requests/${requestId}`)).csr as string).trim());
    const issued = openssl.signCsr(openssl.certificateAuthority(), csrPem, 300);
    const request = page.locator(`details[data-request="${requestId}"]`);
    await request.locator('summary').click();
    await request.getByLabel(/^Issued certificate file/).setInputFiles(issued.certFile);
    await request.getByRole('button', { name: 'Complete request' }).click();
    await status(page, `Request ${requestId} completed.`);
    const completed = await admin('GET', `/certificate-requests/${requestId}`);
    expect(completed.status).toBe('completed');

    // Roll to it: the date picker's minimum is the minimum roll lead (24 h by default).
    await assign.getByLabel('Certificate', { exact: true }).selectOption(completed.certificateThumbprint);
    await assign.getByLabel(/Roll on a date/).check();
    const picker = assign.getByLabel('Effective date (your time zone)');
    const minimum = Date.parse(await picker.getAttribute('min').then((value) => `${value}:00`));
    expect(minimum).toBeGreaterThan(Date.now() + 23 * 3600_000);
    await assign.getByText(/Minimum roll lead 1 d/).waitFor();
    // Too early: the form refuses it as the API would (roll_lead_too_short), before sending anything.
    const tooEarly = new Date(Date.now() + 2 * 3600_000);
    await picker.fill(toLocalInput(tooEarly));
    const rollsBefore = (await admin('GET', '/audit-events?action=certificate-assignment.roll')).items.length;
    await assign.getByRole('button', { name: 'Stage roll' }).click();
    expect(await picker.evaluate((element) => (element as unknown as { validity: { rangeUnderflow: boolean } }).validity.rangeUnderflow)).toBe(true);
    expect((await admin('GET', '/certificate-assignments/oauth-token-issuer')).next).toBeNull();
    expect((await admin('GET', '/audit-events?action=certificate-assignment.roll')).items).toHaveLength(rollsBefore);
    const effective = new Date(Date.now() + 48 * 3600_000);
    effective.setSeconds(0, 0);
    await picker.fill(toLocalInput(effective));
    await assign.getByRole('button', { name: 'Stage roll' }).click();
    await page.getByTestId('slot-next').filter({ hasText: completed.certificateThumbprint }).waitFor();
    const next = (await admin('GET', '/certificate-assignments/oauth-token-issuer')).next;
    expect(next.thumbprint).toBe(completed.certificateThumbprint);
    expect(Date.parse(next.effectiveDate)).toBe(effective.getTime());
    await shot(page, 'certificates');
    await page.close();
  }, TEST_TIMEOUT_MS);

  it('partner applications: add by metadata URL with CA bundle and host allow-list, refresh, edit trust level, connectivity test, fetch evidence', async () => {
    const page = await newPage();
    await signIn(page, bootstrapKey);
    await go(page, 'Partner applications');
    const caFile = openssl.write('partner-ca.pem', partnerCa);
    const form = page.getByRole('form', { name: 'Add a partner application' });
    await form.getByLabel('Identity').fill('conf');
    await form.getByLabel('Metadata URL').fill(`${partner.url}/metadata/json/1`);
    await form.getByLabel(/^CA bundle file/).setInputFiles(caFile);
    await form.getByLabel('Metadata host allow-list').fill('127.0.0.1');
    await form.getByLabel('Host authority').fill('conf.contoso.com');
    await form.getByRole('button', { name: 'Add' }).click();
    await status(page, 'conf added.');
    const created = await admin('GET', '/partner-applications/conf');
    expect(created).toMatchObject({ applicationIdentifier: expect.any(String), realm: 'contoso.com', hasMetadataCaBundle: true, metadataHostAllowList: ['127.0.0.1'], hostAuthority: 'conf.contoso.com' });
    const card = page.locator('article[data-identity="conf"]');
    await card.getByTestId('last-fetch').locator('time').waitFor();

    await card.getByRole('button', { name: 'Refresh metadata' }).click();
    await status(page, 'conf refreshed.');
    const refreshed = await admin('GET', '/audit-events?action=partner-application.refresh');
    expect(refreshed.items.length).toBeGreaterThanOrEqual(1);

    await card.getByRole('button', { name: 'Edit' }).click();
    await card.getByRole('form', { name: 'Edit conf' }).getByLabel('Trust level').selectOption('Application');
    await card.getByRole('button', { name: 'Save' }).click();
    await card.getByTestId('trust-level').filter({ hasText: 'Application' }).waitFor();
    expect((await admin('GET', '/partner-applications/conf')).trustLevel).toBe('Application');

    await card.getByRole('button', { name: 'Run connectivity test' }).click();
    const report = card.getByTestId('connectivity-report');
    await report.waitFor();
    for (const step of ['dns', 'tls', 'download', 'parse', 'issuer', 'keys', 'clock']) {
      expect(await report.locator(`tr[data-step="${step}"]`).getAttribute('data-status')).toBe('pass');
    }
    expect(await report.locator('tr[data-step]').count()).toBe(10);
    await shot(page, 'partners');

    // The staged roll's evidence now lists the partner (it has not fetched our metadata).
    await go(page, 'Certificates');
    const evidence = page.getByTestId('evidence').locator('tr', { hasText: 'conf' });
    await evidence.waitFor();
    expect(await evidence.locator('.badge').textContent()).toBe('error');
    await page.close();
  }, TEST_TIMEOUT_MS);

  it('OAuth servers: add an ACS-style server with its CA bundle, run its test', async () => {
    const page = await newPage();
    await signIn(page, bootstrapKey);
    await go(page, 'OAuth servers');
    const form = page.getByRole('form', { name: 'Add an OAuth server' });
    await form.getByLabel('Identity').fill('conf.acs');
    await form.getByLabel('Metadata URL').fill(`${partner.url}/metadata/json/1`);
    await form.getByLabel('…or paste the CA bundle').fill(partnerCa.toString());
    await form.getByLabel('Metadata host allow-list').fill('127.0.0.1');
    await form.getByLabel('Audiences (comma separated)').fill('api://mail');
    await form.getByRole('button', { name: 'Add' }).click();
    await status(page, 'conf.acs added.');
    expect(await admin('GET', '/oauth-servers/conf.acs')).toMatchObject({ type: 'acs', audiences: ['api://mail'], hasMetadataCaBundle: true });
    const card = page.locator('article[data-identity="conf.acs"]');
    await card.getByRole('button', { name: 'Run connectivity test' }).click();
    const report = card.getByTestId('connectivity-report');
    await report.waitFor();
    expect(await report.locator('tr[data-step="download"]').getAttribute('data-status')).toBe('pass');
    expect(await report.locator('tr[data-step="probe"]').getAttribute('data-status')).toBe('skip');
    await page.close();
  }, TEST_TIMEOUT_MS);

  let token = '';
  it('clients and resources: a refused call shows its code, the secret is shown once with a copy button, grants and secrets', async () => {
    const page = await newPage();
    await signIn(page, bootstrapKey);
    await go(page, 'Clients and resources');
    const resourceForm = page.getByRole('form', { name: 'Create a resource' });
    await resourceForm.getByLabel('App ID URI').fill('api://web api');
    await resourceForm.getByRole('button', { name: 'Create resource' }).click();
    const refused = resourceForm.getByRole('alert');
    await refused.filter({ hasText: 'validation_failed' }).waitFor();
    expect(await refused.textContent()).toContain('appIdUri');
    expect((await admin('GET', '/resources')).items).toEqual([]);
    await resourceForm.getByLabel('App ID URI').fill('api://webapi');
    await resourceForm.getByLabel('App roles (comma separated)').fill('Files.Read.All, Files.Write');
    await resourceForm.getByLabel('Delegated scopes (comma separated)').fill('user_impersonation');
    await resourceForm.getByRole('button', { name: 'Create resource' }).click();
    await status(page, 'Resource api://webapi created.');

    const clientForm = page.getByRole('form', { name: 'Create a client' });
    await clientForm.getByLabel('Display name').fill('daemon');
    await clientForm.getByRole('button', { name: 'Create client' }).click();
    const once = page.getByTestId('secret-once');
    await once.waitFor();
    expect(await once.textContent()).toContain('shown only this once');
    const secret = (await once.getByTestId('secret-value').textContent())!.trim();
    await once.getByRole('button', { name: 'Copy' }).click();
    await once.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(secret);
    const clientId = ((await admin('GET', '/clients')).items as any[]).find((client) => client.displayName === 'daemon').clientId as string;
    await shot(page, 'client-secret-once');
    await once.getByRole('button', { name: 'I have stored it' }).click();
    await once.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(secret);

    const card = page.locator(`article[data-client="${clientId}"]`);
    const grant = card.getByRole('form', { name: 'Grant to daemon' });
    await grant.getByLabel('Role or scope').selectOption('role:Files.Read.All');
    await grant.getByRole('button', { name: 'Grant' }).click();
    await card.getByTestId('grants').getByText('Files.Read.All').waitFor();
    await grant.getByLabel('Role or scope').selectOption('scope:user_impersonation');
    await grant.getByRole('button', { name: 'Grant' }).click();
    await card.getByTestId('grants').getByText('user_impersonation').waitFor();
    await card.getByRole('button', { name: 'Revoke scope user_impersonation of api://webapi' }).click();
    await status(page, 'Scope revoked.');
    let stored = await admin('GET', `/clients/${clientId}`);
    expect(stored.roleGrants).toEqual([expect.objectContaining({ resource: 'api://webapi', role: 'Files.Read.All' })]);
    expect(stored.scopeGrants).toEqual([]);

    // A second secret: shown once, then removed.
    await card.getByRole('button', { name: 'Add secret' }).click();
    await card.getByTestId('secret-once').waitFor();
    stored = await admin('GET', `/clients/${clientId}`);
    expect(stored.secrets).toHaveLength(2);
    await card.getByRole('button', { name: 'I have stored it' }).click();
    await card.getByRole('button', { name: `Remove secret ${stored.secrets[1].hint}` }).click();
    await status(page, 'Secret removed.');
    expect((await admin('GET', `/clients/${clientId}`)).secrets.map((item: any) => item.id)).toEqual([stored.secrets[0].id]);

    // A client certificate for private_key_jwt, added from a file.
    const clientCertificate = openssl.selfSigned({ cn: 'daemon-client', days: 90 });
    await card.getByLabel('Certificate file (PEM)').setInputFiles(clientCertificate.certFile);
    await card.getByRole('button', { name: 'Add certificate' }).click();
    await status(page, 'Certificate added.');
    expect((await admin('GET', `/clients/${clientId}`)).certificates).toHaveLength(1);

    const issued = await httpRequest(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, resource: 'api://webapi' }).toString(),
      ca,
    });
    expect(issued.status).toBe(200);
    token = issued.json().access_token;
    await page.close();
  }, TEST_TIMEOUT_MS);

  it('token inspector: the token obtained with that client is valid with its role, every check listed', async () => {
    const page = await newPage();
    await signIn(page, bootstrapKey);
    await go(page, 'Token inspector');
    await page.getByLabel('Token (compact JWT)').fill(token);
    await page.getByRole('button', { name: 'Explain' }).click();
    await page.getByTestId('verdict').filter({ hasText: 'Valid' }).waitFor();
    expect(await page.getByTestId('roles').textContent()).toBe('Files.Read.All');
    const explained = await admin('POST', '/tokens/validate', { token });
    expect(await page.getByTestId('checks').locator('tr[data-check]').count()).toBe(explained.checks.length);
    expect(JSON.parse((await page.getByTestId('claims').textContent())!)).toMatchObject({ aud: explained.claims.aud, roles: ['Files.Read.All'] });
    expect(JSON.parse((await page.getByTestId('header').textContent())!)).toMatchObject({ alg: 'RS256' });
    await shot(page, 'token-inspector');

    await page.getByLabel('Token (compact JWT)').fill(`${token.slice(0, -4)}AAAA`);
    await page.getByRole('button', { name: 'Explain' }).click();
    await page.getByTestId('verdict').filter({ hasText: 'Refused' }).waitFor();
    await page.close();
  }, TEST_TIMEOUT_MS);

  it('overview: slots, partners with status, the expiry timeline with the warning tiers', async () => {
    const page = await newPage();
    await signIn(page, bootstrapKey);
    const status = await admin('GET', '/status');
    for (const slot of status.tokenIssuer) await page.locator(`tr[data-slot="${slot.slot}"]`).filter({ hasText: slot.thumbprint }).waitFor();
    await page.getByRole('cell', { name: 'conf', exact: true }).first().waitFor();
    const timeline = page.getByRole('img', { name: 'Credential expiry timeline' });
    await timeline.waitFor();
    expect(await timeline.locator('.tier-line').count()).toBe(status.credentialWarningDays.length);
    // Every token-issuer slot, the partner's key and the client certificate are on it.
    const rows = await page.getByTestId('credential-table').locator('tbody tr').allTextContents();
    expect(rows.filter((row) => row.startsWith('token-issuer-certificate'))).toHaveLength(status.tokenIssuer.length);
    expect(rows.some((row) => row.startsWith('partner-key'))).toBe(true);
    expect(rows.some((row) => row.startsWith('client-certificate'))).toBe(true);
    expect(await timeline.locator('rect.bar').count()).toBe(rows.length);
    // Dates in the browser's zone, the UTC instant on hover.
    const when = page.locator('tr[data-slot="current"] time').first();
    expect(await when.getAttribute('title')).toMatch(/Z \(UTC\)$/);
    await shot(page, 'overview');
    await page.close();
  }, TEST_TIMEOUT_MS);

  it('audit log: every action of the console is there, filters and paging work', async () => {
    const page = await newPage();
    await signIn(page, bootstrapKey);
    await go(page, 'Audit log');
    const table = page.getByTestId('audit-events');
    await table.locator('tr[data-action]').first().waitFor();
    const expected = ['oauth-configuration.update', 'certificate.create-self-signed', 'certificate-assignment.assign', 'certificate-assignment.remove-previous', 'certificate-request.create', 'certificate-assignment.roll', 'partner-application.create', 'partner-application.refresh', 'partner-application.update', 'oauth-server.create', 'resource.create', 'client.create', 'client.grant-role', 'client.revoke-scope', 'client.add-secret', 'client.remove-secret', 'client.add-certificate'];
    await page.getByLabel('Per page').fill('200');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const everything = (await admin('GET', '/audit-events?limit=200')).items.length;
    await eventually(async () => (await table.locator('tr[data-action]').count()) === everything, 20_000, 'a full page');
    const shown = new Set(await table.locator('tr[data-action]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action'))));
    for (const action of expected) expect([action, shown.has(action)]).toEqual([action, true]);
    await shot(page, 'audit');

    // Filter by action.
    await page.getByLabel('Action').fill('client.create');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await eventually(async () => (await table.locator('tr[data-action]').evaluateAll((rows) => rows.every((row) => row.getAttribute('data-action') === 'client.create') && rows.length === 1)), 20_000, 'the filtered page');
    // Filter by time: nothing after the end of time.
    await page.getByLabel('Action').fill('');
    await page.getByLabel('Since').fill('2999-01-01T00:00');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No event matches.').waitFor();

    // Paging: 3 per page, next and previous.
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Per page').fill('3');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const firstPage = await eventually(async () => {
      const ids = await table.locator('tr[data-action]').allTextContents();
      return ids.length === 3 ? ids : undefined;
    });
    const api = await admin('GET', '/audit-events?limit=3');
    const apiNext = await admin('GET', `/audit-events?limit=3&cursor=${encodeURIComponent(api.nextCursor)}`);
    await page.getByRole('button', { name: 'Next page' }).click();
    await table.locator(`tr[data-action="${apiNext.items[0].action}"]`).first().waitFor();
    const secondPage = await table.locator('tr[data-action]').allTextContents();
    expect(secondPage).not.toEqual(firstPage);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await eventually(async () => JSON.stringify(await table.locator('tr[data-action]').allTextContents()) === JSON.stringify(firstPage), 20_000, 'the first page again');
    await page.close();
  }, TEST_TIMEOUT_MS);

  it('a reader key gets a read-only console with no write control, the API refuses its writes, revoking it signs it out', async () => {
    const reader = await admin('POST', '/admin-keys', { name: 'monitoring', role: 'reader' });
    const page = await newPage();
    await signIn(page, reader.key);
    await page.getByText('Read-only: this is a reader key.').waitFor();
    for (const title of ['Overview', 'Certificates', 'Partner applications', 'OAuth servers', 'Clients and resources', 'Token inspector', 'Audit log']) {
      await go(page, title);
      await page.locator('.page').waitFor();
      // Content loaded (a list, a form or a table) before looking for controls.
      await page.waitForLoadState('networkidle');
      const buttons = await page.locator('main button').allTextContents();
      const writes = buttons.map((text) => text.trim()).filter((text) => WRITE_CONTROL.test(text));
      expect([title, writes]).toEqual([title, []]);
      expect([title, await page.locator('main input[type=file], main input[type=password]').count()]).toEqual([title, 0]);
    }
    const refused = await httpRequest(`${server.url}/admin/v1/clients`, { method: 'POST', headers: { authorization: `Bearer ${reader.key}`, 'content-type': 'application/json' }, body: '{"displayName":"x"}', ca });
    expect([refused.status, refused.json().code]).toEqual([403, 'forbidden']);
    await shot(page, 'reader');

    // Revoked while signed in: the next call's 401 ends the session.
    await admin('DELETE', `/admin-keys/${reader.id}`);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Overview', exact: true }).click();
    await page.getByText('The server no longer accepts this key').waitFor();
    expect(await page.getByRole('navigation', { name: 'Pages' }).count()).toBe(0);
    await page.close();
  }, TEST_TIMEOUT_MS);

  it('signs out by itself after the idle timeout, and on the sign-out button', async () => {
    const page = await newPage();
    await signIn(page, bootstrapKey, '?idle=5');
    const signedIn = Date.now();
    await page.getByLabel('Admin key').waitFor({ timeout: 60_000 });
    expect(Date.now() - signedIn).toBeGreaterThanOrEqual(4_500);
    await page.getByText('Signed out after inactivity').waitFor();
    await shot(page, 'idle-signed-out');
    // The key is gone: the page holds no trace of it.
    expect(await page.content()).not.toContain(bootstrapKey);

    await signIn(page, bootstrapKey);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin key').waitFor();
    await page.close();
  }, TEST_TIMEOUT_MS);

  it('every page is reachable by keyboard and has no serious or critical accessibility violation', async () => {
    const page = await newPage();
    await page.goto(consoleUrl());
    // Keyboard only: the key field has focus after Tab, Enter submits.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.name')).toBe('admin-key');
    await page.keyboard.type(bootstrapKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    const results: Record<string, string[]> = {};
    for (const title of ['Overview', 'Certificates', 'Partner applications', 'OAuth servers', 'Clients and resources', 'Token inspector', 'Audit log']) {
      // Reach the page's link with Tab from the top, open it with Enter.
      await page.locator('body').focus();
      await page.evaluate('document.activeElement && document.activeElement.blur()');
      let reached = false;
      for (let presses = 0; presses < 20 && !reached; presses++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(`(() => { const active = document.activeElement; return !!active && active.tagName === 'A' && active.textContent.trim() === ${JSON.stringify(title)}; })()`);
      }
      expect([title, reached]).toEqual([title, true]);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.waitForLoadState('networkidle');
      // Every control is a native, focusable element.
      const unfocusable = await page.locator('main').evaluate((main) =>
        [...main.querySelectorAll('button, a[href], input, select, textarea, summary')].filter((element) => (element as unknown as { tabIndex: number }).tabIndex < 0).map((element) => element.outerHTML.slice(0, 80)),
      );
      expect([title, unfocusable]).toEqual([title, []]);
      const scan = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      await shot(page, `a11y-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`);
      results[title] = scan.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
    }
    expect(results).toEqual(Object.fromEntries(Object.keys(results).map((title) => [title, []])));
    await page.close();
  }, TEST_TIMEOUT_MS);
});

/** A `datetime-local` value for `date` in the browser's zone (the context runs in Europe/Zurich). */
function toLocalInput(date: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Zurich', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}
