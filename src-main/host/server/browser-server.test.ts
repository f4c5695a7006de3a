import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createWarRoom, type WarRoom } from '../../app';
import { makeRendererDir, makeTempProfile } from '../testing/transports';
import { PortInUseError, startBrowserServer, type BrowserServer } from './browser-server';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
  });
}

/** Opens a WebSocket and resolves with "open" or the HTTP status the upgrade was refused with. */
function tryWebSocket(url: string, headers: Record<string, string> = {}): Promise<'open' | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => {
      socket.close();
      resolve('open');
    });
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', () => resolve(-1));
  });
}

describe('browser mode server', () => {
  let app: WarRoom;
  let server: BrowserServer;
  const started: Array<{ close(): Promise<void> | void }> = [];

  async function start(options: { port?: number; portIsExplicit?: boolean } = { port: 0 }) {
    app = createWarRoom({ profileDir: makeTempProfile(), host: 'browser', version: 'test' });
    server = await startBrowserServer({ app, rendererDir: makeRendererDir(), logError: () => {}, ...options });
    started.push(server, { close: () => app.close() });
    return server;
  }

  afterEach(async () => {
    for (const item of started.splice(0).reverse()) await item.close();
  });

  it('listens on 127.0.0.1 only and prints a URL carrying the token', async () => {
    const { url, port, token } = await start();
    expect(url).toBe(`http://127.0.0.1:${port}/?token=${token}`);
    expect(token.length).toBeGreaterThanOrEqual(32);
    const other = createWarRoom({ profileDir: makeTempProfile(), host: 'browser', version: 'test' });
    const second = await startBrowserServer({ app: other, rendererDir: makeRendererDir(), port: 0 });
    started.push(second, { close: () => other.close() });
    expect(second.token).not.toBe(token);
  });

  it('serves the page for the right token, sets an HttpOnly cookie, and then accepts the cookie', async () => {
    const { port, token } = await start();
    const first = await get(port, `/?token=${token}`, { host: `127.0.0.1:${port}` });
    expect(first.status).toBe(200);
    expect(first.body).toContain('War Room test page');
    expect(first.headers['content-security-policy']).toContain("script-src 'self'");
    expect(first.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const again = await get(port, '/index.html', { cookie: cookie.split(';')[0] ?? '' });
    expect(again.status).toBe(200);
  });

  it('refuses a missing or wrong token, a foreign Origin, a foreign Host and path traversal', async () => {
    const { port, token } = await start();
    expect((await get(port, '/')).status).toBe(401);
    expect((await get(port, '/?token=wrong')).status).toBe(401);
    expect((await get(port, `/?token=${token}`, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await get(port, `/?token=${token}`, { host: `attacker.example:${port}` })).status).toBe(403);
    expect((await get(port, `/../../../../etc/passwd?token=${token}`)).status).toBe(404);
    expect((await get(port, `/%2e%2e/%2e%2e/etc/passwd?token=${token}`)).status).toBe(404);
  });

  it('refuses WebSockets without the token or from another origin, and gives them no data', async () => {
    const { port, token } = await start();
    expect(await tryWebSocket(`ws://127.0.0.1:${port}/api`)).toBe(401);
    expect(await tryWebSocket(`ws://127.0.0.1:${port}/api?token=nope`)).toBe(401);
    expect(await tryWebSocket(`ws://127.0.0.1:${port}/api?token=${token}`, { origin: 'https://evil.example' })).toBe(
      403,
    );
    expect(await tryWebSocket(`ws://127.0.0.1:${port}/elsewhere?token=${token}`)).toBe(404);
    expect(
      await tryWebSocket(`ws://127.0.0.1:${port}/api?token=${token}`, { origin: `http://127.0.0.1:${port}` }),
    ).toBe('open');
  });

  it('moves to the next port when the default is taken, and says so', async () => {
    const blocker = net.createServer();
    const blockedPort = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)),
    );
    started.push({ close: () => new Promise<void>((resolve) => blocker.close(() => resolve())) });
    const result = await start({ port: blockedPort });
    expect(result.port).toBeGreaterThan(blockedPort);
    expect(result.notice).toBe(`Port ${blockedPort} is in use; serving on port ${result.port} instead.`);
  });

  it('fails clearly when an explicitly requested port is taken', async () => {
    const blocker = net.createServer();
    const blockedPort = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)),
    );
    started.push({ close: () => new Promise<void>((resolve) => blocker.close(() => resolve())) });
    app = createWarRoom({ profileDir: makeTempProfile(), host: 'browser', version: 'test' });
    started.push({ close: () => app.close() });
    const attempt = startBrowserServer({
      app,
      rendererDir: makeRendererDir(),
      port: blockedPort,
      portIsExplicit: true,
    });
    await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
    await expect(attempt).rejects.toThrow(`Port ${blockedPort} on 127.0.0.1 is already in use`);
  });

  it('refuses to start without a built renderer', async () => {
    app = createWarRoom({ profileDir: makeTempProfile(), host: 'browser', version: 'test' });
    started.push({ close: () => app.close() });
    await expect(startBrowserServer({ app, rendererDir: makeTempProfile(), port: 0 })).rejects.toThrow(/npm run build/);
  });
});
