import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, useState } from 'react';
import { ERROR_PORT, findNodeKind } from '@shared/node-kinds';
import { breakpointsOf } from '../document/breakpoints';
import { editorStore, useEditor } from '../document/editor';
import { KIND_ICONS } from './kind-icons';
import { Elapsed } from '../run/Elapsed';
import { useRunView } from '../run/canvas-run';
import { TeamMemberCounts } from '../run/TeamMemberCounts';

export interface CanvasNodeData extends Record<string, unknown> {
  kind: string;
  label: string;
  routesErrors: boolean;
  role: string | null;
}

const EMPTY: string[] = [];

/**
 * One node on the canvas. It subscribes only to its own problems, so an edit elsewhere (or a live
 * event for another node) does not re-render it.
 */
export const WorkflowNodeView = memo(function WorkflowNodeView({ id, data, selected }: NodeProps) {
  const { kind, label, routesErrors, role } = data as CanvasNodeData;
  const problems = useEditor((state) => state.problemsByNode[id] ?? EMPTY);
  const run = useRunView((state) => (state.runId ? state.nodes[id] : undefined));
  const breakpointKinds = useEditor((state) =>
    breakpointsOf(state.workflow)
      .filter((breakpoint) => breakpoint.nodeId === id)
      .map((breakpoint) => breakpoint.kind)
      .join(' '),
  );
  // A team member's tool call pauses its team: the member's node id is `<team>/<member>`.
  const pausedHere = useRunView((state) => state.breakpoint?.nodeId?.split('/')[0] === id);
  const [editing, setEditing] = useState(false);
  const descriptor = findNodeKind(kind);
  const outputs = [...(descriptor?.outputs ?? []), ...(routesErrors ? [ERROR_PORT] : [])];
  const inputs = descriptor?.inputs ?? [];
  const rows = Math.max(inputs.length, outputs.length, 1);

  return (
    <div
      className={`canvas-node kind-${kind}${selected ? ' selected' : ''}${problems.length ? ' has-problems' : ''}${run ? ` run-${run.status}` : ''}${pausedHere ? ' at-breakpoint' : ''}`}
      data-testid={`node-${id}`}
      data-run-status={run?.status}
      title={problems.join('\n') || undefined}
    >
      <div className="canvas-node-header">
        {breakpointKinds ? (
          <span
            className="breakpoint-dot"
            data-testid={`breakpoint-${id}`}
            title={`Breakpoint: ${breakpointKinds.replace('node', 'before it runs').replace('tool', 'before each tool call').replace('loop', 'at an iteration')}`}
            aria-label="Breakpoint"
          />
        ) : null}
        <span className="canvas-node-icon" aria-hidden="true">
          {KIND_ICONS[kind] ?? '•'}
        </span>
        {editing ? (
          <input
            className="canvas-node-rename nodrag"
            autoFocus
            defaultValue={label}
            aria-label="Node name"
            onBlur={(event) => {
              const next = event.target.value.trim();
              if (next && next !== label) editorStore.getState().rename(id, next);
              setEditing(false);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter') event.currentTarget.blur();
              if (event.key === 'Escape') setEditing(false);
              event.stopPropagation();
            }}
          />
        ) : (
          <span className="canvas-node-label" onDoubleClick={() => setEditing(true)}>
            {label}
          </span>
        )}
        {problems.length > 0 ? (
          <span className="canvas-node-problem" aria-label={`${problems.length} problems`}>
            !
          </span>
        ) : null}
      </div>
      {run ? (
        <div className="canvas-node-run" data-testid={`run-state-${id}`}>
          <span className={`run-dot run-dot-${run.status}`} aria-hidden="true" />
          {run.status === 'waiting' ? 'waiting for approval' : run.status}
          {run.startedAt !== null ? (
            <span className="muted">
              {' '}
              · <Elapsed view={run} />
            </span>
          ) : null}
          {run.inputTokens + run.outputTokens > 0 ? (
            <span className="muted"> · {run.inputTokens + run.outputTokens} tok</span>
          ) : null}
        </div>
      ) : null}
      {run && kind === 'team' ? <TeamMemberCounts teamNodeId={id} /> : null}
      <div className="canvas-node-kind">
        {descriptor?.title ?? `unknown kind “${kind}”`}
        {role ? <span className="canvas-node-role"> · {role}</span> : null}
      </div>
      <div className="canvas-node-ports" style={{ minHeight: rows * 20 }}>
        <div className="ports-in">
          {inputs.map((port) => (
            <div className="port port-in" key={port.name} title={`${port.name}: ${port.type}`}>
              <Handle type="target" position={Position.Left} id={port.name} className={`handle type-${port.type}`} />
              <span>{port.name}</span>
            </div>
          ))}
        </div>
        <div className="ports-out">
          {outputs.map((port) => (
            <div className="port port-out" key={port.name} title={`${port.name}: ${port.type}`}>
              <span>{port.name}</span>
              <Handle type="source" position={Position.Right} id={port.name} className={`handle type-${port.type}`} />
            </div>
          ))}
        </div>
      </div>
    </div>
  );
});
