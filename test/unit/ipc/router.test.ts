import { describe, expect, it, vi } from 'vitest';
import { IpcRouter, type Handlers, type IpcSender } from '../../../src/main/ipc/router';
import { ALL_CHANNELS } from '../../../src/shared/ipc/channels';
import { CONTRACT } from '../../../src/shared/ipc/contract';
import { AirlockError } from '../../../src/shared/errors';
import { createMemoryLogger } from '../../../src/main/services/log/logger';

const APP: IpcSender = { frameUrl: 'app://airlock/index.html', isMainFrame: true };
const status = {
  dir: '/v',
  exists: true,
  locked: true,
  sizeBytes: null,
  createdAt: null,
  schemaVersion: null,
  autoLockMinutes: 10,
  lastCheck: null,
  operator: null,
  remembered: false,
  remember: { available: false, backend: null, reason: 'no key store' },
};

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const unexpected = () => {
    throw new Error('not used in this test');
  };
  const all = Object.fromEntries(ALL_CHANNELS.map((c) => [c, unexpected])) as unknown as Handlers;
  return { ...all, ...overrides };
}

describe('IpcRouter', () => {
  it('every channel in channels.ts has a contract entry and vice versa', () => {
    expect(Object.keys(CONTRACT).sort()).toEqual([...ALL_CHANNELS].sort());
  });

  it('dispatches a valid call and returns the validated value', async () => {
    const unlock = vi.fn(async () => ({ ...status, locked: false }));
    const router = new IpcRouter(handlers({ 'vault.unlock': unlock }), createMemoryLogger());
    const result = await router.dispatch('vault.unlock', { passphrase: 'correct horse' }, APP);
    expect(result).toEqual({ ok: true, value: { ...status, locked: false } });
    expect(unlock).toHaveBeenCalledWith({ passphrase: 'correct horse' });
  });

  it('refuses unknown channels without calling anything', async () => {
    const router = new IpcRouter(handlers(), createMemoryLogger());
    for (const channel of ['vault.destroy', '__proto__', 'constructor', 42, null]) {
      const result = await router.dispatch(channel, undefined, APP);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('ipc.unknown-channel');
    }
  });

  it('refuses subframes, other origins and unparseable sender URLs', async () => {
    const info = vi.fn();
    const router = new IpcRouter(handlers({ 'app.info': info }), createMemoryLogger());
    const senders: IpcSender[] = [
      { frameUrl: 'app://airlock/', isMainFrame: false },
      { frameUrl: 'https://evil.example/', isMainFrame: true },
      { frameUrl: 'app://airlock.evil/', isMainFrame: true },
      { frameUrl: 'file:///etc/passwd', isMainFrame: true },
      { frameUrl: '', isMainFrame: true },
    ];
    for (const sender of senders) {
      const result = await router.dispatch('app.info', undefined, sender);
      expect(result.ok, sender.frameUrl).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('ipc.forbidden-sender');
        expect(result.error.message).toMatch(/only Airlock's own window/);
      }
    }
    expect(info).not.toHaveBeenCalled();
  });

  it('accepts a configured origin (the e2e harness) and nothing else', async () => {
    const router = new IpcRouter(handlers({ 'vault.touch': () => null }), createMemoryLogger(), { protocol: 'https:', host: 'airlock.test' });
    expect((await router.dispatch('vault.touch', undefined, { frameUrl: 'https://airlock.test/', isMainFrame: true })).ok).toBe(true);
    expect((await router.dispatch('vault.touch', undefined, APP)).ok).toBe(false);
  });

  it('refuses bad arguments with a message naming the field', async () => {
    const unlock = vi.fn();
    const router = new IpcRouter(handlers({ 'vault.unlock': unlock, 'vault.setAutoLock': unlock }), createMemoryLogger());
    const cases: [string, unknown, RegExp][] = [
      ['vault.unlock', undefined, /Invalid arguments for vault\.unlock/],
      ['vault.unlock', { passphrase: 12 }, /passphrase/],
      ['vault.unlock', { passphrase: '' }, /Enter a passphrase/],
      ['vault.unlock', { passphrase: 'x', extra: true }, /extra/],
      ['vault.unlock', { passphrase: 'x'.repeat(5000) }, /1024/],
      ['vault.setAutoLock', { minutes: 0 }, /minutes/],
      ['vault.setAutoLock', { minutes: 2.5 }, /minutes/],
    ];
    for (const [channel, args, message] of cases) {
      const result = await router.dispatch(channel, args, APP);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('ipc.invalid-arguments');
        expect(result.error.message).toMatch(message);
      }
    }
    expect(unlock).not.toHaveBeenCalled();
  });

  it('refuses arguments on channels that take none', async () => {
    const router = new IpcRouter(handlers({ 'app.info': vi.fn() }), createMemoryLogger());
    const result = await router.dispatch('app.info', { sneaky: 1 }, APP);
    expect(result.ok).toBe(false);
  });

  it('passes AirlockError code and message through, and hides unexpected errors behind an incident id', async () => {
    const log = createMemoryLogger();
    const router = new IpcRouter(
      handlers({
        'vault.unlock': () => {
          throw new AirlockError('vault.wrong-passphrase', 'That passphrase does not unlock this vault. Check it and try again.');
        },
        'vault.lock': () => {
          throw new Error('secret internal detail at /home/x/vault.db');
        },
      }),
      log,
    );
    const wrong = await router.dispatch('vault.unlock', { passphrase: 'nope' }, APP);
    expect(wrong).toEqual({
      ok: false,
      error: { code: 'vault.wrong-passphrase', message: 'That passphrase does not unlock this vault. Check it and try again.' },
    });
    const internal = await router.dispatch('vault.lock', undefined, APP);
    expect(internal.ok).toBe(false);
    if (!internal.ok) {
      expect(internal.error.code).toBe('internal');
      expect(internal.error.message).not.toContain('secret internal detail');
      expect(internal.error.message).toMatch(/incident E/);
    }
    expect(log.lines.some((l) => l.includes('secret internal detail'))).toBe(true);
  });

  it('refuses a handler result that violates the contract (non-DTO data never crosses)', async () => {
    const router = new IpcRouter(handlers({ 'vault.status': () => ({ ...status, locked: 'no' }) as never }), createMemoryLogger());
    const result = await router.dispatch('vault.status', undefined, APP);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('ipc.invalid-result');
  });

  it('results survive structuredClone and a JSON round trip unchanged', async () => {
    const router = new IpcRouter(handlers({ 'vault.status': () => status }), createMemoryLogger());
    const result = await router.dispatch('vault.status', undefined, APP);
    expect(structuredClone(result)).toEqual(result);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});
