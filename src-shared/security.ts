/**
 * The renderer's Content-Security-Policy. The build writes it into index.html as a meta tag (so the
 * desktop window, loaded from a file, has it), and browser mode also sends it as a header with the
 * directives a meta tag cannot carry. Scripts come only from the app itself; inline styles are allowed
 * because the canvas library positions nodes with style attributes.
 */
export const RENDERER_CSP_DIRECTIVES: readonly string[] = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

/** Directives that only work as an HTTP header. */
export const HEADER_ONLY_CSP_DIRECTIVES: readonly string[] = ["frame-ancestors 'none'"];
