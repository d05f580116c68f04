/**
 * The renderer's Content-Security-Policy: no remote origins, no inline script
 * or style, no eval, no network from the renderer (connect-src 'none').
 * Served as a response header by the app:// handler, and also injected as a
 * <meta> at build time (defence in depth; frame-ancestors only works as a header).
 */
export const CSP_DIRECTIVES: readonly string[] = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "media-src 'none'",
  "object-src 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "manifest-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

export const RENDERER_CSP = CSP_DIRECTIVES.join('; ');

/** The subset a <meta http-equiv> may carry (frame-ancestors is header-only). */
export const RENDERER_CSP_META = CSP_DIRECTIVES.filter((d) => !d.startsWith('frame-ancestors')).join('; ');
