import { breakpointOn } from '../document/breakpoints';
import { editorStore, useEditor } from '../document/editor';

/**
 * The node's breakpoints: runs started from the Builder pause there (CLI runs only with `--break`,
 * replays never). Saved with the workflow.
 */
export function BreakpointFields({ nodeId, kind }: { nodeId: string; kind: string }) {
  const beforeNode = useEditor((state) => breakpointOn(state.workflow, nodeId, 'node') !== undefined);
  const beforeTools = useEditor((state) => breakpointOn(state.workflow, nodeId, 'tool') !== undefined);
  const loop = useEditor((state) => breakpointOn(state.workflow, nodeId, 'loop'));
  const iteration = loop?.kind === 'loop' ? loop.iteration : null;
  const { setBreakpoint } = editorStore.getState();

  return (
    <fieldset className="inspector-debugging">
      <legend className="field-label">Debugging</legend>
      <label className="checkbox-field">
        <input
          type="checkbox"
          checked={beforeNode}
          onChange={(event) => setBreakpoint({ kind: 'node', nodeId }, event.target.checked)}
        />
        Pause before this node runs
      </label>
      {kind === 'loop' ? (
        <label className="checkbox-field">
          <input
            type="checkbox"
            checked={iteration !== null}
            onChange={(event) =>
              setBreakpoint({ kind: 'loop', nodeId, iteration: iteration ?? 1 }, event.target.checked)
            }
          />
          Pause before iteration
          <input
            type="number"
            min={1}
            step={1}
            className="breakpoint-iteration"
            aria-label="Iteration to pause before"
            value={iteration ?? 1}
            onChange={(event) => {
              const next = Math.floor(Number(event.target.value));
              if (Number.isFinite(next) && next >= 1) setBreakpoint({ kind: 'loop', nodeId, iteration: next }, true);
            }}
          />
        </label>
      ) : null}
      {kind === 'agent' || kind === 'team' ? (
        <label className="checkbox-field">
          <input
            type="checkbox"
            checked={beforeTools}
            onChange={(event) => setBreakpoint({ kind: 'tool', nodeId }, event.target.checked)}
          />
          {kind === 'team' ? "Pause before each of its members' tool calls" : 'Pause before each tool call'}
        </label>
      ) : null}
    </fieldset>
  );
}
