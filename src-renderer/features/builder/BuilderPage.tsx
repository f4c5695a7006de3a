import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useState } from 'react';
import type { Workflow } from '@shared/workflow';
import { describeError } from '../../api/errors';
import { api } from '../../stores/connection';
import { useNavigation } from '../../stores/navigation';
import { ErrorMessage, TabList } from '../../ui/components';
import { downloadText } from '../../ui/files';
import { WorkflowLibraryPage } from '../workflows/WorkflowLibraryPage';
import { Canvas } from './canvas/Canvas';
import { runnableBreakpoints, toggledNodeBreakpoints } from './document/breakpoints';
import { Palette } from './canvas/Palette';
import { useAutoLayout } from './canvas/use-auto-layout';
import { parseClipboard } from './document/clipboard';
import { editorStore, useEditor } from './document/editor';
import { readClipboard, writeClipboard } from './document/system-clipboard';
import { EditorToolbar } from './EditorToolbar';
import { Inspector } from './inspector/Inspector';
import { dispatchShortcut, isTypingTarget } from './keyboard-shortcuts';
import { ProblemsPanel } from './ProblemsPanel';
import { followRun, stopFollowing, useRunView } from './run/canvas-run';
import { RunDialog, type RunRequest } from './run/RunDialog';
import { DebuggerBar } from './run/DebuggerBar';
import { RunPanel } from './run/RunPanel';
import { ShortcutSheet } from './ShortcutSheet';

/** The side column's panels, once the workflow has a run to follow. */
const SIDE_PANELS = [
  { id: 'inspector', label: 'Inspector' },
  { id: 'run', label: 'Run' },
] as const;
type SidePanelId = (typeof SIDE_PANELS)[number]['id'];

/** The Builder: the workflow library, or the canvas editor for the workflow named in the URL. */
export function BuilderPage() {
  const item = useNavigation((state) => state.item);
  return item ? (
    <ReactFlowProvider>
      <WorkflowEditor key={item} workflowId={item} />
    </ReactFlowProvider>
  ) : (
    <WorkflowLibraryPage />
  );
}

