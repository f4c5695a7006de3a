import { useState } from 'react';
import type { Workflow } from '@shared/workflow';
import { DialogForm } from '../../../ui/components';

const PROJECT_DIR_KEY = 'warroom.builder.projectDir';

export interface RunRequest {
  projectDir: string;
  inputs: Record<string, string>;
}

/** Asks for what a run needs: a value for each input node, and the project folder agents work in. */
export function RunDialog(props: { workflow: Workflow; onStart(request: RunRequest): void; onCancel(): void }) {
  const inputNodes = props.workflow.nodes.filter((node) => node.kind === 'input');
  const [projectDir, setProjectDir] = useState(() => window.localStorage.getItem(PROJECT_DIR_KEY) ?? '');
  const [inputs, setInputs] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      inputNodes.map((node) => {
        const name = String(node.config.name ?? node.id);
        const fallback = node.config.default;
        return [name, fallback === undefined ? '' : typeof fallback === 'string' ? fallback : JSON.stringify(fallback)];
      }),
    ),
  );

  return (
    <DialogForm
      label="Run workflow"
      title={<>Run “{props.workflow.name}”</>}
      className="run-dialog"
      submitLabel="Start run"
      submitDisabled={!projectDir.trim()}
      onSubmit={() => {
        if (!projectDir.trim()) return;
        window.localStorage.setItem(PROJECT_DIR_KEY, projectDir.trim());
        props.onStart({ projectDir: projectDir.trim(), inputs });
      }}
      onCancel={props.onCancel}
    >
      <label className="field">
        <span className="field-label">Project folder (agents read and write only inside it)</span>
        <input
          value={projectDir}
          placeholder="/home/you/projects/my-app"
          onChange={(event) => setProjectDir(event.target.value)}
          autoFocus
        />
      </label>
      {Object.keys(inputs).length === 0 ? <p className="muted small">This workflow takes no inputs.</p> : null}
      {Object.entries(inputs).map(([name, value]) => (
        <label className="field" key={name}>
          <span className="field-label">Input “{name}”</span>
          <textarea
            rows={2}
            value={value}
            onChange={(event) => setInputs((current) => ({ ...current, [name]: event.target.value }))}
          />
        </label>
      ))}
    </DialogForm>
  );
}
