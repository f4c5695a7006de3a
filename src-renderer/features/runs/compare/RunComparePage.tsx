import { useEffect, useState } from 'react';
import type { NodeComparison, RunComparison, RunDivergence } from '@shared/run-compare';
import { outputsAsText, type NodeRunSummary } from '@shared/run-node-summaries';
import type { Run } from '@shared/runs';
import { deliverUnlessCancelled } from '../../../api/errors';
import { api } from '../../../stores/connection';
import { useNavigation } from '../../../stores/navigation';
import { ErrorMessage, LocalTime, PageHeader, PageLink, Panel, TableHead } from '../../../ui/components';
import { ExportRunButtons } from '../export/ExportRunButtons';
import { compareItem } from './compare-route';
import { DiffView } from './DiffView';
import { hasChanges, lineDiff } from './line-diff';
import './compare.css';

/**
 * Two runs side by side (the Runs page's `compare/<a>..<b>` item): each node's status, time, tokens,
 * cost and outputs with a text diff, the first journal request where the runs diverge (both requests
 * shown), and each agent's transcript diff.
 */
export function RunComparePage({ a, b }: { a: string; b: string }) {
  const [comparison, setComparison] = useState<RunComparison | null>(null);
  const [error, setError] = useState<string | null>(null);
  const go = useNavigation((state) => state.go);

  // The page is keyed by the pair it compares, so a new pair starts from an empty state.
  useEffect(() => deliverUnlessCancelled(api.runs.compare({ a, b }), setComparison, setError), [a, b]);

  return (
    <>
      <PageHeader
        title="Compare runs"
        subtitle="Run a on the left, run b on the right; diffs read from a to b."
        actions={
          <>
            <button type="button" className="button" onClick={() => go('runs', compareItem(b, a))}>
              Swap a and b
            </button>
            <button type="button" className="button" onClick={() => go('runs')}>
              Back to runs
            </button>
          </>
        }
      />
      <ErrorMessage error={error} />
      {comparison === null ? (
        error ? null : (
          <p className="muted">Comparing…</p>
        )
      ) : (
        <ComparisonView comparison={comparison} />
      )}
    </>
  );
}

function ComparisonView({ comparison }: { comparison: RunComparison }) {
  const agents = comparison.nodes.filter((node) => node.a?.transcript || node.b?.transcript);
  return (
    <div className="compare" data-testid="run-comparison">
      <div className="compare-runs">
        <RunCard side="a" run={comparison.a} />
        <RunCard side="b" run={comparison.b} />
      </div>
      {comparison.sameWorkflow ? null : (
        <p className="muted">These runs are of different workflows: nodes only one has show “not run” for the other.</p>
      )}
      <Divergence divergence={comparison.divergence} journal={comparison.journal} />
      <Panel title="Nodes">
        <NodeTable nodes={comparison.nodes} />
      </Panel>
      <Panel title="Transcripts">
        {agents.length === 0 ? (
          <p className="muted">No agent wrote anything in either run.</p>
        ) : (
          agents.map((node) => (
            <TextDiff
              key={node.nodeId}
              testId={`transcript-diff-${node.nodeId}`}
              title={node.label}
              before={node.a?.transcript ?? ''}
              after={node.b?.transcript ?? ''}
            />
          ))
        )}
      </Panel>
    </div>
  );
}

function RunCard({ side, run }: { side: 'a' | 'b'; run: Run }) {
  return (
    <section className={`compare-run compare-run-${side}`} aria-label={`Run ${side}`}>
      <h2>
        <span className="compare-side">{side}</span>{' '}
        <PageLink page="runs" item={run.id}>
          {run.workflowName}
        </PageLink>{' '}
        <span className={`run-status run-status-${run.status}`}>{run.status}</span>
      </h2>
      <dl className="details">
        <dt>Run</dt>
        <dd>
          <code>{run.id}</code>
          {run.mode === 'normal' ? null : <span className="muted"> · {run.mode}</span>}
        </dd>
        <dt>Started</dt>
        <dd>
          <LocalTime iso={run.createdAt} />
        </dd>
        <dt>Inputs</dt>
        <dd>
          <code>{JSON.stringify(run.inputs)}</code>
        </dd>
        <dt>Spent</dt>
        <dd>
          {run.usage.inputTokens + run.usage.outputTokens} tokens, ${run.usage.costUsd.toFixed(4)}
        </dd>
      </dl>
      <div className="compare-run-actions">
        <ExportRunButtons runId={run.id} />
      </div>
    </section>
  );
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2) ?? 'undefined';

