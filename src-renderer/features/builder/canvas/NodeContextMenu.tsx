import { useEffect, useRef } from 'react';
import type { Breakpoint } from '@shared/breakpoints';
import { breakpointOn } from '../document/breakpoints';
import { editorStore, useEditor } from '../document/editor';

export interface NodeMenuAnchor {
  nodeId: string;
  x: number;
  y: number;
}

/** A node's right-click menu: its breakpoints (a loop's iteration is set in the inspector). */
export function NodeContextMenu({ anchor, onClose }: { anchor: NodeMenuAnchor; onClose(): void }) {
  const { nodeId } = anchor;
  const kind = useEditor((state) => state.workflow?.nodes.find((node) => node.id === nodeId)?.kind);
  const beforeNode = useEditor((state) => breakpointOn(state.workflow, nodeId, 'node') !== undefined);
  const beforeTools = useEditor((state) => breakpointOn(state.workflow, nodeId, 'tool') !== undefined);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    menu.current?.querySelector<HTMLElement>('[role^="menuitem"]')?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!menu.current?.contains(event.target as Node)) onClose();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [onClose]);

  const set = (breakpoint: Breakpoint, on: boolean) => {
    editorStore.getState().setBreakpoint(breakpoint, on);
    onClose();
  };

  return (
    <div
      ref={menu}
      className="node-context-menu"
      role="menu"
      aria-label={`Node ${nodeId}`}
      style={{ left: anchor.x, top: anchor.y }}
    >
      <button
        type="button"
        role="menuitemcheckbox"
        aria-checked={beforeNode}
        onClick={() => set({ kind: 'node', nodeId }, !beforeNode)}
      >
        {beforeNode ? 'Remove breakpoint' : 'Add breakpoint (pause before it runs)'} <kbd>F9</kbd>
      </button>
      {kind === 'agent' || kind === 'team' ? (
        <button
          type="button"
          role="menuitemcheckbox"
          aria-checked={beforeTools}
          onClick={() => set({ kind: 'tool', nodeId }, !beforeTools)}
        >
          {beforeTools ? 'Stop pausing before tool calls' : 'Pause before each tool call'}
        </button>
      ) : null}
    </div>
  );
}
