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
      <ToolbarGroup
        commands={[
          { label: 'Undo', disabled: !canUndo, run: () => editorStore.getState().undo() },
          { label: 'Redo', disabled: !canRedo, run: () => editorStore.getState().redo() },
          { label: 'Auto-layout', run: props.onAutoLayout },
          { label: 'Align left', run: () => editorStore.getState().alignSelection('left') },
          { label: 'Align top', run: () => editorStore.getState().alignSelection('top') },
          { label: 'Fit', run: () => void flow.fitView({ padding: 0.2, duration: 200 }) },
          { label: 'Shortcuts', run: props.onShowShortcuts },
        ]}
      />
      <ToolbarGroup
        commands={[
          { label: 'Export', run: props.onExport },
          { label: 'Save as…', run: props.onSaveAs },
          { label: 'Save', run: props.onSave },
          {
            label: '▶ Run',
            primary: true,
            disabled: errorCount > 0 || isRunActive(runStatus),
            title: errorCount > 0 ? `Fix ${errorCount} problem(s) before running` : 'Save and run',
            run: props.onRun,
          },
        ]}
      />
    </header>
  );
}

/** One of the toolbar's commands: a small button, greyed out while the command cannot run. */
interface ToolbarCommand {
  label: string;
  run(): void;
  disabled?: boolean;
  title?: string;
  /** The group's main command. */
  primary?: boolean;
}

function ToolbarGroup({ commands }: { commands: ToolbarCommand[] }) {
  return (
    <div className="toolbar-group">
      {commands.map((command) => (
        <button
          key={command.label}
          type="button"
          className={command.primary ? 'button small primary' : 'button small'}
          disabled={command.disabled}
          title={command.title}
          onClick={command.run}
        >
          {command.label}
        </button>
      ))}
    </div>
  );
}
