import crypto from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../../src/main/services/vault/index';
import { FAST, PASS, chunks, listFiles, newVaultDir } from './helpers';

function encodings(marker: string): Buffer[] {
  const le = Buffer.from(marker, 'utf16le');
  const be = Buffer.from(le);
  be.swap16();
  return [Buffer.from(marker, 'utf8'), le, be];
}

function scan(dir: string, markers: string[]): string[] {
  const hits: string[] = [];
  const files = listFiles(dir);
  for (const f of files) {
    const data = fs.readFileSync(f);
    for (const m of markers) for (const enc of encodings(m)) if (data.includes(enc)) hits.push(`${m} in ${f}`);
  }
  return hits;
}

describe('no plaintext on disk', () => {
  it('markers in records, audit detail, small and large blobs, staged temp files never appear in any file', async () => {
    const dir = newVaultDir();
    const id = crypto.randomBytes(6).toString('hex');
    const M = {
      record: `REC-MARKER-${id}`,
      audit: `AUDIT-MARKER-${id}`,
      small: `SMALLBLOB-MARKER-${id}`,
      large: `LARGEBLOB-MARKER-${id}`,
      staged: `STAGED-MARKER-${id}`,
      operator: `OPERATOR-MARKER-${id}`,
    };
    const v = await Vault.create(dir, PASS, { ...FAST, operator: M.operator });
    v.db.exec('CREATE TABLE msgs (id INTEGER PRIMARY KEY, body TEXT, wide BLOB)');
    v.transaction(() => {
      for (let i = 0; i < 300; i++) v.db.prepare('INSERT INTO msgs (body, wide) VALUES (?, ?)').run(`row ${i} ${M.record} ${'x'.repeat(400)}`, Buffer.from(M.record, 'utf16le'));
    });
    v.audit.append({ action: 'test.marker', target: M.audit, outcome: 'success', detail: { note: M.audit } });
    await v.blobs.put(chunks(Buffer.from(`${M.small} (tiny)`)));
    const large = Buffer.concat([crypto.randomBytes(1_500_000), Buffer.from(M.large), Buffer.from(M.large, 'utf16le'), crypto.randomBytes(700_000)]);
    await v.blobs.put(chunks(large));
    // A staged temp file left behind (as if a worker were mid-write).
    const { BlobSealer } = await import('../../../src/main/services/vault/blob-cipher.mjs');
    const st = v.blobs.stage();
    const s = new BlobSealer(st.blobKey);
    fs.writeFileSync(st.tempPath, s.push(Buffer.from(`${M.staged} partial`)));
    const all = Object.values(M);
    // While open: vault.db, -wal, -shm, tmp/ all covered.
    expect(listFiles(dir).some((f) => f.endsWith('-wal'))).toBe(true);
    expect(scan(dir, all)).toEqual([]);
    v.lock();
    expect(scan(dir, all)).toEqual([]);
    // Sanity: the scanner does find a marker when one is present.
    fs.writeFileSync(`${dir}/canary`, Buffer.from(M.audit, 'utf16le'));
    expect(scan(dir, all)).toHaveLength(1);
  });
});
