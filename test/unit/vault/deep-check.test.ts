/** `airlock vault check --blobs`: every blob decrypted, authenticated and re-hashed; damage is named. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/cli';
import type { CliIO } from '../../../src/main/cli/command';
import { vaultCommands } from '../../../src/main/cli/commands/vault';
import { Vault } from '../../../src/main/services/vault/index';
import { FAST, PASS, newVaultDir } from './helpers';

function io(): { io: CliIO; out: string[] } {
  const out: string[] = [];
  return {
    out,
    io: { out: (t) => out.push(t), err: (t) => out.push(t), env: { AIRLOCK_PASSPHRASE: PASS }, cwd: process.cwd(), promptSecret: () => Promise.reject(new Error('no tty')) },
  };
}

function blobFiles(dir: string): string[] {
  return (fs.readdirSync(path.join(dir, 'blobs'), { recursive: true }) as string[])
    .map((f) => path.join(dir, 'blobs', f))
    .filter((f) => fs.statSync(f).isFile());
}

describe('vault check --blobs', () => {
  it('passes an intact vault and names the blob whose file was damaged', async () => {
    const dir = newVaultDir();
    const v = await Vault.create(dir, PASS, FAST);
    const sizes = [10, 3 << 20, 1234];
    const shas: string[] = [];
    for (const n of sizes) shas.push((await v.blobs.put([Buffer.alloc(n, n % 251)])).sha384);
    v.lock();
    const program = { name: 'airlock', version: 't', commands: vaultCommands };

    const good = io();
    expect(await runCli(program, ['vault', 'check', '--vault', dir, '--blobs', '--json'], good.io)).toBe(0);
    expect(JSON.parse(good.out.join(''))).toMatchObject({ ok: true, blobs: { checked: 3, bad: [] } });

    // Flip one byte in the middle of the largest blob's file (inside a sealed chunk).
    const victim = blobFiles(dir).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]!;
    const bytes = fs.readFileSync(victim);
    bytes[bytes.length >> 1]! ^= 0x01;
    fs.writeFileSync(victim, bytes);

    const bad = io();
    expect(await runCli(program, ['vault', 'check', '--vault', dir, '--blobs', '--json'], bad.io)).toBe(1);
    const report = JSON.parse(bad.out.join(''));
    expect(report.ok).toBe(false);
    expect(report.blobs.checked).toBe(3);
    expect(report.blobs.bad).toEqual([{ sha384: shas[1], code: 'blob.corrupt', message: expect.stringMatching(/Restore the vault from backup/) }]);

    const v2 = await Vault.unlock(dir, PASS, FAST);
    const audit = v2.audit.list({ limit: 10 }).find((r) => r.action === 'vault.blobs-checked');
    expect(audit).toMatchObject({ outcome: 'failure', detail: { checked: 3, bad: 1, firstBad: shas[1] } });
    v2.lock();
  });
});
