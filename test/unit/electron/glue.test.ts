/**
 * The Electron glue's security settings, tested without an Electron binary:
 * window options are pure data, hardening runs against recording fakes,
 * the app:// file server is a plain Request → Response function.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserWindowConstructorOptions, PreloadScriptRegistration, Session, WebContents, IpcMainInvokeEvent } from 'electron';
import { createMainWindow, registerAppPreload } from '../../../src/main/electron/window-options';
import { RENDERER_CSP_META, RENDERER_ORIGIN } from '../../../src/shared/csp';
import { hardenSession, hardenWebContents, isAllowedRequestUrl } from '../../../src/main/electron/hardening';
import { RENDERER_CSP, createRendererFileHandler, resolveInside } from '../../../src/main/electron/content-security';
import { senderOf } from '../../../src/main/electron/ipc-bridge';

/** Stands in for Electron's BrowserWindow: records what it was constructed with. */
class RecordingWindow {
  static made: BrowserWindowConstructorOptions[] = [];
  constructor(readonly options: BrowserWindowConstructorOptions) {
    RecordingWindow.made.push(options);
  }
}

describe('main window options', () => {
  it('sets every webPreferences item of the Electron security checklist', () => {
    const win = createMainWindow(RecordingWindow, { isDevelopment: false });
    expect(win).toBeInstanceOf(RecordingWindow);
    expect(win.options.webPreferences).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: false,
      enableWebSQL: false,
      v8CacheOptions: 'none',
    });
    expect(win.options.show).toBe(false);
  });

  it('enables devtools only in development', () => {
    expect(createMainWindow(RecordingWindow, { isDevelopment: true }).options.webPreferences?.devTools).toBe(true);
  });

  it('writes the options literally in the `new BrowserWindow({...})` call, where a static scanner reads them', () => {
    const source = readFileSync(path.resolve(__dirname, '../../../src/main/electron/window-options.ts'), 'utf8');
    const call = source.slice(source.indexOf('new BrowserWindow({'));
    for (const option of ['contextIsolation: true', 'sandbox: true', 'nodeIntegration: false', "disableBlinkFeatures: 'Auxclick'"]) expect(call).toContain(option);
  });

  it('registers the preload on the session for the app origin only, not as a window option', () => {
    const registered: PreloadScriptRegistration[] = [];
    const session = { registerPreloadScript: (r: PreloadScriptRegistration) => (registered.push(r), 'id') } as unknown as Session;
    registerAppPreload(session, '/app/out/preload/index.js');
    expect(registered).toEqual([{ type: 'frame', id: 'airlock-preload', filePath: '/app/out/preload/index.js', matches: ['app://airlock/*'] }]);
    expect(createMainWindow(RecordingWindow, { isDevelopment: false }).options.webPreferences).not.toHaveProperty('preload');
  });
});

describe('CSP <meta> in the renderer page', () => {
  it('is written literally in src/renderer/index.html and equals src/shared/csp.ts', () => {
    const html = readFileSync(path.resolve(__dirname, '../../../src/renderer/index.html'), 'utf8');
    const metas = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/gi)].map((m) => m[1]!.replaceAll('&#39;', "'").replaceAll('&quot;', '"'));
    expect(metas).toEqual([RENDERER_CSP_META]);
    expect(RENDERER_CSP_META).toContain(`script-src ${RENDERER_ORIGIN}/assets/`);
    expect(RENDERER_CSP_META).not.toMatch(/'self'[^;]*;.*script|script-src[^;]*'self'|unsafe-|https?:|\*/);
  });
});

type Handler = (...args: unknown[]) => unknown;

function fakeSession() {
  const calls: Record<string, unknown[]> = {};
  const record = (name: string) => (...args: unknown[]) => {
    calls[name] = args;
  };
  const session = {
    setPermissionRequestHandler: record('permissionRequest'),
    setPermissionCheckHandler: record('permissionCheck'),
    setDevicePermissionHandler: record('devicePermission'),
    setDisplayMediaRequestHandler: record('displayMedia'),
    setSpellCheckerEnabled: record('spellcheck'),
    setSpellCheckerDictionaryDownloadURL: record('dictionaryUrl'),
    webRequest: { onBeforeRequest: record('beforeRequest') },
    on: (event: string, h: Handler) => (calls[`on:${event}`] = [h]),
  };
  return { session: session as unknown as Session, calls };
}

