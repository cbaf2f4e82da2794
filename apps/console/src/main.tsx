import './styles.css';
import { render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { AdminApiClient, ApiError, keyIdOf } from './api';
import { AuditPage } from './pages/audit';
import { CertificatesPage } from './pages/certificates';
import { ClientsPage } from './pages/clients';
import { InspectorPage } from './pages/inspector';
import { OverviewPage } from './pages/overview';
import { TrustedIssuersPage } from './pages/trusted-issuers';
import { ErrorBox, type Session, SessionContext, useAction } from './ui';

/** Idle time after which the console forgets the key: 15 minutes, or shorter with `?idle=<seconds>` (at least 5). */
const DEFAULT_IDLE_SECONDS = 15 * 60;

function idleSeconds(): number {
  const asked = Number(new URLSearchParams(location.search).get('idle'));
  return Number.isInteger(asked) && asked >= 5 && asked < DEFAULT_IDLE_SECONDS ? asked : DEFAULT_IDLE_SECONDS;
}

const PAGES = [
  { path: 'overview', title: 'Overview', render: () => <OverviewPage /> },
  { path: 'certificates', title: 'Certificates', render: () => <CertificatesPage /> },
  { path: 'partners', title: 'Partner applications', render: () => <TrustedIssuersPage key="partner" kind="partner" /> },
  { path: 'oauth-servers', title: 'OAuth servers', render: () => <TrustedIssuersPage key="oauth-server" kind="oauth-server" /> },
  { path: 'clients', title: 'Clients and resources', render: () => <ClientsPage /> },
  { path: 'inspector', title: 'Token inspector', render: () => <InspectorPage /> },
  { path: 'audit', title: 'Audit log', render: () => <AuditPage /> },
] as const;

function currentPath(): string {
  const path = location.hash.replace(/^#\/?/, '');
  return PAGES.some((page) => page.path === path) ? path : 'overview';
}

function SignIn({ onSignedIn, onUnauthorized, notice }: { onSignedIn: (session: Session) => void; onUnauthorized: () => void; notice: string | null }) {
  const [key, setKey] = useState('');
  const action = useAction();
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    await action.run(async () => {
      const typed = key.trim();
      const id = keyIdOf(typed);
      if (!id) throw new ApiError(0, 'invalid_key_format', 'An admin key looks like s2sk.<id>.<secret>.');
      const api = new AdminApiClient(typed, onUnauthorized);
      const keys = await api.call('AdminApiKeyController_list', 'GET', '/admin/v1/admin-keys');
      const own = keys.items.find((item) => item.id === id);
      if (!own) throw new ApiError(0, 'key_not_listed', 'The key authenticated but is not in the key list.');
      setKey('');
      onSignedIn({ api, role: own.role, keyName: own.name, canWrite: own.role === 'admin' });
    });
  };
  return (
    <main id="main" class="signin">
      <h1>s2s-trust console</h1>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <form onSubmit={submit} class="card">
        <label class="field">
          <span class="field-label">Admin key</span>
          <input type="password" name="admin-key" autocomplete="off" spellcheck={false} required aria-describedby="key-hint" value={key} onInput={(event) => setKey(event.currentTarget.value)} />
        </label>
        <p class="hint" id="key-hint">
          Kept in this tab's memory only: never stored, gone on reload, on sign-out or after {idleSeconds() >= 60 ? `${Math.round(idleSeconds() / 60)} min` : `${idleSeconds()} s`} without activity.
        </p>
        <button type="submit" disabled={action.busy}>
          Sign in
        </button>
        <ErrorBox error={action.error} />
      </form>
    </main>
  );
}

function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [path, setPath] = useState(currentPath());
  const timer = useRef<number | undefined>(undefined);

  const signOut = useCallback((why: string | null) => {
    setSession(null);
    setNotice(why);
    window.clearTimeout(timer.current);
  }, []);

  useEffect(() => {
    const onHash = (): void => setPath(currentPath());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // Idle timeout: any key press, click or pointer move restarts it.
  useEffect(() => {
    if (!session) return;
    const limit = idleSeconds() * 1000;
    const restart = (): void => {
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => signOut('Signed out after inactivity. Sign in again with your admin key.'), limit);
    };
    const events = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const;
    for (const name of events) window.addEventListener(name, restart, { passive: true });
    restart();
    return () => {
      window.clearTimeout(timer.current);
      for (const name of events) window.removeEventListener(name, restart);
    };
  }, [session, signOut]);

  // A 401 once signed in (key revoked or expired) ends the session; during sign-in the form shows it.
  const sessionRef = useRef<Session | null>(null);
  sessionRef.current = session;
  const onUnauthorized = useCallback(() => {
    if (sessionRef.current) signOut('The server no longer accepts this key (revoked or expired). Sign in again.');
  }, [signOut]);

  if (!session) {
    return (
      <SignIn
        onUnauthorized={onUnauthorized}
        notice={notice}
        onSignedIn={(signedIn) => {
          setNotice(null);
          setSession(signedIn);
        }}
      />
    );
  }
  const page = PAGES.find((candidate) => candidate.path === path)!;
  return (
    <SessionContext.Provider value={session}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">s2s-trust</span>
        <nav aria-label="Pages">
          <ul>
            {PAGES.map((candidate) => (
              <li key={candidate.path}>
                <a href={`#/${candidate.path}`} aria-current={candidate.path === path ? 'page' : undefined}>
                  {candidate.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="who">
          {session.keyName} <span class={`badge badge-${session.role}`}>{session.role === 'reader' ? 'read-only' : 'admin'}</span>
          <button type="button" class="secondary" onClick={() => signOut('Signed out.')}>
            Sign out
          </button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        <h1>{page.title}</h1>
        {session.canWrite ? null : (
          <p class="notice" role="status">
            Read-only: this is a reader key. Nothing here can change the configuration.
          </p>
        )}
        {page.render()}
      </main>
    </SessionContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
