/**
 * The vault session's lifecycle under concurrent requests: create/unlock/lock
 * run one at a time, a double unlock opens one vault, and a stale vault's lock
 * callback never ends a newer session.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SessionManager } from '../../../src/main/services/session/session-manager';
import { Vault } from '../../../src/main/services/vault';

const PASS = 'tangerine-orbit-glacier-7-sonnet';
const KDF = { N: 2 ** 14, r: 8, p: 1 };

let work: string;
let ended: string[];
let manager: SessionManager;

beforeEach(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'airlock-session-'));
  ended = [];
  manager = new SessionManager({ vaultDir: path.join(work, 'vault'), openOptions: { kdf: KDF }, onEnded: (r) => ended.push(r) });
  await manager.create(PASS, 'Dana');
  await manager.lock();
  ended.length = 0;
});
afterEach(() => {
  manager.lockNow();
  rmSync(work, { recursive: true, force: true });
});

describe('SessionManager', () => {
  it('opens exactly one vault when unlock is asked twice at once (double click)', async () => {
    const opened: Vault[] = [];
    const real = Vault.unlock.bind(Vault);
    const spy = async (...args: Parameters<typeof Vault.unlock>) => {
      const v = await real(...args);
      opened.push(v);
      return v;
    };
    const original = Vault.unlock;
    Vault.unlock = spy as typeof Vault.unlock;
    try {
      const [a, b] = await Promise.all([manager.unlock(PASS), manager.unlock(PASS)]);
      expect(a).toBe(b);
      expect(opened).toHaveLength(1);
      expect(manager.session).toBe(a);
    } finally {
      Vault.unlock = original;
    }
  });

  it('runs a lock asked during an unlock after it, so no vault is left open with its key in memory', async () => {
    const unlocking = manager.unlock(PASS);
    const locking = manager.lock();
    const s = await unlocking;
    await locking;
    expect(s.vault.locked).toBe(true);
    expect(manager.session).toBeUndefined();
    expect(ended).toEqual(['manual']);
  });

  it('a stale vault locking itself (its idle timer) does not end the newer session', async () => {
    const first = await manager.unlock(PASS);
    // The first vault is closed behind the manager's back, e.g. by an idle timer of an old session...
    await manager.lock();
    const second = await manager.unlock(PASS);
    expect(second).not.toBe(first);
    // ...and its lock callback fires again late: it must not touch the new session.
    first.vault.lock('idle');
    expect(manager.session).toBe(second);
    expect(second.vault.locked).toBe(false);
    expect(ended).toEqual(['manual']);
  });

  it('a failed unlock (wrong passphrase) leaves no session and lets the next request through', async () => {
    const [bad, good] = await Promise.allSettled([manager.unlock('wrong passphrase entirely'), manager.unlock(PASS)]);
    expect(bad.status).toBe('rejected');
    expect((bad as PromiseRejectedResult).reason).toMatchObject({ code: 'vault.wrong-passphrase' });
    expect(good.status).toBe('fulfilled');
    expect(manager.session?.vault.locked).toBe(false);
  });

  it('ends the session when its vault goes idle, cancelling the session\'s jobs', async () => {
    const s = await manager.unlock(PASS);
    let signal: AbortSignal | undefined;
    const job = s.jobs.run('import', async (ctx) => {
      signal = ctx.signal;
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
      return 'stopped';
    });
    s.vault.lock('idle');
    expect(await job).toBe('stopped');
    expect(signal?.aborted).toBe(true);
    expect(manager.session).toBeUndefined();
    expect(ended).toEqual(['idle']);
    await expect(s.jobs.run('import', async () => 1)).rejects.toMatchObject({ code: 'vault.locked' });
  });
});
