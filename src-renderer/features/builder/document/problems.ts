import { validate, type ValidationProblem, type Workflow } from '@shared/workflow';

/** The validator's problems, also indexed by node and edge so each canvas item subscribes to its own entry. */
function indexProblems(problems: ValidationProblem[]) {
  const byNode: Record<string, string[]> = {};
  const byEdge: Record<string, string[]> = {};
  for (const problem of problems) {
    if (problem.nodeId) (byNode[problem.nodeId] ??= []).push(problem.message);
    if (problem.edgeId) (byEdge[problem.edgeId] ??= []).push(problem.message);
  }
  return { problemsByNode: byNode, problemsByEdge: byEdge };
}

export function validationState(workflow: Workflow) {
  const result = validate(workflow);
  return {
    errors: result.errors,
    warnings: result.warnings,
    ...indexProblems([...result.errors, ...result.warnings]),
  };
}
