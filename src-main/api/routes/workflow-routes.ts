import { parseWorkflowDocument, validateWorkflowDocument } from '@shared/workflow';
import { checkMcpTools, withMcpProblems } from '../../services/mcp-tool-check';
import type { WarRoom } from '../../app';
import type { ApiImplementer } from '../implementer';

export function workflowRoutes(os: ApiImplementer, app: WarRoom) {
  return {
    list: os.workflows.list.handler(() => app.workflows.list()),
    get: os.workflows.get.handler(({ input }) => app.workflows.get(input.id)),
    create: os.workflows.create.handler(({ input }) => app.workflows.create(input.name)),
    save: os.workflows.save.handler(({ input }) => app.workflows.save(input.workflow)),
    delete: os.workflows.delete.handler(({ input }) => {
      app.workflows.delete(input.id);
      return { id: input.id };
    }),
    import: os.workflows.import.handler(({ input }) => app.workflows.import(input.json)),
    export: os.workflows.export.handler(({ input }) =>
      app.workflows.export(input.id, (value) => app.redactor.redactDeep(value)),
    ),
    validate: os.workflows.validate.handler(async ({ input }) => {
      const result = validateWorkflowDocument(input.workflow);
      const parsed = parseWorkflowDocument(input.workflow);
      return parsed.ok ? withMcpProblems(result, await checkMcpTools(parsed.workflow, app.mcp)) : result;
    }),
    templates: os.workflows.templates.handler(() => app.templates.list()),
    createFromTemplate: os.workflows.createFromTemplate.handler(({ input }) =>
      app.workflows.save(app.templates.instantiate(input.templateId, input.name)),
    ),
  };
}

export function roleRoutes(os: ApiImplementer, app: WarRoom) {
  return { list: os.roles.list.handler(() => app.roles()) };
}
