/**
 * Names used to set up the Electron transport. The renderer posts a MessagePort to its preload with
 * API_PORT_REQUEST; the preload hands it to the main process on ELECTRON_API_PORT_CHANNEL, and from
 * then on the API runs over that port.
 */
export const API_PORT_REQUEST = 'warroom:connect-api';
export const ELECTRON_API_PORT_CHANNEL = 'warroom:api-port';

/** What the preload exposes on `window.warroomHost`; its presence means "running in Electron". */
export interface DesktopHostBridge {
  readonly kind: 'electron';
  readonly platform: string;
}

/** The WebSocket path of the API in browser mode. */
export const BROWSER_API_PATH = '/api';
