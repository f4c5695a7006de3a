import { randomUUID } from 'node:crypto';
import type { InputProblem } from '@shared/errors';
import { createEmptyWorkflow, parseWorkflowDocument, type Workflow, type WorkflowSummary } from '@shared/workflow';
import type { WorkflowRepository } from '../store/workflow-repository';

/** A workflow document that failed validation; `problems` name each field. */
export class InvalidWorkflowError extends Error {
  constructor(readonly problems: InputProblem[]) {
    super(
      `The workflow is not valid: ${problems
        .slice(0, 5)
        .map((problem) => `${problem.path}: ${problem.message}`)
        .join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`,
    );
    this.name = 'InvalidWorkflowError';
  }
}

export class WorkflowNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`No workflow with id "${id}".`);
    this.name = 'WorkflowNotFoundError';
  }
}

export interface ImportResult {
  workflow: Workflow;
  renamedFrom: string | null;
  migratedFrom: number | null;
}

/** Workflow use cases shared by every host: create, save, import and export with validation. */
export class WorkflowService {
  constructor(
    private readonly repository: WorkflowRepository,
    private readonly now: () => Date,
    private readonly newId: () => string = () => `wf-${randomUUID()}`,
  ) {}

  list(): WorkflowSummary[] {
    return this.repository.list();
  }

  get(id: string): Workflow {
    const workflow = this.repository.get(id);
    if (!workflow) throw new WorkflowNotFoundError(id);
    return workflow;
  }

  create(name: string): Workflow {
    return this.repository.save(createEmptyWorkflow(this.newId(), name, this.now()));
  }

  /** Validates an untrusted document and stores it, stamping `updatedAt`. */
  save(document: unknown): Workflow {
    const workflow = this.parse(document).workflow;
    return this.repository.save({ ...workflow, updatedAt: this.now().toISOString() });
  }

  delete(id: string): void {
    if (!this.repository.delete(id)) throw new WorkflowNotFoundError(id);
  }

  import(json: string): ImportResult {
    let document: unknown;
    try {
      document = JSON.parse(json);
    } catch (error) {
      throw new InvalidWorkflowError([
        { path: '(file)', message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` },
      ]);
    }
    const { workflow, migratedFrom } = this.parse(document);
    const renamedFrom = this.repository.exists(workflow.id) ? workflow.id : null;
    const stamp = this.now().toISOString();
    const stored = this.repository.save({
      ...workflow,
      id: renamedFrom === null ? workflow.id : this.newId(),
      updatedAt: stamp,
    });
    return { workflow: stored, renamedFrom, migratedFrom };
  }

  /**
   * The workflow as a file to share, with any secret in it (a key pasted into a prompt or a tool's
   * arguments) redacted: an exported file leaves War Room.
   */
  async export(id: string, redactDeep: <T>(value: T) => Promise<T>): Promise<{ fileName: string; json: string }> {
    const workflow = await redactDeep(this.get(id));
    const slug =
      workflow.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'workflow';
    return { fileName: `${slug}.warroom.json`, json: JSON.stringify(workflow, null, 2) + '\n' };
  }

  private parse(document: unknown): { workflow: Workflow; migratedFrom: number | null } {
    const result = parseWorkflowDocument(document);
    if (!result.ok) throw new InvalidWorkflowError(result.problems);
    return result;
  }
}
