import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TemplateSummary } from '@shared/catalog';
import { parseWorkflowDocument, type Workflow } from '@shared/workflow';

export class TemplateNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`No workflow template "${id}".`);
    this.name = 'TemplateNotFoundError';
  }
}

/**
 * The workflow templates shipped in resources/templates. Each file is a normal workflow document;
 * a file that does not parse is reported once and left out rather than breaking the list.
 */
export class TemplateService {
  private cache: Map<string, Workflow> | null = null;

  constructor(
    private readonly directory: string,
    private readonly now: () => Date,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  list(): TemplateSummary[] {
    return [...this.templates().entries()].map(([id, workflow]) => ({
      id,
      name: workflow.name,
      description: workflow.description,
      nodeCount: workflow.nodes.length,
    }));
  }

  /** A fresh copy of a template with its own id and timestamps, ready to save. */
  instantiate(id: string, name?: string): Workflow {
    const template = this.templates().get(id);
    if (!template) throw new TemplateNotFoundError(id);
    const stamp = this.now().toISOString();
    return {
      ...structuredClone(template),
      id: `wf-${randomUUID()}`,
      name: name?.trim() || template.name,
      createdAt: stamp,
      updatedAt: stamp,
    };
  }

  private templates(): Map<string, Workflow> {
    if (this.cache) return this.cache;
    const templates = new Map<string, Workflow>();
    const files = fs.existsSync(this.directory)
      ? fs.readdirSync(this.directory).filter((f) => f.endsWith('.json'))
      : [];
    for (const file of files.sort()) {
      const filePath = path.join(this.directory, file);
      try {
        const parsed = parseWorkflowDocument(JSON.parse(fs.readFileSync(filePath, 'utf8')));
        if (parsed.ok) templates.set(path.basename(file, '.json'), parsed.workflow);
        else
          this.warn(
            `template ${filePath} ignored: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
          );
      } catch (error) {
        this.warn(`template ${filePath} ignored: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.cache = templates;
    return templates;
  }
}
