/**
 * Benchmark runner (built and started by scripts/bench.mjs). Every group
 * prints Airlock's figure next to a reference measured in the same run.
 */
import os from 'node:os';
import { runCliBench } from './cli.bench';
import { runVaultBench } from './vault.bench';
import { runVerifyBench } from './verify.bench';

const groups: Record<string, (log: (line: string) => void) => Promise<Record<string, number>>> = {
  vault: (log) => runVaultBench({ log }),
  verify: (log) => runVerifyBench({ log }),
  cli: (log) => runCliBench({ log }),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const selected = wanted.length ? wanted : Object.keys(groups);
const log = (line: string) => console.log(line);

log(`Airlock benchmarks (${selected.join(', ')}) — ${os.cpus()[0]?.model ?? 'cpu'} ×${os.availableParallelism()}, Node ${process.version}, ${new Date().toISOString()}`);
for (const name of selected) {
  const run = groups[name];
  if (!run) {
    console.error(`unknown benchmark group "${name}"; choose from ${Object.keys(groups).join(', ')}`);
    process.exit(2);
  }
  log(`\n## ${name}`);
  await run(log);
}
