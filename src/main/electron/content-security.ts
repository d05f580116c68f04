/**
 * The renderer's Content-Security-Policy and the custom-scheme file server.
 * Pure functions over fetch's Request/Response so they are unit-tested in Node
 * and reused by the end-to-end harness (which serves the same bytes and headers).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { RENDERER_CSP, RENDERER_CSP_META, RENDERER_ORIGIN } from '../../shared/csp';

export { RENDERER_CSP } from '../../shared/csp';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': RENDERER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=()',
});

/**
 * The policy names the renderer's origin (script-src app://airlock/assets/).
 * Served from another origin — only the end-to-end harness does, from
 * https://airlock.test — the same policy is sent for that origin, in the
 * header and in index.html's <meta>; on app://airlock the bytes are untouched.
 */
function forOrigin(text: string, origin: string): string {
  return origin === RENDERER_ORIGIN ? text : text.replaceAll(RENDERER_ORIGIN, origin);
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * Resolve a request path inside `root`, or undefined when it escapes it.
 * "/" maps to index.html; there is no directory listing and no fallback.
 */
export function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const resolved = path.resolve(root, relative);
  const rootWithSep = path.resolve(root) + path.sep;
  return resolved.startsWith(rootWithSep) ? resolved : undefined;
}

/** Serve `root` for requests on the app's own host; everything else is 404. */
export function createRendererFileHandler(root: string, host: string) {
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.host !== host || request.method !== 'GET') return new Response('Not found', { status: 404 });
    const file = resolveInside(root, url.pathname);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const origin = `${url.protocol}//${url.host}`;
      const bytes = await readFile(file);
      const body =
        origin !== RENDERER_ORIGIN && path.extname(file) === '.html'
          ? bytes.toString('utf8').replaceAll(RENDERER_CSP_META, forOrigin(RENDERER_CSP_META, origin))
          : bytes;
      return new Response(body, {
        status: 200,
        headers: {
          'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
          ...SECURITY_HEADERS,
          'Content-Security-Policy': forOrigin(RENDERER_CSP, origin),
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  };
}
