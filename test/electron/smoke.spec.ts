/**
 * Smoke tests against the real Electron app (out/main/index.mjs, built by
 * `npm run build`). Run by run-smoke.mjs only where an Electron binary exists;
 * they cover what the Chromium harness cannot: sandbox, context isolation,
 * the app:// protocol with its CSP header, navigation and window blocking,
 * and IPC sender checks in the real ipcMain.
 */
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { API_GROUPS } from '../../src/shared/ipc/channels';

let app: ElectronApplication;
let page: Page;

test.beforeAll(async () => {
  app = await electron.launch({
    executablePath: process.env.AIRLOCK_ELECTRON_BINARY,
    args: [path.resolve(__dirname, '../../out/main/index.mjs')],
    env: { ...process.env, AIRLOCK_VAULT_DIR: path.join(mkdtempSync(path.join(tmpdir(), 'airlock-smoke-')), 'vault'), NODE_ENV: 'production' },
  });
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
});

test.afterAll(async () => {
  await app?.close();
});

test('loads the renderer from app://airlock with the security options set', async () => {
  expect(page.url()).toMatch(/^app:\/\/airlock\//);
  // The app rendered: its script was admitted by `script-src app://airlock/assets/` (header and <meta>).
  await expect(page.locator('#root')).not.toBeEmpty();
  // The options themselves are unit-tested (test/unit/electron/glue.test.ts); here, their effect.
  const crashed = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.webContents.isCrashed());
  expect(crashed).toBe(false);
});

test('the page has no Node and only the frozen airlock API', async () => {
  const probe = await page.evaluate(() => ({
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
    groups: Object.keys((window as unknown as { airlock: object }).airlock).sort(),
    frozen: Object.isFrozen((window as unknown as { airlock: object }).airlock),
  }));
  expect(probe).toEqual({ require: 'undefined', process: 'undefined', groups: [...Object.keys(API_GROUPS), 'events', 'files'].sort(), frozen: true });
});

test('the preload (registered on the session for app://airlock only) gives the page the outcome of a drop, nothing more', async () => {
  const r = await page.evaluate(async () => {
    const api = (window as unknown as { airlock: { files: Record<string, (f: File) => Promise<unknown>> } }).airlock;
    // A drop made by page script is not a user's drop: the preload does not report it to main.
    const file = new File(['x'], 'passwd');
    const zone = document.createElement('div');
    zone.setAttribute('data-drop-zone', '');
    document.body.append(zone);
    const dt = new DataTransfer();
    dt.items.add(file);
    zone.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
    zone.remove();
    return { members: Object.keys(api.files), outcome: await api.files.droppedFile!(file) };
  });
  expect(r).toEqual({ members: ['droppedFile'], outcome: { path: '', granted: false } });
});

test('IPC works from the app frame and the CSP blocks network access', async () => {
  const info = await page.evaluate(() => (window as unknown as { airlock: { app: { info(): Promise<{ ok: boolean }> } } }).airlock.app.info());
  expect(info.ok).toBe(true);
  const fetchResult = await page.evaluate(() => fetch('https://example.com/').then(() => 'loaded', (e: Error) => `blocked: ${e.message}`));
  expect(fetchResult).toMatch(/^blocked/);
});

test('navigation and new windows are denied', async () => {
  await page.evaluate(() => {
    window.location.href = 'https://example.com/';
  });
  await page.waitForTimeout(500);
  expect(page.url()).toMatch(/^app:\/\/airlock\//);
  await page.evaluate(() => window.open('https://example.com/'));
  await page.waitForTimeout(500);
  expect(app.windows()).toHaveLength(1);
});

test('the real ipcMain refuses bad arguments and the page has no way to name a channel', async () => {
  const r = await page.evaluate(async () => {
    const api = (window as unknown as { airlock: Record<string, Record<string, (a?: unknown) => Promise<{ ok: boolean; error?: { code: string } }>>> }).airlock;
    return {
      badArgs: await api.vault!.unlock!({ passphrase: 42 }),
      invoke: typeof (api as unknown as { invoke?: unknown }).invoke,
      ipcRenderer: typeof (window as unknown as { ipcRenderer?: unknown }).ipcRenderer,
    };
  });
  expect(r.badArgs).toMatchObject({ ok: false, error: { code: 'ipc.invalid-arguments' } });
  expect(r.invoke).toBe('undefined');
  expect(r.ipcRenderer).toBe('undefined');
});
