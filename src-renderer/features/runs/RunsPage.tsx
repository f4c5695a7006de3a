import { useEffect, useRef, useState } from 'react';
import { TERMINAL_RUN_STATUSES, type Run } from '@shared/runs';
import type { RunEvent } from '@shared/run-events';
import { deliverUnlessCancelled, describeError } from '../../api/errors';
import { api } from '../../stores/connection';
import { useNavigation } from '../../stores/navigation';
import {
  CodeDetail,
  EmptyState,
  ErrorMessage,
  LocalTime,
  PageHeader,
  PageLink,
  Panel,
  TableHead,
} from '../../ui/components';
import { followRunEvents } from '../builder/run/run-follower';

/** Run history: every run of this profile, its outcome and cost, and its full event log. */
export function RunsPage() {
  const [runs, setRuns] = useState<Run[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [refreshes, setRefreshes] = useState(0);
  const selectedId = useNavigation((state) => state.item);

  useEffect(() => deliverUnlessCancelled(api.runs.list({ limit: 200 }), setRuns, setError), [refreshes]);

  const selected = runs?.find((run) => run.id === selectedId) ?? null;

  return (
    <>
      <PageHeader
        title="Runs"
        subtitle="Every run of this profile, newest first."
        actions={
          <button type="button" className="button" onClick={() => setRefreshes((n) => n + 1)}>
            Refresh
          </button>
        }
      />
      <ErrorMessage error={error} />
      {runs === null ? (
        <p className="muted">Loading runs…</p>
      ) : runs.length === 0 ? (
        <EmptyState title="No runs yet">
          <p className="muted">Open a workflow in the Builder and press Run, or use `warroom run` from a terminal.</p>
        </EmptyState>
      ) : (
        <div className={selected ? 'runs-layout' : undefined}>
          <table className="table" aria-label="Runs">
            <TableHead columns={['Workflow', 'Status', 'Started', 'Tokens', 'Cost']} />
            <tbody>
              {runs.map((run) => (
                <tr key={run.id} className={run.id === selectedId ? 'row-selected' : undefined}>
                  <td>
                    <PageLink page="runs" item={run.id}>
                      {run.workflowName}
                    </PageLink>
                    {run.mode !== 'normal' ? <span className="muted small"> · {run.mode}</span> : null}
                  </td>
                  <td>
                    <span className={`run-status run-status-${run.status}`}>{run.status}</span>
                  </td>
                  <td>
                    <LocalTime iso={run.createdAt} />
                  </td>
                  <td>{run.usage.inputTokens + run.usage.outputTokens}</td>
                  <td>${run.usage.costUsd.toFixed(4)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {selected ? (
            <RunDetail key={selected.id} run={selected} onChanged={() => setRefreshes((n) => n + 1)} />
          ) : null}
        </div>
      )}
    </>
  );
}

function RunDetail({ run, onChanged }: { run: Run; onChanged(): void }) {
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [error, setError] = useState<string | null>(null);
  const go = useNavigation((state) => state.go);
  const active = !TERMINAL_RUN_STATUSES.includes(run.status);

  // The log grows across re-subscriptions (the run settling turns following off): each picks up after it.
  const lastSeq = useRef(0);
  useEffect(() => {
    const following = followRunEvents(api.runs.events, {
      runId: run.id,
      afterSeq: lastSeq.current,
      follow: active,
      onEvent: (event) => {
        lastSeq.current = event.seq;
        setError(null);
        setEvents((current) => [...current, event]);
      },
      onError: (cause) => setError(describeError(cause)),
    });
    void following.ended.then((settled) => {
      if (settled && active) onChanged();
    });
    return () => following.stop();
    // The log is read once per run shown; `onChanged` only refreshes the list.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [run.id, active]);

  const act = async (action: () => Promise<Run>, thenShow = false) => {
    setError(null);
    try {
      const next = await action();
      onChanged();
      if (thenShow) go('runs', next.id);
    } catch (cause) {
      setError(describeError(cause));
    }
  };

  return (
    <Panel title="Run">
      <div className="run-header">
        <span className={`run-status run-status-${run.status}`} data-testid="run-detail-status">
          {run.status}
        </span>
        <button
          type="button"
          className="button small"
          onClick={() => go('builder', run.workflowId)}
          title="Open the workflow in the Builder"
        >
          Open workflow
        </button>
        {run.status === 'paused' ? (
          <button
            type="button"
            className="button small"
            onClick={() => void act(() => api.runs.resume({ runId: run.id }))}
          >
            Resume
          </button>
        ) : null}
        {active ? (
          <button
            type="button"
            className="button small danger"
            onClick={() => void act(() => api.runs.cancel({ runId: run.id }))}
          >
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="button small"
            title="Re-run with the recorded model and tool results: no API calls"
            onClick={() => void act(() => api.runs.replay({ runId: run.id }), true)}
          >
            Replay
          </button>
        )}
      </div>
      <ErrorMessage error={error} />
      <dl className="details">
        <CodeDetail term="Run id">{run.id}</CodeDetail>
        <CodeDetail term="Project">{run.projectDir}</CodeDetail>
        <CodeDetail term="Inputs">{JSON.stringify(run.inputs)}</CodeDetail>
        {run.pauseReason ? (
          <div className="details-row">
            <dt>Paused</dt>
            <dd>{run.pauseReason}</dd>
          </div>
        ) : null}
      </dl>
      {run.error ? <ErrorMessage error={run.error} /> : null}
      {Object.keys(run.outputs).length > 0 ? (
        <>
          <h3 className="run-section">Outputs</h3>
          <pre className="run-output">{JSON.stringify(run.outputs, null, 2)}</pre>
        </>
      ) : null}
      <h3 className="run-section">Events ({events.length})</h3>
      <ol className="event-log" data-testid="event-log">
        {events.map((event) => (
          <li key={event.seq}>
            <EventLine event={event} />
          </li>
        ))}
      </ol>
    </Panel>
  );
}

/** One line of the event log; an event this version cannot read is shown as stored, with why. */
function EventLine({ event }: { event: RunEvent }) {
  const node = event.nodeId ? <span className="muted"> · {event.nodeId}</span> : null;
  if (event.type === 'unknown') {
    return (
      <>
        <span className="muted">#{event.seq}</span> <strong>{event.rawType}</strong>
        {node}
        <span className="muted"> (not readable here: {event.problem})</span>
        <code className="event-data"> {JSON.stringify(event.data)}</code>
      </>
    );
  }
  return (
    <>
      <span className="muted">#{event.seq}</span> <strong>{event.type}</strong>
      {node}
      {event.type === 'llm.delta' ? <span className="event-data"> {event.data.text}</span> : null}
    </>
  );
}
