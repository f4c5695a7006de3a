import { useReactFlow } from '@xyflow/react';
import { useCallback } from 'react';
import type { WorkflowNode } from '@shared/workflow';
import { editorStore } from '../document/editor';
import { layoutWorkflow } from './auto-layout';
import { layoutEngine } from './layout-engine';
import { estimatedNodeSize, type NodeSize } from './node-size';

/** Lays the open workflow out (one undo step) and frames the result. */
export function useAutoLayout(): () => Promise<void> {
  const flow = useReactFlow();
  return useCallback(async () => {
    const workflow = editorStore.getState().workflow;
    if (!workflow) return;
    // Nodes drawn on the canvas have their real size; those never scrolled into view, an estimate.
    const sizeOf = (node: WorkflowNode): NodeSize => {
      const measured = flow.getNode(node.id)?.measured;
      return measured?.width && measured.height
        ? { width: measured.width, height: measured.height }
        : estimatedNodeSize(node.kind);
    };
    const positions = await layoutWorkflow(workflow, sizeOf, layoutEngine());
    if (editorStore.getState().workflow?.id !== workflow.id) return;
    editorStore.getState().applyLayout(positions);
    requestAnimationFrame(() => void flow.fitView({ padding: 0.2 }));
  }, [flow]);
}
