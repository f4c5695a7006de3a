/**
 * The Builder's shortcuts, listed once: the key handler matches key presses against this table and
 * the cheat sheet is printed from it, so the two cannot disagree. Pointer gestures are handled by the
 * canvas itself and are listed here only for the cheat sheet.
 */

export type ShortcutAction =
  | 'save'
  | 'undo'
  | 'redo'
  | 'copy'
  | 'paste'
  | 'duplicate'
  | 'select-all'
  | 'delete'
  | 'auto-layout'
  | 'fit'
  | 'toggle-breakpoint'
  | 'toggle-shortcuts'
  | 'close-shortcuts';

/** `Mod` is Ctrl, or Cmd on a Mac; the last part is the key as `KeyboardEvent.key` names it. */
type KeySpec = string;

export type Shortcut =
  { keys: readonly KeySpec[]; label: string; action: ShortcutAction } | { gesture: string; label: string };

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['Mod+S'], label: 'Save', action: 'save' },
  { keys: ['Mod+Z'], label: 'Undo', action: 'undo' },
  { keys: ['Mod+Shift+Z', 'Mod+Y'], label: 'Redo', action: 'redo' },
  { keys: ['Mod+C'], label: 'Copy nodes (to paste here or into another workflow)', action: 'copy' },
  { keys: ['Mod+V'], label: 'Paste nodes', action: 'paste' },
  { keys: ['Mod+D'], label: 'Duplicate selection', action: 'duplicate' },
  { keys: ['Mod+A'], label: 'Select all', action: 'select-all' },
  { keys: ['Delete', 'Backspace'], label: 'Delete selection', action: 'delete' },
  { gesture: 'Shift + drag', label: 'Box select' },
  { gesture: 'Ctrl/Cmd + click', label: 'Add to selection' },
  { keys: ['L'], label: 'Auto-layout', action: 'auto-layout' },
  { keys: ['F'], label: 'Zoom to fit', action: 'fit' },
  {
    keys: ['F9'],
    label: 'Toggle a breakpoint on the selected nodes (pause before they run)',
    action: 'toggle-breakpoint',
  },
  { gesture: 'Right-click a node', label: 'Breakpoints on that node' },
  { gesture: 'Double-click a node name', label: 'Rename inline' },
  { keys: ['?'], label: 'This list', action: 'toggle-shortcuts' },
  { keys: ['Escape'], label: 'Close this list', action: 'close-shortcuts' },
];

interface Chord {
  key: string;
  mod: boolean;
  shift: boolean;
}

function chordOf(spec: KeySpec): Chord {
  const parts = spec.split('+');
  const key = parts.at(-1) ?? '';
  return { key: key.toLowerCase(), mod: parts.includes('Mod'), shift: parts.includes('Shift') };
}

/** The table's key specs as the cheat sheet prints them: `Ctrl/Cmd + Shift + Z`. */
function describeKeys(spec: KeySpec): string {
  return spec
    .split('+')
    .map((part) => (part === 'Mod' ? 'Ctrl/Cmd' : part))
    .join(' + ');
}

export function cheatSheetRows(): Array<{ keys: string; label: string }> {
  return SHORTCUTS.map((shortcut) => ({
    keys: 'gesture' in shortcut ? shortcut.gesture : shortcut.keys.map(describeKeys).join(', '),
    label: shortcut.label,
  }));
}

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

const CHORDS = SHORTCUTS.flatMap((shortcut) =>
  'keys' in shortcut ? shortcut.keys.map((spec) => ({ chord: chordOf(spec), action: shortcut.action })) : [],
);

/**
 * The action a key press asks for, or null. Shift counts only for letters: `?` needs Shift on most
 * keyboards, and saying so in the table would make it wrong on the others.
 */
export function shortcutFor(press: KeyPress): ShortcutAction | null {
  const key = press.key.toLowerCase();
  const mod = press.ctrlKey || press.metaKey;
  const isLetter = /^[a-z]$/.test(key);
  const match = CHORDS.find(
    ({ chord }) => chord.key === key && chord.mod === mod && (!isLetter || chord.shift === press.shiftKey),
  );
  return match?.action ?? null;
}

/**
 * Runs the action a key press asks for. An action returns false when it had nothing to do (copy with
 * nothing selected), so the browser's own behaviour for the key is kept.
 */
export function dispatchShortcut(
  press: KeyPress & { preventDefault(): void },
  actions: Record<ShortcutAction, () => unknown>,
): ShortcutAction | null {
  const action = shortcutFor(press);
  if (!action) return null;
  if (actions[action]() !== false) press.preventDefault();
  return action;
}

/** True when the key event belongs to a text field, where shortcuts must not fire. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
