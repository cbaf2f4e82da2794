import { useState } from 'preact/hooks';
import type { ClientDto, ResourceDto } from '../admin-api.types';
import { localInputToIso } from '../time';
import { Busy, ErrorBox, Field, listOf, PageMessage, readFile, RowAction, Section, useAction, useLoad, usePageMessage, useSession, When } from '../ui';

/** A secret shown exactly once: a copy button and a warning; the console forgets it when dismissed. */
function OnceSecret({ label, secret, onDismiss }: { label: string; secret: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <div class="once" role="alert" data-testid="secret-once">
      <p>
        <strong>{label}: copy it now.</strong> It is shown only this once; the server keeps only its hash, and the console forgets it when you close this box.
      </p>
      <code class="secret" data-testid="secret-value">
        {secret}
      </code>
      <div class="actions">
        <button
          type="button"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(secret);
              setCopied('Copied to the clipboard.');
            } catch {
              setCopied('The browser refused the clipboard: select the text and copy it.');
            }
          }}
        >
          Copy
        </button>
        <button type="button" class="secondary" onClick={onDismiss}>
          I have stored it
        </button>
        {copied ? <span role="status">{copied}</span> : null}
      </div>
    </div>
  );
}

function CreateResourceForm({ onDone }: { onDone: (resource: ResourceDto) => void }) {
  const { api } = useSession();
  const action = useAction();
  const [appIdUri, setAppIdUri] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [roles, setRoles] = useState('');
  const [scopes, setScopes] = useState('');
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const created = await action.run(() =>
      api.call('ResourceController_create', 'POST', '/admin/v1/resources', {
        body: {
          appIdUri: appIdUri.trim(),
          ...(displayName.trim() !== '' ? { displayName: displayName.trim() } : {}),
          roles: listOf(roles).map((value) => ({ value })),
          scopes: listOf(scopes).map((value) => ({ value })),
        },
      }),
    );
    if (created) onDone(created);
  };
  return (
    <form onSubmit={submit} aria-label="Create a resource">
      <Field label="App ID URI" hint="e.g. api://webapi">
        <input name="appIdUri" required value={appIdUri} onInput={(event) => setAppIdUri(event.currentTarget.value)} />
      </Field>
      <Field label="Display name">
        <input name="displayName" value={displayName} onInput={(event) => setDisplayName(event.currentTarget.value)} />
      </Field>
      <Field label="App roles (comma separated)">
        <input name="roles" value={roles} onInput={(event) => setRoles(event.currentTarget.value)} />
      </Field>
      <Field label="Delegated scopes (comma separated)">
        <input name="scopes" value={scopes} onInput={(event) => setScopes(event.currentTarget.value)} />
      </Field>
      <button type="submit" disabled={action.busy}>
        Create resource
      </button>
      <ErrorBox error={action.error} />
    </form>
  );
}

function CreateClientForm({ onCreated }: { onCreated: (client: ClientDto, secret: string | null) => void }) {
  const { api } = useSession();
  const action = useAction();
  const [displayName, setDisplayName] = useState('');
  const [withSecret, setWithSecret] = useState(true);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const created = await action.run(() => api.call('ClientController_create', 'POST', '/admin/v1/clients', { body: { displayName: displayName.trim(), withSecret } }));
    if (created) {
      setDisplayName('');
      onCreated(created, created.clientSecret ?? null);
    }
  };
  return (
    <form onSubmit={submit} aria-label="Create a client">
      <Field label="Display name">
        <input name="displayName" required value={displayName} onInput={(event) => setDisplayName(event.currentTarget.value)} />
      </Field>
      <label class="inline">
        <input type="checkbox" name="withSecret" checked={withSecret} onChange={(event) => setWithSecret(event.currentTarget.checked)} /> With a client secret
      </label>
      <button type="submit" disabled={action.busy}>
        Create client
      </button>
      <ErrorBox error={action.error} />
    </form>
  );
}

