import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createORPCClient } from '@orpc/client';
import { RPCLink as MessagePortLink } from '@orpc/client/message-port';
import { createWarRoom } from '../../app';
import { createRouter } from '../../api/router';
import { FakeIpcMain, makeTempProfile, TRUSTED_RENDERER, type ApiClient } from '../testing/transports';
import { bindApiToIpc } from './ipc-binding';
import { isAllowedExternalUrl } from './external-links';
import { isTrustedSender } from './sender-check';
import { createMainWindowOptions } from './window-options';

describe('main window options', () => {
  it('locks the renderer down', () => {
    const options = createMainWindowOptions('/app/out/preload/index.cjs');
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('IPC sender check', () => {
  const trusted = TRUSTED_RENDERER;
  const good = { webContentsId: 1, frameUrl: `${trusted.rendererUrl}#/settings`, isMainFrame: true };

  it('accepts the main window showing our page', () => {
    expect(isTrustedSender(good, trusted)).toBe(true);
  });

  it.each([
    ['another window', { ...good, webContentsId: 2 }],
    ['a subframe', { ...good, isMainFrame: false }],
    ['a frame that is gone', { ...good, frameUrl: null }],
    ['a remote page', { ...good, frameUrl: 'https://evil.example/' }],
    ['another local file', { ...good, frameUrl: 'file:///tmp/evil.html' }],
    ['garbage', { ...good, frameUrl: 'not a url' }],
  ])('refuses %s', (_label, sender) => {
    expect(isTrustedSender(sender, trusted)).toBe(false);
  });

  it('compares origins for the development server', () => {
    const dev = { webContentsId: 1, rendererUrl: 'http://localhost:5173/' };
    expect(isTrustedSender({ ...good, frameUrl: 'http://localhost:5173/#/runs' }, dev)).toBe(true);
    expect(isTrustedSender({ ...good, frameUrl: 'http://localhost:5174/' }, dev)).toBe(false);
  });
});

describe('IPC binding', () => {
  it('ignores a port sent by an untrusted frame: a real client on it gets no answer', async () => {
    const app = createWarRoom({ profileDir: makeTempProfile(), host: 'electron', version: 'test' });
    const ipcMain = new FakeIpcMain();
    const refused: Array<string | null | undefined> = [];
    const unbind = bindApiToIpc(ipcMain, createRouter(app), {
      isTrusted: (sender) => isTrustedSender(sender, TRUSTED_RENDERER),
      onRefused: (sender) => refused.push(sender.frameUrl),
    });
    const connect = (frameUrl: string) => {
      const channel = new MessageChannel();
      ipcMain.sendPort({ ports: [channel.port1], sender: { id: 1 }, senderFrame: { url: frameUrl, parent: null } });
      const link = new MessagePortLink({ port: channel.port2 });
      channel.port2.start();
      return { client: createORPCClient<ApiClient>(link), channel };
    };

    const evil = connect('https://evil.example/');
    const controller = new AbortController();
    const unanswered = evil.client.app.info(undefined, { signal: controller.signal }).then(
      () => 'answered',
      () => 'no answer',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();
    expect(await unanswered).toBe('no answer');
    expect(refused).toEqual(['https://evil.example/']);

    const good = connect(TRUSTED_RENDERER.rendererUrl);
    expect((await good.client.app.info()).host).toBe('electron');

    for (const { channel } of [evil, good]) {
      channel.port1.close();
      channel.port2.close();
    }
    unbind();
    app.close();
  });
});

describe('external links', () => {
  it.each(['https://docs.anthropic.com/en/api', 'https://github.com/warroom/issues'])('opens %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });
  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'https://evil.example/',
    'https://github.com.evil.example/',
    'https://user:pass@github.com/',
    'smb://github.com/share',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });
});
