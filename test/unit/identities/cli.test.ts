import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliProgram } from '../../../src/main/cli/cli';
import { allCommands } from '../../../src/main/cli/commands';
import { EXIT, type CliIO } from '../../../src/main/cli/command';
import { AirlockError } from '../../../src/shared/errors';
import { TrustStore } from '../../../src/main/services/trust';
import { getPki, type TestPki } from '../../helpers/corpus/pki';
import { PASSPHRASE, installTrust, makeVault, type TestVault } from '../intake/helpers';
import { P12_PASSWORD, makeP12, sha256Fingerprint, workDir } from './helpers';

const program: CliProgram = { name: 'airlock', version: '0.0.0-test', commands: allCommands };

let pki: TestPki;
let dir: string;
let tv: TestVault;

function fakeIO(env: Record<string, string> = {}, prompt?: (p: string) => string) {
  const out: string[] = [];
  const err: string[] = [];
  const prompts: string[] = [];
  const io: CliIO = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { AIRLOCK_PASSPHRASE: PASSPHRASE, ...env },
    cwd: dir,
    promptSecret: (p) => {
      prompts.push(p);
      return prompt ? Promise.resolve(prompt(p)) : Promise.reject(new AirlockError('cli.no-tty', 'no tty'));
    },
  };
  return { io, out, err, prompts };
}

beforeAll(async () => {
  pki = await getPki();
  dir = workDir();
  tv = await makeVault();
  installTrust(new TrustStore(tv.vault), pki);
  tv.vault.lock();
}, 180_000);
afterAll(() => {
  tv.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('airlock identity import / list', () => {
  it('imports a PKCS#12 with AIRLOCK_P12_PASSWORD and lists it as JSON', async () => {
    const file = makeP12(pki, dir, 'labSigner');
    const a = fakeIO({ AIRLOCK_P12_PASSWORD: P12_PASSWORD });
    expect(await runCli(program, ['identity', 'import', file, '--vault', tv.dir, '--json'], a.io)).toBe(EXIT.ok);
    const imported = JSON.parse(a.out.join(''));
    expect(imported.identity.id).toBe(sha256Fingerprint(pki.certs.labSigner.pem));
    expect(a.prompts).toEqual([]);

    const b = fakeIO();
    expect(await runCli(program, ['identity', 'list', '--vault', tv.dir, '--json'], b.io)).toBe(EXIT.ok);
    const list = JSON.parse(b.out.join('')) as Record<string, unknown>[];
    expect(Array.isArray(list)).toBe(true);
    const lab = list.find((i) => i.id === imported.identity.id)!;
    expect(lab).toMatchObject({ subject: expect.stringContaining('Test Lab Evaluator'), issuer: expect.stringContaining('Test Lab Root'), status: 'valid', notAfter: '2028-01-01T00:00:00.000Z' });
    expect(JSON.stringify(list)).not.toContain(P12_PASSWORD);
  }, 30_000);

  it('reads the password from --password-file, or from the no-echo prompt; PEM form with --cert and --chain', async () => {
    const pwFile = path.join(dir, 'p12-password.txt');
    fs.writeFileSync(pwFile, `${P12_PASSWORD}\n`);
    const a = fakeIO();
    expect(await runCli(program, ['identity', 'import', makeP12(pki, dir, 'labEnc', { legacy: true }), '--vault', tv.dir, '--password-file', pwFile], a.io)).toBe(EXIT.ok);
    expect(a.out.join('\n')).toMatch(/Imported identity[\s\S]*credential-decryption/);

    const b = fakeIO({}, () => 'pem-holder-password');
    const args = ['identity', 'import', pki.certs.cosigner.key, '--cert', pki.certs.cosigner.pem, '--chain', pki.certs.int.pem, '--vault', tv.dir, '--json'];
    expect(await runCli(program, args, b.io)).toBe(EXIT.ok);
    expect(b.prompts).toEqual(['Identity (PKCS#12) password: ']);
    expect(JSON.parse(b.out.join('')).identity).toMatchObject({ source: 'pem', status: 'not-chained' });

    const c = fakeIO();
    expect(await runCli(program, ['identity', 'list', '--vault', tv.dir], c.io)).toBe(EXIT.ok);
    const text = c.out.join('\n');
    expect(text).toMatch(/Identities \(3, at 2027-01-01/);
    expect(text).toMatch(/status\s+not-chained — /);
  }, 30_000);

  it('refusals exit 2 with the identity code: wrong password, weak key, no password source', async () => {
    const a = fakeIO({ AIRLOCK_P12_PASSWORD: 'wrong' });
    expect(await runCli(program, ['identity', 'import', makeP12(pki, dir, 'signer'), '--vault', tv.dir, '--json'], a.io)).toBe(EXIT.usage);
    expect(JSON.parse(a.out.join('')).error.code).toBe('identity.bad-password');

    const b = fakeIO({ AIRLOCK_P12_PASSWORD: P12_PASSWORD });
    expect(await runCli(program, ['identity', 'import', makeP12(pki, dir, 'p256'), '--vault', tv.dir, '--json'], b.io)).toBe(EXIT.usage);
    expect(JSON.parse(b.out.join('')).error.code).toBe('identity.weak-key');

    const c = fakeIO();
    expect(await runCli(program, ['identity', 'import', makeP12(pki, dir, 'signer'), '--vault', tv.dir, '--json'], c.io)).toBe(EXIT.usage);
    const e = JSON.parse(c.out.join('')).error;
    expect(e.code).toBe('cli.no-passphrase');
    expect(e.message).toContain('AIRLOCK_P12_PASSWORD');

    const d = fakeIO();
    expect(await runCli(program, ['identity', 'import', '--vault', tv.dir], d.io)).toBe(EXIT.usage);
    const f = fakeIO();
    expect(await runCli(program, ['identity', 'import', path.join(dir, 'missing.p12'), '--vault', tv.dir, '--json'], f.io)).toBe(EXIT.usage);
    expect(JSON.parse(f.out.join('')).error.code).toBe('io.not-found');
  }, 30_000);
});
