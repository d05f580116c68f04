/**
 * The renderer's Content-Security-Policy: no remote origins, no inline script
 * or style, no eval, no network from the renderer (connect-src 'none').
 * Sent as a response header by the app:// handler and written literally as a
 * <meta> in src/renderer/index.html (a unit test keeps the two equal), so a
 * scanner reading the shipped files sees the policy that applies.
 */

/** The origin the renderer is served from: the app's own standard scheme (main.ts registers it). */
export const RENDERER_ORIGIN = 'app://airlock';

export const CSP_DIRECTIVES: readonly string[] = [
  "default-src 'none'",
  // Scripts only from the bundled assets folder: narrower than 'self', which would
  // also admit any other file the app serves (and which scanners flag for that).
  `script-src ${RENDERER_ORIGIN}/assets/`,
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
