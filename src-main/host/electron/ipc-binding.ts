import { RPCHandler } from '@orpc/server/message-port';
import type { SupportedMessagePort } from '@orpc/client/message-port';
import { ELECTRON_API_PORT_CHANNEL } from '@shared/transport';
import type { AppRouter } from '../../api/router';
import type { IpcSenderInfo } from './sender-check';

/** The slice of Electron's ipcMain this binding uses; tests pass an EventEmitter with the same shape. */
export interface IpcMainLike {
  on(channel: string, listener: (event: IpcPortEvent) => void): unknown;
  removeListener(channel: string, listener: (event: IpcPortEvent) => void): unknown;
}

export interface IpcPortEvent {
  ports: readonly (SupportedMessagePort & { start?: () => void })[];
  sender: { id: number };
  senderFrame?: { url: string; parent?: unknown } | null;
}

export interface IpcBindingOptions {
  isTrusted(sender: IpcSenderInfo): boolean;
  onRefused?(sender: IpcSenderInfo): void;
}

/**
 * Serves the API over MessagePorts handed to the main process by the preload. A port from an
 * untrusted sender is ignored (and reported), so nothing it sends is ever parsed.
 */
export function bindApiToIpc(ipcMain: IpcMainLike, router: AppRouter, options: IpcBindingOptions): () => void {
  const handler = new RPCHandler(router);
  const listener = (event: IpcPortEvent) => {
    const sender: IpcSenderInfo = {
      webContentsId: event.sender.id,
      frameUrl: event.senderFrame?.url,
      isMainFrame: event.senderFrame != null && event.senderFrame.parent == null,
    };
    const [port] = event.ports;
    if (!port || !options.isTrusted(sender)) {
      options.onRefused?.(sender);
      return;
    }
    handler.upgrade(port);
    port.start?.();
  };
  ipcMain.on(ELECTRON_API_PORT_CHANNEL, listener);
  return () => ipcMain.removeListener(ELECTRON_API_PORT_CHANNEL, listener);
}
