import { useState } from 'preact/hooks';
import type { CertificateDto, CertificateRequestDto } from '../admin-api.types';
import { durationText, isoToLocalInput, localInputToIso } from '../time';
import { Busy, DaysLeft, download, ErrorBox, Field, listOf, PageMessage, readFile, Section, StateBadge, useAction, useLoad, usePageMessage, useSession, When } from '../ui';

function SelfSignedForm({ onDone, defaultRealm }: { onDone: (certificate: CertificateDto) => void; defaultRealm: string }) {
  const { api } = useSession();
  const action = useAction();
  const [realms, setRealms] = useState(defaultRealm);
  const [dnsNames, setDnsNames] = useState('');
  const [days, setDays] = useState('365');
  const [keySize, setKeySize] = useState('2048');
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const created = await action.run(() =>
      api.call('CertificateController_createSelfSigned', 'POST', '/admin/v1/certificates/self-signed', {
        body: { realms: listOf(realms), ...(listOf(dnsNames).length > 0 ? { dnsNames: listOf(dnsNames) } : {}), days: Number(days), keySize: Number(keySize) as 2048 | 3072 | 4096 },
      }),
    );
    if (created) onDone(created);
  };
  return (
    <form onSubmit={submit} aria-label="Lab self-signed certificate">
      <Field label="Realms (SAN names, comma separated)">
        <input name="realms" required value={realms} onInput={(event) => setRealms(event.currentTarget.value)} />
      </Field>
      <Field label="Extra DNS names">
        <input name="dnsNames" value={dnsNames} onInput={(event) => setDnsNames(event.currentTarget.value)} />
      </Field>
      <Field label="Days valid">
        <input name="days" type="number" min={1} max={3650} required value={days} onInput={(event) => setDays(event.currentTarget.value)} />
      </Field>
      <Field label="Key size">
        <select name="keySize" value={keySize} onChange={(event) => setKeySize(event.currentTarget.value)}>
          <option value="2048">2048</option>
          <option value="3072">3072</option>
          <option value="4096">4096</option>
        </select>
      </Field>
      <button type="submit" disabled={action.busy}>
        Create self-signed certificate
      </button>
      <Busy busy={action.busy} label="Generating the key pair…" />
      <ErrorBox error={action.error} />
    </form>
  );
}

function RequestForm({ onDone, defaultRealm }: { onDone: (request: CertificateRequestDto) => void; defaultRealm: string }) {
  const { api } = useSession();
  const action = useAction();
  const [realms, setRealms] = useState(defaultRealm);
  const [dnsNames, setDnsNames] = useState('');
  const [keySize, setKeySize] = useState('2048');
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const created = await action.run(() =>
      api.call('CertificateRequestController_create', 'POST', '/admin/v1/certificate-requests', {
        body: { realms: listOf(realms), ...(listOf(dnsNames).length > 0 ? { dnsNames: listOf(dnsNames) } : {}), keySize: Number(keySize) as 2048 | 3072 | 4096 },
      }),
    );
    if (created) onDone(created);
  };
  return (
    <form onSubmit={submit} aria-label="Certificate request">
      <Field label="Realms (SAN names)">
        <input name="realms" required value={realms} onInput={(event) => setRealms(event.currentTarget.value)} />
      </Field>
      <Field label="Extra DNS names">
        <input name="dnsNames" value={dnsNames} onInput={(event) => setDnsNames(event.currentTarget.value)} />
      </Field>
      <Field label="Key size">
        <select name="keySize" value={keySize} onChange={(event) => setKeySize(event.currentTarget.value)}>
          <option value="2048">2048</option>
          <option value="3072">3072</option>
          <option value="4096">4096</option>
        </select>
      </Field>
      <button type="submit" disabled={action.busy}>
        Request a certificate (CSR)
      </button>
      <Busy busy={action.busy} label="Generating the key pair…" />
      <ErrorBox error={action.error} />
    </form>
  );
}

