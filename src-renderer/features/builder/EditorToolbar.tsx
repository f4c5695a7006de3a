import { useReactFlow } from '@xyflow/react';
import { useNavigation } from '../../stores/navigation';
import { editorStore, useEditor } from './document/editor';
import { isRunActive, useRunView } from './run/canvas-run';

/** The editor's commands: back to the library, the name, history, arrangement, saving and running. */
export function EditorToolbar(props: {
  onAutoLayout(): void;
  onShowShortcuts(): void;
  onExport(): void;
  onSaveAs(): void;
  onSave(): void;
  onRun(): void;
}) {
  const go = useNavigation((state) => state.go);
  const name = useEditor((state) => state.workflow?.name ?? '');
  const canUndo = useEditor((state) => state.past.length > 0);
  const canRedo = useEditor((state) => state.future.length > 0);
  const dirty = useEditor((state) => state.dirty);
  const errorCount = useEditor((state) => state.errors.length);
  const runStatus = useRunView((state) => state.status);
  const flow = useReactFlow();

  return (
    <header className="editor-toolbar" aria-label="Workflow toolbar">
      <button type="button" className="button small" onClick={() => go('builder')} title="All workflows">
        ← Workflows
      </button>
      <input
        className="workflow-name"
        aria-label="Workflow name"
        value={name}
        onFocus={() => editorStore.getState().checkpoint()}
        onChange={(event) => editorStore.getState().setMeta({ name: event.target.value })}
      />
      <span className={`dirty-indicator${dirty ? ' dirty' : ''}`} data-testid="dirty-indicator">
        {dirty ? '● Unsaved changes' : 'Saved'}
      </span>
      <div className="toolbar-group">
        <button
          type="button"
          className="button small"
          disabled={!canUndo}
          onClick={() => editorStore.getState().undo()}
        >
          Undo
        </button>
        <button
          type="button"
          className="button small"
          disabled={!canRedo}
          onClick={() => editorStore.getState().redo()}
        >
          Redo
        </button>
        <button type="button" className="button small" onClick={props.onAutoLayout}>
          Auto-layout
        </button>
        <button type="button" className="button small" onClick={() => editorStore.getState().alignSelection('left')}>
          Align left
        </button>
        <button type="button" className="button small" onClick={() => editorStore.getState().alignSelection('top')}>
          Align top
        </button>
        <button
          type="button"
          className="button small"
          onClick={() => void flow.fitView({ padding: 0.2, duration: 200 })}
        >
          Fit
        </button>
        <button type="button" className="button small" onClick={props.onShowShortcuts}>
          Shortcuts
        </button>
      </div>
      <div className="toolbar-group">
        <button type="button" className="button small" onClick={props.onExport}>
          Export
        </button>
        <button type="button" className="button small" onClick={props.onSaveAs}>
          Save as…
        </button>
        <button type="button" className="button small" onClick={props.onSave}>
          Save
        </button>
        <button
          type="button"
          className="button small primary"
          disabled={errorCount > 0 || isRunActive(runStatus)}
          title={errorCount > 0 ? `Fix ${errorCount} problem(s) before running` : 'Save and run'}
          onClick={props.onRun}
        >
          ▶ Run
        </button>
      </div>
    </header>
  );
}
