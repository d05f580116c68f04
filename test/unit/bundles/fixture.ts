/** A shared PKI: root → intermediate → signer, with current CRLs, all P-384 / SHA-384. */
import fs from 'node:fs';
import path from 'node:path';
import type { VerifyOptions } from '../../../src/main/services/bundles/verify';
import { TestPki, tmpDir, type Party } from './helpers';

export interface Fixture {
  pki: TestPki;
  root: Party;
  inter: Party;
  signer: Party;
  crls: Uint8Array[];
  work: string;
  opts(over?: Partial<VerifyOptions>): VerifyOptions;
  fresh(name: string): string;
}

export function makeFixture(): Fixture {
  const pki = new TestPki();
  const root = pki.root('Test Root');
  const inter = pki.issue('Test Intermediate', root, { ext: 'inter', days: 1000 });
  const signer = pki.issue('Test Signer', inter);
  const crls = [pki.crl(root), pki.crl(inter)];
  const work = tmpDir('airlock-bundles-work-');
  let n = 0;
  return {
    pki,
    root,
    inter,
    signer,
    crls,
    work,
    opts: (over = {}) => ({ anchors: [{ certificate: root.der, types: 'any', label: 'test root' }], crls, at: new Date(Date.now() + 1000), concurrency: 2, ...over }),
    fresh: (name) => {
      const d = path.join(work, `${name}-${++n}`);
      fs.mkdirSync(d);
      return d;
    },
  };
}
