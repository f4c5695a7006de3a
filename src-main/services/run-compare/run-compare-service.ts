import { compareRuns, type ComparedRun, type RunComparison } from '@shared/run-compare';
import { RunSchema } from '@shared/runs';
import { RunNotFoundError } from '../../engine/errors';
import type { Redactor } from '../../privacy/port';
import type { RunStore } from '../../store/port';

export interface RunCompareDeps {
  store: RunStore;
  redactor: Redactor;
}

/**
 * Compares two stored runs (`runs.compare`, `warroom runs compare`): reads both runs, their events and
 * journals, and hands them to the pure comparison. The result goes to the renderer or a terminal, so it
 * passes the redactor: requests and answers from the journal are what was sent, not what is safe to show.
 */
export class RunCompareService {
  constructor(private readonly deps: RunCompareDeps) {}

  async compare(runIdA: string, runIdB: string): Promise<RunComparison> {
    const a = this.load(runIdA);
    const b = this.load(runIdB);
    const { store } = this.deps;
    const comparison = compareRuns(
      a,
      b,
      (side, key) => store.readJournal(side === 'a' ? runIdA : runIdB, key)?.value ?? null,
    );
    return this.deps.redactor.redactDeep(comparison);
  }

  private load(runId: string): ComparedRun {
    const { store } = this.deps;
    const record = store.getRun(runId);
    if (!record) throw new RunNotFoundError(runId);
    return {
      // The schema keeps the run's summary and drops the rest of the record (workflow, fork, owner).
      run: RunSchema.parse(record),
      workflow: record.workflow,
      events: store.readEvents(runId, 0, Number.MAX_SAFE_INTEGER),
      journal: store.listJournal(runId),
    };
  }
}
