import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/cli';
import type { CliIO } from '../../../src/main/cli/command';
import { vaultCommands } from '../../../src/main/cli/commands/vault';
import { stripOneNewline } from '../../../src/main/cli/passphrase';
import { Vault } from '../../../src/main/services/vault/index';
import { FAST, PASS, PASS2, newVaultDir, tmpDir } from './helpers';

function fakeIO(env: Record<string, string> = {}, prompts: string[] = [], cwd = tmpDir()) {
  const out: string[] = [];
  const err: string[] = [];
  const asked: string[] = [];
  const io: CliIO = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env,
    cwd,
    promptSecret: async (p) => {
      asked.push(p);
      const next = prompts.shift();
      if (next === undefined) throw new Error('no TTY');
      return next;
    },
  };
  return { io, out, err, asked };
}
const program = { name: 'airlock', version: 'test', commands: vaultCommands };
const run = (argv: string[], io: CliIO) => runCli(program, argv, io);

describe('airlock vault CLI', () => {
  it('init from a passphrase file (one trailing newline stripped), then check → 0 with JSON', async () => {
    const f = fakeIO();
    fs.writeFileSync(path.join(f.io.cwd, 'pass.txt'), PASS + '\n');
    expect(await run(['vault', 'init', '--vault', 'v', '--passphrase-file', 'pass.txt', '--operator', 'op1', '--json'], f.io)).toBe(0);
    const created = JSON.parse(f.out.join(''));
    expect(created).toMatchObject({ ok: true, dir: path.join(f.io.cwd, 'v'), schemaVersion: expect.any(Number) });
    const kf = JSON.parse(fs.readFileSync(path.join(f.io.cwd, 'v', 'vault.key.json'), 'utf8'));
    expect(kf.kdf.N).toBe(1 << 17);
    const c = fakeIO({ AIRLOCK_PASSPHRASE: PASS }, [], f.io.cwd);
    expect(await run(['vault', 'check', '--vault', 'v', '--json'], c.io)).toBe(0);
    expect(JSON.parse(c.out.join(''))).toMatchObject({ ok: true, integrity: 'ok', audit: { ok: true } });
  });

  it('check: wrong passphrase → 2; broken chain → 1 naming the record; corrupt DB → 1', async () => {
    const dir = newVaultDir();
    const v = await Vault.create(dir, PASS, FAST);
    v.audit.append({ action: 't', outcome: 'success' });
    v.lock();
    const w = fakeIO({ AIRLOCK_PASSPHRASE: 'definitely wrong pass' });
    expect(await run(['vault', 'check', '--vault', dir], w.io)).toBe(2);
    expect(w.err.join('')).toContain('vault.wrong-passphrase');
    const v2 = await Vault.unlock(dir, PASS, FAST);
    v2.db.exec('DROP TRIGGER audit_no_update');
    v2.db.prepare("UPDATE audit SET action='x' WHERE seq=2").run();
    v2.lock();
    const b = fakeIO({ AIRLOCK_PASSPHRASE: PASS });
    expect(await run(['vault', 'check', '--vault', dir], b.io)).toBe(1);
    expect(b.out.join('')).toMatch(/broken at record 2/);
    const db = path.join(dir, 'vault.db');
    const buf = fs.readFileSync(db);
    buf[50]! ^= 1;
    fs.writeFileSync(db, buf);
    const cj = fakeIO({ AIRLOCK_PASSPHRASE: PASS });
    expect(await run(['vault', 'check', '--vault', dir, '--json'], cj.io)).toBe(1);
    expect(JSON.parse(cj.out.join(''))).toMatchObject({ ok: false, error: { code: 'vault.corrupt' } });
  });

  it('passwd: new passphrase from env; prompt twice when asked; mismatch → 2', async () => {
    const dir = newVaultDir();
    (await Vault.create(dir, PASS, FAST)).lock();
    const p = fakeIO({ AIRLOCK_PASSPHRASE: PASS, AIRLOCK_NEW_PASSPHRASE: PASS2 });
    expect(await run(['vault', 'passwd', '--vault', dir], p.io)).toBe(0);
    (await Vault.unlock(dir, PASS2, FAST)).lock();
    const m = fakeIO({ AIRLOCK_PASSPHRASE: PASS2 }, [PASS, 'something else entirely']);
    expect(await run(['vault', 'passwd', '--vault', dir, '--json'], m.io)).toBe(2);
    expect(m.asked).toEqual(['New passphrase: ', 'Repeat to confirm: ']);
    expect(JSON.parse(m.out.join(''))).toMatchObject({ ok: false, error: { code: 'cli.passphrase-mismatch' } });
    const nf = path.join(tmpDir(), 'new.txt');
    fs.writeFileSync(nf, PASS + '\r\n');
    const q = fakeIO({}, [PASS2]);
    expect(await run(['vault', 'passwd', '--vault', dir, '--new-passphrase-file', nf], q.io)).toBe(0);
    expect(q.asked).toEqual(['Current passphrase: ']);
    (await Vault.unlock(dir, PASS, FAST)).lock();
  });

  it('usage errors and missing passphrase source → 2 with a helpful message; status prints', async () => {
    const u = fakeIO();
    expect(await run(['vault', 'check'], u.io)).toBe(2);
    expect(u.err.join('')).toContain('--vault');
    const dir = newVaultDir();
    (await Vault.create(dir, PASS, FAST)).lock();
    const n = fakeIO();
    expect(await run(['vault', 'check', '--vault', dir], n.io)).toBe(2);
    expect(n.err.join('')).toMatch(/AIRLOCK_PASSPHRASE/);
    const missing = fakeIO();
    expect(await run(['vault', 'check', '--vault', dir, '--passphrase-file', 'nope.txt'], missing.io)).toBe(2);
    expect(missing.err.join('')).toContain('cli.passphrase-file');
    const s = fakeIO({ AIRLOCK_PASSPHRASE: PASS });
    expect(await run(['vault', 'status', '--vault', dir, '--json'], s.io)).toBe(0);
    expect(JSON.parse(s.out.join(''))).toMatchObject({ ok: true, locked: false, autoLockMinutes: 15, clock: { behindMs: 0 } });
    const weak = fakeIO({ AIRLOCK_PASSPHRASE: 'qwerty123' });
    expect(await run(['vault', 'init', '--vault', newVaultDir()], weak.io)).toBe(2);
    expect(weak.err.join('')).toContain('vault.weak-passphrase');
  });

  it('stripOneNewline strips exactly one', () => {
    expect(stripOneNewline('a\n\n')).toBe('a\n');
    expect(stripOneNewline('a\r\n')).toBe('a');
    expect(stripOneNewline(' a ')).toBe(' a ');
  });
});
