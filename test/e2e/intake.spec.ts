/**
 * Intake end to end: a security officer installs the anchor and CRLs, an
 * evaluator imports a good bundle (ACCEPTED, every check listed) and a
 * tampered one (REJECTED, naming the failed check and what to do).
 * Bundles come from the corpus helpers (stock openssl + GNU tar).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, expect } from './harness';
import { CreateVaultPage, IntakePage, Shell, TrustPage } from './pages/app';
import { getPki, type TestPki } from '../helpers/corpus/pki';
import { buildBundleDir, tarBundle } from '../helpers/corpus/build';
import { LAB_ID, minimalSpec } from '../helpers/corpus/fixtures';

let pki: TestPki;
let work: string;
let good: string;
let tampered: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  pki = await getPki();
  work = mkdtempSync(path.join(tmpdir(), 'airlock-e2e-bundles-'));
  good = await tarBundle(await buildBundleDir(pki, minimalSpec(), path.join(work, 'good')), path.join(work, 'good.tar'));
  tampered = await tarBundle(
    await buildBundleDir(
      pki,
      minimalSpec({ after: (dir) => writeFileSync(path.join(dir, 'payload/readme.txt'), 'minimal, but changed after signing\n') }, { id: 'ma-tampered-0001', series: 'tampered' }),
      path.join(work, 'tampered'),
    ),
    path.join(work, 'tampered.tar'),
  );
});

test.afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('install trust, import a good bundle (ACCEPTED) and a tampered one (REJECTED)', async ({ airlock }) => {
  const { page } = airlock;
  await airlock.open();
  await new CreateVaultPage(page).create('Security Officer');
  const shell = new Shell(page);
  await shell.expectUnlocked();

  // Trust: anchor for model-access bundles, the CRLs of its chain, the lab identifier.
  await shell.go('trust');
  const trust = new TrustPage(page);
  await expect(page.getByTestId('no-anchors')).toBeVisible();
  airlock.queuePick(pki.certs.root.pem);
  await trust.addAnchor(['model-access'], 'Test Clearinghouse root');
  await expect(trust.anchorRows).toHaveCount(1);
  const row = trust.anchorRows.first();
  await expect(row).toContainText('Test Clearinghouse root');
  await expect(row).toContainText('model-access');
  await expect(row.getByTestId('anchor-crl')).toHaveAttribute('data-fresh', 'none');
  airlock.queuePick(pki.crls.root.pem);
  await trust.addCrl();
  airlock.queuePick(pki.crls.int.pem);
  await trust.addCrl();
  await expect(row.getByTestId('anchor-crl')).toHaveAttribute('data-fresh', 'true');
  await trust.setLabId(LAB_ID);
  await expect(page.getByTestId('lab-id-form')).toContainText('Lab identifier saved.');

  // Intake: the good bundle through the picker.
  await shell.go('intake');
  const intake = new IntakePage(page);
  airlock.queuePick(good);
  await intake.chooseBundle();
  await expect(intake.verdict).toHaveAttribute('data-verdict', 'accepted', { timeout: 30_000 });
  await expect(intake.verdict).toContainText('ACCEPTED');
  await expect(page.getByTestId('classification-banner')).toContainText('UNCLASSIFIED//FOR TESTING');
  await expect(intake.outcome).toContainText('imported');
  expect(await intake.checkRows.count()).toBeGreaterThan(5);
  await expect(page.locator('[data-testid="check-row"][data-status="fail"]')).toHaveCount(0);
  // Accepted only because every required check passed (fail closed).
  await expect(page.locator('[data-testid="check-row"][data-required="yes"]:not([data-status="pass"])')).toHaveCount(0);
  expect(await page.locator('[data-testid="check-row"][data-required="yes"]').count()).toBeGreaterThan(10);
  await expect(intake.check('digests')).toHaveAttribute('data-status', 'pass');
  await expect(page.getByTestId('signer').first()).toContainText('Chains to trust anchor');

  // The tampered bundle through a drop.
  await page.getByRole('button', { name: 'Clear' }).click();
  // Main asks the user to confirm the dropped file in its own dialog; the user says Import.
  airlock.queueConfirm(true);
  await intake.dropBundle(tampered);
  await expect(intake.verdict).toHaveAttribute('data-verdict', 'rejected', { timeout: 30_000 });
  await expect(intake.verdict).toContainText('REJECTED');
  await expect(page.getByTestId('verdict-explanation')).toContainText('File contents match checksums');
  expect(airlock.dropQuestions).toEqual([{ path: tampered, kind: 'file', size: expect.any(Number) }]);
  expect(airlock.dropQuestions[0]!.size).toBeGreaterThan(1024);
  const failed = intake.check('digests');
  await expect(failed).toHaveAttribute('data-status', 'fail');
  await expect(failed.getByTestId('check-code')).toHaveText('digests.mismatch');
  await expect(failed).toContainText('What to do:');

  // Bundles: both imports listed; the stored report opens.
  await shell.go('bundles');
  await expect(page.getByTestId('bundle-row')).toHaveCount(2);
  await page.locator('[data-testid="bundle-row"][data-verdict="accepted"]').getByRole('button', { name: /Show report/ }).click();
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-verdict', 'accepted');

  expect(airlock.blockedRequests).toEqual([]);
  expect(airlock.consoleErrors).toEqual([]);
});

test('a large import shows bytes, files and throughput, and Cancel leaves nothing behind', async ({ airlock }) => {
  test.setTimeout(120_000);
  const { page } = airlock;
  const big = await buildBundleDir(
    pki,
    minimalSpec({ bigFiles: { 'payload/weights.bin': 768 * 1024 * 1024 } }, { id: 'ma-large-0001', series: 'large' }),
    path.join(work, 'large'),
  );
  await airlock.open();
  await new CreateVaultPage(page).create('Evaluator');
  await new Shell(page).expectUnlocked();
  // Trust through the service (the trust screen has its own test above).
  const { trust } = airlock.services.unlocked();
  trust.addAnchor(pki.certs.root.der, { types: ['model-access'] });
  trust.addCrls(pki.crls.root.der);
  trust.addCrls(pki.crls.int.der);
  trust.setLabId(LAB_ID);

  await new Shell(page).go('intake');
  const intake = new IntakePage(page);
  airlock.queuePick(big);
  await intake.chooseBundle();
  const progress = page.getByTestId('progress');
  await expect(progress).toBeVisible();
  await expect(page.getByTestId('progress-bytes')).toContainText(/MiB|GiB/, { timeout: 30_000 });
  await expect(progress).toContainText(/files?/i);
  await expect(progress).toContainText(/\/s/);
  await page.getByTestId('cancel-import').click();
  await expect(intake.outcome).toContainText(/cancel/i, { timeout: 30_000 });

  // Nothing was imported and nothing was left in quarantine.
  const { catalog, vault } = airlock.services.unlocked();
  expect(catalog.list()).toEqual([]);
  expect((vault.db.prepare('SELECT count(*) AS n FROM blobs').get() as { n: number }).n).toBe(0);
  expect(readdirSync(path.join(airlock.vaultDir, 'tmp'))).toEqual([]);
  expect(airlock.consoleErrors).toEqual([]);
});
