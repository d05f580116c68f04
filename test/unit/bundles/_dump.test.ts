import { it } from 'vitest';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstFailure } from '../../../src/shared/verification';
import { buildBases, CASES, defaultOptions } from '../../helpers/corpus/cases';
import { getPki } from '../../helpers/corpus/pki';
import { loadVerifier } from '../../helpers/corpus/verifier';
it('dump', async () => {
  const pki = await getPki(); const root = mkdtempSync(join(tmpdir(), 'dump-')); const base = await buildBases(pki, root);
  const { verifyBundle } = await loadVerifier();
  let i = 0;
  for (const c of CASES) {
    const work = join(root, String(i++)); mkdirSync(work); const ctx = { pki, work, base };
    const src = await c.make(ctx);
    const r = await verifyBundle!(src, { ...defaultOptions(pki), ...c.opts?.(ctx, src) });
    const f = firstFailure(r);
    const fails = r.checks.filter(x => x.status === 'fail').map(x => x.code).join(',');
    console.log(`${c.expect === (f?.code ?? 'accepted') ? 'OK ' : 'ALT'} ${c.name} => ${f?.code ?? r.verdict} | ${f?.reason ?? ''} | all:${fails}`);
  }
}, 120000);
