/**
 * evaluateSignatures on a worker thread (the verifier's default): same result
 * as in-process, cancel and the time limit terminate it, and the verifier's
 * own thread never runs the evaluation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';

// This thread's copy of evaluateSignatures refuses to run: the verifier must use the worker's (bundled) copy.
const inThisThread = vi.hoisted(() => ({ calls: 0 }));
vi.mock('../../../src/main/services/pki', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/main/services/pki')>();
  return {
    ...real,
    evaluateSignatures: () => {
      inThisThread.calls++;
      throw new Error('evaluateSignatures ran on the verifier thread');
    },
  };
});

import { AirlockError } from '../../../src/shared/errors';
import type { SignatureEvaluationInput } from '../../../src/main/services/pki';
import { verifyBundle } from '../../../src/main/services/bundles/verify';
import { SIGNATURE_TIME_LIMIT_MS, evaluateSignaturesInWorker } from '../../../src/main/services/workers';
import { minimalSpec } from '../../helpers/corpus/fixtures';
import { AT } from '../../helpers/corpus/pki';
import { makeFixture, type Fixture } from '../bundles/fixture';

let fx: Fixture;
let bundle: string;
let input: SignatureEvaluationInput;
beforeAll(async () => {
  fx = await makeFixture();
  bundle = await fx.build('sig-worker', minimalSpec({ files: { 'payload/card.md': '# card\n' } }, { audience: undefined }));
  const o = fx.opts();
  input = {
    signature: new Uint8Array(fs.readFileSync(path.join(bundle, 'SHA384SUMS.p7s'))),
    content: new Uint8Array(fs.readFileSync(path.join(bundle, 'SHA384SUMS'))),
    anchors: o.anchors.map((a) => ({ certificate: new Uint8Array(a.certificate), types: a.types === 'any' ? 'any' : [...a.types] })),
    crls: o.crls.map((c) => new Uint8Array(c)),
    at: AT.toISOString(),
    requireCrls: true,
  };
});

async function expectCode(p: Promise<unknown>, code: string): Promise<AirlockError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AirlockError);
  expect((e as AirlockError).code).toBe(code);
  return e as AirlockError;
}

describe('evaluateSignaturesInWorker', () => {
  it('evaluates on a worker thread: every signer group passes for a good bundle', async () => {
    const ev = await evaluateSignaturesInWorker(input);
    expect(ev.malformed).toBeUndefined();
    expect(ev.anchorError).toBeUndefined();
    expect(ev.signers).toHaveLength(1);
    expect(ev.signers[0]).toMatchObject({ signature: { status: 'pass' }, chain: { status: 'pass' }, signer: { status: 'pass' }, revocation: { status: 'pass' }, algorithms: { status: 'pass' } });
    // Plain data back (structured clone): the path as bytes, no class instances.
    expect(ev.signers[0]!.path![0]).toBeInstanceOf(Uint8Array);
    expect(inThisThread.calls).toBe(0);
  });

  it('tampered content fails the signature there too (the worker is not a rubber stamp)', async () => {
    const content = new Uint8Array(input.content);
    content[0] = content[0]! ^ 1;
    const ev = await evaluateSignaturesInWorker({ ...input, content });
    expect(ev.signers[0]!.signature).toMatchObject({ status: 'fail', code: 'signature.message-digest' });
  });

  it('cancel terminates the evaluation with "cancelled"; the next call still works', async () => {
    const ac = new AbortController();
    const p = evaluateSignaturesInWorker(input, ac.signal);
    ac.abort();
    await expectCode(p, 'cancelled');
    await expectCode(evaluateSignaturesInWorker(input, ac.signal), 'cancelled');
    expect((await evaluateSignaturesInWorker(input)).signers[0]!.chain.status).toBe('pass');
  });

  it('past its time limit the worker is terminated and the caller gets a clear error, not a hang', async () => {
    expect(SIGNATURE_TIME_LIMIT_MS).toBe(30_000);
    const e = await expectCode(evaluateSignaturesInWorker(input, undefined, { timeLimitMs: 1 }), 'verify.time-limit');
    expect(e.message).toMatch(/did not finish within 1 ms, so the bundle was not accepted/);
    expect((await evaluateSignaturesInWorker(input)).signers[0]!.signature.status).toBe('pass');
  });

  it("is the verifier's default: verifyBundle accepts without running evaluateSignatures on its own thread", async () => {
    const report = await verifyBundle(bundle, fx.opts());
    expect(report.verdict).toBe('accepted');
    expect(inThisThread.calls).toBe(0);
  });
});
