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
import type { Database } from '../src/main/services/vault/migrations/types';

export interface VaultBenchOptions {
  messages?: number;
  blobMiB?: number;
  log: (line: string) => void;
  /** Where to put the temporary vault and files (default os.tmpdir()). */
  workDir?: string;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS bench_messages (id INTEGER PRIMARY KEY, conversation INTEGER NOT NULL, role TEXT NOT NULL, ts TEXT NOT NULL, body TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS bench_messages_conv ON bench_messages(conversation, id);
  CREATE VIRTUAL TABLE IF NOT EXISTS bench_messages_fts USING fts5(body, content='bench_messages', content_rowid='id');
`;

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
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('secure_delete = ON');
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -65536');
  db.pragma('wal_autocheckpoint = 4000');
  return db;
}

function insertAll(db: Database, texts: string[], batch = 1000): number {
  const ins = db.prepare('INSERT INTO bench_messages (id, conversation, role, ts, body) VALUES (?, ?, ?, ?, ?)');
  const fts = db.prepare('INSERT INTO bench_messages_fts (rowid, body) VALUES (?, ?)');
  const base = Date.parse('2030-01-01T00:00:00Z');
  const t0 = performance.now();
  for (let i = 0; i < texts.length; i += batch) {
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

async function streamCopyFsync(src: string, dst: string): Promise<void> {
  const fh = await fsp.open(dst, 'w');
  await pipeline(
    fs.createReadStream(src, { highWaterMark: 1 << 20 }),
    new Writable({
      write(chunk: Buffer, _e, cb) {
        fh.write(chunk).then(() => cb(), cb);
      },
    }),
  );
  await fh.sync();
  await fh.close();
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export async function runVaultBench(opts: VaultBenchOptions): Promise<Record<string, number>> {
  const messages = opts.messages ?? 100_000;
  const blobMiB = opts.blobMiB ?? 256;
  const log = opts.log;
  const root = fs.mkdtempSync(path.join(opts.workDir ?? os.tmpdir(), 'airlock-vault-bench-'));
  const res: Record<string, number> = {};
  try {
    const texts = makeTexts(messages);
    const avg = texts.reduce((a, t) => a + Buffer.byteLength(t), 0) / texts.length;
    log(`vault bench: ${fmt(messages)} messages (avg ${fmt(avg)} B), FTS5, ${blobMiB} MiB blob; target ≥ 0.80× plain`);

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
    pdb.close();

    res.insert_msgs_per_s_encrypted = messages / encIns;
    res.insert_msgs_per_s_plain = messages / plainIns;
    res.insert_ratio = res.insert_msgs_per_s_encrypted / res.insert_msgs_per_s_plain;
    res.fts_queries_per_s_encrypted = qs.length / encQ.secs;
    res.fts_queries_per_s_plain = qs.length / plainQ.secs;
    res.fts_ratio = res.fts_queries_per_s_encrypted / res.fts_queries_per_s_plain;
    res.db_bytes_encrypted = encSize;

    // --- blobs vs plain files
    const src = path.join(root, 'source.bin');
    await makeSource(src, blobMiB);
    const MB = blobMiB * 1.048576;
    let t = performance.now();
    const { sha384 } = await vault.blobs.put(fs.createReadStream(src, { highWaterMark: 1 << 20 }));
    const encW = (performance.now() - t) / 1000;
    t = performance.now();
    let n = 0;
    for await (const p of vault.blobs.openRead(sha384)) n += p.length;
    const encR = (performance.now() - t) / 1000;
    if (n !== blobMiB << 20) throw new Error('blob size mismatch');
    t = performance.now();
    await streamCopyFsync(src, path.join(root, 'copy-stream.bin'));
    const plainW = (performance.now() - t) / 1000;
    t = performance.now();
    await fsp.copyFile(src, path.join(root, 'copy-fs.bin'));
    const copyFileS = (performance.now() - t) / 1000;
    t = performance.now();
    n = 0;
    for await (const p of fs.createReadStream(src, { highWaterMark: 1 << 20 })) n += (p as Buffer).length;
    const plainR = (performance.now() - t) / 1000;
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
    row('FTS5 query', res.fts_queries_per_s_encrypted, res.fts_queries_per_s_plain, 'q/s');
    row('blob write (fsync)', res.blob_write_MBps_encrypted, res.blob_write_MBps_plain, 'MB/s');
    row('blob read (verified)', res.blob_read_MBps_encrypted, res.blob_read_MBps_plain, 'MB/s');
    log(`(fs.copyFile of the same file: ${fmt(res.blob_copyFile_MBps)} MB/s — kernel copy, no userspace pass)`);
    return res;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
