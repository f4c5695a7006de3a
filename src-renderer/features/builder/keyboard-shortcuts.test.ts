import { describe, expect, it } from 'vitest';
import { cheatSheetRows, dispatchShortcut, shortcutFor, SHORTCUTS, type ShortcutAction } from './keyboard-shortcuts';

/** The key press a spec in the table describes, as the browser would report it (Ctrl for `Mod`). */
function pressOf(spec: string, meta = false) {
  const parts = spec.split('+');
  const mod = parts.includes('Mod');
  return {
    key: parts.at(-1) ?? '',
    ctrlKey: mod && !meta,
    metaKey: mod && meta,
    shiftKey: parts.includes('Shift'),
  };
}

function recordingActions() {
  const calls: ShortcutAction[] = [];
  const actions = Object.fromEntries(
    SHORTCUTS.flatMap((shortcut) => ('action' in shortcut ? [shortcut.action] : [])).map((action) => [
      action,
      () => {
        calls.push(action);
      },
    ]),
  ) as Record<ShortcutAction, () => void>;
  return { calls, actions };
}

describe('keyboard shortcuts', () => {
  it('lists every table entry in the cheat sheet', () => {
    const rows = cheatSheetRows();
    expect(rows).toHaveLength(SHORTCUTS.length);
    for (const shortcut of SHORTCUTS) {
      expect(rows.some((row) => row.label === shortcut.label)).toBe(true);
    }
    expect(rows).toContainEqual({ keys: 'Ctrl/Cmd + Shift + Z, Ctrl/Cmd + Y', label: 'Redo' });
    expect(rows).toContainEqual({ keys: 'Delete, Backspace', label: 'Delete selection' });
    expect(rows).toContainEqual({ keys: 'Shift + drag', label: 'Box select' });
  });

  it('dispatches every key of every entry to its action, with Ctrl or Cmd', () => {
    for (const shortcut of SHORTCUTS) {
      if (!('keys' in shortcut)) continue;
      for (const spec of shortcut.keys) {
        for (const meta of [false, true]) {
          const { calls, actions } = recordingActions();
          let prevented = false;
          const action = dispatchShortcut(
            { ...pressOf(spec, meta), preventDefault: () => (prevented = true) },
            actions,
          );
          expect(action, spec).toBe(shortcut.action);
          expect(calls, spec).toEqual([shortcut.action]);
          expect(prevented, spec).toBe(true);
        }
      }
    }
  });

  it('tells undo from redo by Shift, needs the modifier where the table says so, and ignores Shift on "?"', () => {
    expect(shortcutFor(pressOf('Mod+Z'))).toBe('undo');
    expect(shortcutFor(pressOf('Mod+Shift+Z'))).toBe('redo');
    expect(shortcutFor({ key: 'Z', ctrlKey: true, metaKey: false, shiftKey: true })).toBe('redo');
    expect(shortcutFor(pressOf('S'))).toBeNull();
    expect(shortcutFor(pressOf('Mod+L'))).toBeNull();
    expect(shortcutFor({ key: '?', ctrlKey: false, metaKey: false, shiftKey: true })).toBe('toggle-shortcuts');
    expect(shortcutFor({ key: 'x', ctrlKey: false, metaKey: false, shiftKey: false })).toBeNull();
  });

  it("keeps the browser's behaviour when an action had nothing to do", () => {
    const { actions } = recordingActions();
    let prevented = false;
    const action = dispatchShortcut(
      { ...pressOf('Mod+C'), preventDefault: () => (prevented = true) },
      { ...actions, copy: () => false },
    );
    expect(action).toBe('copy');
    expect(prevented).toBe(false);
  });
});
