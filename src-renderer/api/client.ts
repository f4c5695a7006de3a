import { createORPCClient } from '@orpc/client';
import { RPCLink as MessagePortLink } from '@orpc/client/message-port';
import { RPCLink as WebSocketLink } from '@orpc/client/websocket';
import type { ContractRouterClient } from '@orpc/contract';
import { WebSocket as ReconnectingWebSocket } from 'partysocket';
import type { Contract } from '@shared/contract';
import { API_PORT_REQUEST, BROWSER_API_PATH, type DesktopHostBridge } from '@shared/transport';

export type ApiClient = ContractRouterClient<Contract>;
export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface ApiConnection {
  client: ApiClient;
  transport: 'electron' | 'websocket';
  /** Calls `listener` now and on every change of the connection state. */
  onStateChange(listener: (state: ConnectionState) => void): () => void;
}

declare global {
  interface Window {
    warroomHost?: DesktopHostBridge;
  }
}

/**
 * The single API client. In the desktop app it talks over a MessagePort to the main process; in
 * browser mode over a WebSocket that reconnects by itself. Nothing else in the UI knows which.
 */
export function connectApi(): ApiConnection {
  return window.warroomHost?.kind === 'electron' ? connectOverMessagePort() : connectOverWebSocket();
}

function connectOverMessagePort(): ApiConnection {
  const channel = new MessageChannel();
  window.postMessage(API_PORT_REQUEST, window.location.origin === 'null' ? '*' : window.location.origin, [
    channel.port2,
  ]);
  const link = new MessagePortLink({ port: channel.port1 });
  channel.port1.start();
  return {
    client: createORPCClient(link),
    transport: 'electron',
    onStateChange(listener) {
      listener('connected');
      return () => {};
    },
  };
}

function connectOverWebSocket(): ApiConnection {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  // The server authenticated the page with the launch token and set an HttpOnly cookie, which the
  // socket sends by itself. Drop the token from the address bar so it is not bookmarked or shared.
  if (new URL(window.location.href).searchParams.has('token')) {
    window.history.replaceState(null, '', window.location.pathname + window.location.hash);
  }
  const socket = new ReconnectingWebSocket(`${scheme}://${window.location.host}${BROWSER_API_PATH}`, [], {
    maxReconnectionDelay: 5000,
    minReconnectionDelay: 250,
  });
  let state: ConnectionState = 'connecting';
  const listeners = new Set<(state: ConnectionState) => void>();
  const setState = (next: ConnectionState) => {
    state = next;
    for (const listener of listeners) listener(next);
  };
  socket.addEventListener('open', () => setState('connected'));
  socket.addEventListener('close', () => setState('disconnected'));
  return {
    client: createORPCClient(new WebSocketLink({ websocket: socket })),
    transport: 'websocket',
    onStateChange(listener) {
      listeners.add(listener);
      listener(state);
      return () => listeners.delete(listener);
    },
  };
}
