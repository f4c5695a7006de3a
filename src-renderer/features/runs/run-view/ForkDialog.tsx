import { useState } from 'react';
import type { Run } from '@shared/runs';
import { describeError } from '../../../api/errors';
import { api } from '../../../stores/connection';
import { DialogForm, ErrorMessage } from '../../../ui/components';

/**
 * Fork a finished run from one node: edit the input the node received and run again from there. Nodes
 * upstream of it keep their recorded outputs, so the fork makes no model call before that node.
 */
export function ForkDialog(props: {
  runId: string;
  nodeId: string;
  /** The node's inputs when it last ran (by port), if it ran. */
  inputs: Record<string, unknown> | undefined;
  onForked(run: Run): void;
  onCancel(): void;
}) {
  const [draft, setDraft] = useState(() => JSON.stringify(forkInputOf(props.inputs), null, 2) ?? 'null');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    let input: unknown;
    try {
      input = JSON.parse(draft) as unknown;
    } catch (cause) {
      setError(`The input is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      props.onForked(await api.runs.fork({ runId: props.runId, nodeId: props.nodeId, input }));
    } catch (cause) {
      setError(describeError(cause));
      setBusy(false);
    }
  };

  return (
    <DialogForm
      label="Fork run"
      title={<>Fork from “{props.nodeId}”</>}
      submitLabel="Fork and run"
      submitDisabled={busy}
      onSubmit={() => void submit()}
      onCancel={props.onCancel}
    >
      <p className="muted small">
        Everything before this node is re-used from this run (no model calls); the node and what follows it run again
        with the input below.
      </p>
      <label className="field">
        <span className="field-label">Input of {props.nodeId} (JSON)</span>
        <textarea
          className="code-editor"
          rows={8}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          autoFocus
        />
      </label>
      <ErrorMessage error={error} />
    </DialogForm>
  );
}

/** The value a fork replaces: the node's first input port's (`in` by convention), else its only one. */
function forkInputOf(inputs: Record<string, unknown> | undefined): unknown {
  if (!inputs) return '';
  if ('in' in inputs) return inputs.in;
  const values = Object.values(inputs);
  return values.length === 1 ? values[0] : inputs;
}
