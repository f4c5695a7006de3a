import { RPCHandler } from '@orpc/server/ws';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { HEADER_ONLY_CSP_DIRECTIVES, RENDERER_CSP_DIRECTIVES } from '@shared/security';
import { BROWSER_API_PATH } from '@shared/transport';
import type { WarRoom } from '../../app';
import { createRouter } from '../../api/router';
import { checkRequest, createLaunchToken, tokenCookieName } from './auth';
import { resolveStaticFile } from './static-files';

export const DEFAULT_PORT = 4317;
/** How many ports after the default to try when the default is taken. */
const PORT_SEARCH_SPAN = 20;
const API_PATH = BROWSER_API_PATH;
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export interface BrowserServerOptions {
  app: WarRoom;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Port to listen on; 0 picks any free port. Defaults to DEFAULT_PORT. */
  port?: number;
  /** True when the user asked for this port: then a busy port is an error instead of a search. */
  portIsExplicit?: boolean;
  token?: string;
  logError?: (error: unknown) => void;
}

export interface BrowserServer {
  url: string;
  port: number;
  token: string;
  /** Set when the default port was taken and another one was used. */
  notice: string | null;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(
      `Port ${port} on 127.0.0.1 is already in use. Stop whatever uses it, or pick another with --port N (0 = any free port).`,
    );
    this.name = 'PortInUseError';
  }
}

/**
 * Browser mode: serves the built renderer and the API (over WebSocket) on 127.0.0.1 only, behind a
 * per-launch token, a Host check and an Origin check.
 */
export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  if (!fs.existsSync(`${options.rendererDir}/index.html`)) {
    throw new Error(`The renderer is not built (no ${options.rendererDir}/index.html). Run "npm run build" first.`);
  }
  const token = options.token ?? createLaunchToken();
  const logError = options.logError ?? ((error: unknown) => console.error('[warroom]', error));
  const rpc = new RPCHandler(createRouter(options.app, { logError }));
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let port = 0;

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const check = checkRequest(request, url, port, token);
    if (!check.ok) {
      response.writeHead(check.status, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`War Room refused this request (${check.reason}). Open the URL printed by "warroom serve".\n`);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = resolveStaticFile(options.rendererDir, url.pathname);
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    const headers: http.OutgoingHttpHeaders = {
      'content-type': file.contentType,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'content-security-policy': [...RENDERER_CSP_DIRECTIVES, ...HEADER_ONLY_CSP_DIRECTIVES].join('; '),
      'cache-control': file.contentType.startsWith('text/html') ? 'no-store' : 'private, max-age=3600',
    };
    if (check.viaQuery) {
      // Later requests (assets, the WebSocket) authenticate with this cookie, so the page can drop
      // the token from its address bar and scripts never see it.
      headers['set-cookie'] = `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    }
    response.writeHead(200, headers);
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    fs.createReadStream(file.filePath)
      .on('error', (error) => {
        logError(error);
        response.destroy();
      })
      .pipe(response);
  });

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const check = url.pathname === API_PATH ? checkRequest(request, url, port, token) : null;
    if (!check?.ok) {
      const status = check?.status ?? 404;
      socket.end(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      void rpc.upgrade(ws);
    });
  });

  const requested = options.port ?? DEFAULT_PORT;
  const explicit = options.portIsExplicit ?? false;
  let notice: string | null = null;
  for (let candidate = requested; ; candidate++) {
    try {
      port = await listen(server, candidate);
      if (candidate !== requested) notice = `Port ${requested} is in use; serving on port ${port} instead.`;
      break;
    } catch (error) {
      const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (!inUse) throw error;
      if (explicit || requested === 0 || candidate >= requested + PORT_SEARCH_SPAN) throw new PortInUseError(candidate);
    }
  }

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    notice,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}
