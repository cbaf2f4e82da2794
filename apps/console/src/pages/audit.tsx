import { useEffect, useState } from 'preact/hooks';
import type { AuditEventPageDto } from '../admin-api.types';
import { localInputToIso } from '../time';
import { Busy, ErrorBox, Field, useAction, useSession, When } from '../ui';

interface Filters {
  action: string;
  actorKeyId: string;
  targetType: string;
  targetId: string;
  since: string;
  until: string;
  limit: string;
}

const EMPTY: Filters = { action: '', actorKeyId: '', targetType: '', targetId: '', since: '', until: '', limit: '50' };

export function AuditPage() {
  const { api } = useSession();
  const action = useAction();
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [page, setPage] = useState<AuditEventPageDto | null>(null);
  // Cursors of the pages before the one shown (Previous goes back through them).
  const [cursors, setCursors] = useState<(string | undefined)[]>([]);
  const [cursor, setCursor] = useState<string | undefined>(undefined);

  const load = async (applied: Filters, at: string | undefined): Promise<void> => {
    const since = applied.since === '' ? undefined : (localInputToIso(applied.since) ?? applied.since);
    const until = applied.until === '' ? undefined : (localInputToIso(applied.until) ?? applied.until);
    const result = await action.run(() =>
      api.call('AuditEventController_list', 'GET', '/admin/v1/audit-events', {
        query: { action: applied.action.trim(), actorKeyId: applied.actorKeyId.trim(), targetType: applied.targetType.trim(), targetId: applied.targetId.trim(), since, until, limit: applied.limit, cursor: at },
      }),
    );
    if (result) {
      setPage(result);
      setCursor(at);
    }
  };
  useEffect(() => {
    void load(EMPTY, undefined);
  }, []);
  const set = (name: keyof Filters) => (event: Event) => setFilters({ ...filters, [name]: (event.currentTarget as HTMLInputElement).value });
  return (
    <div class="page" data-page="audit">
      <form
        class="filters card"
        aria-label="Audit filters"
        onSubmit={(event) => {
          event.preventDefault();
          setCursors([]);
          void load(filters, undefined);
        }}
      >
        <Field label="Action" hint="e.g. client.create">
          <input name="action" value={filters.action} onInput={set('action')} />
        </Field>
        <Field label="Actor key id">
          <input name="actorKeyId" value={filters.actorKeyId} onInput={set('actorKeyId')} />
        </Field>
        <Field label="Target type">
          <input name="targetType" value={filters.targetType} onInput={set('targetType')} />
        </Field>
        <Field label="Target id">
          <input name="targetId" value={filters.targetId} onInput={set('targetId')} />
        </Field>
        <Field label="Since">
          <input type="datetime-local" name="since" value={filters.since} onInput={set('since')} />
        </Field>
        <Field label="Until">
          <input type="datetime-local" name="until" value={filters.until} onInput={set('until')} />
        </Field>
        <Field label="Per page">
          <input type="number" name="limit" min={1} max={500} value={filters.limit} onInput={set('limit')} />
        </Field>
        <button type="submit" disabled={action.busy}>
          Apply filters
        </button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setFilters(EMPTY);
            setCursors([]);
            void load(EMPTY, undefined);
          }}
        >
          Clear
        </button>
        <Busy busy={action.busy} label="Loading…" />
      </form>
      <ErrorBox error={action.error} />
      <table data-testid="audit-events">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {page?.items.map((event) => (
            <tr key={event.id} data-action={event.action}>
              <td>
                <When iso={event.occurredAt} />
              </td>
              <td>
                {event.actorName}
                {event.actorKeyId ? <div class="muted">{event.actorKeyId}</div> : null}
              </td>
              <td>
                <code>{event.action}</code>
              </td>
              <td>
                {event.targetType} {event.targetId ?? ''}
              </td>
              <td>
                {event.before || event.after ? (
                  <details>
                    <summary>before / after</summary>
                    <pre tabIndex={0}>{JSON.stringify({ before: event.before, after: event.after }, null, 2)}</pre>
                  </details>
                ) : null}
                {event.requestId ? <div class="muted">request {event.requestId}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {page && page.items.length === 0 ? <p class="muted">No event matches.</p> : null}
      <div class="actions pager">
        <button
          type="button"
          class="secondary"
          disabled={cursors.length === 0 || action.busy}
          onClick={() => {
            const previous = cursors[cursors.length - 1];
            setCursors(cursors.slice(0, -1));
            void load(filters, previous);
          }}
        >
          Previous page
        </button>
        <button
          type="button"
          class="secondary"
          disabled={!page?.nextCursor || action.busy}
          onClick={() => {
            setCursors([...cursors, cursor]);
            void load(filters, page!.nextCursor!);
          }}
        >
          Next page
        </button>
      </div>
    </div>
  );
}