function CompleteForm({ request, onDone }: { request: CertificateRequestDto; onDone: () => void }) {
  const { api } = useSession();
  const action = useAction();
  const [certificate, setCertificate] = useState('');
  const [chain, setChain] = useState('');
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const done = await action.run(() =>
      api.call('CertificateRequestController_complete', 'POST', '/admin/v1/certificate-requests/{id}/complete', {
        params: { id: request.id },
        body: { certificate, ...(chain.trim() !== '' ? { chain } : {}) },
      }),
    );
    if (done) onDone();
  };
  return (
    <form onSubmit={submit} aria-label={`Complete request ${request.id}`}>
      <Field label="Issued certificate file (PEM or DER base64)">
        <input type="file" name="certificateFile" accept=".cer,.crt,.pem" onChange={async (event) => {
          const file = event.currentTarget.files?.[0];
          if (file) setCertificate(await readFile(file, 'text'));
        }} />
      </Field>
      <Field label="…or paste it">
        <textarea name="certificate" rows={4} value={certificate} onInput={(event) => setCertificate(event.currentTarget.value)} />
      </Field>
      <Field label="Chain (optional, PEM)">
        <textarea name="chain" rows={2} value={chain} onInput={(event) => setChain(event.currentTarget.value)} />
      </Field>
      <button type="submit" disabled={action.busy || certificate.trim() === ''}>
        Complete request
      </button>
      <Busy busy={action.busy} />
      <ErrorBox error={action.error} />
    </form>
  );
}

function ImportForm({ onDone }: { onDone: (certificate: CertificateDto) => void }) {
  const { api } = useSession();
  const action = useAction();
  const [pfx, setPfx] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const file = pfx;
    if (!file) return;
    const imported = await action.run(async () => api.call('CertificateController_import', 'POST', '/admin/v1/certificates', { body: { pfx: await readFile(file, 'base64'), password } }));
    // The password lives only in this form's state while typed: cleared whatever the answer.
    setPassword('');
    if (imported) onDone(imported);
  };
  return (
    <form onSubmit={submit} aria-label="Import a PFX">
      <Field label="PFX / PKCS#12 file">
        <input type="file" name="pfx" accept=".pfx,.p12" required onChange={(event) => setPfx(event.currentTarget.files?.[0] ?? null)} />
      </Field>
      <Field label="PFX password" hint="Sent once with the file, never stored by the console.">
        <input type="password" name="pfxPassword" autocomplete="off" value={password} onInput={(event) => setPassword(event.currentTarget.value)} />
      </Field>
      <button type="submit" disabled={action.busy || !pfx}>
        Import PFX
      </button>
      <Busy busy={action.busy} label="Importing…" />
      <ErrorBox error={action.error} />
    </form>
  );
}

function AssignForm({ certificates, minimumRollLeadSeconds, onDone, initial }: { certificates: readonly CertificateDto[]; minimumRollLeadSeconds: number; onDone: () => void; initial: string }) {
  const { api } = useSession();
  const action = useAction();
  const [thumbprint, setThumbprint] = useState(initial);
  const [roll, setRoll] = useState(false);
  const earliest = Date.now() + minimumRollLeadSeconds * 1000;
  const [effective, setEffective] = useState(isoToLocalInput(earliest + 3600_000));
  const [gate, setGate] = useState(false);
  const [keepPrevious, setKeepPrevious] = useState(false);
  const [force, setForce] = useState(false);
  const [reason, setReason] = useState('');
  const candidates = certificates.filter((certificate) => certificate.hasPrivateKey && certificate.assignment !== 'current');
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const effectiveDate = roll ? localInputToIso(effective) : null;
    const done = await action.run(() =>
      api.call('TokenIssuerAssignmentController_assign', 'PUT', '/admin/v1/certificate-assignments/oauth-token-issuer', {
        body: {
          thumbprint,
          ...(roll ? { roll: true, ...(effectiveDate ? { effectiveDate } : {}), ...(gate ? { activateWhenFetched: true } : {}) } : {}),
          ...(keepPrevious ? { keepPrevious: true } : {}),
          ...(roll && force ? { force: true, reason } : {}),
        },
      }),
    );
    if (done) onDone();
  };
  return (
    <form onSubmit={submit} aria-label="Assign or roll">
      <Field label="Certificate">
        <select name="thumbprint" required value={thumbprint} onChange={(event) => setThumbprint(event.currentTarget.value)}>
          <option value="">Choose…</option>
          {candidates.map((certificate) => (
            <option key={certificate.thumbprint} value={certificate.thumbprint}>
              {certificate.thumbprint} ({certificate.dnsNames.join(', ')}, {certificate.daysToExpiry} d)
            </option>
          ))}
        </select>
      </Field>
      <fieldset>
        <legend>When</legend>
        <label class="inline">
          <input type="radio" name="mode" checked={!roll} onChange={() => setRoll(false)} /> At once (becomes current now)
        </label>
        <label class="inline">
          <input type="radio" name="mode" checked={roll} onChange={() => setRoll(true)} /> Roll on a date (staged as next, published now)
        </label>
      </fieldset>
      {roll ? (
        <>
          <Field label="Effective date (your time zone)" hint={`Minimum roll lead ${durationText(minimumRollLeadSeconds)}: not before ${new Date(earliest).toLocaleString()} (${new Date(earliest).toISOString()}).`}>
            <input type="datetime-local" name="effectiveDate" required min={force ? undefined : isoToLocalInput(earliest)} value={effective} onInput={(event) => setEffective(event.currentTarget.value)} />
          </Field>
          <label class="inline">
            <input type="checkbox" name="activateWhenFetched" checked={gate} onChange={(event) => setGate(event.currentTarget.checked)} /> Activate only once every enabled partner has fetched the new key (deadline: 7 days later)
          </label>
          <label class="inline">
            <input type="checkbox" name="force" checked={force} onChange={(event) => setForce(event.currentTarget.checked)} /> Override the minimum lead
          </label>
          {force ? (
            <Field label="Reason (audited)">
              <input name="reason" required maxLength={500} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
            </Field>
          ) : null}
        </>
      ) : null}
      <label class="inline">
        <input type="checkbox" name="keepPrevious" checked={keepPrevious} onChange={(event) => setKeepPrevious(event.currentTarget.checked)} /> Keep the previous certificate until removed by hand
      </label>
      <button type="submit" disabled={action.busy || thumbprint === ''}>
        {roll ? 'Stage roll' : 'Assign now'}
      </button>
      <Busy busy={action.busy} />
      <ErrorBox error={action.error} />
    </form>
  );
}

