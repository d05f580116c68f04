import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/cli';
import type { CliIO } from '../../../src/main/cli/command';
import { importCommands } from '../../../src/main/cli/commands/import';
import { trustCommands } from '../../../src/main/cli/commands/trust';
import { Vault } from '../../../src/main/services/vault/index';
import { buildBundleDir, tarBundle } from '../../helpers/corpus/build';
import { LAB_ID, minimalSpec } from '../../helpers/corpus/fixtures';
import { getPki, type TestPki } from '../../helpers/corpus/pki';
import { FAST_KDF, PASSPHRASE, tempDir } from './helpers';

const program = { name: 'airlock', version: 'test', commands: [...trustCommands, ...importCommands] };

function io(cwd: string, env: Record<string, string> = { AIRLOCK_PASSPHRASE: PASSPHRASE }) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), env, promptSecret: () => Promise.reject(new Error('no tty')), cwd };
  return { cli, out, err };
}

describe('airlock trust / import (in-process)', () => {
  let pki: TestPki;
  let root: string;
  let vaultDir: string;
  beforeAll(async () => {
    pki = await getPki();
    root = tempDir('airlock-cli-');
    vaultDir = path.join(root, 'vault');
    // Real clock here (the CLI unlocks with the system clock): the corpus PKI is valid 2026–2028.
    (await Vault.create(vaultDir, PASSPHRASE, { kdf: FAST_KDF, autoLockMinutes: 0 })).lock();
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('installs trust, imports (0), re-imports (0), rejects (1), and fails on a wrong passphrase (2)', async () => {
    const run = async (argv: string[], env?: Record<string, string>) => {
      const x = io(root, env);
      const code = await runCli(program, argv, x.cli);
      return { code, out: x.out.join('\n'), err: x.err.join('\n') };
    };
    let r = await run(['trust', 'add-anchor', pki.certs.root.pem, '--types', 'model-access,eval-package', '--label', 'CH', '--vault', 'vault']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Added trust anchor "CH"');
    r = await run(['trust', 'add-anchor', pki.certs.signer.pem, '--types', 'any', '--vault', 'vault', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).error.code).toBe('trust.not-ca');
    fs.writeFileSync(path.join(root, 'crls.pem'), [pki.crls.root.pem, pki.crls.int.pem].map((p) => fs.readFileSync(p, 'utf8')).join(''));
    r = await run(['trust', 'add-crl', 'crls.pem', '--vault', 'vault']);
    expect(r.code, r.err).toBe(0);
    expect(r.out.split('\n')).toHaveLength(2);
    expect((await run(['trust', 'set-lab-id', LAB_ID, '--vault', 'vault'])).code).toBe(0);
    r = await run(['trust', 'list', '--vault', 'vault', '--json']);
    const l = JSON.parse(r.out);
    expect(l.labId).toBe(LAB_ID);
    expect(l.anchors[0].crl.fresh).toBe(true);
    expect(l.crls).toHaveLength(2);

    const dir = await buildBundleDir(pki, minimalSpec(), path.join(root, 'b1'));
    const tar = await tarBundle(dir, path.join(root, 'b1.tar'));
    r = await run(['import', tar, '--vault', 'vault']);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/ACCEPTED: .*b1\.tar/);
    expect(r.out).toMatch(/IMPORTED as [0-9a-f-]{36}/);
    r = await run(['import', tar, '--vault', 'vault', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).outcome).toBe('already-imported');

    const rogue = await buildBundleDir(pki, minimalSpec({ signers: ['rogueSigner'] }, { series: 'rogue' }), path.join(root, 'b2'));
    r = await run(['import', rogue, '--vault', 'vault']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('[chain.no-anchor]');

    r = await run(['import', tar, '--vault', 'vault'], { AIRLOCK_PASSPHRASE: 'wrong-passphrase-entirely' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('vault.wrong-passphrase');
    r = await run(['import', '--vault', 'vault']);
    expect(r.code).toBe(2);
  });
});
