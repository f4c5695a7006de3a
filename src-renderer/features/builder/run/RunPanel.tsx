import { useState } from 'react';
import { TEAM_TOPOLOGIES } from '@shared/node-kinds';
import { useShallow } from 'zustand/react/shallow';
import { describeError } from '../../../api/errors';
import { api } from '../../../stores/connection';
import { ErrorMessage, PageLink } from '../../../ui/components';
import { ApprovalForm } from '../../runs/run-view/ApprovalForm';
import { ForkButton } from '../../runs/run-view/ForkButton';
import { useEditor } from '../document/editor';
import { isRunActive, keepFollowing, useRunView } from '../run/canvas-run';
import { Elapsed } from './Elapsed';
import { TeamView } from './TeamView';
import { Transcript, UnreadableEventView } from './Transcript';

/** The run's state, its cost, the selected node's live transcript, and the human controls. */
export function RunPanel() {
  const runId = useRunView((state) => state.runId);
  const status = useRunView((state) => state.status);
  const usage = useRunView((state) => state.usage);
  const outputs = useRunView((state) => state.outputs);
  const runError = useRunView((state) => state.error);
  const pauseReason = useRunView((state) => state.pauseReason);
  // Paused at a breakpoint, the debugger bar's Continue / Step is how it goes on (resume would refuse).
  const atBreakpoint = useRunView((state) => state.breakpoint !== null);
  const unreadable = useRunView((state) => state.unreadable);
  const selectedId = useEditor((state) => (state.selectedNodeIds.length === 1 ? state.selectedNodeIds[0] : null));
  const selectedLabel = useEditor(
    (state) => state.workflow?.nodes.find((node) => node.id === selectedId)?.label ?? selectedId,
  );
  const selectedKind = useEditor((state) => state.workflow?.nodes.find((node) => node.id === selectedId)?.kind);
  const selectedTopology = useEditor((state) => {
    const topology = state.workflow?.nodes.find((node) => node.id === selectedId)?.config.topology;
    return TEAM_TOPOLOGIES.find((option) => option === topology);
  });
  const view = useRunView((state) => (selectedId ? state.nodes[selectedId] : undefined));
  const waiting = useRunView(
    useShallow((state) =>
      Object.entries(state.nodes)
        .filter(([, node]) => node.approval !== null)
        .map(([id]) => id),
    ),
  );
  const [error, setError] = useState<string | null>(null);

  if (!runId) return null;
  const act = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      keepFollowing(runId);
    } catch (cause) {
      setError(describeError(cause));
    }
  };

  return (
    <aside className="run-panel" aria-label="Run">
      <div className="run-header">
        <span className={`run-status run-status-${status ?? 'unknown'}`} data-testid="run-status">
          {status}
        </span>
        <span className="muted small">
          {usage.inputTokens + usage.outputTokens} tokens · ${usage.costUsd.toFixed(4)}
        </span>
        {isRunActive(status) ? (
          <button
            type="button"
            className="button small danger"
            onClick={() => void act(() => api.runs.cancel({ runId }))}
          >
            Cancel run
          </button>
        ) : null}
        {status === 'paused' && !atBreakpoint ? (
          <button type="button" className="button small" onClick={() => void act(() => api.runs.resume({ runId }))}>
            Resume
          </button>
        ) : null}
        <PageLink page="runs" item={runId}>
          Open in war room
        </PageLink>
        {selectedId && !isRunActive(status) ? (
          <ForkButton runId={runId} nodeId={selectedId} label={selectedLabel ?? selectedId} />
        ) : null}
      </div>
      <ErrorMessage error={error} />
      {pauseReason && status === 'paused' ? <p className="muted small">Paused: {pauseReason}</p> : null}
      {runError ? <ErrorMessage error={runError} /> : null}
      {unreadable.map((event) => (
        <UnreadableEventView key={event.seq} event={event} />
      ))}
      {waiting.length > 0 && !waiting.includes(selectedId ?? '') ? (
        <p className="muted small">Waiting for approval: {waiting.join(', ')} — select it to decide.</p>
      ) : null}
      {status === 'completed' ? (
        <section>
          <h3 className="run-section">Outputs</h3>
          <pre className="run-output" data-testid="run-outputs">
            {JSON.stringify(outputs, null, 2)}
          </pre>
        </section>
      ) : null}
      {selectedId && view ? (
        <section>
          <h3 className="run-section">
            {selectedLabel} · {view.status} · <Elapsed view={view} />
          </h3>
          {view.approval ? (
            <ApprovalForm
              key={selectedId}
              prompt={view.approval.prompt}
              payload={view.approval.payload}
              payloadRows={5}
              decide={(decision) => act(() => api.runs.approve({ runId, nodeId: selectedId, decision }))}
            />
          ) : null}
          {selectedKind === 'team' ? (
            <>
              <TeamView key={selectedId} teamNodeId={selectedId} topology={selectedTopology} />
              <h3 className="run-section">Team log</h3>
            </>
          ) : null}
          <div className="transcript" data-testid="transcript">
            {view.transcript.length === 0 ? <p className="muted small">No output yet.</p> : null}
            <Transcript entries={view.transcript} />
            {view.error ? <ErrorMessage error={view.error} /> : null}
            {view.outputs ? <pre className="run-output">{JSON.stringify(view.outputs, null, 2)}</pre> : null}
          </div>
        </section>
      ) : (
        <p className="muted small">Select a node to follow its output.</p>
      )}
    </aside>
  );
}
