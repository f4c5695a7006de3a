import { useReactFlow } from '@xyflow/react';
import { editorStore, useEditor } from './document/editor';
import { useMcpProblems } from './document/mcp-problems';

/** The engine's validation and the MCP tool check, listed; clicking a problem selects and centres its node. */
export function ProblemsPanel() {
  const localErrors = useEditor((state) => state.errors);
  const localWarnings = useEditor((state) => state.warnings);
  const mcpProblems = useMcpProblems();
  const flow = useReactFlow();
  const errors = [...localErrors, ...mcpProblems.filter((problem) => problem.severity === 'error')];
  const warnings = [...localWarnings, ...mcpProblems.filter((problem) => problem.severity === 'warning')];
  const problems = [...errors, ...warnings];

  const focus = (nodeId: string | undefined, edgeId: string | undefined) => {
    const workflow = editorStore.getState().workflow;
    const targetId = nodeId ?? workflow?.edges.find((edge) => edge.id === edgeId)?.target.node;
    const node = workflow?.nodes.find((candidate) => candidate.id === targetId);
    if (!node) return;
    editorStore.getState().select([node.id], edgeId ? [edgeId] : []);
    void flow.setCenter(node.position.x + 90, node.position.y + 40, {
      zoom: Math.max(flow.getZoom(), 0.8),
      duration: 200,
    });
  };

  return (
    <section className="problems" aria-label="Problems">
      <h2 className="problems-title">
        Problems{' '}
        <span className="muted">
          ({errors.length} errors, {warnings.length} warnings)
        </span>
      </h2>
      {problems.length === 0 ? (
        <p className="muted small" data-testid="no-problems">
          No problems: this workflow is valid.
        </p>
      ) : (
        <ul className="problem-list">
          {problems.map((problem, index) => (
            <li key={`${problem.path}-${index}`}>
              <button
                type="button"
                className={`problem problem-${problem.severity}`}
                onClick={() => focus(problem.nodeId, problem.edgeId)}
              >
                <span className="problem-severity">{problem.severity === 'error' ? '✕' : '⚠'}</span>
                {problem.message}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
