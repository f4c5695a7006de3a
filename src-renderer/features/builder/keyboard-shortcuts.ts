/** The Builder's keyboard shortcuts, listed once for the handler and the cheat sheet. */
export const SHORTCUTS: ReadonlyArray<{ keys: string; action: string }> = [
  { keys: 'Ctrl/Cmd + S', action: 'Save' },
  { keys: 'Ctrl/Cmd + Z', action: 'Undo' },
  { keys: 'Ctrl/Cmd + Shift + Z, Ctrl + Y', action: 'Redo' },
  { keys: 'Ctrl/Cmd + C / V', action: 'Copy / paste nodes (also into another workflow)' },
  { keys: 'Ctrl/Cmd + D', action: 'Duplicate selection' },
  { keys: 'Ctrl/Cmd + A', action: 'Select all' },
  { keys: 'Delete, Backspace', action: 'Delete selection' },
  { keys: 'Shift + drag', action: 'Box select' },
  { keys: 'Ctrl/Cmd + click', action: 'Add to selection' },
  { keys: 'L', action: 'Auto-layout' },
  { keys: 'F', action: 'Zoom to fit' },
  { keys: 'Double-click a node name', action: 'Rename inline' },
  { keys: '?', action: 'This list' },
];

/** True when the key event belongs to a text field, where shortcuts must not fire. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
