/**
 * `airlock verify` as officers run it — a separate process — side by side with
 * the stock tools on the same files in the same run:
 *   - `node bin/airlock.mjs verify DIR --anchors … --crls … --at … --json`
 *   - `openssl dgst -sha384` over the same files, one after another (the target's reference)
 *   - `sha384sum` over the same files (coreutils, a second reference)
 *   - for several files, openssl split over one process per core: the most these cores give
 * for the two workloads of the in-process bench (bench/verify.bench.ts builds
 * them; one 1 GiB file, eight 128 MiB files), plus the peak RSS of each
 * process tree (polled from /proc) and the start-up cost of `airlock --help`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AT, getPki } from '../test/helpers/corpus/pki';
import { VERIFY_CASES, makeBundleDir, opensslDgst, sign } from './verify.bench';

const MiB = 1 << 20;
const PEAK_RSS_TARGET_MB = 200;

export interface ProcessRun {
  seconds: number;
  /** Sum over every process of the tree of its VmHWM (kB), last seen: exact for one process, an upper bound for several. */
  peakRssKiB: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

function readStatusKiB(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined; // exited between listing and reading
  }
}

/** pid and all its descendants (through /proc/PID/task/TID/children). */
function processTree(pid: number): number[] {
  const out: number[] = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    let tasks: string[] = [];
    try {
      tasks = fs.readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        for (const c of fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim().split(/\s+/)) if (c) stack.push(Number(c));
      } catch {
        /* task gone */
      }
    }
  }
  return out;
}

