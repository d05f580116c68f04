/**
 * Child process for the vault crash test (bundled to plain .mjs by the test).
 * argv: <vaultDir> ; passphrase in env CRASH_PASS.
 * Loops forever: DB transactions and blob puts; reports each commit on stdout
 * ONLY after it returned, so the parent knows what must survive a kill -9.
 */
import crypto from 'node:crypto';
import { Vault } from '../../src/main/services/vault/index';

const payload = (id: number) => crypto.createHash('sha384').update(`payload-${id}`).digest('hex').repeat(4);
const blobOf = (id: number, size: number) => {
  const b = Buffer.alloc(size);
  for (let o = 0; o < size; o += 48) crypto.createHash('sha384').update(`blob-${id}-${o}`).digest().copy(b, o);
  return b;
};

async function main() {
  const dir = process.argv[2]!;
  const v = await Vault.unlock(dir, process.env.CRASH_PASS!, { autoLockMinutes: 0 });
  v.db.exec('CREATE TABLE IF NOT EXISTS crash_records (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
  v.db.exec('CREATE TABLE IF NOT EXISTS crash_blobs (id INTEGER PRIMARY KEY, sha384 TEXT NOT NULL)');
  let id = (v.db.prepare('SELECT max(id) FROM crash_records').pluck().get() as number | null) ?? 0;
  process.stdout.write('READY\n');
  for (;;) {
    id++;
    const n = id;
    v.transaction(() => {
      v.db.prepare('INSERT INTO crash_records (id, payload) VALUES (?, ?)').run(n, payload(n));
      v.audit.append({ action: 'crash.write', target: String(n), outcome: 'success', detail: { n } });
    });
    process.stdout.write(`C ${n}\n`);
    if (n % 2 === 0) {
      const size = 1 + ((n * 7919) % (1536 * 1024));
      const data = blobOf(n, size);
      async function* src() {
        for (let o = 0; o < data.length; o += 200_000) {
          yield data.subarray(o, o + 200_000);
          await new Promise((r) => setImmediate(r));
        }
      }
      const { sha384 } = await v.blobs.put(src());
      v.db.prepare('INSERT INTO crash_blobs (id, sha384) VALUES (?, ?)').run(n, sha384);
      process.stdout.write(`B ${n} ${sha384}\n`);
    }
  }
}
main().catch((e) => {
  process.stderr.write(String(e?.stack ?? e) + '\n');
  process.exit(3);
});
