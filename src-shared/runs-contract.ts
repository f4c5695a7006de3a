import { eventIterator, oc } from '@orpc/contract';
import { z } from 'zod';
import { ContinueActionSchema } from './breakpoints';
import { BudgetSchema } from './node-kinds';
import { RunArtifactInputSchema, RunArtifactSchema } from './run-artifacts';
import { RunEventSchema, type RunEvent } from './run-events';
import { CompareRunsInputSchema, RunComparisonSchema } from './run-compare';
import { ExportRunInputSchema, RunExportFileSchema } from './run-export';
import { ApprovalDecisionSchema, RunSchema, StartRunInputSchema } from './runs';
import { EventPageSchema } from './event-page';
import { TeamTaskSchema } from './team-tasks';
import { WorkflowSchema } from './workflow';

/** The runs API: start, steer and watch runs. */
const RunId = z.object({ runId: z.string().min(1).max(128) });

/**
 * An event as the engine gives it back: decoded with RunEventSchema when the store read it (an event it
 * cannot read comes as an `unknown` one), or typed where the engine appended it, so a batch of thousands
 * is not checked a second time on its way out (that pass was about a fifth of the host's work per batch).
 * Input is still parsed in full.
 */
const StoredRunEventSchema = z.custom<RunEvent>(
  (value) => typeof value === 'object' && value !== null && 'seq' in value && 'type' in value,
  'a stored run event',
);

export const runsContract = {
  start: oc.input(StartRunInputSchema).output(RunSchema),
  /**
   * The Run button: saves the document, then runs the saved version (which the run records), in one
   * call, so a run always names a real saved version of what was on the canvas.
   */
  saveAndStart: oc
    .input(StartRunInputSchema.omit({ workflowId: true }).extend({ workflow: z.unknown() }))
    .output(z.object({ run: RunSchema, workflow: WorkflowSchema })),
  cancel: oc.input(RunId).output(RunSchema),
  approve: oc
    .input(RunId.extend({ nodeId: z.string().min(1).max(128), decision: ApprovalDecisionSchema }))
    .output(RunSchema),
  resume: oc.input(RunId.extend({ budget: BudgetSchema.optional() })).output(RunSchema),
  /**
   * Lets a run paused at a breakpoint go on: `continue`, or `step` (run the pending node or tool call,
   * then pause before the next). `input` replaces the pending input or tool arguments.
   */
  continue: oc.input(RunId.extend({ action: ContinueActionSchema, input: z.unknown().optional() })).output(RunSchema),
  replay: oc.input(RunId).output(RunSchema),
  fork: oc.input(RunId.extend({ nodeId: z.string().min(1).max(128), input: z.unknown() })).output(RunSchema),
  list: oc
    .input(z.object({ limit: z.int().min(1).max(500).default(50) }).default({ limit: 50 }))
    .output(z.array(RunSchema)),
  get: oc.input(RunId).output(RunSchema),
  /** The run's events after `afterSeq`, then live ones until the run settles or the caller leaves. */
  events: oc
    .input(RunId.extend({ afterSeq: z.int().nonnegative().default(0), follow: z.boolean().default(true) }))
    .output(eventIterator(RunEventSchema)),
  /**
   * `events` in batches: the events that arrive together (a run's write, a page of stored ones) come in
   * one message, so a viewer of a chatty run handles a few messages a second instead of thousands.
   */
  eventBatches: oc
    .input(RunId.extend({ afterSeq: z.int().nonnegative().default(0), follow: z.boolean().default(true) }))
    .output(eventIterator(z.array(StoredRunEventSchema))),
  /**
   * Stored events after `afterSeq`, at most `limit`: how a viewer catches up on a long run (one message
   * per page, not per event) before it follows the live ones with `events`.
   */
  eventPage: oc
    .input(RunId.extend({ afterSeq: z.int().nonnegative().default(0), limit: z.int().min(1).max(5000).default(2000) }))
    .output(EventPageSchema),
  /** The run's teams' task trees (roots: coordinators, mesh rounds' and votes' members), as they stand now. */
  tasks: oc.input(RunId).output(z.array(TeamTaskSchema)),
  /** Two runs side by side: per node what each did, and the first request only one of them made. */
  compare: oc.input(CompareRunsInputSchema).output(RunComparisonSchema),
  /** The run as a file to save: a JSON document to read back later, or a self-contained HTML report. */
  export: oc.input(ExportRunInputSchema).output(RunExportFileSchema),
  /** One of the run's artifacts (a `stored` path of `sandbox.executed`), as bytes; text ones redacted. */
  artifact: oc.input(RunArtifactInputSchema).output(RunArtifactSchema),
};

export const ValidationProblemSchema = z.object({
  severity: z.enum(['error', 'warning']),
  path: z.string(),
  message: z.string(),
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
});

export const WorkflowValidationSchema = z.object({
  ok: z.boolean(),
  errors: z.array(ValidationProblemSchema),
  warnings: z.array(ValidationProblemSchema),
});

/** workflows.validate: every problem of a document at once, for the editor and the CLI. */
export const validateWorkflowContract = oc.input(z.object({ workflow: z.unknown() })).output(WorkflowValidationSchema);