/** Run a command to completion, timing its wall clock and polling its process tree's peak memory. */
export function measureProcess(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; pollMs?: number }): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const hwm = new Map<number, number>();
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const poll = () => {
      if (child.pid === undefined) return;
      for (const pid of processTree(child.pid)) {
        const kib = readStatusKiB(pid, 'VmHWM');
        if (kib !== undefined) hwm.set(pid, Math.max(hwm.get(pid) ?? 0, kib));
      }
    };
    const timer = setInterval(poll, opts.pollMs ?? 10);
    child.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on('close', (status) => {
      const seconds = (performance.now() - t0) / 1000;
      clearInterval(timer);
      resolve({
        seconds,
        peakRssKiB: [...hwm.values()].reduce((a, b) => a + b, 0),
        status,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** Rounded down, so a ratio shown as meeting a target does meet it (0.849 shows as 0.84, not 0.85). */
const floor2 = (x: number) => (Math.floor(x * 100) / 100).toFixed(2);

const range = (xs: number[], digits = 2, unit = '') => {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo.toFixed(digits) === hi.toFixed(digits) ? `${lo.toFixed(digits)}${unit}` : `${lo.toFixed(digits)}–${hi.toFixed(digits)}${unit}`;
};

export async function runCliBench(opts: { log(line: string): void; dir?: string; rounds?: number; root?: string }): Promise<Record<string, number>> {
  const { log } = opts;
  const repo = opts.root ?? process.cwd();
  const bin = path.join(repo, 'bin/airlock.mjs');
  const rounds = opts.rounds ?? 3;
  const work = fs.mkdtempSync(path.join(opts.dir ?? os.tmpdir(), 'airlock-cli-bench-'));
  const results: Record<string, number> = {};
  try {
    const pki = await getPki();
    // the anchor and the CRLs as an officer has them: a root certificate file and a CRL file
    const anchors = pki.certs.root.pem;
    const crls = path.join(work, 'crls.pem');
    fs.writeFileSync(crls, ['root', 'int'].map((n) => fs.readFileSync(pki.crls[n as 'root' | 'int'].pem, 'utf8')).join(''));

    // start-up: the first call also (re)builds the CLI when its sources changed, so it is not timed
    const first = await measureProcess(process.execPath, [bin, '--version'], { cwd: repo });
    if (first.status !== 0) throw new Error(`airlock --version failed (exit ${first.status}): ${first.stderr}`);
    const help: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < 10; i++) {
      bare.push((await measureProcess(process.execPath, ['-e', '0'], { cwd: repo })).seconds * 1000);
      let h = await measureProcess(process.execPath, [bin, '--help'], { cwd: repo });
      if (/building the airlock CLI/.test(h.stderr)) h = await measureProcess(process.execPath, [bin, '--help'], { cwd: repo }); // a source changed meanwhile
      if (h.status !== 0) throw new Error(`airlock --help failed: ${h.stderr}`);
      help.push(h.seconds * 1000);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    results['help.ms'] = median(help);
    results['nodeBare.ms'] = median(bare);
    log(`airlock --help  ${median(help).toFixed(0)} ms (median of 10; ${range(help, 0, ' ms')}) | node -e 0: ${median(bare).toFixed(0)} ms | CLI's own start-up ${(median(help) - median(bare)).toFixed(0)} ms`);

    let peakMiB = 0;
    for (const c of VERIFY_CASES) {
      const dir = path.join(work, c.key);
      const files = makeBundleDir(dir, c.payloads);
      const bytes = c.payloads.reduce((a, p) => a + p.size, 0);
      const { digests } = opensslDgst(files, dir); // also warms the page cache
      await sign(dir, files, digests, pki, work);
      const payload = c.payloads.map((p) => `payload/${p.name}`);
      const ours: ProcessRun[] = [];
      const ossl: ProcessRun[] = [];
      const coreutils: ProcessRun[] = [];
      // the ceiling on these cores: openssl itself, the files split over one process per core
      const parallel: ProcessRun[] = [];
      const cores = Math.min(os.availableParallelism(), payload.length);
      const shares = Array.from({ length: cores }, (_, k) => payload.filter((_, i) => i % cores === k));
      const parallelScript = `${shares.map((s) => `openssl dgst -sha384 ${s.join(' ')} >/dev/null &`).join(' ')} wait`;
      const airlockArgs = [bin, 'verify', dir, '--anchors', anchors, '--crls', crls, '--at', AT.toISOString(), '--json'];
      for (let i = 0; i < rounds; i++) {
        // interleaved, so a change in machine load hits every tool alike
        ossl.push(await measureProcess('openssl', ['dgst', '-sha384', ...payload], { cwd: dir }));
        coreutils.push(await measureProcess('sha384sum', payload, { cwd: dir }));
        if (cores > 1) parallel.push(await measureProcess('sh', ['-c', parallelScript], { cwd: dir }));
        let r = await measureProcess(process.execPath, airlockArgs, { cwd: repo });
        // In a checkout being edited, the launcher may rebuild the CLI first (seconds, and vite's memory):
        // that run measures the build, not verification, so it is run again.
        for (let retry = 0; retry < 3 && /building the airlock CLI/.test(r.stderr); retry++) r = await measureProcess(process.execPath, airlockArgs, { cwd: repo });
        if (/building the airlock CLI/.test(r.stderr)) throw new Error('the CLI was rebuilt on every run: its sources keep changing; run the bench on a quiet checkout');
        if (r.status !== 0) throw new Error(`airlock verify exited ${r.status} on the bench bundle: ${r.stderr || r.stdout.slice(0, 2000)}`);
        const verdict = (JSON.parse(r.stdout) as { verdict?: string }).verdict;
        if (verdict !== 'accepted') throw new Error(`airlock verify: verdict ${verdict} on the bench bundle`);
        ours.push(r);
      }
      for (const r of [...ossl, ...coreutils, ...parallel]) if (r.status !== 0) throw new Error(`reference tool failed: ${r.stderr}`);
      const best = (rs: ProcessRun[]) => Math.min(...rs.map((r) => r.seconds));
      const ratios = ours.map((r, i) => ossl[i]!.seconds / r.seconds);
      const ratio = best(ossl) / best(ours);
      const peak = Math.max(...ours.map((r) => r.peakRssKiB)) / 1024;
      peakMiB = Math.max(peakMiB, peak);
      const gbps = (s: number) => (bytes / s / 1e9).toFixed(2);
      log(
        `${c.label.padEnd(12)} airlock verify (process) ${range(ours.map((r) => r.seconds), 2, ' s')} (best ${gbps(best(ours))} GB/s)` +
          ` | openssl dgst -sha384 (sequential) ${range(ossl.map((r) => r.seconds), 2, ' s')}` +
          ` | sha384sum ${range(coreutils.map((r) => r.seconds), 2, ' s')}` +
          ` | ratio vs openssl, best to best ${floor2(ratio)}× (per round ${floor2(Math.min(...ratios))}–${floor2(Math.max(...ratios))}×; target ≥ ${c.target}×) ${ratio >= c.target ? 'OK' : 'BELOW TARGET'}` +
          ` | vs sha384sum ${floor2(best(coreutils) / best(ours))}×` +
          (parallel.length ? ` | ceiling: openssl as ${cores} parallel processes ${range(parallel.map((r) => r.seconds), 2, ' s')} = ${floor2(best(ossl) / best(parallel))}× its sequential run` : '') +
          ` | peak RSS ${peak.toFixed(0)} MiB (openssl ${(Math.max(...ossl.map((r) => r.peakRssKiB)) / 1024).toFixed(0)} MiB)`,
      );
      results[`${c.key}.airlockSeconds`] = best(ours);
      results[`${c.key}.opensslSeconds`] = best(ossl);
      results[`${c.key}.sha384sumSeconds`] = best(coreutils);
      if (parallel.length) results[`${c.key}.opensslParallelSeconds`] = best(parallel);
      results[`${c.key}.ratio`] = ratio;
      results[`${c.key}.ratioMin`] = Math.min(...ratios);
      results[`${c.key}.ratioMax`] = Math.max(...ratios);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    results.peakRssMiB = peakMiB;
    log(`peak RSS of the airlock process tree ${peakMiB.toFixed(0)} MiB (target ≤ ${PEAK_RSS_TARGET_MB} MB) ${peakMiB * MiB <= PEAK_RSS_TARGET_MB * 1e6 ? 'OK' : 'ABOVE TARGET'}`);
    log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (the machine may be shared)`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return results;
}
