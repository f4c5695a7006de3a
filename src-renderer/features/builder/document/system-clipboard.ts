const CLIPBOARD_KEY = 'warroom.builder.clipboard';

/**
 * Copied nodes are kept in local storage as well as the system clipboard, so paste works across
 * workflows and reloads even where the page may not read the system clipboard.
 */
export function writeClipboard(text: string): void {
  window.localStorage.setItem(CLIPBOARD_KEY, text);
  void navigator.clipboard?.writeText(text).catch(() => undefined);
}

export function readClipboard(): string | null {
  return window.localStorage.getItem(CLIPBOARD_KEY);
}
