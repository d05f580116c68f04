/**
 * End-to-end harness: the built renderer in Debian's Chromium, the real
 * preload (bundled over electron-shim.ts), and the real router + services +
 * encrypted vault running in this test process (out/cli/backend.mjs).
 *
 * Build first: `node scripts/build-e2e.mjs` (npm run test:e2e does it).
 */
import { test as base, expect, type Page, type Request as PwRequest } from '@playwright/test';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const ORIGIN = 'https://airlock.test';
const ROOT = path.resolve(__dirname, '../..');
const PRELOAD = path.join(ROOT, 'out/e2e/preload.js');
const BACKEND = path.join(ROOT, 'out/cli/backend.mjs');
const RENDERER = path.join(ROOT, 'out/renderer');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Backend = any;

export interface IpcCall {
  channel: string;
  frameUrl: string;
  isMainFrame: boolean;
  ok: boolean;
  code?: string;
}

export interface AirlockHarness {
  page: Page;
  vaultDir: string;
  /** Real services (AirlockServices) behind the router. */
  services: Backend;
  /** Every IPC call that reached the router, with its outcome. */
  calls: IpcCall[];
  /** Requests the page attempted to anything but the app origin (all aborted). */
  blockedRequests: string[];
  /** Console errors and CSP violations reported by the page. */
  consoleErrors: string[];
  /** The next file picker in main (trust.addAnchor, trust.addCrl, bundles.chooseFile) returns this path. */
  queuePick(filePath: string | undefined): void;
  /** The user's next answer in main's "import this dropped item?" dialog (default: Cancel). */
  queueConfirm(answer: boolean): void;
  /** Every dropped item main asked the user about. */
  dropQuestions: { path: string; kind: string; size: number }[];
  /** Open the app page and wait for the shell to render. */
  open(): Promise<void>;
}

async function loadBackend(): Promise<Backend> {
  if (!existsSync(BACKEND) || !existsSync(PRELOAD) || !existsSync(path.join(RENDERER, 'index.html'))) {
    throw new Error('The e2e build is missing: run `node scripts/build-e2e.mjs` first (npm run test:e2e does).');
  }
  return import(pathToFileURL(BACKEND).href);
}

/**
 * A stand-in for the OS key store behind Electron safeStorage (which the
 * harness cannot reach): AES-GCM under a key held only by this test process.
 */
function keyStoreDouble(backend: string) {
  const key = randomBytes(32);
  return {
    isAvailable: () => true,
    backend: () => backend,
    encrypt(plain: Buffer): Buffer {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      return Buffer.concat([iv, c.update(plain), c.final(), c.getAuthTag()]);
    },
    decrypt(sealed: Buffer): Buffer {
      const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(sealed.length - 16));
      return Buffer.concat([d.update(sealed.subarray(12, sealed.length - 16)), d.final()]);
    },
  };
}

export const test = base.extend<{ airlock: AirlockHarness; osKeyStore: string | null }>({
  /** Backend name of the OS key store double ('gnome_libsecret', 'basic_text', …); null: none. */
  osKeyStore: [null, { option: true }],
  airlock: async ({ page, osKeyStore }, use) => {
    const backend = await loadBackend();
    const vaultDir = path.join(mkdtempSync(path.join(tmpdir(), 'airlock-e2e-')), 'vault');
    const picks: (string | undefined)[] = [];
    const confirms: boolean[] = [];
    const dropQuestions: AirlockHarness['dropQuestions'] = [];
    const calls: IpcCall[] = [];
    const blockedRequests: string[] = [];
    const consoleErrors: string[] = [];
    const log = backend.createMemoryLogger();

    const services = new backend.AirlockServices({
      vaultDir,
      version: 'e2e',
      platform: process.platform,
      log,
      emit: (event: string, payload: unknown) => {
        void page
          .evaluate(([e, p]) => window.__airlockDeliver?.(`airlock:event:${e}`, p), [event, payload] as const)
          .catch(() => undefined);
      },
      pickFile: async () => picks.shift(),
      confirmDroppedFile: async (item: { path: string; kind: string; size: number }) => {
        dropQuestions.push(item);
        return confirms.shift() ?? false;
      },
      // Tests need unlocks in well under a second; production parameters are unit-tested in the vault suite.
      kdf: { N: 2 ** 14, r: 8, p: 1 },
      ...(osKeyStore ? { secretProtector: keyStoreDouble(osKeyStore) } : {}),
    });
    const router = new backend.IpcRouter(backend.createHandlers(services), log, { protocol: 'https:', host: 'airlock.test' });
    const serve = backend.createRendererFileHandler(RENDERER, 'airlock.test');

    await page.exposeBinding('__airlockIpc', async (source, channel: unknown, args: unknown) => {
      const sender = { frameUrl: source.frame.url(), isMainFrame: source.frame === source.page.mainFrame() };
      const result = await router.dispatch(channel, args, sender);
      calls.push({ channel: String(channel), ...sender, ok: result.ok, ...(result.ok ? {} : { code: result.error.code }) });
      return result;
    });
    await page.addInitScript({ path: PRELOAD });
    await page.route('**/*', async (route) => {
      const request: PwRequest = route.request();
      const url = new URL(request.url());
      if (url.origin !== ORIGIN) {
        blockedRequests.push(request.url());
        return route.abort('blockedbyclient');
      }
      const response: Response = await serve(new Request(request.url(), { method: request.method() }));
      return route.fulfill({
        status: response.status,
        headers: Object.fromEntries(response.headers.entries()),
        body: Buffer.from(await response.arrayBuffer()),
      });
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(String(err)));

    await use({
      page,
      vaultDir,
      services,
      calls,
      blockedRequests,
      consoleErrors,
      queuePick: (p) => picks.push(p),
      queueConfirm: (answer) => confirms.push(answer),
      dropQuestions,
      open: async () => {
        await page.goto(`${ORIGIN}/`);
        await expect(page.locator('#root')).not.toBeEmpty();
      },
    });

    services.shutdown();
    rmSync(path.dirname(vaultDir), { recursive: true, force: true });
  },
});

export { expect };
