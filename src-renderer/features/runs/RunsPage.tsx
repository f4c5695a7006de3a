import { useEffect, useState } from 'react';
import type { Run } from '@shared/runs';
import { deliverUnlessCancelled } from '../../api/errors';
import { api } from '../../stores/connection';
import { useNavigation } from '../../stores/navigation';
import { EmptyState, ErrorMessage, LocalTime, PageHeader, PageLink, TableHead } from '../../ui/components';
import { WarRoomView } from './run-view/WarRoomView';
import { compareItem, parseCompareItem } from './compare/compare-route';
import { RunComparePage } from './compare/RunComparePage';

/** Run history: every run of this profile, its outcome and cost; a selected run opens in the war room. */
export function RunsPage() {
  const [runs, setRuns] = useState<Run[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [refreshes, setRefreshes] = useState(0);
  const selectedId = useNavigation((state) => state.item);
  const go = useNavigation((state) => state.go);
  // The two runs picked for Compare, the earlier pick first (it is run a); a third pick drops the oldest.
  const [picked, setPicked] = useState<string[]>([]);
  const togglePicked = (runId: string) =>
    setPicked((current) =>
      current.includes(runId) ? current.filter((id) => id !== runId) : [...current, runId].slice(-2),
    );

  useEffect(() => deliverUnlessCancelled(api.runs.list({ limit: 200 }), setRuns, setError), [refreshes]);

  const comparing = parseCompareItem(selectedId);
  if (comparing) return <RunComparePage key={selectedId} a={comparing.a} b={comparing.b} />;
  const selected = runs?.find((run) => run.id === selectedId) ?? null;

  return (
    <>
      <PageHeader
        title="Runs"
        subtitle="Every run of this profile, newest first."
        actions={
          <>
            <button
              type="button"
              className="button"
              disabled={picked.length !== 2}
              title="Pick two runs in the list to compare them"
              onClick={() => go('runs', compareItem(picked[0] ?? '', picked[1] ?? ''))}
            >
              Compare ({picked.length}/2)
            </button>
            <button type="button" className="button" onClick={() => setRefreshes((n) => n + 1)}>
              Refresh
            </button>
          </>
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
            <TableHead
              columns={[
                <span className="visually-hidden">Compare</span>,
                'Workflow',
                'Status',
                'Started',
                'Tokens',
                'Cost',
              ]}
            />
            <tbody>
              {runs.map((run) => (
                <tr key={run.id} className={run.id === selectedId ? 'row-selected' : undefined}>
                  <td className="compare-select">
                    <input
                      type="checkbox"
                      aria-label={`Pick run ${run.id} for comparison`}
                      checked={picked.includes(run.id)}
                      onChange={() => togglePicked(run.id)}
                    />
                  </td>
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
            <WarRoomView key={selected.id} run={selected} onChanged={() => setRefreshes((n) => n + 1)} />
          ) : null}
        </div>
      )}
    </>
  );
}