function ClientCard({ client, resources, onChanged }: { client: ClientDto; resources: readonly ResourceDto[]; onChanged: (message: string) => void }) {
  const { api, canWrite } = useSession();
  const action = useAction();
  const [secret, setSecret] = useState<string | null>(null);
  const [secretExpiry, setSecretExpiry] = useState('');
  const [certificate, setCertificate] = useState('');
  const [grantResource, setGrantResource] = useState(resources[0]?.appIdUri ?? '');
  const [grantValue, setGrantValue] = useState('');
  const resource = resources.find((candidate) => candidate.appIdUri === grantResource);
  const params = { clientId: client.clientId };
  const id = `client-${client.clientId}`;
  return (
    <article class="card client" data-client={client.clientId} aria-labelledby={id}>
      <h3 id={id}>
        {client.displayName} <code>{client.clientId}</code> {client.enabled ? null : <span class="badge badge-disabled">disabled</span>}
      </h3>
      {secret ? <OnceSecret label="New client secret" secret={secret} onDismiss={() => setSecret(null)} /> : null}
      <h4>Secrets</h4>
      <ul>
        {client.secrets.map((item) => (
          <li key={item.id}>
            <code>{item.hint}…</code> {item.description ?? ''} created <When iso={item.createdAt} />
            {item.expiresAt ? (
              <>
                , expires <When iso={item.expiresAt} />
              </>
            ) : null}
            {canWrite ? (
              <RowAction label={`Remove secret ${item.hint}`} text="Remove" run={action.run} action={() => api.call('ClientController_removeSecret', 'DELETE', '/admin/v1/clients/{clientId}/secrets/{secretId}', { params: { ...params, secretId: item.id } })} done={() => onChanged('Secret removed.')} />
            ) : null}
          </li>
        ))}
      </ul>
      {canWrite ? (
        <form
          class="row"
          aria-label={`Add a secret to ${client.displayName}`}
          onSubmit={async (event) => {
            event.preventDefault();
            const expiresAt = secretExpiry === '' ? null : localInputToIso(secretExpiry);
            const created = await action.run(() => api.call('ClientController_addSecret', 'POST', '/admin/v1/clients/{clientId}/secrets', { params, body: expiresAt ? { expiresAt } : {} }));
            if (created) {
              setSecret(created.clientSecret);
              onChanged('Secret added.');
            }
          }}
        >
          <Field label="Expires (optional)">
            <input type="datetime-local" name="secretExpiresAt" value={secretExpiry} onInput={(event) => setSecretExpiry(event.currentTarget.value)} />
          </Field>
          <button type="submit" class="secondary" disabled={action.busy}>
            Add secret
          </button>
        </form>
      ) : null}
      <h4>Certificates (private_key_jwt)</h4>
      <ul>
        {client.certificates.map((item) => (
          <li key={item.thumbprint}>
            <code>{item.thumbprint}</code> {item.subject}, expires <When iso={item.notAfter} />
            {canWrite ? (
              <RowAction label={`Remove certificate ${item.thumbprint}`} text="Remove" run={action.run} action={() => api.call('ClientController_removeCertificate', 'DELETE', '/admin/v1/clients/{clientId}/certificates/{thumbprint}', { params: { ...params, thumbprint: item.thumbprint } })} done={() => onChanged('Certificate removed.')} />
            ) : null}
          </li>
        ))}
      </ul>
      {canWrite ? (
        <form
          aria-label={`Add a certificate to ${client.displayName}`}
          onSubmit={async (event) => {
            event.preventDefault();
            if (await action.run(() => api.call('ClientController_addCertificate', 'POST', '/admin/v1/clients/{clientId}/certificates', { params, body: { certificate } }))) {
              setCertificate('');
              onChanged('Certificate added.');
            }
          }}
        >
          <Field label="Certificate file (PEM)">
            <input type="file" name="clientCertificateFile" accept=".pem,.crt,.cer" onChange={async (event) => {
              const file = event.currentTarget.files?.[0];
              if (file) setCertificate(await readFile(file, 'text'));
            }} />
          </Field>
          <Field label="…or paste it">
            <textarea name="clientCertificate" rows={2} value={certificate} onInput={(event) => setCertificate(event.currentTarget.value)} />
          </Field>
          <button type="submit" class="secondary" disabled={action.busy || certificate.trim() === ''}>
            Add certificate
          </button>
        </form>
      ) : null}
      <h4>Roles and scopes granted</h4>
      <ul data-testid="grants">
        {client.roleGrants.map((grant) => (
          <li key={`role-${grant.resource}-${grant.role}`}>
            role <strong>{grant.role}</strong> of {grant.resource}
            {canWrite ? (
              <RowAction label={`Revoke role ${grant.role} of ${grant.resource}`} text="Revoke" run={action.run} action={() => api.call('ClientController_revokeRole', 'DELETE', '/admin/v1/clients/{clientId}/role-grants', { params, query: { resource: grant.resource, role: grant.role } })} done={() => onChanged('Role revoked.')} />
            ) : null}
          </li>
        ))}
        {client.scopeGrants.map((grant) => (
          <li key={`scope-${grant.resource}-${grant.scope}`}>
            scope <strong>{grant.scope}</strong> of {grant.resource}
            {canWrite ? (
              <RowAction label={`Revoke scope ${grant.scope} of ${grant.resource}`} text="Revoke" run={action.run} action={() => api.call('ClientController_revokeScope', 'DELETE', '/admin/v1/clients/{clientId}/scope-grants', { params, query: { resource: grant.resource, scope: grant.scope } })} done={() => onChanged('Scope revoked.')} />
            ) : null}
          </li>
        ))}
      </ul>
      {canWrite && resources.length > 0 ? (
        <form
          class="row"
          aria-label={`Grant to ${client.displayName}`}
          onSubmit={async (event) => {
            event.preventDefault();
            const [type, value] = grantValue.split(':', 2) as ['role' | 'scope', string];
            const done = await action.run(() =>
              type === 'role'
                ? api.call('ClientController_grantRole', 'POST', '/admin/v1/clients/{clientId}/role-grants', { params, body: { resource: grantResource, role: value } })
                : api.call('ClientController_grantScope', 'POST', '/admin/v1/clients/{clientId}/scope-grants', { params, body: { resource: grantResource, scope: value } }),
            );
            if (done) onChanged(`${type === 'role' ? 'Role' : 'Scope'} ${value} granted.`);
          }}
        >
          <Field label="Resource">
            <select name="grantResource" value={grantResource} onChange={(event) => setGrantResource(event.currentTarget.value)}>
              {resources.map((candidate) => (
                <option key={candidate.id} value={candidate.appIdUri}>
                  {candidate.appIdUri}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Role or scope">
            <select name="grantValue" required value={grantValue} onChange={(event) => setGrantValue(event.currentTarget.value)}>
              <option value="">Choose…</option>
              {resource?.roles.map((role) => (
                <option key={`role:${role.value}`} value={`role:${role.value}`}>
                  role {role.value}
                </option>
              ))}
              {resource?.scopes.map((scope) => (
                <option key={`scope:${scope.value}`} value={`scope:${scope.value}`}>
                  scope {scope.value}
                </option>
              ))}
            </select>
          </Field>
          <button type="submit" class="secondary" disabled={action.busy || grantValue === ''}>
            Grant
          </button>
        </form>
      ) : null}
      {canWrite ? (
        <div class="actions">
          <button
            type="button"
            class="secondary"
            onClick={async () => {
              if (await action.run(() => api.call('ClientController_update', 'PATCH', '/admin/v1/clients/{clientId}', { params, body: { enabled: !client.enabled } }))) onChanged(client.enabled ? 'Client disabled.' : 'Client enabled.');
            }}
          >
            {client.enabled ? 'Disable' : 'Enable'}
          </button>
          <button
            type="button"
            class="danger"
            onClick={async () => {
              if (!window.confirm(`Delete client ${client.displayName}?`)) return;
              if (await action.run(() => api.call('ClientController_remove', 'DELETE', '/admin/v1/clients/{clientId}', { params }))) onChanged('Client deleted.');
            }}
          >
            Delete client
          </button>
        </div>
      ) : null}
      <Busy busy={action.busy} />
      <ErrorBox error={action.error} />
    </article>
  );
}

export function ClientsPage() {
  const { api, canWrite } = useSession();
  const [created, setCreated] = useState<{ client: ClientDto; secret: string } | null>(null);
  const { data, error, reload } = useLoad(async () => {
    const [clients, resources] = await Promise.all([api.call('ClientController_list', 'GET', '/admin/v1/clients'), api.call('ResourceController_list', 'GET', '/admin/v1/resources')]);
    return { clients: clients.items, resources: resources.items };
  });
  const { message, changed } = usePageMessage(reload);
  return (
    <div class="page" data-page="clients">
      <ErrorBox error={error} />
      <PageMessage message={message} />
      {created ? <OnceSecret label={`Secret of ${created.client.displayName} (${created.client.clientId})`} secret={created.secret} onDismiss={() => setCreated(null)} /> : null}
      <Section title="Resources (APIs)" id="resources">
        <table data-testid="resources">
          <thead>
            <tr>
              <th scope="col">App ID URI</th>
              <th scope="col">Name</th>
              <th scope="col">Roles</th>
              <th scope="col">Scopes</th>
            </tr>
          </thead>
          <tbody>
            {data?.resources.map((resource) => (
              <tr key={resource.id}>
                <td>{resource.appIdUri}</td>
                <td>{resource.displayName}</td>
                <td>{resource.roles.map((role) => role.value).join(', ')}</td>
                <td>{resource.scopes.map((scope) => scope.value).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {canWrite ? <CreateResourceForm onDone={(resource) => changed(`Resource ${resource.appIdUri} created.`)} /> : null}
      </Section>
      <Section title="Clients" id="clients">
        {data?.clients.length === 0 ? <p class="muted">No client.</p> : null}
        {data?.clients.map((client) => <ClientCard key={client.clientId} client={client} resources={data.resources} onChanged={changed} />)}
        {canWrite ? (
          <CreateClientForm
            onCreated={(client, secret) => {
              if (secret) setCreated({ client, secret });
              changed(`Client ${client.displayName} created: ${client.clientId}.`);
            }}
          />
        ) : null}
      </Section>
    </div>
  );
}
