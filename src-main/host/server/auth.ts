import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A fresh secret for one launch of browser mode. */
export function createLaunchToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokensMatch(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The cookie name carries the port, so two instances on one machine do not overwrite each other. */
export function tokenCookieName(port: number): string {
  return `warroom_token_${port}`;
}

export function readCookie(request: IncomingMessage, name: string): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return null;
}

export interface RequestCheck {
  ok: boolean;
  status: number;
  reason: string;
  /** The token came in the query string (so the server should set the cookie). */
  viaQuery: boolean;
}

/**
 * Decides whether a request may reach the app. Three guards, each against a different attack:
 * the Host header (DNS rebinding), the Origin header (another site's page driving the API), and the
 * per-launch token (another local user or process that does not know it).
 */
export function checkRequest(request: IncomingMessage, url: URL, port: number, token: string): RequestCheck {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!allowedHosts.includes(request.headers.host ?? '')) {
    return { ok: false, status: 403, reason: 'unexpected Host header', viaQuery: false };
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !allowedHosts.some((host) => origin === `http://${host}`)) {
    return { ok: false, status: 403, reason: 'cross-origin requests are refused', viaQuery: false };
  }
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null) {
    return tokensMatch(token, fromQuery)
      ? { ok: true, status: 200, reason: '', viaQuery: true }
      : { ok: false, status: 401, reason: 'wrong token', viaQuery: true };
  }
  if (tokensMatch(token, readCookie(request, tokenCookieName(port)))) {
    return { ok: true, status: 200, reason: '', viaQuery: false };
  }
  return { ok: false, status: 401, reason: 'missing token', viaQuery: false };
}
