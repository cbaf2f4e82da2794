import { useState } from 'preact/hooks';
import type { TokenValidationDto } from '../admin-api.types';
import { Busy, ErrorBox, Field, Section, StateBadge, useAction, useSession } from '../ui';

/** The JSON of a compact JWT's segment, decoded here only for display (the verdict is the server's). */
function decodeSegment(token: string, index: number): unknown {
  try {
    const segment = token.trim().split('.')[index] ?? '';
    const base64 = segment.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(segment.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return null;
  }
}

export function InspectorPage() {
  const { api, canWrite } = useSession();
  const action = useAction();
  const [token, setToken] = useState('');
  const [audience, setAudience] = useState('');
  const [result, setResult] = useState<TokenValidationDto | null>(null);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (!canWrite) return;
    setResult(null);
    const verdict = await action.run(() => api.call('TokenValidationController_validate', 'POST', '/admin/v1/tokens/validate', { body: { token: token.trim(), ...(audience.trim() !== '' ? { audience: audience.trim() } : {}) } }));
    if (verdict) setResult(verdict);
  };
  const header = result?.header ?? (token.trim() !== '' ? decodeSegment(token, 0) : null);
  const claims = result?.claims ?? (token.trim() !== '' ? decodeSegment(token, 1) : null);
  return (
    <div class="page" data-page="inspector">
      <Section title="Token" id="token">
        <form onSubmit={submit} aria-label="Explain a token">
          <Field label="Token (compact JWT)" hint="Sent to this server's explain endpoint only; nothing is stored.">
            <textarea name="token" rows={5} required spellcheck={false} autocomplete="off" value={token} onInput={(event) => setToken(event.currentTarget.value)} />
          </Field>
          <Field label="Expected audience (optional)">
            <input name="audience" value={audience} onInput={(event) => setAudience(event.currentTarget.value)} />
          </Field>
          {canWrite ? (
            <button type="submit" disabled={action.busy || token.trim() === ''}>
              Explain
            </button>
          ) : (
            <p class="muted">A reader key sees the decoded token below; the explain endpoint (a POST) needs an admin key.</p>
          )}
          <Busy busy={action.busy} label="Validating…" />
          <ErrorBox error={action.error} />
        </form>
      </Section>
      {result ? (
        <Section title="Verdict" id="verdict">
          <p data-testid="verdict">
            <StateBadge state={result.valid ? 'valid' : 'invalid'} /> {result.valid ? 'Valid' : 'Refused'}
            {result.reason ? (
              <>
                : <code>{result.reason}</code> {result.message}
              </>
            ) : null}
          </p>
          <dl class="facts">
            <dt>Trusted as</dt>
            <dd>{result.trust ? `${result.trust.kind} ${result.trust.id}` : '—'}</dd>
            <dt>Application</dt>
            <dd>{result.appId ?? '—'}</dd>
            <dt>Roles</dt>
            <dd data-testid="roles">{result.roles.join(', ') || '—'}</dd>
            <dt>Scopes</dt>
            <dd>{result.scopes.join(', ') || '—'}</dd>
            <dt>Signing key</dt>
            <dd>{result.key ? `${result.key.id} (${result.key.found ? 'found' : 'not found'}, ${result.key.source})` : '—'}</dd>
            <dt>Clock difference</dt>
            <dd>{result.clockDifferenceSeconds === null ? '—' : `${result.clockDifferenceSeconds} s`}</dd>
          </dl>
          <table data-testid="checks">
            <caption>Every check, in order</caption>
            <thead>
              <tr>
                <th scope="col">Check</th>
                <th scope="col">Result</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {result.checks.map((check, index) => (
                <tr key={`${check.check}-${index}`} data-check={check.check}>
                  <td>{check.check}</td>
                  <td>
                    <StateBadge state={check.passed ? 'pass' : 'fail'} />
                  </td>
                  <td>{check.detail ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      ) : null}
      {header || claims ? (
        <Section title="Decoded" id="decoded">
          <h3>Header</h3>
          <pre data-testid="header" tabIndex={0}>{JSON.stringify(header, null, 2)}</pre>
          <h3>Claims</h3>
          <pre data-testid="claims" tabIndex={0}>{JSON.stringify(claims, null, 2)}</pre>
        </Section>
      ) : null}
    </div>
  );
}
