import { useCallback, useEffect, useState } from 'react';
import type { TemplateSummary } from '@shared/catalog';
import type { WorkflowSummary } from '@shared/workflow';
import { deliverUnlessCancelled, describeError } from '../../api/errors';
import { api } from '../../stores/connection';
import { useNavigation } from '../../stores/navigation';
import {
  EmptyState,
  ErrorMessage,
  LocalTime,
  PageHeader,
  PageLink,
  SuccessMessage,
  TableHead,
} from '../../ui/components';
import { downloadText, FilePickerButton } from '../../ui/files';

/**
 * The workflow library: every workflow of this profile, with create, open, import, export and delete.
 */
export function WorkflowLibraryPage() {
  const [workflows, setWorkflows] = useState<WorkflowSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [newName, setNewName] = useState('');
  const [templates, setTemplates] = useState<TemplateSummary[]>([]);
  const [templateId, setTemplateId] = useState('');
  const go = useNavigation((state) => state.go);

  const refresh = useCallback(async () => {
    try {
      setWorkflows(await api.workflows.list());
    } catch (cause) {
      setError(describeError(cause));
    }
  }, []);

  useEffect(() => {
    const cancelWorkflows = deliverUnlessCancelled(api.workflows.list(), setWorkflows, setError);
    const cancelTemplates = deliverUnlessCancelled(api.workflows.templates(), setTemplates, setError);
    return () => {
      cancelWorkflows();
      cancelTemplates();
    };
  }, []);

  const run = async (action: () => Promise<string | null>) => {
    setError(null);
    setNotice(null);
    try {
      setNotice(await action());
      await refresh();
    } catch (cause) {
      setError(describeError(cause));
    }
  };

  const create = () =>
    run(async () => {
      const workflow = await api.workflows.create({ name: newName.trim() });
      setNewName('');
      go('builder', workflow.id);
      return null;
    });

  const createFromTemplate = () =>
    run(async () => {
      const workflow = await api.workflows.createFromTemplate({
        templateId,
        ...(newName.trim() ? { name: newName.trim() } : {}),
      });
      setNewName('');
      go('builder', workflow.id);
      return null;
    });

  const importFile = (file: File) =>
    run(async () => {
      const result = await api.workflows.import({ json: await file.text(), fileName: file.name });
      const renamed = result.renamedFrom ? ` Its id was taken, so it was saved as a copy.` : '';
      return `Imported “${result.workflow.name}” from ${file.name}.${renamed}`;
    });

  const exportWorkflow = (id: string) =>
    run(async () => {
      const { fileName, json } = await api.workflows.export({ id });
      downloadText(fileName, json);
      return `Exported ${fileName}.`;
    });

  const remove = async (workflow: WorkflowSummary) => {
    const { ui } = await api.settings.get();
    if (ui.confirmBeforeDelete && !window.confirm(`Delete “${workflow.name}”? This cannot be undone.`)) return;
    await run(async () => {
      await api.workflows.delete({ id: workflow.id });
      return `Deleted “${workflow.name}”.`;
    });
  };

  return (
    <>
      <PageHeader
        title="Builder"
        subtitle="Your workflows, stored in this profile and mirrored as JSON files."
        actions={
          <>
            <FilePickerButton
              label="Import JSON…"
              accept=".json,application/json"
              testId="import-file"
              onFile={(file) => void importFile(file)}
            />
          </>
        }
      />
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (newName.trim()) void create();
        }}
      >
        <label className="field">
          <span className="field-label">New workflow</span>
          <input
            value={newName}
            placeholder="Name, e.g. Code review loop"
            onChange={(e) => setNewName(e.target.value)}
          />
        </label>
        <button type="submit" className="button primary" disabled={!newName.trim()}>
          Create
        </button>
      </form>
      {templates.length > 0 ? (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (templateId) void createFromTemplate();
          }}
        >
          <label className="field">
            <span className="field-label">Or start from a template</span>
            <select value={templateId} onChange={(event) => setTemplateId(event.target.value)}>
              <option value="">Choose a template…</option>
              {templates.map((template) => (
                <option key={template.id} value={template.id} title={template.description}>
                  {template.name} ({template.nodeCount} nodes)
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button" disabled={!templateId}>
            Use template
          </button>
        </form>
      ) : null}
      {templateId ? (
        <p className="muted small">{templates.find((template) => template.id === templateId)?.description}</p>
      ) : null}
      <ErrorMessage error={error} />
      <SuccessMessage message={notice} />
      {workflows === null ? (
        <p className="muted">Loading workflows…</p>
      ) : workflows.length === 0 ? (
        <EmptyState title="No workflows yet">
          <p className="muted">Create one above, or import a workflow JSON file.</p>
        </EmptyState>
      ) : (
        <table className="table" aria-label="Workflows">
          <TableHead columns={['Name', 'Nodes', 'Updated', <span className="visually-hidden">Actions</span>]} />
          <tbody>
            {workflows.map((workflow) => (
              <tr key={workflow.id}>
                <td>
                  <PageLink page="builder" item={workflow.id}>
                    {workflow.name}
                  </PageLink>
                  {workflow.description ? <div className="muted small">{workflow.description}</div> : null}
                </td>
                <td>{workflow.nodeCount}</td>
                <td>
                  <LocalTime iso={workflow.updatedAt} />
                </td>
                <td className="row-actions">
                  <button type="button" className="button small" onClick={() => go('builder', workflow.id)}>
                    Open
                  </button>
                  <button type="button" className="button small" onClick={() => void exportWorkflow(workflow.id)}>
                    Export
                  </button>
                  <button type="button" className="button small danger" onClick={() => void remove(workflow)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
