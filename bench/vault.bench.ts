/**
 * Vault benchmark: encrypted vault vs plain SQLite / plain files, same schema,
 * same data, one run. Exported for the lead's `npm run bench` runner.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { Vault } from '../src/main/services/vault/index';
import { applyVaultPragmas } from '../src/main/services/vault/db';
import type { Database } from '../src/main/services/vault/migrations/types';

export interface VaultBenchOptions {
  messages?: number;
  /** Messages for the one-transaction-per-message insert row (default 5,000). */
  txnMessages?: number;
  blobMiB?: number;
  log: (line: string) => void;
  /** Where to put the temporary vault and files (default os.tmpdir()). */
  workDir?: string;
}

const schema = (t: string) => `
  CREATE TABLE IF NOT EXISTS ${t} (id INTEGER PRIMARY KEY, conversation INTEGER NOT NULL, role TEXT NOT NULL, ts TEXT NOT NULL, body TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS ${t}_conv ON ${t}(conversation, id);
  CREATE VIRTUAL TABLE IF NOT EXISTS ${t}_fts USING fts5(body, content='${t}', content_rowid='id');
`;
const SCHEMA = schema('bench_messages');
/** Same schema, separate tables, for the per-message (transcript-style) insert row. */
const TXN_TABLE = 'bench_turns';

const WORDS = (
  'model evaluation prompt response safety refusal capability benchmark transcript system user assistant tool call output ' +
  'reasoning step answer question context window token policy harmful request biology chemistry cyber uplift mitigation ' +
  'grader rubric score pass fail sample seed temperature latency throughput dataset split holdout contamination audit ' +
  'export bundle signature certificate verify report finding severity analyst reviewer note flag escalate protocol lab ' +
  'experiment run config version checkpoint weights inference server gpu memory batch error retry timeout result summary'
).split(' ');

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

function makeTexts(n: number): string[] {
  const r = rng(42);
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const target = 380 + Math.floor(r() * 240); // ~500 bytes
    let s = '';
    while (s.length < target) {
      const w = WORDS[Math.floor(r() * WORDS.length)]!;
      s += s ? (r() < 0.08 ? '. ' + w[0]!.toUpperCase() + w.slice(1) : ' ' + w) : w[0]!.toUpperCase() + w.slice(1);
      if (r() < 0.03) s += ' ' + Math.floor(r() * 100000);
    }
    out[i] = s + '.';
  }
  return out;
}

function plainDb(file: string): Database {
  const db = new BetterSqlite3(file);
  applyVaultPragmas(db); // the vault's own settings, without the key
  return db;
}

/** Inserts texts[from..] (ids from+1..), `batch` messages per transaction. */
function insertAll(db: Database, texts: string[], batch = 1000, table = 'bench_messages', from = 0): number {
  const ins = db.prepare(`INSERT INTO ${table} (id, conversation, role, ts, body) VALUES (?, ?, ?, ?, ?)`);
  const fts = db.prepare(`INSERT INTO ${table}_fts (rowid, body) VALUES (?, ?)`);
  const base = Date.parse('2030-01-01T00:00:00Z');
  const t0 = performance.now();
  for (let i = from; i < texts.length; i += batch) {
    db.transaction(() => {
      for (let j = i; j < Math.min(i + batch, texts.length); j++) {
        ins.run(j + 1, Math.floor(j / 40), j % 2 ? 'assistant' : 'user', new Date(base + j * 1000).toISOString(), texts[j]!);
        fts.run(j + 1, texts[j]!);
      }
    }).immediate();
  }
  return (performance.now() - t0) / 1000;
}

function queries(n: number): string[] {
  const r = rng(7);
  const q: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = WORDS[Math.floor(r() * WORDS.length)]!;
    const b = WORDS[Math.floor(r() * WORDS.length)]!;
    q.push(i % 3 === 0 ? a : i % 3 === 1 ? `${a} AND ${b}` : `"${a} ${b}"`);
  }
  return q;
}

function runQueries(db: Database, qs: string[]): { secs: number; hits: number } {
  const st = db.prepare(
    `SELECT m.id, m.ts, snippet(bench_messages_fts, 0, '[', ']', '…', 8) AS s FROM bench_messages_fts JOIN bench_messages m ON m.id = bench_messages_fts.rowid WHERE bench_messages_fts MATCH ? ORDER BY rank LIMIT 20`,
  );
  let hits = 0;
  const t0 = performance.now();
  for (const q of qs) hits += st.all(q).length;
  return { secs: (performance.now() - t0) / 1000, hits };
}