function WorkflowEditor({ workflowId }: { workflowId: string }) {
  const go = useNavigation((state) => state.go);
  const loadedId = useEditor((state) => state.workflow?.id ?? null);
  const flow = useReactFlow();
  const autoLayout = useAutoLayout();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [showShortcuts, setShowShortcuts] = useState(false);
  const [showRunDialog, setShowRunDialog] = useState(false);
  const [sidePanel, setSidePanel] = useState<SidePanelId>('inspector');
  const hasRun = useRunView((state) => state.runId !== null);

  // A run belongs to the workflow it was started from.
  useEffect(() => stopFollowing, []);

  useEffect(() => {
    if (editorStore.getState().workflow?.id === workflowId) return;
    let cancelled = false;
    api.workflows.get({ id: workflowId }).then(
      (workflow) => {
        if (cancelled) return;
        editorStore.getState().load(workflow);
        setError(null);
        // A workflow never arranged on a canvas (imported, or made by hand) is framed to fit.
        const { x, y, zoom } = workflow.viewport;
        if (workflow.nodes.length > 0 && x === 0 && y === 0 && zoom === 1) {
          requestAnimationFrame(() => void flow.fitView({ padding: 0.2, maxZoom: 1 }));
        }
      },
      (cause: unknown) => {
        if (!cancelled) setError(describeError(cause));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [workflowId, flow]);

  // Closing the tab, or going anywhere else in the app, with unsaved work asks first; leaving forgets the draft.
  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (editorStore.getState().isDirty()) event.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    useNavigation.getState().setLeaveGuard(() => {
      if (editorStore.getState().isDirty() && !window.confirm('Leave without saving your changes?')) return false;
      editorStore.getState().close();
      return true;
    });
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      useNavigation.getState().setLeaveGuard(null);
    };
  }, []);

  const documentToSave = useCallback((): Workflow | null => {
    const workflow = editorStore.getState().workflow;
    if (!workflow) return null;
    const { x, y, zoom } = flow.getViewport();
    return { ...workflow, viewport: { x, y, zoom } };
  }, [flow]);

  const save = useCallback(async () => {
    const workflow = documentToSave();
    if (!workflow) return;
    try {
      const saved = await api.workflows.save({ workflow });
      editorStore.getState().markSaved(saved);
      setError(null);
      setNotice('Saved.');
    } catch (cause) {
      setError(describeError(cause));
    }
  }, [documentToSave]);

  const startRun = async (request: RunRequest) => {
    setShowRunDialog(false);
    const workflow = documentToSave();
    if (!workflow) return;
    try {
      // A run always uses what is on the canvas: the server saves it and runs that saved version, in one call.
      const { run, workflow: saved } = await api.runs.saveAndStart({
        workflow,
        projectDir: request.projectDir,
        inputs: request.inputs,
        // Runs started here pause at the workflow's breakpoints (the CLI's only with --break).
        breakpoints: runnableBreakpoints(workflow),
      });
      editorStore.getState().markSaved(saved);
      followRun(
        run,
        saved.nodes.map((node) => node.id),
      );
      setSidePanel('run');
      setError(null);
    } catch (cause) {
      setError(describeError(cause));
    }
  };

  const saveAs = async () => {
    const workflow = documentToSave();
    const newName = workflow ? window.prompt('Save a copy as', `${workflow.name} copy`) : null;
    if (!workflow || !newName?.trim()) return;
    try {
      const now = new Date().toISOString();
      const saved = await api.workflows.save({
        workflow: { ...workflow, id: `wf-${crypto.randomUUID()}`, name: newName.trim(), createdAt: now },
      });
      editorStore.getState().load(saved);
      go('builder', saved.id);
      setNotice(`Saved as “${saved.name}”.`);
    } catch (cause) {
      setError(describeError(cause));
    }
  };

  const arrange = useCallback(() => {
    autoLayout().catch((cause: unknown) => setError(`Auto-layout failed: ${describeError(cause)}`));
  }, [autoLayout]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTypingTarget(event.target)) return;
      const state = editorStore.getState();
      dispatchShortcut(event, {
        save: () => void save(),
        undo: () => state.undo(),
        redo: () => state.redo(),
        copy: () => {
          const payload = state.copySelection();
          if (!payload) return false;
          writeClipboard(JSON.stringify(payload));
          setNotice(`Copied ${payload.nodes.length} node(s).`);
        },
        paste: () => {
          const payload = parseClipboard(readClipboard() ?? '');
          if (!payload) return false;
          state.paste(payload);
        },
        duplicate: () => state.duplicateSelection(),
        'select-all': () => state.selectAll(),
        delete: () => state.removeSelected(),
        'auto-layout': arrange,
        fit: () => void flow.fitView({ padding: 0.2, duration: 200 }),
        'toggle-breakpoint': () => {
          if (!state.workflow || state.selectedNodeIds.length === 0) return false;
          for (const { breakpoint, on } of toggledNodeBreakpoints(state.workflow, state.selectedNodeIds))
            state.setBreakpoint(breakpoint, on);
        },
        'toggle-shortcuts': () => setShowShortcuts((shown) => !shown),
        'close-shortcuts': () => setShowShortcuts(false),
      });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [flow, save, arrange]);

  const exportDocument = () => {
    const workflow = documentToSave();
    if (!workflow) return;
    const slug =
      workflow.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'workflow';
    downloadText(`${slug}.warroom.json`, JSON.stringify(workflow, null, 2) + '\n');
  };

  if (loadedId !== workflowId) {
    return (
      <div className="editor-loading">
        <ErrorMessage error={error} />
        {error ? (
          <button type="button" className="button" onClick={() => go('builder')}>
            Back to all workflows
          </button>
        ) : (
          <p className="muted">Opening workflow…</p>
        )}
      </div>
    );
  }

  return (
    <div className="editor">
      <EditorToolbar
        onAutoLayout={arrange}
        onShowShortcuts={() => setShowShortcuts(true)}
        onExport={exportDocument}
        onSaveAs={() => void saveAs()}
        onSave={() => void save()}
        onRun={() => setShowRunDialog(true)}
      />
      <ErrorMessage error={error} />
      {notice ? (
        <div className="editor-notice" role="status" onAnimationEnd={() => setNotice(null)}>
          {notice}
        </div>
      ) : null}
      <div className="editor-body">
        <Palette />
        <div className="editor-center">
          <DebuggerBar />
          <Canvas onNotice={setNotice} />
          <ProblemsPanel />
        </div>
        <div className="side-column">
          {hasRun ? (
            <TabList
              tabs={SIDE_PANELS}
              selected={sidePanel}
              onSelect={setSidePanel}
              className="side-tabs"
              tabClassName="side-tab"
            />
          ) : null}
          {hasRun && sidePanel === 'run' ? <RunPanel /> : <Inspector />}
        </div>
      </div>
      {showRunDialog ? (
        <RunDialog
          workflow={editorStore.getState().workflow as Workflow}
          onStart={(request) => void startRun(request)}
          onCancel={() => setShowRunDialog(false)}
        />
      ) : null}
      {showShortcuts ? <ShortcutSheet onClose={() => setShowShortcuts(false)} /> : null}
    </div>
  );
}
