/**
 * The main window, with every Electron security-checklist option written out
 * where `new BrowserWindow({...})` is called, so a static scanner
 * (Electronegativity) reads the same options Electron gets. The constructor
 * is a parameter so a unit test can pass a recording fake; it keeps the name
 * `BrowserWindow` because scanners recognise the call by that name.
 */
import type { BrowserWindowConstructorOptions, Session } from 'electron';
import { RENDERER_ORIGIN } from '../../shared/csp';

export interface MainWindowInput {
  /** Devtools are available only in development builds. */
  isDevelopment: boolean;
}

/**
 * The preload (window.airlock, the only bridge to main) is registered on the
 * session for the app's own documents only (app://airlock/*), rather than as
 * the window's `preload` option, which would run it in whatever document the
 * window shows. Call before the window is created.
 */
export function registerAppPreload(session: Pick<Session, 'registerPreloadScript'>, preloadPath: string): string {
  return session.registerPreloadScript({ type: 'frame', id: 'airlock-preload', filePath: preloadPath, matches: [`${RENDERER_ORIGIN}/*`] });
}

export function createMainWindow<W>(BrowserWindow: new (options: BrowserWindowConstructorOptions) => W, { isDevelopment }: MainWindowInput): W {
  return new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Airlock',
    backgroundColor: '#10151c',
    autoHideMenuBar: true,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Middle-click would otherwise open links in new windows (denied anyway).
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: isDevelopment,
      enableWebSQL: false,
      v8CacheOptions: 'none',
    },
  });
}
