/**
 * The IPC boundary from the page's side: the real renderer calls a real
 * service through the real preload and router; forged calls (unknown channel,
 * bad arguments, foreign origin, subframe) are refused with a clear error.
 */
import { test, expect, ORIGIN } from './harness';
import { API_GROUPS } from '../../src/shared/ipc/channels';

type Result = { ok: boolean; value?: unknown; error?: { code: string; message: string } };

test('the renderer reaches a real service through the preload and router', async ({ airlock }) => {
  await airlock.open();
  const info = (await airlock.page.evaluate(() => (window as unknown as { airlock: { app: { info(): Promise<unknown> } } }).airlock.app.info())) as Result;
  expect(info).toEqual({
    ok: true,
    value: { name: 'Airlock', version: 'e2e', platform: process.platform, vaultDir: airlock.vaultDir, vaultExists: false },
  });
  // The first screen rendered from that real state.
  await expect(airlock.page.getByTestId('create-vault-form')).toBeVisible();
  expect(airlock.calls.find((c) => c.channel === 'app.info')).toMatchObject({ ok: true, isMainFrame: true, frameUrl: `${ORIGIN}/` });
});

test('the exposed API is small, grouped and frozen, with no generic invoke', async ({ airlock }) => {
  await airlock.open();
  const shape = await airlock.page.evaluate(() => {
    const api = (window as unknown as { airlock: Record<string, Record<string, unknown>> }).airlock;
    let reassigned = true;
    try {
      (api.vault as Record<string, unknown>).unlock = () => 'hijacked';
    } catch {
      reassigned = false;
    }
    return {
      groups: Object.keys(api).sort(),
      vault: Object.keys(api.vault!).sort(),
      frozen: Object.isFrozen(api) && Object.isFrozen(api.vault),
      stillOriginal: String(api.vault!.unlock).includes('hijacked') === false,
      reassigned,
      hasInvoke: 'invoke' in api || Object.values(api).some((g) => 'invoke' in g),
    };
  });
  expect(shape.groups).toEqual(['app', 'audit', 'bundles', 'content', 'events', 'files', 'trust', 'vault']);
  // Exactly the contract's members: nothing more reaches the page.
  expect(shape.vault).toEqual([...API_GROUPS.vault].sort());
  expect(shape.frozen).toBe(true);
  expect(shape.stillOriginal).toBe(true);
  expect(shape.hasInvoke).toBe(false);
});

