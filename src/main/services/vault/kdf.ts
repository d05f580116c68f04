import crypto from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  /** Bytes; must exceed 128 * N * r * p. */
  maxmem: number;
}

/**
 * Production defaults: N=2^17, r=10, p=1 → 160 MiB of memory per derivation,
 * ≈0.5 s on the reference 2-core lab machine (measured: r=8 gave ≈0.38 s).
 * Stored with every wrapped key, so they can be raised later without breaking
 * existing vaults (changePassphrase re-wraps with the current defaults).
 */
export const DEFAULT_SCRYPT: Readonly<ScryptParams> = Object.freeze({
  N: 1 << 17,
  r: 10,
  p: 1,
  maxmem: 256 * (1 << 17) * 10,
});

/** Parameters outside these bounds in a key file are refused (DoS / downgrade guard). */
const LIMITS = { minN: 1 << 10, maxN: 1 << 22, maxR: 32, maxP: 16, maxMem: 4 * 1024 ** 3 };

export function resolveScrypt(partial?: Partial<ScryptParams>): ScryptParams {
  const N = partial?.N ?? DEFAULT_SCRYPT.N;
  const r = partial?.r ?? DEFAULT_SCRYPT.r;
  const p = partial?.p ?? DEFAULT_SCRYPT.p;
  const maxmem = partial?.maxmem ?? Math.max(256 * N * r * p, 32 * 1024 * 1024);
  return { N, r, p, maxmem };
}

export function validScrypt(k: ScryptParams): boolean {
  const pow2 = Number.isInteger(k.N) && (k.N & (k.N - 1)) === 0;
  return (
    pow2 &&
    k.N >= LIMITS.minN &&
    k.N <= LIMITS.maxN &&
    Number.isInteger(k.r) && k.r >= 1 && k.r <= LIMITS.maxR &&
    Number.isInteger(k.p) && k.p >= 1 && k.p <= LIMITS.maxP &&
    Number.isInteger(k.maxmem) && k.maxmem > 128 * k.N * k.r * k.p && k.maxmem <= LIMITS.maxMem
  );
}

export function scryptKek(passphrase: string, salt: Buffer, k: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    crypto.scrypt(passphrase.normalize('NFC'), salt, 32, { N: k.N, r: k.r, p: k.p, maxmem: k.maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** HKDF-SHA-384 sub-key of the data key, separated by purpose label. */
export function deriveKey(dataKey: Buffer, purpose: string, length = 32): Buffer {
  return Buffer.from(crypto.hkdfSync('sha384', dataKey, Buffer.alloc(0), Buffer.from(`airlock vault ${purpose} v1`, 'utf8'), length));
}
