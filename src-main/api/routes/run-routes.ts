import { foldTaskTree } from '@shared/team-tasks';
import { parseWorkflowDocument, type Workflow } from '@shared/workflow';
import type { WarRoom } from '../../app';
import { InvalidRunWorkflowError } from '../../engine/engine';
import type { ApiImplementer } from '../implementer';
import { runReportRoutes } from './run-report-routes';

function resolveWorkflow(app: WarRoom, input: { workflowId?: string; workflow?: unknown }): Workflow {
  if (input.workflowId) return app.workflows.get(input.workflowId);
  const parsed = parseWorkflowDocument(input.workflow);
  if (!parsed.ok) {
    throw new InvalidRunWorkflowError(parsed.problems.map((problem) => ({ severity: 'error', ...problem })));
  }
  return parsed.workflow;
}

export function runRoutes(os: ApiImplementer, app: WarRoom) {
  // What a run is given is redacted before the run is even recorded (the engine redacts it again).
  const redacted = <T>(value: T) => app.redactor.redactDeep(value);
  return {
    start: os.runs.start.handler(async ({ input }) =>
      app.runs.start({
        workflow: resolveWorkflow(app, input),
        projectDir: input.projectDir,
        inputs: await redacted(input.inputs),
        ...(input.budget ? { budget: input.budget } : {}),
        ...(input.breakpoints ? { breakpoints: input.breakpoints } : {}),
      }),
    ),
    saveAndStart: os.runs.saveAndStart.handler(async ({ input }) => {
      const inputs = await redacted(input.inputs);
      const workflow = app.workflows.save(input.workflow);
      const run = app.runs.start({
        workflow,
        projectDir: input.projectDir,
        inputs,
        ...(input.budget ? { budget: input.budget } : {}),
        ...(input.breakpoints ? { breakpoints: input.breakpoints } : {}),
      });
      return { run, workflow };
    }),
    cancel: os.runs.cancel.handler(({ input }) => app.runs.cancel(input.runId)),
    approve: os.runs.approve.handler(({ input }) => app.runs.approve(input.runId, input.nodeId, input.decision)),
    continue: os.runs.continue.handler(({ input }) => app.runs.continue(input.runId, input.action, input.input)),
    resume: os.runs.resume.handler(({ input }) => app.runs.resume(input.runId, input.budget)),
    replay: os.runs.replay.handler(({ input }) => app.runs.replay(input.runId)),
    fork: os.runs.fork.handler(async ({ input }) =>
      app.runs.fork(input.runId, input.nodeId, await redacted(input.input)),
    ),
    list: os.runs.list.handler(({ input }) => app.runs.list(input.limit)),
    get: os.runs.get.handler(({ input }) => app.runs.get(input.runId)),
    ...runReportRoutes(os, app),
    tasks: os.runs.tasks.handler(({ input }) => foldTaskTree(app.runs.eventsSoFar(input.runId))),
    events: os.runs.events.handler(async function* ({ input, signal }) {
      try {
        yield* app.runs.events(input.runId, input.afterSeq, { follow: input.follow, ...(signal ? { signal } : {}) });
      } catch (error) {
        // The subscriber went away: end the stream quietly.
        if (signal?.aborted) return;
        throw error;
      }
    }),
  };
}