test('forged calls from the page are refused with clear errors and reach no service', async ({ airlock }) => {
  await airlock.open();
  const results = (await airlock.page.evaluate(async () => {
    const raw = (window as unknown as { __airlockIpc(c: unknown, a: unknown): Promise<unknown> }).__airlockIpc;
    const api = (window as unknown as { airlock: { vault: { unlock(a: unknown): Promise<unknown>; create(a: unknown): Promise<unknown> } } }).airlock;
    return {
      unknown: await raw('vault.destroy', undefined),
      proto: await raw('__proto__', undefined),
      badType: await api.vault.unlock({ passphrase: 42 }),
      extraKey: await api.vault.create({ passphrase: 'granite lantern orbit meadow 47', operator: 'x', admin: true }),
    };
  })) as Record<string, Result>;
  expect(results.unknown).toEqual({ ok: false, error: { code: 'ipc.unknown-channel', message: '"vault.destroy" is not an Airlock IPC channel.' } });
  expect(results.proto!.error!.code).toBe('ipc.unknown-channel');
  expect(results.badType!.error).toMatchObject({ code: 'ipc.invalid-arguments', message: expect.stringMatching(/^Invalid arguments for vault\.unlock: passphrase: /) });
  expect(results.extraKey!.error).toMatchObject({ code: 'ipc.invalid-arguments', message: expect.stringMatching(/admin/) });
  // Nothing was created by the forged create.
  expect(airlock.services.vaultExists()).toBe(false);

  // With a vault: the page cannot make main read a path the user never chose or dropped,
  // and cannot forge a drop (only real files have a path).
  await airlock.services.createVault('granite lantern orbit meadow 47', 'Officer');
  // Nor grant itself a path over raw IPC: the old grant channel is gone, and a forged drop report
  // is only a question main puts to the user in its own dialog (who answers Cancel here).
  const forged = (await airlock.page.evaluate(async () => {
    const raw = (window as unknown as { __airlockIpc(c: unknown, a: unknown): Promise<unknown> }).__airlockIpc;
    return {
      grant: await raw('files.grantDropped', { path: '/etc/passwd' }),
      dropped: await raw('files.dropped', { path: '/etc/passwd' }),
      importAfter: await raw('bundles.import', { path: '/etc/passwd' }),
    };
  })) as Record<string, Result>;
  expect(forged.grant!.error?.code).toBe('ipc.unknown-channel');
  expect(forged.dropped).toEqual({ ok: true, value: { granted: false } });
  expect(airlock.dropQuestions).toEqual([{ path: '/etc/passwd', kind: 'file', size: expect.any(Number) }]);
  expect(forged.importAfter!.error).toMatchObject({ code: 'intake.not-chosen' });
  // A drop made by page script (not trusted) is not reported: main is not even asked.
  const aimed = (await airlock.page.evaluate(async () => {
    const api = (window as unknown as {
      airlock: { bundles: { import(a: unknown): Promise<unknown> }; files: { droppedFile(f: File): Promise<{ path: string; granted: boolean }> } };
    }).airlock;
    window.__airlockTestPaths = { passwd: '/etc/passwd' };
    const file = new File(['x'], 'passwd');
    const zone = document.createElement('div');
    zone.setAttribute('data-drop-zone', '');
    document.body.append(zone);
    const dt = new DataTransfer();
    dt.items.add(file);
    zone.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
    const outcome = await api.files.droppedFile(file);
    return { outcome, result: await api.bundles.import({ path: '/etc/passwd' }) };
  })) as { outcome: { path: string; granted: boolean }; result: Result };
  expect(aimed.outcome).toEqual({ path: '/etc/passwd', granted: false });
  expect(airlock.dropQuestions).toHaveLength(1);
  expect(aimed.result.error).toMatchObject({ code: 'intake.not-chosen' });
});

test('calls from a foreign origin or from a subframe are refused; the app refuses to be framed', async ({ airlock }) => {
  const page = airlock.page;
  // A hostile page (served only for this test) that frames the app and has a frame of its own.
  await page.route('https://evil.test/**', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html',
      body: `<!doctype html><title>evil</title><iframe id="app" src="${ORIGIN}/"></iframe><iframe id="inner" srcdoc="<p>inner</p>"></iframe>`,
    }),
  );
  await page.goto('https://evil.test/');
  type Bridge = { __airlockIpc(c: string, a: unknown): Promise<unknown> };
  const fromForeignTop = (await page.evaluate(() => (window as unknown as Bridge).__airlockIpc('app.info', undefined))) as Result;
  expect(fromForeignTop.error).toMatchObject({ code: 'ipc.forbidden-sender', message: expect.stringMatching(/only Airlock's own window/) });

  await expect.poll(() => page.frames().length).toBe(3);
  const inner = page.frames().find((f) => f.name() === 'inner' || f.url() === 'about:srcdoc')!;
  const fromSubframe = (await inner.evaluate(() => (window as unknown as Bridge).__airlockIpc('app.info', undefined))) as Result;
  expect(fromSubframe.error?.code).toBe('ipc.forbidden-sender');

  // frame-ancestors 'none' (sent as a header): the framed app never renders.
  const framed = page.frameLocator('#app');
  await expect(framed.locator('#root')).toHaveCount(0);
  expect(airlock.calls.filter((c) => c.channel === 'app.info').every((c) => !c.ok)).toBe(true);
});

test('the CSP header keeps the renderer off the network', async ({ airlock }) => {
  await airlock.open();
  const outcome = await airlock.page.evaluate(() =>
    fetch('http://127.0.0.1:8787/v1/models').then(
      () => 'reached',
      (e: Error) => `blocked: ${e.message}`,
    ),
  );
  expect(outcome).toMatch(/^blocked/);
  expect(airlock.consoleErrors.join('\n')).toMatch(/Content Security Policy|connect-src/);
  // The request never left the page: CSP stopped it before routing.
  expect(airlock.blockedRequests).toEqual([]);
});
