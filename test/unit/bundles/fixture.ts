/** Glue for the bundle unit tests over the shared corpus PKI and builder (test/helpers/corpus). */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VerifyOptions } from '../../../src/main/services/bundles/verify';
import { buildBundleDir, type BuildSpec } from '../../helpers/corpus/build';
import { defaultOptions } from '../../helpers/corpus/cases';
import { getPki, type TestPki } from '../../helpers/corpus/pki';

export interface Fixture {
  pki: TestPki;
  work: string;
  /** Corpus defaults (anchors, current CRLs, AT, lab id) plus `over`. */
  opts(over?: Partial<VerifyOptions>): VerifyOptions;
  fresh(name: string): string;
  /** A signed directory bundle built from `spec` in a fresh directory. */
  build(name: string, spec: BuildSpec): Promise<string>;
}

export async function makeFixture(): Promise<Fixture> {
  const pki = await getPki();
  const work = mkdtempSync(join(tmpdir(), 'airlock-bundles-work-'));
  let n = 0;
  const fresh = (name: string): string => {
    const d = join(work, `${name}-${++n}`);
    mkdirSync(d);
    return d;
  };
  return { pki, work, fresh, opts: (over = {}) => ({ ...defaultOptions(pki), concurrency: 2, ...over }), build: (name, spec) => buildBundleDir(pki, spec, fresh(name)) };
}