function Divergence({ divergence, journal }: { divergence: RunDivergence | null; journal: RunComparison['journal'] }) {
  if (!divergence) {
    return (
      <section className="compare-divergence compare-same" data-testid="divergence" aria-label="Divergence">
        <h2>No divergence</h2>
        <p>
          Every request either run made, the other made too ({journal.shared} of {journal.a} journal entries of a shared
          with b’s {journal.b}).
        </p>
      </section>
    );
  }
  const { a, b } = divergence;
  return (
    <section className="compare-divergence" data-testid="divergence" aria-label="Divergence">
      <h2>
        First divergence: <code data-testid="divergence-node">{divergence.nodeId ?? 'unknown node'}</code>
        <span className="muted">
          {' '}
          · {divergence.kind === 'llm' ? 'model call' : `${divergence.kind} step`} {divergence.scope ?? ''} · journal
          entry {a ? `#${a.ordinal}` : '—'} of a, {b ? `#${b.ordinal}` : '—'} of b
        </span>
      </h2>
      <div className="compare-columns">
        {(['a', 'b'] as const).map((side) => (
          <div key={side}>
            <h3>Request of {side}</h3>
            <pre className="compare-request" data-testid={`divergence-request-${side}`}>
              {divergence[side] ? pretty(divergence[side].request) : `${side} made no other request here.`}
            </pre>
          </div>
        ))}
      </div>
      <details>
        <summary>Diff of the requests</summary>
        <DiffView lines={lineDiff(a ? pretty(a.request) : '', b ? pretty(b.request) : '')} label="Request diff" />
      </details>
      <details>
        <summary>What came back</summary>
        <div className="compare-columns">
          <pre className="compare-request">{a ? pretty(a.answer) : '—'}</pre>
          <pre className="compare-request">{b ? pretty(b.answer) : '—'}</pre>
        </div>
      </details>
    </section>
  );
}

const seconds = (summary: NodeRunSummary | null) =>
  summary?.durationMs == null ? '—' : `${(summary.durationMs / 1000).toFixed(1)} s`;
const tokens = (summary: NodeRunSummary | null) => (summary ? String(summary.inputTokens + summary.outputTokens) : '—');
const cost = (summary: NodeRunSummary | null) => (summary ? `$${summary.costUsd.toFixed(4)}` : '—');
const status = (summary: NodeRunSummary | null) => summary?.status ?? 'not run';

/** A cell with run a's value and run b's, marked when they differ (unless a difference is the rule, as for time). */
function PairCell({
  node,
  show,
  markDifference = true,
}: {
  node: NodeComparison;
  show: (summary: NodeRunSummary | null) => string;
  markDifference?: boolean;
}) {
  const [left, right] = [show(node.a), show(node.b)];
  return (
    <td className={markDifference && left !== right ? 'compare-differs' : undefined}>
      {left} <span className="muted">/</span> {right}
    </td>
  );
}

function NodeTable({ nodes }: { nodes: readonly NodeComparison[] }) {
  return (
    <table className="table compare-nodes" aria-label="Nodes of both runs">
      <TableHead columns={['Node', 'Status a / b', 'Time a / b', 'Tokens a / b', 'Cost a / b', 'Outputs']} />
      <tbody>
        {nodes.map((node) => {
          const lines = lineDiff(outputsAsText(node.a?.outputs ?? null), outputsAsText(node.b?.outputs ?? null));
          const differs = hasChanges(lines);
          return (
            <tr key={node.nodeId} data-testid={`compare-node-${node.nodeId}`}>
              <th scope="row" className={node.teamNodeId ? 'compare-member' : undefined}>
                {node.label}
                {node.label === node.nodeId ? null : <span className="muted small"> {node.nodeId}</span>}
              </th>
              <PairCell node={node} show={status} />
              <PairCell node={node} show={seconds} markDifference={false} />
              <PairCell node={node} show={tokens} />
              <PairCell node={node} show={cost} />
              <td>
                {node.a?.outputs || node.b?.outputs ? (
                  <details>
                    <summary className={differs ? 'compare-differs' : undefined}>{differs ? 'differ' : 'same'}</summary>
                    <DiffView lines={lines} label={`Output diff of ${node.nodeId}`} />
                  </details>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function TextDiff({ title, before, after, testId }: { title: string; before: string; after: string; testId: string }) {
  const lines = lineDiff(before, after);
  const differs = hasChanges(lines);
  return (
    <details className="compare-text" data-testid={testId} open={differs}>
      <summary>
        {title} <span className="muted small">{differs ? 'differs' : 'same in both runs'}</span>
      </summary>
      <DiffView lines={lines} label={`Transcript diff of ${title}`} />
    </details>
  );
}
