/**
 * Electron entry point: app lifecycle, the window, the app:// protocol and
 * the IPC bridge. The only module (with the preload) that imports `electron`
 * as a value; everything that does work lives in src/main/services.
 */
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { mainWindowOptions } from './window-options';
import { createRendererFileHandler } from './content-security';
import { hardenSession, hardenWebContents } from './hardening';
import { bridgeIpc, eventSender } from './ipc-bridge';
import { createSafeStorageProtector } from './safe-storage';
import { APP_HOST, APP_ORIGIN_URL, IpcRouter } from '../ipc/router';
import { createHandlers } from '../ipc/handlers';
import { AirlockServices } from '../services/airlock-services';
import { createFileLogger } from '../services/log/logger';

const isDevelopment = !app.isPackaged && process.env.NODE_ENV !== 'production';

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

const log = createFileLogger(path.join(app.getPath('userData'), 'logs', 'airlock.log'));
let mainWindow: BrowserWindow | undefined;
const contents = () => mainWindow?.webContents;

app.on('web-contents-created', (_event, wc) =>
  hardenWebContents(wc, { appHost: APP_HOST, onBlocked: (what, url) => log.warn(`blocked ${what}`, { url }) }),
);

function createWindow(): void {
  mainWindow = new BrowserWindow(mainWindowOptions({ preloadPath: path.join(import.meta.dirname, '../preload/index.js'), isDevelopment }));
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = undefined));
  void mainWindow.loadURL(APP_ORIGIN_URL);
}

void app.whenReady().then(() => {
  const rendererDir = path.join(import.meta.dirname, '../renderer');
  protocol.handle('app', createRendererFileHandler(rendererDir, APP_HOST));
  hardenSession(session.defaultSession, {
    appHost: APP_HOST,
    isDevelopment,
    onBlocked: (url) => log.warn('blocked request', { url }),
  });

  const services = new AirlockServices({
    vaultDir: process.env.AIRLOCK_VAULT_DIR ?? path.join(app.getPath('userData'), 'vault'),
    version: app.getVersion(),
    platform: process.platform,
    log,
    emit: eventSender(contents),
    secretProtector: createSafeStorageProtector(safeStorage),
    sqliteNativeBinding: process.env.AIRLOCK_SQLITE_BINDING ?? nativeBindingPath(),
    pickFile: async (title, filters) => {
      const options = { title, properties: ['openFile' as const], filters };
      const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
      return result.canceled ? undefined : result.filePaths[0];
    },
  });
  bridgeIpc(ipcMain, new IpcRouter(createHandlers(services), log), contents);
  app.on('before-quit', () => services.shutdown());
  createWindow();
});

app.on('window-all-closed', () => app.quit());

/**
 * The Electron-ABI build of the SQLite module (scripts/build-native-electron.mjs):
 * node_modules keeps the Node-ABI build for the CLI and the tests.
 */
function nativeBindingPath(): string | undefined {
  const file = app.isPackaged
    ? path.join(process.resourcesPath, 'native', 'better_sqlite3.node')
    : path.join(app.getAppPath(), 'build', 'native', 'better_sqlite3.node');
  return existsSync(file) ? file : undefined;
}