async function makeSource(file: string, mib: number): Promise<void> {
  const fh = await fsp.open(file, 'w');
  const block = crypto.randomBytes(1 << 20);
  for (let i = 0; i < mib; i++) {
    block.writeUInt32LE(i, 0); // distinct blocks
    await fh.write(block);
  }
  await fh.sync();
  await fh.close();
}

/** The plain reference: the same bytes through userspace (1 MiB reads, one write each), then fsync. */
async function streamCopyFsync(src: string, dst: string, end?: number): Promise<void> {
  const fh = await fsp.open(dst, 'w');
  await pipeline(
    fs.createReadStream(src, { highWaterMark: 1 << 20, ...(end !== undefined ? { end } : {}) }),
    new Writable({
      write(chunk: Buffer, _e, cb) {
        fh.write(chunk).then(() => cb(), cb);
      },
    }),
  );
  await fh.sync();
  await fh.close();
}

/** Single-core CPU cost (ns per byte) of the primitives the encrypted paths use, on 1 MiB buffers. */
function perByteCosts(mib = 64): Record<string, number> {
  const buf = crypto.randomBytes(1 << 20);
  const key = crypto.randomBytes(32);
  const iv = crypto.randomBytes(12);
  const iv16 = crypto.randomBytes(16);
  const time = (fn: () => void): number => {
    for (let i = 0; i < 8; i++) fn(); // warm-up
    const t0 = performance.now();
    for (let i = 0; i < mib; i++) fn();
    return ((performance.now() - t0) * 1e6) / (mib << 20);
  };
  return {
    sha384: time(() => crypto.createHash('sha384').update(buf).digest()),
    gcm_encrypt: time(() => {
      const c = crypto.createCipheriv('aes-256-gcm', key, iv);
      c.update(buf);
      c.final();
      c.getAuthTag();
    }),
    gcm_decrypt: time(() => {
      const d = crypto.createDecipheriv('aes-256-gcm', key, iv);
      d.update(buf);
    }),
    cbc_hmac_sha512: time(() => {
      const c = crypto.createCipheriv('aes-256-cbc', key, iv16);
      c.setAutoPadding(false);
      c.update(buf);
      crypto.createHmac('sha512', key).update(buf).digest();
    }),
    memcpy: time(() => Buffer.from(buf)),
  };
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export async function runVaultBench(opts: VaultBenchOptions): Promise<Record<string, number>> {
  const messages = opts.messages ?? 100_000;
  const txnMessages = Math.min(opts.txnMessages ?? 5_000, messages);
  const blobMiB = opts.blobMiB ?? 256;
  const log = opts.log;
  const root = fs.mkdtempSync(path.join(opts.workDir ?? os.tmpdir(), 'airlock-vault-bench-'));
  const res: Record<string, number> = {};
  try {
    const texts = makeTexts(messages);
    const avg = texts.reduce((a, t) => a + Buffer.byteLength(t), 0) / texts.length;
    log(
      `vault bench: ${fmt(messages)} messages (avg ${fmt(avg)} B) in 1k-message transactions + ${fmt(txnMessages)} in one transaction each, FTS5, ` +
        `synchronous=FULL, ${blobMiB} MiB blob; target ≥ 0.80× plain`,
    );

    // --- encrypted vault (production pragmas; low scrypt cost: KDF is not what we measure)
    const vdir = path.join(root, 'vault');
    let vault = await Vault.create(vdir, 'bench passphrase horse battery staple', { kdf: { N: 1 << 14, r: 8, p: 1 }, autoLockMinutes: 0 });
    vault.db.exec(SCHEMA);
    const encIns = insertAll(vault.db, texts);
    vault.lock();
    // --- plain SQLite, same module, no key, same pragmas
    const pfile = path.join(root, 'plain.db');
    let pdb = plainDb(pfile);
    pdb.exec(SCHEMA);
    const plainIns = insertAll(pdb, texts);
    pdb.close();

    // Cold-ish caches for queries: reopen both.
    vault = await Vault.unlock(vdir, 'bench passphrase horse battery staple', { autoLockMinutes: 0 });
    pdb = plainDb(pfile);
    const qs = queries(Math.max(200, Math.min(400, Math.floor(messages / 100))));
    // Same warm-up for both (page cache + SQLite cache), then measure.
    runQueries(vault.db, qs.slice(0, 50));
    runQueries(pdb, qs.slice(0, 50));
    const plainQ = runQueries(pdb, qs);
    const encQ = runQueries(vault.db, qs);
    if (encQ.hits !== plainQ.hits) throw new Error(`FTS results differ: ${encQ.hits} vs ${plainQ.hits}`);
    const encSize = fs.statSync(path.join(vdir, 'vault.db')).size;

    // --- transcript-style writes: one transaction (one WAL commit + fsync) per
    // message, into fresh tables of the same schema in the same two databases.
    // Alternating halves so both see the same machine conditions.
    vault.db.exec(schema(TXN_TABLE));
    pdb.exec(schema(TXN_TABLE));
    const turns = texts.slice(0, txnMessages);
    const half = Math.ceil(turns.length / 2);
    let encTxn = insertAll(vault.db, turns.slice(0, half), 1, TXN_TABLE);
    let plainTxn = insertAll(pdb, turns.slice(0, half), 1, TXN_TABLE);
    plainTxn += insertAll(pdb, turns, 1, TXN_TABLE, half);
    encTxn += insertAll(vault.db, turns, 1, TXN_TABLE, half);
    pdb.close();

    res.insert_msgs_per_s_encrypted = messages / encIns;
    res.insert_msgs_per_s_plain = messages / plainIns;
    res.insert_ratio = res.insert_msgs_per_s_encrypted / res.insert_msgs_per_s_plain;
    res.insert_txn_msgs_per_s_encrypted = txnMessages / encTxn;
    res.insert_txn_msgs_per_s_plain = txnMessages / plainTxn;
    res.insert_txn_ratio = res.insert_txn_msgs_per_s_encrypted / res.insert_txn_msgs_per_s_plain;
    res.fts_queries_per_s_encrypted = qs.length / encQ.secs;
    res.fts_queries_per_s_plain = qs.length / plainQ.secs;
    res.fts_ratio = res.fts_queries_per_s_encrypted / res.fts_queries_per_s_plain;
    res.db_bytes_encrypted = encSize;

    // --- blobs vs plain files
    const src = path.join(root, 'source.bin');
    await makeSource(src, blobMiB);
    const MB = blobMiB * 1.048576;
    // Warm-up both paths equally (JIT, crypto contexts, page cache of the source).
    {
      const w = await vault.blobs.put(fs.createReadStream(src, { highWaterMark: 1 << 20, end: (32 << 20) - 1 }));
      for await (const _ of vault.blobs.openRead(w.sha384)) void _;
      vault.blobs.delete(w.sha384);
      await streamCopyFsync(src, path.join(root, 'warm.bin'), (32 << 20) - 1);
      for await (const _ of fs.createReadStream(path.join(root, 'warm.bin'), { highWaterMark: 1 << 20 })) void _;
      fs.rmSync(path.join(root, 'warm.bin'));
    }
    // Plain first, then encrypted: the source is equally hot in the page cache for both.
    let t = performance.now();
    await streamCopyFsync(src, path.join(root, 'copy-stream.bin'));
    const plainW = (performance.now() - t) / 1000;
    t = performance.now();
    const { sha384 } = await vault.blobs.put(fs.createReadStream(src, { highWaterMark: 1 << 20 }));
    const encW = (performance.now() - t) / 1000;
    // Reads: each reads the file its write just produced (both in the page cache).
    t = performance.now();
    let n = 0;
    for await (const p of fs.createReadStream(path.join(root, 'copy-stream.bin'), { highWaterMark: 1 << 20 })) n += (p as Buffer).length;
    const plainR = (performance.now() - t) / 1000;
    if (n !== blobMiB << 20) throw new Error('copy size mismatch');
    t = performance.now();
    n = 0;
    for await (const p of vault.blobs.openRead(sha384)) n += p.length;
    const encR = (performance.now() - t) / 1000;
    if (n !== blobMiB << 20) throw new Error('blob size mismatch');
    t = performance.now();
    await fsp.copyFile(src, path.join(root, 'copy-fs.bin'));
    const copyFileS = (performance.now() - t) / 1000;
    vault.lock();

    res.blob_write_MBps_encrypted = MB / encW;
    res.blob_write_MBps_plain = MB / plainW;
    res.blob_write_ratio = res.blob_write_MBps_encrypted / res.blob_write_MBps_plain;
    res.blob_copyFile_MBps = MB / copyFileS;
    res.blob_read_MBps_encrypted = MB / encR;
    res.blob_read_MBps_plain = MB / plainR;
    res.blob_read_ratio = res.blob_read_MBps_encrypted / res.blob_read_MBps_plain;

    const row = (name: string, enc: number, plain: number, unit: string) => {
      const ratio = enc / plain;
      log(`${name.padEnd(22)} ${fmt(enc).padStart(10)} ${fmt(plain).padStart(10)} ${unit.padEnd(8)} ${fmt(ratio, 2).padStart(6)}×  ${ratio >= 0.8 ? 'meets 0.80×' : 'BELOW 0.80×'}`);
    };
    log(`${'metric'.padEnd(22)} ${'encrypted'.padStart(10)} ${'plain'.padStart(10)} ${'unit'.padEnd(8)} ${'ratio'.padStart(7)}  target`);
    row('insert (1k/txn)', res.insert_msgs_per_s_encrypted, res.insert_msgs_per_s_plain, 'msg/s');
    row('insert (1/txn)', res.insert_txn_msgs_per_s_encrypted, res.insert_txn_msgs_per_s_plain, 'msg/s');
    row('FTS5 query', res.fts_queries_per_s_encrypted, res.fts_queries_per_s_plain, 'q/s');
    row('blob write (fsync)', res.blob_write_MBps_encrypted, res.blob_write_MBps_plain, 'MB/s');
    row('blob read (verified)', res.blob_read_MBps_encrypted, res.blob_read_MBps_plain, 'MB/s');
    // The issue's own reference for blob reads is the disk's plain copy speed (the
    // copy-with-fsync above); the row before is the stricter page-cache read.
    row('blob read vs plain copy', res.blob_read_MBps_encrypted, res.blob_write_MBps_plain, 'MB/s');
    log(`(fs.copyFile of the same file: ${fmt(res.blob_copyFile_MBps)} MB/s — kernel copy, no userspace pass)`);
    const c = perByteCosts();
    for (const [k, v] of Object.entries(c)) res[`cpu_ns_per_byte_${k}`] = v;
    const ns = (x: number) => fmt(x, 2);
    log(
      `single-core CPU cost, ns/byte: SHA-384 ${ns(c.sha384!)}, AES-256-GCM enc ${ns(c.gcm_encrypt!)} / dec ${ns(c.gcm_decrypt!)}, ` +
        `AES-256-CBC+HMAC-SHA512 (SQLCipher page codec, OpenSSL) ${ns(c.cbc_hmac_sha512!)}, memcpy ${ns(c.memcpy!)}`,
    );
    const plainWns = 1000 / res.blob_write_MBps_plain;
    const plainRns = 1000 / res.blob_read_MBps_plain;
    if (res.blob_write_ratio < 0.8)
      log(
        `blob write below target: the plain copy costs ${ns(plainWns)} ns/B; the vault must add SHA-384 of the content (${ns(c.sha384!)} ns/B, sequential: one worker thread) ` +
          `and GCM (${ns(c.gcm_encrypt!)} ns/B, on the libuv pool) on ${os.availableParallelism()} cores shared with that copy's own I/O work; ` +
          `0.80× needs ≤ ${ns(plainWns / 0.8)} ns/B in all.`,
      );
    if (res.blob_read_ratio < 0.8)
      log(
        `blob read below target: the plain read costs ${ns(plainRns)} ns/B (page-cache memcpy); the vault must at least decrypt+authenticate (${ns(c.gcm_decrypt!)} ns/B) ` +
          `on top; 0.80× needs ≤ ${ns(plainRns / 0.8)} ns/B.`,
      );
    if (res.insert_ratio < 0.8)
      log(
        `insert (1k/txn) below target: bulk load is CPU-bound, not fsync-bound — every page SQLite writes (WAL append, then checkpoint) is AES-256-CBC encrypted + HMAC-SHA512 tagged, and every page read back ` +
          `(checkpoint, cache misses) is verified+decrypted: ≥ ${ns(c.cbc_hmac_sha512!)} ns/B even with OpenSSL (SQLite3MC's built-in code is slower) on ` +
          `${fmt(encSize / 2 ** 20)} MiB of pages, several times over, against a plain insert costing ${fmt((1e9 / res.insert_msgs_per_s_plain) / 1000, 1)} µs/msg.`,
      );
    if (res.insert_txn_ratio < 0.8)
      log(
        `insert (1/txn) below target: each commit is one WAL append + fsync for both; the encrypted side also encrypts+MACs the few pages each commit touches ` +
          `(${ns(c.cbc_hmac_sha512!)} ns/B) — a plain commit costs ${fmt((1e9 / res.insert_txn_msgs_per_s_plain) / 1000, 1)} µs.`,
      );
    return res;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