export function CertificatesPage() {
  const { api, canWrite } = useSession();
  const { data, error, reload } = useLoad(async () => {
    const [certificates, requests, rollover, configuration] = await Promise.all([
      api.call('CertificateController_list', 'GET', '/admin/v1/certificates'),
      api.call('CertificateRequestController_list', 'GET', '/admin/v1/certificate-requests'),
      api.call('TokenIssuerRolloverController_status', 'GET', '/admin/v1/certificate-assignments/oauth-token-issuer/status'),
      api.call('OAuthConfigurationController_get', 'GET', '/admin/v1/oauth-configuration'),
    ]);
    return { certificates: certificates.items, requests: requests.items, rollover, configuration };
  });
  const [newRequest, setNewRequest] = useState<CertificateRequestDto | null>(null);
  const [assignTo, setAssignTo] = useState('');
  const row = useAction();
  const { message, changed: done } = usePageMessage(reload);
  if (!data) return <ErrorBox error={error} />;
  const { certificates, requests, rollover, configuration } = data;
  const slots = rollover.slots;
  return (
    <div class="page" data-page="certificates">
      <ErrorBox error={error} />
      <PageMessage message={message} />
      <Section title="OAuth token-issuer slots" id="slots">
        <dl class="facts">
          <dt>Current</dt>
          <dd data-testid="slot-current">{slots.current ? `${slots.current.thumbprint} (${slots.current.daysToExpiry} d left)` : 'none'}</dd>
          <dt>Next</dt>
          <dd data-testid="slot-next">
            {slots.next ? (
              <>
                {slots.next.thumbprint}, effective <When iso={slots.next.effectiveDate} />
                {slots.next.activateWhenFetched ? ' (waits for every partner)' : ''}
              </>
            ) : (
              'none'
            )}
          </dd>
          <dt>Previous</dt>
          <dd data-testid="slot-previous">
            {slots.previous ? (
              <>
                {slots.previous.thumbprint}
                {slots.previousRemovalAt ? (
                  <>
                    {' '}
                    (removed automatically <When iso={slots.previousRemovalAt} />)
                  </>
                ) : null}
              </>
            ) : (
              'none'
            )}
          </dd>
          <dt>Roll</dt>
          <dd>
            <StateBadge state={rollover.rollState} />
          </dd>
        </dl>
        {canWrite && slots.previous ? (
          <button
            type="button"
            class="danger"
            disabled={row.busy}
            onClick={async () => {
              if (await row.run(() => api.call('TokenIssuerAssignmentController_removePrevious', 'DELETE', '/admin/v1/certificate-assignments/oauth-token-issuer/previous'))) done('Previous certificate removed from the slots.');
            }}
          >
            Remove previous
          </button>
        ) : null}
        {rollover.evidence ? (
          <>
            <h3>Who fetched the next key (since {new Date(rollover.evidence.since).toLocaleString()})</h3>
            <table data-testid="evidence">
              <thead>
                <tr>
                  <th scope="col">Partner</th>
                  <th scope="col">Fetched</th>
                  <th scope="col">Last fetch</th>
                  <th scope="col">Downloads</th>
                  <th scope="col">Addresses</th>
                </tr>
              </thead>
              <tbody>
                {rollover.evidence.partners.map((partner) => (
                  <tr key={partner.identity}>
                    <td>{partner.identity}</td>
                    <td>{partner.fetched ? <StateBadge state="ok" /> : <StateBadge state="error" />}</td>
                    <td>
                      <When iso={partner.lastFetchAt} />
                    </td>
                    <td>{partner.downloads}</td>
                    <td>{partner.addressProblem ?? partner.addresses.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {rollover.evidence.unknownFetchers.length > 0 ? <p class="muted">Unknown fetchers: {rollover.evidence.unknownFetchers.map((fetcher) => fetcher.sourceAddress).join(', ')}</p> : null}
          </>
        ) : null}
      </Section>
      <Section title="Certificate store" id="store">
        <table data-testid="certificates">
          <thead>
            <tr>
              <th scope="col">Thumbprint</th>
              <th scope="col">Names</th>
              <th scope="col">Expires</th>
              <th scope="col">Days left</th>
              <th scope="col">Source</th>
              <th scope="col">Slot</th>
              {canWrite ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {certificates.map((certificate) => (
              <tr key={certificate.thumbprint} data-thumbprint={certificate.thumbprint}>
                <td>
                  <code>{certificate.thumbprint}</code>
                </td>
                <td>{certificate.dnsNames.join(', ')}</td>
                <td>
                  <When iso={certificate.notAfter} />
                </td>
                <td>
                  <DaysLeft days={certificate.daysToExpiry} />
                </td>
                <td>{certificate.source}</td>
                <td>{certificate.assignment ?? ''}</td>
                {canWrite ? (
                  <td class="actions">
                    {certificate.assignment !== 'current' && certificate.hasPrivateKey ? (
                      <button type="button" class="secondary" onClick={() => setAssignTo(certificate.thumbprint)}>
                        Assign…
                      </button>
                    ) : null}
                    {certificate.assignment === null ? (
                      <button
                        type="button"
                        class="danger"
                        disabled={row.busy}
                        onClick={async () => {
                          if (await row.run(() => api.call('CertificateController_remove', 'DELETE', '/admin/v1/certificates/{thumbprint}', { params: { thumbprint: certificate.thumbprint } }))) done(`Certificate ${certificate.thumbprint} removed.`);
                        }}
                      >
                        Remove
                      </button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
        <ErrorBox error={row.error} />
      </Section>
      {canWrite ? (
        <>
          <Section title="Assign or roll" id="assign">
            <AssignForm key={assignTo} initial={assignTo} certificates={certificates} minimumRollLeadSeconds={configuration.minimumRollLeadSeconds} onDone={() => done('Assignment saved.')} />
          </Section>
          <Section title="Lab self-signed certificate" id="self-signed">
            <SelfSignedForm defaultRealm={configuration.realm ?? ''} onDone={(certificate) => done(`Created ${certificate.thumbprint}.`)} />
          </Section>
          <Section title="Request from a CA (CSR)" id="request">
            <RequestForm
              defaultRealm={configuration.realm ?? ''}
              onDone={(request) => {
                setNewRequest(request);
                done(`Request ${request.id} created: download its CSR for the CA.`);
              }}
            />
            {newRequest ? (
              <button type="button" onClick={() => download(`s2s-${newRequest.id}.csr`, newRequest.csr, 'application/pkcs10')}>
                Download CSR {newRequest.id}
              </button>
            ) : null}
          </Section>
          <Section title="Import a PFX" id="import">
            <ImportForm onDone={(certificate) => done(`Imported ${certificate.thumbprint}.`)} />
          </Section>
        </>
      ) : null}
      <Section title="Certificate requests" id="requests">
        {requests.length === 0 ? <p class="muted">No request.</p> : null}
        {requests.map((request) => (
          <details key={request.id} class="request" data-request={request.id}>
            <summary>
              {request.id} · {request.dnsNames.join(', ')} · <StateBadge state={request.status} /> · <When iso={request.createdAt} />
            </summary>
            <button type="button" class="secondary" onClick={() => download(`s2s-${request.id}.csr`, request.csr, 'application/pkcs10')}>
              Download CSR
            </button>
            {canWrite && request.status === 'pending' ? <CompleteForm request={request} onDone={() => done(`Request ${request.id} completed.`)} /> : null}
            {request.certificateThumbprint ? <p>Certificate {request.certificateThumbprint}</p> : null}
          </details>
        ))}
      </Section>
    </div>
  );
}
