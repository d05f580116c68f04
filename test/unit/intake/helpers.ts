/** Shared setup for trust-store and intake tests: a real encrypted vault with fast scrypt, at the corpus time AT. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Vault } from '../../../src/main/services/vault/index';
import { TrustStore } from '../../../src/main/services/trust/trust-store';
import { AT, type TestPki } from '../../helpers/corpus/pki';
import { LAB_ID } from '../../helpers/corpus/fixtures';

export const PASSPHRASE = 'tangerine-orbit-glacier-7-sonnet';
export const FAST_KDF = { N: 2 ** 14, r: 8, p: 1 };

export interface TestVault {
  vault: Vault;
  dir: string;
  cleanup(): void;
}

export async function makeVault(now: Date = AT): Promise<TestVault> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'airlock-intake-'));
  const dir = path.join(root, 'vault');
  const vault = await Vault.create(dir, PASSPHRASE, { kdf: FAST_KDF, now: () => now, operator: 'officer-test', autoLockMinutes: 0 });
  return {
    vault,
    dir,
    cleanup() {
      try {
        vault.lock();
      } catch {
        /* already locked */
      }
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Anchors (clearinghouse root for model-access/eval-package, lab root for result), current CRLs, lab id. */
export function installTrust(trust: TrustStore, pki: TestPki): void {
  trust.addAnchor(pki.certs.root.der, { types: ['model-access', 'eval-package'], label: 'Test Clearinghouse Root' });
  trust.addAnchor(pki.certs.labRoot.der, { types: ['result'], label: 'Test Lab Root' });
  const pem = [pki.crls.root.pem, pki.crls.int.pem, pki.crls.labRoot.pem].map((p) => fs.readFileSync(p, 'utf8')).join('');
  trust.addCrls(Buffer.from(pem));
  trust.setLabId(LAB_ID);
}

export function auditActions(vault: Vault): string[] {
  return vault.audit.list({ limit: 10_000 }).map((r) => r.action).reverse();
}

export function count(vault: Vault, table: string): number {
  return vault.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
}

export function tmpFiles(dir: string): string[] {
  const t = path.join(dir, 'tmp');
  return fs.existsSync(t) ? fs.readdirSync(t) : [];
}

export function tempDir(prefix = 'airlock-bundle-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
