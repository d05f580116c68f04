/**
 * Session and web-contents hardening (Electron security checklist items 4, 5,
 * 12, 13, 14 and more). Takes the Electron objects as parameters (type-only
 * import) so a unit test drives it with recording fakes.
 */
import type { Session, WebContents } from 'electron';

/** Only the app's own scheme (and devtools in development) may load anything. */
export function isAllowedRequestUrl(url: string, appHost: string, isDevelopment: boolean): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'app:') return parsed.host === appHost;
  if (parsed.protocol === 'devtools:' || parsed.protocol === 'chrome-extension:') return isDevelopment;
  // data: images are allowed by CSP for inline icons; everything networked is refused.
  return parsed.protocol === 'data:';
}

export function hardenSession(ses: Session, opts: { appHost: string; isDevelopment: boolean; onBlocked?: (url: string) => void }): void {
  // Deny every permission request and check (camera, notifications, clipboard-read, …).
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_request, callback) => callback({}));
  // No spellchecker dictionary downloads in an air gap.
  ses.setSpellCheckerEnabled(false);
  ses.setSpellCheckerDictionaryDownloadURL('https://0.0.0.0/');
  // Block http/https/ws/wss/file and anything else the renderer might try.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequestUrl(details.url, opts.appHost, opts.isDevelopment);
    if (!allowed) opts.onBlocked?.(details.url);
    callback({ cancel: !allowed });
  });
  ses.on('will-download', (event) => event.preventDefault());
}

export function hardenWebContents(contents: WebContents, opts: { appHost: string; onBlocked?: (what: string, url: string) => void }): void {
  contents.on('will-navigate', (event, url) => {
    opts.onBlocked?.('navigation', url);
    event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    opts.onBlocked?.('redirect', url);
    event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    opts.onBlocked?.('new-window', url);
    return { action: 'deny' };
  });
}
