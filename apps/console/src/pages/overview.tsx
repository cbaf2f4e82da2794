import { useState } from 'preact/hooks';
import type { AdminApiKeyDto, OAuthConfigurationDto, ClientDto, PartnerApplicationDto, TrustStatusDto } from '../admin-api.types';
import { daysUntil, localText, utcText } from '../time';
import { Busy, DaysLeft, ErrorBox, Field, Section, StateBadge, tierOf, useAction, useLoad, useSession, When } from '../ui';

/** One credential on the expiry timeline. */
interface Credential {
  kind: string;
  id: string;
  thumbprint: string;
  expiresAt: string;
}

interface OverviewData {
  status: TrustStatusDto;
  partners: readonly PartnerApplicationDto[];
  clients: readonly ClientDto[];
  adminKeys: readonly AdminApiKeyDto[];
}

/** Every credential with an expiry: the status's slots and warnings, partner keys, client secrets and certificates, admin keys. */
export function credentialsOf(data: OverviewData): Credential[] {
  const all = new Map<string, Credential>();
  const add = (credential: Credential): void => {
    const key = `${credential.kind}|${credential.id}|${credential.thumbprint}`;
    if (!all.has(key)) all.set(key, credential);
  };
  for (const slot of data.status.tokenIssuer) add({ kind: 'token-issuer-certificate', id: slot.slot, thumbprint: slot.thumbprint, expiresAt: slot.notAfter });
  for (const partner of data.partners) for (const key of partner.keys) add({ kind: 'partner-key', id: partner.identity, thumbprint: key.x5t, expiresAt: key.notAfter });
  for (const server of data.status.oauthServers) if (server.earliestKeyExpiry) add({ kind: 'oauth-server-key', id: server.identity, thumbprint: '', expiresAt: server.earliestKeyExpiry });
  for (const client of data.clients) {
    for (const certificate of client.certificates) add({ kind: 'client-certificate', id: client.clientId, thumbprint: certificate.thumbprint, expiresAt: certificate.notAfter });
    for (const secret of client.secrets) if (secret.expiresAt) add({ kind: 'client-secret', id: client.clientId, thumbprint: secret.hint, expiresAt: secret.expiresAt });
  }
  for (const key of data.adminKeys) if (key.expiresAt && !key.revokedAt) add({ kind: 'admin-key', id: key.name, thumbprint: key.id, expiresAt: key.expiresAt });
  for (const warning of data.status.credentialWarnings) {
    const present = [...all.values()].some((credential) => credential.kind === warning.kind && credential.id === warning.id && credential.expiresAt === warning.expiresAt);
    if (!present) add({ kind: warning.kind, id: warning.id, thumbprint: warning.thumbprint, expiresAt: warning.expiresAt });
  }
  return [...all.values()].sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
}

/**
 * The expiry timeline: one bar per credential from now to its expiry, on a time axis that shows
 * the warning tiers as bands (the nearest tier darkest). SVG drawn with attributes only (no style
 * attribute: the CSP has no 'unsafe-inline'); the same data is in the table below it.
 */
