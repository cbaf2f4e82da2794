import { cloneElement, type ComponentChildren, createContext, type VNode } from 'preact';
import { useCallback, useContext, useEffect, useId, useState } from 'preact/hooks';
import { type AdminApiClient, ApiError } from './api';
import { localText, utcText } from './time';

/** What every page gets: the API client of the signed-in key, and whether that key may write. */
export interface Session {
  api: AdminApiClient;
  role: 'admin' | 'reader';
  keyName: string;
  canWrite: boolean;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('no session');
  return session;
}

/** Loads `load()` on mount and on `reload()`; keeps the last error. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []): { data: T | null; error: unknown; loading: boolean; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    load().then(
      (value) => {
        if (cancelled) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (cancelled) return;
        setError(failure);
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [tick, ...deps]);
  return { data, error, loading, reload: useCallback(() => setTick((value) => value + 1), []) };
}

/** Runs an action with a busy flag and keeps its error (shown by {@link ErrorBox}). */
export function useAction(): { busy: boolean; error: unknown; run: <T>(action: () => Promise<T>) => Promise<T | undefined>; clear: () => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (failure) {
      setError(failure);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: useCallback(() => setError(null), []) };
}

/**
 * A page's confirmation line: `changed(text)` shows `text` and reloads the page's data (after an
 * add, edit or remove); {@link PageMessage} shows it.
 */
export function usePageMessage(reload: () => void): { message: string | null; changed: (text: string) => void } {
  const [message, setMessage] = useState<string | null>(null);
  const changed = useCallback(
    (text: string): void => {
      setMessage(text);
      reload();
    },
    [reload],
  );
  return { message, changed };
}

/** The confirmation line of {@link usePageMessage}, announced to screen readers. */
export function PageMessage({ message }: { message: string | null }) {
  return message ? (
    <p class="success" role="status">
      {message}
    </p>
  ) : null;
}

/**
 * The small destructive button of a list row (remove a secret, revoke a grant): runs `action`
 * through the row's {@link useAction} and calls `done` when it succeeded.
 */
export function RowAction({ label, text, action, run, done }: { label: string; text: string; action: () => Promise<unknown>; run: ReturnType<typeof useAction>['run']; done: () => void }) {
  return (
    <button
      type="button"
      class="danger small"
      aria-label={label}
      onClick={async () => {
        if (await run(action)) done();
      }}
    >
      {text}
    </button>
  );
}

/** The API's error as the API said it: message, code, field details, request id. */
export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  if (error instanceof ApiError) {
    return (
      <div class="error" role="alert">
        <strong>{error.message}</strong> <code class="error-code">{error.code}</code>
        {error.status > 0 ? <span class="muted"> HTTP {error.status}</span> : null}
        {error.details.length > 0 ? (
          <ul>
            {error.details.map((detail) => (
              <li key={detail.field}>
                <code>{detail.field}</code>: {detail.message}
              </li>
            ))}
          </ul>
        ) : null}
        {error.requestId ? <div class="muted">request id {error.requestId}</div> : null}
      </div>
    );
  }
  return (
    <div class="error" role="alert">
      <strong>{error instanceof Error ? error.message : String(error)}</strong>
    </div>
  );
}

export function When({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span class="muted">—</span>;
  return (
    <time dateTime={iso} title={utcText(iso)}>
      {localText(iso)}
    </time>
  );
}

export function Busy({ busy, label = 'Working…' }: { busy: boolean; label?: string }) {
  return busy ? (
    <span class="busy" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> {label}
    </span>
  ) : null;
}

/** A labelled control: the label names only the control (for/id), the hint describes it (aria-describedby). */
export function Field({ label, hint, children }: { label: string; hint?: string; children: VNode<Record<string, unknown>> }) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div class="field">
      <label class="field-label" for={id}>
        {label}
      </label>
      {cloneElement(children, hint ? { id, 'aria-describedby': hintId } : { id })}
      {hint ? (
        <span class="hint" id={hintId}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

export function Section({ title, children, id }: { title: string; children: ComponentChildren; id?: string }) {
  return (
    <section class="card" aria-labelledby={id ? `${id}-title` : undefined}>
      <h2 id={id ? `${id}-title` : undefined}>{title}</h2>
      {children}
    </section>
  );
}

export function StateBadge({ state }: { state: string }) {
  return <span class={`badge badge-${state}`}>{state}</span>;
}

export function DaysLeft({ days, tiers }: { days: number; tiers?: readonly number[] }) {
  const tier = tierOf(days, tiers ?? [120, 60, 30, 7]);
  return <span class={`days tier-${tier === null ? 'none' : tier}`}>{days < 0 ? 'expired' : `${days} d`}</span>;
}

/** The smallest warning tier (days) the credential is inside, 0 when expired, null when outside all. */
export function tierOf(days: number, tiers: readonly number[]): number | null {
  if (days < 0) return 0;
  const inside = tiers.filter((tier) => days < tier);
  return inside.length > 0 ? Math.min(...inside) : null;
}

/** Downloads `text` as a file (a blob URL, revoked right after). */
export function download(name: string, text: string, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Splits a comma/line separated list into trimmed non-empty items. */
export function listOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** A file input's content as text (PEM) or base64 (PFX). */
export async function readFile(file: File, as: 'text' | 'base64'): Promise<string> {
  if (as === 'text') return file.text();
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return btoa(binary);
}
