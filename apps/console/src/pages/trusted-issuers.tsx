import { useState } from 'preact/hooks';
import type { ConnectivityReportDto, MetadataStatusDto, OAuthServerDto, PartnerApplicationDto } from '../admin-api.types';
import { Busy, ErrorBox, Field, listOf, PageMessage, readFile, Section, StateBadge, useAction, useLoad, usePageMessage, useSession, When } from '../ui';

type Kind = 'partner' | 'oauth-server';
type Issuer = PartnerApplicationDto | OAuthServerDto;

function stateOf(enabled: boolean, status: MetadataStatusDto): string {
  if (!enabled) return 'disabled';
  if (status.reviewReason) return 'review';
  if (status.lastError) return 'error';
  return status.lastSuccessAt ? 'ok' : 'pending';
}

function ConnectivityReport({ report }: { report: ConnectivityReportDto }) {
  return (
    <div class="report" data-testid="connectivity-report" aria-live="polite">
      <p>
        <StateBadge state={report.passed ? 'ok' : 'error'} /> {report.passed ? 'No step failed.' : `Failed at step ${report.failedStep}.`} Tested <When iso={report.testedAt} />
        {report.daysToEarliestKeyExpiry !== null ? `; earliest key expires in ${report.daysToEarliestKeyExpiry} days` : ''}
        {report.clockDifferenceSeconds !== null ? `; clock difference ${report.clockDifferenceSeconds} s` : ''}.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Result</th>
            <th scope="col">Reason</th>
            <th scope="col">Detail</th>
            <th scope="col">Hint</th>
          </tr>
        </thead>
        <tbody>
          {report.steps.map((step) => (
            <tr key={step.step} data-step={step.step} data-status={step.status}>
              <td>{step.step}</td>
              <td>
                <StateBadge state={step.status} />
              </td>
              <td>{step.reason ? <code>{step.reason}</code> : ''}</td>
              <td>{step.detail}</td>
              <td>{step.hint ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.probe ? (
        <p class="muted">
          Probe {report.probe.url}: HTTP {report.probe.status} {report.probe.diagnostics ?? report.probe.wwwAuthenticate ?? ''}
        </p>
      ) : null}
    </div>
  );
}

function AddForm({ kind, onDone }: { kind: Kind; onDone: (identity: string) => void }) {
  const { api } = useSession();
  const action = useAction();
  const [identity, setIdentity] = useState('');
  const [metadataUrl, setMetadataUrl] = useState('');
  const [caBundle, setCaBundle] = useState('');
  const [hosts, setHosts] = useState('');
  const [hostAuthority, setHostAuthority] = useState('');
  const [trustLevel, setTrustLevel] = useState<'Full' | 'Application' | 'User'>('Full');
  const [audiences, setAudiences] = useState('');
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const common = {
      identity: identity.trim(),
      metadataUrl: metadataUrl.trim(),
      ...(caBundle.trim() !== '' ? { metadataCaBundle: caBundle } : {}),
      ...(listOf(hosts).length > 0 ? { metadataHostAllowList: listOf(hosts) } : {}),
    };
    const created = await action.run<Issuer>(() =>
      kind === 'partner'
        ? api.call('PartnerApplicationController_create', 'POST', '/admin/v1/partner-applications', {
            body: { ...common, trustLevel, ...(hostAuthority.trim() !== '' ? { hostAuthority: hostAuthority.trim() } : {}) },
          })
        : api.call('OAuthServerController_create', 'POST', '/admin/v1/oauth-servers', { body: { ...common, audiences: listOf(audiences) } }),
    );
    if (created) onDone(created.identity);
  };
  return (
    <form onSubmit={submit} aria-label={kind === 'partner' ? 'Add a partner application' : 'Add an OAuth server'}>
      <Field label="Identity" hint="A name for it here: letters, digits, . _ -">
        <input name="identity" required value={identity} onInput={(event) => setIdentity(event.currentTarget.value)} />
      </Field>
      <Field label="Metadata URL" hint={kind === 'partner' ? 'e.g. https://mail.contoso.com/metadata/json/1' : 'OIDC discovery or ACS metadata URL'}>
        <input name="metadataUrl" type="url" required value={metadataUrl} onInput={(event) => setMetadataUrl(event.currentTarget.value)} />
      </Field>
      <Field label="CA bundle file (PEM) that issued its TLS certificate">
        <input type="file" name="caBundleFile" accept=".pem,.crt,.cer" onChange={async (event) => {
          const file = event.currentTarget.files?.[0];
          if (file) setCaBundle(await readFile(file, 'text'));
        }} />
      </Field>
      <Field label="…or paste the CA bundle">
        <textarea name="metadataCaBundle" rows={3} value={caBundle} onInput={(event) => setCaBundle(event.currentTarget.value)} />
      </Field>
      <Field label="Metadata host allow-list" hint="Other hosts (or exact IPs) the metadata may be fetched from, comma separated">
        <input name="metadataHostAllowList" value={hosts} onInput={(event) => setHosts(event.currentTarget.value)} />
      </Field>
      {kind === 'partner' ? (
        <>
          <Field label="Host authority" hint="The partner's host name (where our tokens go)">
            <input name="hostAuthority" value={hostAuthority} onInput={(event) => setHostAuthority(event.currentTarget.value)} />
          </Field>
          <Field label="Trust level">
            <select name="trustLevel" value={trustLevel} onChange={(event) => setTrustLevel(event.currentTarget.value as typeof trustLevel)}>
              <option value="Full">Full</option>
              <option value="Application">Application</option>
              <option value="User">User</option>
            </select>
          </Field>
        </>
      ) : (
        <Field label="Audiences (comma separated)">
          <input name="audiences" required value={audiences} onInput={(event) => setAudiences(event.currentTarget.value)} />
        </Field>
      )}
      <button type="submit" disabled={action.busy}>
        Add
      </button>
      <Busy busy={action.busy} label="Downloading its metadata…" />
      <ErrorBox error={action.error} />
    </form>
  );
}

function EditForm({ kind, issuer, onDone }: { kind: Kind; issuer: Issuer; onDone: () => void }) {
  const { api } = useSession();
  const action = useAction();
  const partner = kind === 'partner' ? (issuer as PartnerApplicationDto) : null;
  const server = kind === 'oauth-server' ? (issuer as OAuthServerDto) : null;
  const [enabled, setEnabled] = useState(issuer.enabled);
  const [trustLevel, setTrustLevel] = useState(partner?.trustLevel ?? 'Full');
  const [policy, setPolicy] = useState(partner?.keyChangePolicy ?? 'accept');
  const [sid, setSid] = useState(partner?.acceptSecurityIdentifierInformation ?? false);
  const [hostAuthority, setHostAuthority] = useState(partner?.hostAuthority ?? '');
  const [audiences, setAudiences] = useState(server?.audiences.join(', ') ?? '');
  const [requiredRole, setRequiredRole] = useState(server?.requiredRole ?? '');
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const done = await action.run<Issuer>(() =>
      kind === 'partner'
        ? api.call('PartnerApplicationController_update', 'PATCH', '/admin/v1/partner-applications/{identity}', {
            params: { identity: issuer.identity },
            body: { enabled, trustLevel, keyChangePolicy: policy, acceptSecurityIdentifierInformation: sid, hostAuthority: hostAuthority.trim() === '' ? null : hostAuthority.trim() },
          })
        : api.call('OAuthServerController_update', 'PATCH', '/admin/v1/oauth-servers/{identity}', {
            params: { identity: issuer.identity },
            body: { enabled, audiences: listOf(audiences), requiredRole: requiredRole.trim() === '' ? null : requiredRole.trim() },
          }),
    );
    if (done) onDone();
  };
  return (
    <form onSubmit={submit} aria-label={`Edit ${issuer.identity}`}>
      <label class="inline">
        <input type="checkbox" name="enabled" checked={enabled} onChange={(event) => setEnabled(event.currentTarget.checked)} /> Enabled
      </label>
      {partner ? (
        <>
          <Field label="Trust level">
            <select name="trustLevel" value={trustLevel} onChange={(event) => setTrustLevel(event.currentTarget.value as typeof trustLevel)}>
              <option value="Full">Full</option>
              <option value="Application">Application</option>
              <option value="User">User</option>
            </select>
          </Field>
          <Field label="Key-change policy">
            <select name="keyChangePolicy" value={policy} onChange={(event) => setPolicy(event.currentTarget.value as typeof policy)}>
              <option value="accept">accept: trust new keys at once</option>
              <option value="review">review: hold new keys until approved</option>
            </select>
          </Field>
          <label class="inline">
            <input type="checkbox" name="acceptSid" checked={sid} onChange={(event) => setSid(event.currentTarget.checked)} /> Accept security identifier information
          </label>
          <Field label="Host authority">
            <input name="hostAuthority" value={hostAuthority} onInput={(event) => setHostAuthority(event.currentTarget.value)} />
          </Field>
        </>
      ) : (
        <>
          <Field label="Audiences">
            <input name="audiences" value={audiences} onInput={(event) => setAudiences(event.currentTarget.value)} />
          </Field>
          <Field label="Required role (empty: none)">
            <input name="requiredRole" value={requiredRole} onInput={(event) => setRequiredRole(event.currentTarget.value)} />
          </Field>
        </>
      )}
      <button type="submit" disabled={action.busy}>
        Save
      </button>
      <Busy busy={action.busy} />
      <ErrorBox error={action.error} />
    </form>
  );
}

function IssuerRow({ kind, issuer, onChanged }: { kind: Kind; issuer: Issuer; onChanged: (message: string) => void }) {
  const { api, canWrite } = useSession();
  const action = useAction();
  const [report, setReport] = useState<ConnectivityReportDto | null>(null);
  const [editing, setEditing] = useState(false);
  const base = kind === 'partner' ? 'partner-applications' : 'oauth-servers';
  const partner = kind === 'partner' ? (issuer as PartnerApplicationDto) : null;
  const refresh = async (): Promise<void> => {
    const done = await action.run<Issuer>(() =>
      kind === 'partner'
        ? api.call('PartnerApplicationController_refresh', 'POST', '/admin/v1/partner-applications/{identity}/refresh', { params: { identity: issuer.identity } })
        : api.call('OAuthServerController_refresh', 'POST', '/admin/v1/oauth-servers/{identity}/refresh', { params: { identity: issuer.identity } }),
    );
    if (done) onChanged(`${issuer.identity} refreshed.`);
  };
  const test = async (): Promise<void> => {
    setReport(null);
    const result = await action.run(() =>
      kind === 'partner'
        ? api.call('LifecycleController_testPartner', 'POST', '/admin/v1/partner-applications/{identity}/test', { params: { identity: issuer.identity }, body: {} })
        : api.call('LifecycleController_testOAuthServer', 'POST', '/admin/v1/oauth-servers/{identity}/test', { params: { identity: issuer.identity } }),
    );
    if (result) setReport(result);
  };
  const remove = async (): Promise<void> => {
    if (!window.confirm(`Remove ${issuer.identity}? Its tokens are refused from now on.`)) return;
    const done = await action.run<Issuer>(() =>
      kind === 'partner'
        ? api.call('PartnerApplicationController_remove', 'DELETE', '/admin/v1/partner-applications/{identity}', { params: { identity: issuer.identity } })
        : api.call('OAuthServerController_remove', 'DELETE', '/admin/v1/oauth-servers/{identity}', { params: { identity: issuer.identity } }),
    );
    if (done) onChanged(`${issuer.identity} removed.`);
  };
  const approve = async (): Promise<void> => {
    const done = await action.run(() => api.call('PartnerApplicationController_approveKeys', 'POST', '/admin/v1/partner-applications/{identity}/approve-keys', { params: { identity: issuer.identity } }));
    if (done) onChanged(`Held keys of ${issuer.identity} approved.`);
  };
  return (
    <article class="card issuer" data-identity={issuer.identity} aria-labelledby={`${base}-${issuer.identity}`}>
      <h3 id={`${base}-${issuer.identity}`}>
        {issuer.identity} <StateBadge state={stateOf(issuer.enabled, issuer.metadataStatus)} />
      </h3>
      <dl class="facts">
        <dt>Metadata URL</dt>
        <dd>{issuer.metadataUrl ?? 'pinned certificates'}</dd>
        {partner ? (
          <>
            <dt>Application / realm</dt>
            <dd>
              {partner.applicationIdentifier} @ {partner.realm}
            </dd>
            <dt>Trust level</dt>
            <dd data-testid="trust-level">{partner.trustLevel}</dd>
            <dt>Key-change policy</dt>
            <dd>{partner.keyChangePolicy}</dd>
            <dt>Keys</dt>
            <dd>
              {partner.keys.length} trusted{partner.pendingKeys.length > 0 ? `, ${partner.pendingKeys.length} held for review` : ''}
            </dd>
          </>
        ) : (
          <>
            <dt>Issuer</dt>
            <dd>{(issuer as OAuthServerDto).issuer}</dd>
            <dt>Audiences</dt>
            <dd>{(issuer as OAuthServerDto).audiences.join(', ')}</dd>
          </>
        )}
        <dt>Last good fetch</dt>
        <dd data-testid="last-fetch">
          <When iso={issuer.metadataStatus.lastSuccessAt} />
        </dd>
        <dt>Last attempt</dt>
        <dd>
          <When iso={issuer.metadataStatus.lastAttemptAt} /> {issuer.metadataStatus.lastError ? <span class="warn">{issuer.metadataStatus.lastError}</span> : null}
        </dd>
      </dl>
      <div class="actions">
        {canWrite ? (
          <>
            <button type="button" class="secondary" onClick={test} disabled={action.busy}>
              Run connectivity test
            </button>
            {issuer.metadataUrl ? (
              <button type="button" class="secondary" onClick={refresh} disabled={action.busy}>
                Refresh metadata
              </button>
            ) : null}
            <button type="button" class="secondary" onClick={() => setEditing(!editing)} aria-expanded={editing}>
              Edit
            </button>
            {partner && partner.pendingKeys.length > 0 ? (
              <button type="button" onClick={approve} disabled={action.busy}>
                Approve held keys
              </button>
            ) : null}
            <button type="button" class="danger" onClick={remove} disabled={action.busy}>
              Remove
            </button>
          </>
        ) : null}
        <Busy busy={action.busy} />
      </div>
      <ErrorBox error={action.error} />
      {editing && canWrite ? (
        <EditForm
          kind={kind}
          issuer={issuer}
          onDone={() => {
            setEditing(false);
            onChanged(`${issuer.identity} saved.`);
          }}
        />
      ) : null}
      {report ? <ConnectivityReport report={report} /> : null}
    </article>
  );
}

export function TrustedIssuersPage({ kind }: { kind: Kind }) {
  const { api, canWrite } = useSession();
  const { data, error, reload } = useLoad(
    async (): Promise<readonly Issuer[]> =>
      kind === 'partner'
        ? (await api.call('PartnerApplicationController_list', 'GET', '/admin/v1/partner-applications')).items
        : (await api.call('OAuthServerController_list', 'GET', '/admin/v1/oauth-servers')).items,
    [kind],
  );
  const { message, changed } = usePageMessage(reload);
  return (
    <div class="page" data-page={kind}>
      <ErrorBox error={error} />
      <PageMessage message={message} />
      {data && data.length === 0 ? <p class="muted">None registered.</p> : null}
      {data?.map((issuer) => <IssuerRow key={issuer.identity} kind={kind} issuer={issuer} onChanged={changed} />)}
      {canWrite ? (
        <Section title={kind === 'partner' ? 'Add a partner application by its metadata' : 'Add an OAuth server'} id="add">
          <AddForm kind={kind} onDone={(identity) => changed(`${identity} added.`)} />
        </Section>
      ) : null}
    </div>
  );
}
