/**
 * Bundle verification throughput: verifyBundle vs `openssl dgst -sha384` on
 * the same files in the same run.
 *   - one 1 GiB file (single core; target ≥ 0.85× openssl)
 *   - eight 128 MiB files (all cores; target ≥ 1.6× openssl run sequentially)
 * plus peak RSS of this process (includes the hash workers).
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { verifyBundle } from '../src/main/services/bundles/verify';
import { signSums } from '../test/helpers/corpus/build';
import { AT, getPki, type TestPki } from '../test/helpers/corpus/pki';

const MiB = 1 << 20;

function ossl(args: string[], cwd?: string): Buffer {
  return execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * MiB });
}

export function writePayload(file: string, size: number): void {
  const block = crypto.randomBytes(16 * MiB);
  const fd = fs.openSync(file, 'w');
  try {
    for (let off = 0, i = 0; off < size; off += block.length, i++) {
      block.writeUInt32BE(i, 0); // vary content per block
      fs.writeSync(fd, block, 0, Math.min(block.length, size - off));
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Time `openssl dgst -sha384` over files (one process, sequential), returning seconds and digests. */
export function opensslDgst(files: string[], cwd: string): { seconds: number; digests: Map<string, string> } {
  const t0 = performance.now();
  const out = ossl(['dgst', '-sha384', '-r', ...files], cwd).toString('utf8');
  const seconds = (performance.now() - t0) / 1000;
  const digests = new Map<string, string>();
  for (const line of out.trim().split('\n')) {
    const m = /^([0-9a-f]{96}) \*?(.+)$/.exec(line);
    if (m) digests.set(m[2]!, m[1]!);
  }
  return { seconds, digests };
}

export function makeBundleDir(dir: string, payloads: readonly { name: string; size: number }[]): string[] {
  fs.mkdirSync(path.join(dir, 'payload'), { recursive: true });
  for (const p of payloads) writePayload(path.join(dir, 'payload', p.name), p.size);
  const meta = {
    format: 'airlock-bundle/1', type: 'model-access', id: 'bench', series: 'bench', sequence: 1, title: 'Benchmark', issuer: 'Bench',
    issuedAt: '2026-01-01T00:00:00Z', notBefore: '2020-01-01T00:00:00Z', notAfter: '2090-01-01T00:00:00Z', classification: 'UNCLASSIFIED//BENCH',
    model: { developer: 'd', name: 'n', version: '1', accessWindow: { start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' },
      access: { kind: 'weights', format: 'safetensors', files: payloads.map((p) => `payload/${p.name}`) } },
  };
  fs.writeFileSync(path.join(dir, 'bundle.json'), JSON.stringify(meta));
  return ['bundle.json', ...payloads.map((p) => `payload/${p.name}`)];
}

/** SHA384SUMS from the reference digests (no third pass over the payload), signed by the corpus test signer. */
export async function sign(dir: string, files: string[], digests: Map<string, string>, pki: TestPki, work: string): Promise<void> {
  const lines = [...files].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))).map((f) => `${digests.get(f)}  ${f}\n`);
  fs.writeFileSync(path.join(dir, 'SHA384SUMS'), lines.join(''));
  await signSums(pki, dir, {}, work);
}

/** The two verification workloads and their targets (vs `openssl dgst -sha384`, sequential), shared with the CLI bench. */
export const VERIFY_CASES = [
  { key: 'single1GiB', label: '1 × 1 GiB', payloads: [{ name: 'big.bin', size: 1024 * MiB }], target: 0.85 },
  { key: 'eight128MiB', label: '8 × 128 MiB', payloads: Array.from({ length: 8 }, (_, i) => ({ name: `part-${i}.bin`, size: 128 * MiB })), target: 1.6 },
] as const;

export async function runVerifyBench(opts: { log(line: string): void; dir?: string }): Promise<Record<string, number>> {
  const { log } = opts;
  const root = fs.mkdtempSync(path.join(opts.dir ?? os.tmpdir(), 'airlock-verify-bench-'));
  const results: Record<string, number> = {};
  // Memory is sampled only while verifyBundle runs: building the bundles (random payloads, openssl) is not
  // what is measured. The baseline is the process just before its first verification.
  let peakRss = 0;
  let baselineRss = 0;
  let sampling = false;
  const poll = setInterval(() => {
    if (sampling) peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 20);
  try {
    const pki = await getPki();
    const anchors = pki.anchors();
    for (const c of VERIFY_CASES) {
      const dir = path.join(root, c.key);
      const files = makeBundleDir(dir, c.payloads);
      const bytes = c.payloads.reduce((a, p) => a + p.size, 0);
      // warm the page cache and get the reference digests
      opensslDgst(files, dir);
      let ref = Infinity;
      let digests = new Map<string, string>();
      for (let i = 0; i < 2; i++) {
        const r = opensslDgst(files, dir);
        ref = Math.min(ref, r.seconds);
        digests = r.digests;
      }
      await sign(dir, files, digests, pki, root);
      let ours = Infinity;
      for (let i = 0; i < 2; i++) {
        baselineRss ||= process.memoryUsage.rss();
        sampling = true;
        const t0 = performance.now();
        const report = await verifyBundle(dir, { anchors, crls: [], requireCrls: false, at: AT });
        ours = Math.min(ours, (performance.now() - t0) / 1000);
        sampling = false;
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
        if (report.verdict !== 'accepted') throw new Error(`bench bundle rejected: ${JSON.stringify(report.checks.filter((x) => x.status === 'fail'))}`);
      }
      const ratio = ref / ours;
      const gbps = (s: number) => (bytes / s / 1e9).toFixed(2);
      log(`${c.label.padEnd(12)} verifyBundle ${ours.toFixed(2)} s (${gbps(ours)} GB/s) | openssl dgst -sha384 (sequential) ${ref.toFixed(2)} s (${gbps(ref)} GB/s) | ratio ${ratio.toFixed(2)}× (target ≥ ${c.target}×) ${ratio >= c.target ? 'OK' : 'BELOW TARGET'}`);
      results[`${c.key}.airlockSeconds`] = ours;
      results[`${c.key}.opensslSeconds`] = ref;
      results[`${c.key}.ratio`] = ratio;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    clearInterval(poll);
    fs.rmSync(root, { recursive: true, force: true });
  }
  results.peakRssMiB = peakRss / MiB;
  results.baselineRssMiB = baselineRss / MiB;
  log(
    `peak RSS while verifying ${results.peakRssMiB.toFixed(0)} MiB (this process incl. hashing and signature workers; before the first verification ${results.baselineRssMiB.toFixed(0)} MiB, the bench's own build of the bundles included; the 200 MB target is the CLI process's, see the cli group)`,
  );
  return results;
}
