import { contextBridge, ipcRenderer } from 'electron';
import { API_PORT_REQUEST, ELECTRON_API_PORT_CHANNEL, type DesktopHostBridge } from '@shared/transport';

/**
 * The whole preload surface: a marker that says "desktop host", and the hand-over of the renderer's
 * MessagePort to the main process. No generic invoke/send is exposed.
 */
window.addEventListener('message', (event: MessageEvent) => {
  // Only the page itself (not a frame inside it) may open the API channel.
  if (event.source !== window || event.data !== API_PORT_REQUEST) return;
  const [port] = event.ports;
  if (port) ipcRenderer.postMessage(ELECTRON_API_PORT_CHANNEL, null, [port]);
});

const bridge: DesktopHostBridge = { kind: 'electron', platform: process.platform };
contextBridge.exposeInMainWorld('warroomHost', bridge);