describe('session hardening', () => {
  it('denies every permission request and check', () => {
    const { session, calls } = fakeSession();
    hardenSession(session, { appHost: 'airlock', isDevelopment: false });
    let granted: boolean | undefined;
    (calls.permissionRequest![0] as Handler)({}, 'media', (g: boolean) => (granted = g));
    expect(granted).toBe(false);
    for (const permission of ['notifications', 'clipboard-read', 'geolocation', 'openExternal']) {
      expect((calls.permissionCheck![0] as Handler)({}, permission)).toBe(false);
    }
    expect((calls.devicePermission![0] as Handler)({})).toBe(false);
    expect(calls.spellcheck).toEqual([false]);
  });

  it('blocks http, https, ws, file and foreign app hosts; allows the app itself', () => {
    const { session, calls } = fakeSession();
    const blocked: string[] = [];
    hardenSession(session, { appHost: 'airlock', isDevelopment: false, onBlocked: (u) => blocked.push(u) });
    const decide = (url: string) => {
      let cancel: boolean | undefined;
      (calls.beforeRequest![0] as Handler)({ url }, (r: { cancel: boolean }) => (cancel = r.cancel));
      return cancel;
    };
    for (const url of ['https://example.com/x', 'http://127.0.0.1:8787/v1', 'ws://localhost/', 'wss://x/', 'file:///etc/passwd', 'app://other/', 'ftp://x/']) {
      expect(decide(url), url).toBe(true);
    }
    expect(decide('app://airlock/index.html')).toBe(false);
    expect(decide('devtools://devtools/bundled/x')).toBe(true);
    expect(blocked).toContain('https://example.com/x');
  });

  it('cancels downloads', () => {
    const { session, calls } = fakeSession();
    hardenSession(session, { appHost: 'airlock', isDevelopment: false });
    let prevented = false;
    (calls['on:will-download']![0] as Handler)({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });

  it('allows devtools URLs only in development', () => {
    expect(isAllowedRequestUrl('devtools://devtools/x', 'airlock', true)).toBe(true);
    expect(isAllowedRequestUrl('devtools://devtools/x', 'airlock', false)).toBe(false);
    expect(isAllowedRequestUrl('not a url', 'airlock', true)).toBe(false);
  });
});

describe('web contents hardening', () => {
  it('prevents navigation, redirects and webviews, and denies new windows', () => {
    const handlers: Record<string, Handler> = {};
    let openHandler: Handler | undefined;
    const contents = {
      on: (event: string, h: Handler) => (handlers[event] = h),
      setWindowOpenHandler: (h: Handler) => (openHandler = h),
    } as unknown as WebContents;
    const blocked: string[] = [];
    hardenWebContents(contents, { appHost: 'airlock', onBlocked: (what, url) => blocked.push(`${what} ${url}`) });
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      handlers[event]!({ preventDefault: () => (prevented = true) }, 'https://evil.example/');
      expect(prevented, event).toBe(true);
    }
    expect(openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(blocked).toContain('new-window https://evil.example/');
  });
});

describe('app:// renderer file server', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'airlock-renderer-'));
  mkdirSync(path.join(root, 'assets'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Airlock</title>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(path.dirname(root), 'outside-secret.txt'), 'secret');
  const serve = createRendererFileHandler(root, 'airlock');

  it('serves index.html with the strict CSP in the response headers', async () => {
    const res = await serve(new Request('app://airlock/'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toBe(RENDERER_CSP);
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain('script-src app://airlock/assets/');
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('on another origin (the e2e harness) sends the same policy for that origin, in the header and the page; app:// bytes are untouched', async () => {
    const page = `<!doctype html><meta http-equiv="Content-Security-Policy" content="${RENDERER_CSP_META}"><title>Airlock</title>`;
    writeFileSync(path.join(root, 'index.html'), page);
    try {
      const app = await serve(new Request('app://airlock/'));
      expect(await app.text()).toBe(page);
      const e2e = await createRendererFileHandler(root, 'airlock.test')(new Request('https://airlock.test/'));
      expect(e2e.headers.get('content-security-policy')).toBe(RENDERER_CSP.replace('app://airlock/assets/', 'https://airlock.test/assets/'));
      const body = await e2e.text();
      expect(body).toContain('script-src https://airlock.test/assets/;');
      expect(body).not.toContain('app://airlock');
    } finally {
      writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Airlock</title>');
    }
  });

  it('serves assets with their MIME type', async () => {
    const res = await serve(new Request('app://airlock/assets/app.js'));
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(await res.text()).toBe('console.log(1)');
  });

  it('refuses traversal, encoded traversal, other hosts and non-GET', async () => {
    for (const url of ['app://airlock/../outside-secret.txt', 'app://airlock/%2e%2e/outside-secret.txt', 'app://airlock/assets/%2e%2e%2f%2e%2e%2foutside-secret.txt', 'app://other/index.html', 'app://airlock/missing.js', 'app://airlock/%00']) {
      const res = await serve(new Request(url));
      expect(res.status, url).toBe(404);
    }
    expect((await serve(new Request('app://airlock/', { method: 'POST', body: 'x' }))).status).toBe(404);
    expect(resolveInside(root, '/..%2f..%2fetc/passwd')).toBeUndefined();
  });
});

describe('IPC sender identification', () => {
  it('marks only the main frame of our own window as the main frame', () => {
    const mainFrame = { url: 'app://airlock/' };
    const ours = { mainFrame } as unknown as WebContents;
    const other = { mainFrame: { url: 'app://airlock/' } } as unknown as WebContents;
    const event = (sender: WebContents, senderFrame: unknown) => ({ sender, senderFrame }) as unknown as IpcMainInvokeEvent;
    expect(senderOf(event(ours, mainFrame), ours)).toEqual({ frameUrl: 'app://airlock/', isMainFrame: true });
    expect(senderOf(event(ours, { url: 'app://airlock/' }), ours).isMainFrame).toBe(false);
    expect(senderOf(event(other, other.mainFrame), ours).isMainFrame).toBe(false);
    expect(senderOf(event(ours, null), ours)).toEqual({ frameUrl: '', isMainFrame: false });
  });
});
