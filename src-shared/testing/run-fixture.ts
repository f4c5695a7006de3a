import type { Run } from '../runs';

/**
 * Test support: a run as the store keeps it, with neutral values (a completed normal run that spent
 * nothing); a test sets what it is about in `fields`.
 */
export function aRun(fields: Partial<Run> & Pick<Run, 'id'>): Run {
  return {
    workflowId: 'wf',
    workflowName: 'Tea',
    status: 'completed',
    mode: 'normal',
    sourceRunId: null,
    projectDir: '/tmp/project',
    inputs: {},
    outputs: {},
    error: null,
    pauseReason: null,
    budget: {},
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...fields,
  };
}
