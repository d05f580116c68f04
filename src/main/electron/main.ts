/**
 * Electron entry point: app lifecycle, the window, the app:// protocol and
 * the IPC bridge. The only module (with the preload) that imports `electron`
 * as a value; everything that does work lives in src/main/services.
 */
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session } from 'electron';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createMainWindow, registerAppPreload } from './window-options';
import { createRendererFileHandler } from './content-security';
import { hardenSession, hardenWebContents } from './hardening';
import { bridgeIpc, eventSender } from './ipc-bridge';
import { createSafeStorageProtector } from './safe-storage';
import { createFileDialogs } from './dialogs';
import { isDevelopmentBuild, refusedSwitches, sqliteModuleFor, vaultDirFor, type StartupFacts } from './startup';
import { APP_HOST, APP_ORIGIN_URL, IpcRouter } from '../ipc/router';
import { createHandlers } from '../ipc/handlers';
import { AirlockServices } from '../services/airlock-services';
import { createFileLogger } from '../services/log';

/** SHA-384 of build/native/better_sqlite3.node when this bundle was built (electron.vite.config.mts). */
declare const __AIRLOCK_SQLITE_SHA384__: string | null;

const facts: StartupFacts = {
  isPackaged: app.isPackaged,
  env: process.env,
  argv: process.argv,
  userDataPath: app.getPath('userData'),
  resourcesPath: process.resourcesPath,
  appPath: app.getAppPath(),
};
const isDevelopment = isDevelopmentBuild(facts);

const refused = refusedSwitches(facts);
if (refused.length > 0) {
  dialog.showErrorBox('Airlock will not start', `Airlock does not run with ${refused.join(' ')}: it would let another program control it. Start Airlock without it.`);
  app.exit(2);
}

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false } },
]);
app.enableSandbox();
// An air-gapped tool never needs these Chromium network features.
app.commandLine.appendSwitch('disable-background-networking');
app.commandLine.appendSwitch('disable-component-update');
app.commandLine.appendSwitch('disable-domain-reliability');
app.commandLine.appendSwitch('no-pings');

if (!app.requestSingleInstanceLock()) app.quit();

const log = createFileLogger(path.join(facts.userDataPath, 'logs', 'airlock.log'));
let mainWindow: BrowserWindow | undefined;
const contents = () => mainWindow?.webContents;

app.on('web-contents-created', (_event, wc) =>
  hardenWebContents(wc, { appHost: APP_HOST, onBlocked: (what, url) => log.warn(`blocked ${what}`, { url }) }),
);

function createWindow(): void {
  mainWindow = createMainWindow(BrowserWindow, { isDevelopment });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = undefined));
  void mainWindow.loadURL(APP_ORIGIN_URL);
}

void app.whenReady().then(() => {
  // The SQLite module is native code outside the asar that sees the vault key: a
  // packaged app loads only the shipped one, and only if it is the one that was built.
  const sqlite = sqliteModuleFor(facts, __AIRLOCK_SQLITE_SHA384__, {
    exists: existsSync,
    read: (file) => {
      try {
        return readFileSync(file);
      } catch {
        return undefined;
      }
    },
  });
  if (!sqlite.ok) {
    log.error('refusing to start: SQLite module check failed', { code: sqlite.code });
    dialog.showErrorBox('Airlock cannot open the vault', sqlite.message);
    app.exit(2);
    return;
  }

  const rendererDir = path.join(import.meta.dirname, '../renderer');
  protocol.handle('app', createRendererFileHandler(rendererDir, APP_HOST));
  registerAppPreload(session.defaultSession, path.join(import.meta.dirname, '../preload/index.js'));
  hardenSession(session.defaultSession, {
    appHost: APP_HOST,
    isDevelopment,
    onBlocked: (url) => log.warn('blocked request', { url }),
  });

  const services = new AirlockServices({
    vaultDir: vaultDirFor(facts),
    version: app.getVersion(),
    platform: process.platform,
    log,
    emit: eventSender(contents),
    secretProtector: createSafeStorageProtector(safeStorage),
    ...(sqlite.path ? { sqliteNativeBinding: sqlite.path } : {}),
    ...createFileDialogs(dialog, () => mainWindow),
  });
  bridgeIpc(ipcMain, new IpcRouter(createHandlers(services), log), contents);
  app.on('before-quit', () => services.shutdown());
  createWindow();
});

app.on('window-all-closed', () => app.quit());
