import { useStore } from 'zustand';
import { createEditorStore, type EditorActions, type EditorState } from './editor-store';

/** The Builder's one document store; components select narrow slices of it. */
export const editorStore = createEditorStore();

export function useEditor<T>(selector: (state: EditorState & EditorActions) => T): T {
  return useStore(editorStore, selector);
}
