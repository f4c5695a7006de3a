import { app, BrowserWindow, ipcMain, Notification, safeStorage, session, shell } from 'electron';
import { fileURLToPath } from 'node:url';
import { createWarRoom, type WarRoom } from '../../app';
import { createRouter } from '../../api/router';
import { resolveProfileDir } from '../../profile';
import type { SecretCipher } from '../../store/secret-store';
import { isAllowedExternalUrl } from './external-links';
import { bindApiToIpc } from './ipc-binding';
import { isTrustedSender } from './sender-check';
import { createMainWindowOptions } from './window-options';
import { showHealthNotifications } from './health-notifications';

const profileDir = resolveProfileDir();
// Keep Chromium's own data (cache, local storage) inside the same profile as the database.
app.setPath('userData', profileDir);

if (!app.requestSingleInstanceLock()) {
  // Another window owns this profile (and its database, which has one writer); it gets focused instead.
  app.quit();
} else {
  void start();
}

function keychainCipher(): SecretCipher | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  return {
    scheme: 'electron-safe-storage',
    encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: (encoded) => safeStorage.decryptString(Buffer.from(encoded, 'base64')),
  };
}

function rendererUrl(): string {
  const devServer = process.env.ELECTRON_RENDERER_URL;
  if (!app.isPackaged && devServer) return devServer;
  return new URL('../renderer/index.html', import.meta.url).href;
}

async function start(): Promise<void> {
  await app.whenReady();
  let warRoom: WarRoom;
  try {
    warRoom = createWarRoom({
      profileDir,
      host: 'electron',
      version: app.getVersion(),
      secretCipher: keychainCipher(),
      versions: { electron: process.versions.electron ?? '', chrome: process.versions.chrome ?? '' },
      monitorHealth: true,
    });
  } catch (error) {
    const { dialog } = await import('electron');
    dialog.showErrorBox('War Room cannot start', error instanceof Error ? error.message : String(error));
    app.exit(1);
    return;
  }

  // No web permission (camera, notifications, geolocation…) is needed by War Room: refuse them all.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  const url = rendererUrl();
  const window = new BrowserWindow(
    createMainWindowOptions(fileURLToPath(new URL('../preload/index.cjs', import.meta.url))),
  );
  const unbind = bindApiToIpc(ipcMain, createRouter(warRoom), {
    isTrusted: (sender) => isTrustedSender(sender, { webContentsId: window.webContents.id, rendererUrl: url }),
    onRefused: (sender) => console.warn('[warroom] refused an API port from an untrusted frame:', sender.frameUrl),
  });

  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url: target }) => {
    if (isAllowedExternalUrl(target)) void shell.openExternal(target);
    return { action: 'deny' };
  });
  window.once('ready-to-show', () => window.show());

  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  const stopNotifications = showHealthNotifications(warRoom.sentinel, {
    isSupported: () => Notification.isSupported(),
    show: (notice) => new Notification(notice).show(),
  });
  app.on('will-quit', () => {
    stopNotifications();
    unbind();
    warRoom.close();
  });

  if (url.startsWith('file:')) await window.loadFile(fileURLToPath(url));
  else await window.loadURL(url);
}
