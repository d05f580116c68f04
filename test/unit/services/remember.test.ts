/** "Remember on this machine" over IPC, with a stand-in for Electron safeStorage. */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { AirlockServices } from '../../../src/main/services/airlock-services';
import { createHandlers } from '../../../src/main/ipc/handlers';
import { IpcRouter } from '../../../src/main/ipc/router';
import { createMemoryLogger } from '../../../src/main/services/log/logger';
import type { SecretProtector } from '../../../src/main/services/vault';
import type { IpcResult } from '../../../src/shared/ipc/result';

const APP = { frameUrl: 'app://airlock/', isMainFrame: true };
const PASS = 'tangerine-orbit-glacier-7-sonnet';

/** An OS key store double: AES-GCM under a key that lives only in this process. */
function keyStore(backend: string): SecretProtector {
  const key = crypto.randomBytes(32);
  return {
    isAvailable: () => true,
    backend: () => backend,
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const c = crypto.createCipheriv('aes-256-gcm', key, iv);
      return Buffer.concat([iv, c.update(plain), c.final(), c.getAuthTag()]);
    },
    decrypt(sealed) {
      const d = crypto.createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(sealed.length - 16));
      return Buffer.concat([d.update(sealed.subarray(12, sealed.length - 16)), d.final()]);
    },
  };
}

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function setup(protector?: SecretProtector) {
  const work = mkdtempSync(path.join(tmpdir(), 'airlock-remember-'));
  const services = new AirlockServices({
    vaultDir: path.join(work, 'vault'),
    version: 'test',
    platform: 'linux',
    log: createMemoryLogger(),
    emit: () => undefined,
    pickFile: async () => undefined,
    confirmDroppedFile: async () => false,
    kdf: { N: 2 ** 14, r: 8, p: 1 },
    ...(protector ? { secretProtector: protector } : {}),
  });
  cleanups.push(() => {
    services.shutdown();
    rmSync(work, { recursive: true, force: true });
  });
  const router = new IpcRouter(createHandlers(services), createMemoryLogger());
  const call = async (channel: string, args?: unknown) => (await router.dispatch(channel, args, APP)) as IpcResult<Record<string, unknown>>;
  return { services, call, dir: path.join(work, 'vault') };
}

describe('remember on this machine', () => {
  it('stores the data key only under the OS key store, then unlocks without the passphrase', async () => {
    const { call, dir } = setup(keyStore('gnome_libsecret'));
    await call('vault.create', { passphrase: PASS, operator: 'Ana' });
    const on = await call('vault.remember', { enabled: true });
    expect(on).toMatchObject({ ok: true, value: { remembered: true, remember: { available: true, backend: 'gnome_libsecret' } } });
    const stored = readFileSync(path.join(dir, 'vault.remembered.json'), 'utf8');
    expect(stored).not.toContain(PASS);

    await call('vault.lock');
    expect(await call('vault.unlockRemembered')).toMatchObject({ ok: true, value: { locked: false } });
    const audit = (await call('audit.list', { limit: 20 })) as IpcResult<{ action: string }[]>;
    expect(audit.ok && audit.value.map((a) => a.action)).toEqual(expect.arrayContaining(['vault.remembered', 'vault.unlocked']));

    expect(await call('vault.remember', { enabled: false })).toMatchObject({ ok: true, value: { remembered: false } });
    expect(existsSync(path.join(dir, 'vault.remembered.json'))).toBe(false);
    await call('vault.lock');
    expect(await call('vault.unlockRemembered')).toMatchObject({ ok: false, error: { code: 'vault.not-remembered' } });
  });

  it('refuses where the OS key store is plaintext (Linux basic_text), and says why', async () => {
    const { call, dir } = setup(keyStore('basic_text'));
    const created = await call('vault.create', { passphrase: PASS, operator: 'Ana' });
    expect(created).toMatchObject({ ok: true, value: { remember: { available: false, backend: 'basic_text' } } });
    const r = await call('vault.remember', { enabled: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'vault.remember-insecure', message: expect.stringMatching(/without real protection/) } });
    expect(existsSync(path.join(dir, 'vault.remembered.json'))).toBe(false);
  });

  it('refuses without any key store', async () => {
    const { call } = setup();
    await call('vault.create', { passphrase: PASS, operator: 'Ana' });
    expect(await call('vault.remember', { enabled: true })).toMatchObject({ ok: false, error: { code: 'vault.remember-unavailable' } });
  });
});
