import { findNodeKind } from '@shared/node-kinds';

export interface NodeSize {
  width: number;
  height: number;
}

/** The canvas node's minimum width (see .canvas-node in theme.css). */
const NODE_WIDTH = 180;

/**
 * A node's size before the canvas has measured it: a header and kind line, then a row per port on its
 * busier side. The canvas uses it to skip off-screen nodes on first render, and auto-layout for nodes
 * never drawn.
 */
export function estimatedNodeSize(kind: string): NodeSize {
  const descriptor = findNodeKind(kind);
  const rows = Math.max(descriptor?.inputs.length ?? 0, descriptor?.outputs.length ?? 0, 1);
  return { width: NODE_WIDTH, height: 56 + rows * 20 };
}
