import { cheatSheetRows } from './keyboard-shortcuts';

/** The cheat sheet, printed from the same table the key handler reads. */
export function ShortcutSheet({ onClose }: { onClose(): void }) {
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal" role="dialog" aria-label="Keyboard shortcuts" onClick={(event) => event.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table className="shortcut-table">
          <tbody>
            {cheatSheetRows().map((row) => (
              <tr key={row.label}>
                <td>
                  <kbd>{row.keys}</kbd>
                </td>
                <td>{row.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