function ExpiryTimeline({ credentials, tiers, now }: { credentials: Credential[]; tiers: readonly number[]; now: number }) {
  const rowHeight = 22;
  const labelWidth = 260;
  const width = 900;
  const plot = width - labelWidth - 20;
  const maxDays = Math.max(Math.max(...tiers) + 10, ...credentials.map((credential) => daysUntil(credential.expiresAt, now) + 5), 30);
  const x = (days: number): number => labelWidth + (Math.max(0, Math.min(days, maxDays)) / maxDays) * plot;
  const plotBottom = 28 + Math.max(credentials.length, 1) * rowHeight;
  const height = plotBottom + 18;
  const sorted = [...tiers].sort((a, b) => b - a);
  return (
    <svg class="timeline" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby="timeline-title timeline-desc">
      <title id="timeline-title">Credential expiry timeline</title>
      <desc id="timeline-desc">
        {credentials.length} credentials; warning tiers at {tiers.join(', ')} days from now.
      </desc>
      {sorted.map((tier, index) => (
        <g key={tier}>
          <rect x={labelWidth} y={20} width={x(tier) - labelWidth} height={plotBottom - 20} class={`tier-band tier-band-${index}`} />
          <line x1={x(tier)} x2={x(tier)} y1={14} y2={plotBottom} class="tier-line" />
          <text x={x(tier)} y={12} class="axis-label" text-anchor="middle">
            {tier} d
          </text>
        </g>
      ))}
      <text x={labelWidth} y={height - 4} class="axis-label" text-anchor="start">
        now
      </text>
      <text x={width - 20} y={height - 4} class="axis-label" text-anchor="end">
        +{maxDays} d
      </text>
      {credentials.map((credential, index) => {
        const days = daysUntil(credential.expiresAt, now);
        const tier = tierOf(days, tiers);
        const y = 24 + index * rowHeight;
        return (
          <g key={`${credential.kind}-${credential.id}-${credential.thumbprint}`} class="timeline-row">
            <text x={4} y={y + 13} class="row-label">
              {`${credential.kind} ${credential.id}`.slice(0, 40)}
            </text>
            <rect x={labelWidth} y={y + 2} width={Math.max(2, x(days) - labelWidth)} height={rowHeight - 8} class={`bar tier-${tier === null ? 'none' : tier}`}>
              <title>{`${credential.kind} ${credential.id} ${credential.thumbprint}: expires ${utcText(credential.expiresAt)} (${days} days)`}</title>
            </rect>
            {days > maxDays ? (
              <text x={width - 22} y={y + 13} class="row-label" text-anchor="end">
                →
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

/** The settings an operator sets first: realm, public host, minimum roll lead (force when partners depend on the realm). */
function ConfigurationForm({ onDone }: { onDone: () => void }) {
  const { api } = useSession();
  const action = useAction();
  const loaded = useLoad(() => api.call('OAuthConfigurationController_get', 'GET', '/admin/v1/oauth-configuration'));
  if (!loaded.data) return <ErrorBox error={loaded.error} />;
  return <ConfigurationFields key={loaded.data.updatedAt} configuration={loaded.data} action={action} onDone={() => {
    loaded.reload();
    onDone();
  }} />;
}

function ConfigurationFields({ configuration, action, onDone }: { configuration: OAuthConfigurationDto; action: ReturnType<typeof useAction>; onDone: () => void }) {
  const { api } = useSession();
  const [realm, setRealm] = useState(configuration.realm ?? '');
  const [publicHost, setPublicHost] = useState(configuration.publicHost ?? '');
  const [leadHours, setLeadHours] = useState(String(configuration.minimumRollLeadSeconds / 3600));
  const [force, setForce] = useState(false);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const lead = Math.round(Number(leadHours) * 3600);
    const done = await action.run(() =>
      api.call('OAuthConfigurationController_update', 'PUT', '/admin/v1/oauth-configuration', {
        query: force ? { force: true } : {},
        body: { realm: realm.trim() === '' ? null : realm.trim(), publicHost: publicHost.trim() === '' ? null : publicHost.trim(), minimumRollLeadSeconds: lead },
      }),
    );
    if (done) onDone();
  };
  return (
    <form onSubmit={submit} aria-label="OAuth configuration">
      <Field label="Realm" hint="Lowercase DNS name or GUID; tokens compare it exactly.">
        <input name="realm" value={realm} onInput={(event) => setRealm(event.currentTarget.value)} />
      </Field>
      <Field label="Public host (empty: the host of PUBLIC_URL)">
        <input name="publicHost" value={publicHost} onInput={(event) => setPublicHost(event.currentTarget.value)} />
      </Field>
      <Field label="Minimum roll lead (hours)">
        <input name="minimumRollLead" type="number" min={0} max={720} step="any" value={leadHours} onInput={(event) => setLeadHours(event.currentTarget.value)} />
      </Field>
      <label class="inline">
        <input type="checkbox" name="force" checked={force} onChange={(event) => setForce(event.currentTarget.checked)} /> Force (partners must re-register when the realm changes)
      </label>
      <button type="submit" disabled={action.busy}>
        Save configuration
      </button>
      <Busy busy={action.busy} />
      <ErrorBox error={action.error} />
    </form>
  );
}

export function OverviewPage() {
  const { api, canWrite } = useSession();
  const { data, error, loading, reload } = useLoad(async (): Promise<OverviewData> => {
    const [status, partners, clients, adminKeys] = await Promise.all([
      api.call('LifecycleController_status', 'GET', '/admin/v1/status'),
      api.call('PartnerApplicationController_list', 'GET', '/admin/v1/partner-applications'),
      api.call('ClientController_list', 'GET', '/admin/v1/clients'),
      api.call('AdminApiKeyController_list', 'GET', '/admin/v1/admin-keys'),
    ]);
    return { status, partners: partners.items, clients: clients.items, adminKeys: adminKeys.items };
  });
  if (!data) return loading ? <p role="status">Loading…</p> : <ErrorBox error={error} />;
  const { status } = data;
  const now = Date.parse(status.generatedAt);
  const credentials = credentialsOf(data);
  return (
    <div class="page" data-page="overview">
      <ErrorBox error={error} />
      <div class="toolbar">
        <span class="muted">
          As of <When iso={status.generatedAt} />
        </span>
        <button type="button" class="secondary" onClick={reload} disabled={loading}>
          Refresh
        </button>
      </div>
      <Section title="This service" id="service">
        <dl class="facts">
          <dt>Realm</dt>
          <dd data-testid="realm">{status.realm ?? <span class="warn">not set</span>}</dd>
          <dt>Service name</dt>
          <dd>
            <code>{status.serviceName}</code>
          </dd>
          <dt>Public URL</dt>
          <dd>{status.publicUrl}</dd>
          <dt>Own metadata through the public URL</dt>
          <dd>
            <StateBadge state={status.selfMetadata.ok ? 'ok' : 'error'} /> {status.selfMetadata.reason ? <code>{status.selfMetadata.reason}</code> : null} {status.selfMetadata.detail}
          </dd>
          <dt>Database</dt>
          <dd>
            {status.database.kind} <StateBadge state={status.database.reachable ? 'ok' : 'error'} />
            {status.database.pendingMigrations.length > 0 ? ` pending migrations: ${status.database.pendingMigrations.join(', ')}` : ''}
          </dd>
          <dt>Instances</dt>
          <dd>
            {status.instances.map((instance) => `${instance.hostName}/${instance.processId}${instance.self ? ' (this one)' : ''}${instance.stale ? ' STALE' : ''}`).join(', ')}
          </dd>
        </dl>
      </Section>
      {canWrite ? (
        <Section title="Configuration" id="configuration">
          <ConfigurationForm onDone={reload} />
        </Section>
      ) : null}
      <Section title="Token-issuer certificate" id="slots">
        {status.tokenIssuer.length === 0 ? (
          <p class="warn">No token-issuer certificate is assigned: this service cannot issue tokens.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Slot</th>
                <th scope="col">Thumbprint</th>
                <th scope="col">Expires</th>
                <th scope="col">Days left</th>
                <th scope="col">Effective</th>
              </tr>
            </thead>
            <tbody>
              {status.tokenIssuer.map((slot) => (
                <tr key={slot.slot} data-slot={slot.slot}>
                  <td>{slot.slot}</td>
                  <td>
                    <code>{slot.thumbprint}</code>
                  </td>
                  <td>
                    <When iso={slot.notAfter} />
                  </td>
                  <td>
                    <DaysLeft days={slot.daysLeft} tiers={status.credentialWarningDays} />
                  </td>
                  <td>{slot.effectiveDate ? <When iso={slot.effectiveDate} /> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section title="Partners and OAuth servers" id="issuers">
        {status.partners.length + status.oauthServers.length === 0 ? (
          <p class="muted">No partner application or OAuth server is registered.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Identity</th>
                <th scope="col">State</th>
                <th scope="col">Last good download</th>
                <th scope="col">Earliest key expiry</th>
                <th scope="col">Held keys</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {[...status.partners.map((issuer) => ['partner', issuer] as const), ...status.oauthServers.map((issuer) => ['OAuth server', issuer] as const)].map(([kind, issuer]) => (
                <tr key={`${kind}-${issuer.identity}`}>
                  <td>{kind}</td>
                  <td>{issuer.identity}</td>
                  <td>
                    <StateBadge state={issuer.enabled ? issuer.state : 'disabled'} />
                  </td>
                  <td>
                    <When iso={issuer.lastSuccessAt} />
                  </td>
                  <td>
                    <When iso={issuer.earliestKeyExpiry} />
                  </td>
                  <td>{issuer.pendingKeys}</td>
                  <td>{issuer.problem ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section title="Credential expiry" id="expiry">
        <p class="muted">Warning tiers: {status.credentialWarningDays.map((tier) => `${tier} days`).join(', ')}. Bars end at each credential's expiry.</p>
        <ExpiryTimeline credentials={credentials} tiers={status.credentialWarningDays} now={now} />
        <table class="compact" data-testid="credential-table">
          <caption>Every credential with an expiry</caption>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Id</th>
              <th scope="col">Thumbprint / hint</th>
              <th scope="col">Expires</th>
              <th scope="col">Days left</th>
            </tr>
          </thead>
          <tbody>
            {credentials.map((credential) => (
              <tr key={`${credential.kind}-${credential.id}-${credential.thumbprint}`}>
                <td>{credential.kind}</td>
                <td>{credential.id}</td>
                <td>
                  <code>{credential.thumbprint}</code>
                </td>
                <td title={utcText(credential.expiresAt)}>{localText(credential.expiresAt)}</td>
                <td>
                  <DaysLeft days={daysUntil(credential.expiresAt, now)} tiers={status.credentialWarningDays} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </div>
  );
}
