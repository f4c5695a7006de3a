import { edgeChecker, type EdgeProblem, type Workflow, type WorkflowEdge } from '@shared/workflow';

/** A connection being drawn on the canvas: from an output port to an input port. */
export interface ConnectionRequest {
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

// A drag asks on every pointer move; the store's workflow is immutable, so one index per version does.
const checkers = new WeakMap<Workflow, (edge: WorkflowEdge) => EdgeProblem[]>();

/** Why the workflow's edge rule refuses this connection, worded for someone drawing it; null when allowed. */
export function connectionProblem(workflow: Workflow, request: ConnectionRequest): string | null {
  let check = checkers.get(workflow);
  if (!check) {
    check = edgeChecker(workflow);
    checkers.set(workflow, check);
  }
  const edge: WorkflowEdge = {
    id: '',
    source: { node: request.source, port: request.sourcePort },
    target: { node: request.target, port: request.targetPort },
  };
  const problem = check(edge)[0];
  return problem ? describeConnectionProblem(problem, request) : null;
}

function describeConnectionProblem(problem: EdgeProblem, request: ConnectionRequest): string {
  switch (problem.rule) {
    case 'self-edge':
      return 'a node cannot feed itself';
    case 'missing-node':
      return 'both ends must be nodes';
    case 'missing-port': {
      const name = problem.node.label ?? problem.node.id;
      return problem.end === 'source'
        ? `${name} has no output "${request.sourcePort}"`
        : `${name} has no input "${request.targetPort}"`;
    }
    case 'incompatible-types':
      return `${problem.from.type} output "${request.sourcePort}" cannot feed ${problem.to.type} input "${request.targetPort}"`;
    case 'duplicate':
      return 'these ports are already connected';
    case 'input-taken':
      return `input "${request.targetPort}" takes one connection`;
  }
}
