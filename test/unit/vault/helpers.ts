import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { VaultOpenOptions } from '../../../src/main/services/vault/index';

/** Low-cost scrypt for tests (production defaults are tested separately). */
export const FAST: VaultOpenOptions = { kdf: { N: 1024, r: 8, p: 1 }, operator: 'tester' };
export const PASS = 'correct horse battery staple orbit';
export const PASS2 = 'violet-lantern-harbor-quartz-91';

const dirs: string[] = [];
export function tmpDir(prefix = 'airlock-vault-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}
/** A path that does not exist yet, inside a fresh temp dir. */
export function newVaultDir(): string {
  return path.join(tmpDir(), 'v');
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

export async function expectCode(p: Promise<unknown> | (() => unknown), code: string): Promise<Error & { code: string; detail?: unknown }> {
  try {
    if (typeof p === 'function') await p();
    else await p;
  } catch (e) {
    const err = e as Error & { code: string };
    if (err.code !== code) throw new Error(`expected error code ${code}, got ${err.code}: ${err.message}`);
    return err;
  }
  throw new Error(`expected error ${code}, but nothing was thrown`);
}

export async function* chunks(buf: Buffer, piece = 65_537): AsyncIterable<Buffer> {
  for (let i = 0; i < buf.length; i += piece) yield buf.subarray(i, i + piece);
}

export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}
