/** What the main process knows about the one renderer it trusts. */
export interface TrustedRenderer {
  webContentsId: number;
  /** The URL the main window was loaded from (a file: URL when packaged, the dev server in development). */
  rendererUrl: string;
}

export interface IpcSenderInfo {
  webContentsId: number;
  /** `event.senderFrame?.url`; null when the frame is gone. */
  frameUrl: string | null | undefined;
  /** True when the message came from the top frame, not an iframe. */
  isMainFrame: boolean;
}

/**
 * Every IPC message is checked before it is acted on: it must come from the main window's top frame,
 * showing our own page. A navigated-away or embedded frame must not reach the API.
 */
export function isTrustedSender(sender: IpcSenderInfo, trusted: TrustedRenderer): boolean {
  if (sender.webContentsId !== trusted.webContentsId || !sender.isMainFrame || !sender.frameUrl) return false;
  let actual: URL;
  let expected: URL;
  try {
    actual = new URL(sender.frameUrl);
    expected = new URL(trusted.rendererUrl);
  } catch {
    return false;
  }
  if (expected.protocol === 'file:') return actual.protocol === 'file:' && actual.pathname === expected.pathname;
  return actual.origin === expected.origin;
}
