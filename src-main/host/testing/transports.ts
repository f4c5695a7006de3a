import { createORPCClient } from '@orpc/client';
import { RPCLink as MessagePortLink } from '@orpc/client/message-port';
import { RPCLink as WebSocketLink } from '@orpc/client/websocket';
import type { ContractRouterClient } from '@orpc/contract';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import WebSocket from 'ws';
import type { Contract } from '@shared/contract';
import { ELECTRON_API_PORT_CHANNEL } from '@shared/transport';
import { createWarRoom, type WarRoom } from '../../app';
import { createRouter } from '../../api/router';
import { makeTempProfile } from '../../testing/temp-profile';
import { bindApiToIpc, type IpcPortEvent } from '../electron/ipc-binding';
import { isTrustedSender } from '../electron/sender-check';
import { startBrowserServer } from '../server/browser-server';

/**
 * Test support: the same API client over each real transport, bound to a real app on a throwaway
 * profile. Contract tests run one suite against every entry of TRANSPORTS.
 */
export type ApiClient = ContractRouterClient<Contract>;

export interface ConnectedClient {
  client: ApiClient;
  app: WarRoom;
  close(): Promise<void>;
}

export function makeRendererDir(): string {
  const dir = makeTempProfile('warroom-renderer-');
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>War Room test page</title>');
  return dir;
}

export async function connectOverWebSocket(profileDir = makeTempProfile()): Promise<ConnectedClient> {
  const app = createWarRoom({ profileDir, host: 'browser', version: '0.0.0-test' });
  const server = await startBrowserServer({ app, rendererDir: makeRendererDir(), port: 0, logError: () => {} });
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    client: createORPCClient(new WebSocketLink({ websocket: socket as unknown as globalThis.WebSocket })),
    app,
    close: async () => {
      socket.close();
      await server.close();
      app.close();
    },
  };
}

/** A stand-in for Electron's ipcMain: the binding only needs `on`/`removeListener`. */
export class FakeIpcMain extends EventEmitter {
  sendPort(event: IpcPortEvent): void {
    this.emit(ELECTRON_API_PORT_CHANNEL, event);
  }
}

export const TRUSTED_RENDERER = { webContentsId: 1, rendererUrl: 'file:///opt/warroom/out/renderer/index.html' };

export async function connectOverIpc(
  profileDir = makeTempProfile(),
): Promise<ConnectedClient & { ipcMain: FakeIpcMain }> {
  const app = createWarRoom({ profileDir, host: 'electron', version: '0.0.0-test' });
  const ipcMain = new FakeIpcMain();
  const unbind = bindApiToIpc(ipcMain, createRouter(app, { logError: () => {} }), {
    isTrusted: (sender) => isTrustedSender(sender, TRUSTED_RENDERER),
  });
  const channel = new MessageChannel();
  ipcMain.sendPort({
    ports: [channel.port1],
    sender: { id: TRUSTED_RENDERER.webContentsId },
    senderFrame: { url: TRUSTED_RENDERER.rendererUrl, parent: null },
  });
  const link = new MessagePortLink({ port: channel.port2 });
  channel.port2.start();
  return {
    client: createORPCClient(link),
    app,
    ipcMain,
    close: async () => {
      unbind();
      channel.port1.close();
      channel.port2.close();
      app.close();
    },
  };
}

export const TRANSPORTS = [
  { name: 'WebSocket (browser mode)', connect: connectOverWebSocket },
  { name: 'MessagePort (Electron IPC)', connect: connectOverIpc },
] as const;

export { makeTempProfile };
