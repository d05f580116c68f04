import { test, expect } from './harness';
import { AuditPage, CreateVaultPage, Shell, STRONG_PASSPHRASE, UnlockPage, VaultStatusPage } from './pages/app';


test('create vault, lock, wrong passphrase, unlock, status and audit', async ({ airlock }) => {
  const { page } = airlock;
  await airlock.open();

  const create = new CreateVaultPage(page);
  // A weak passphrase is refused in the form with advice, before anything reaches main.
  await create.create('Evaluator One', 'short', 'short');
  await expect(page.getByTestId('passphrase-problem')).toContainText('at least 10 characters');
  await expect(page.getByTestId('passphrase-strength')).toContainText('Strength:');

  await create.create('Evaluator One', STRONG_PASSPHRASE);
  const shell = new Shell(page);
  await shell.expectUnlocked();
  await expect(page.getByTestId('header-status')).toContainText('Evaluator One');

  await shell.lock();
  const unlock = new UnlockPage(page);
  await unlock.unlock('not the passphrase at all');
  await expect(unlock.error).toBeVisible();
  await expect(unlock.error).toHaveAttribute('role', 'alert');
  await expect(unlock.error.locator('.notice-message')).not.toBeEmpty();
  await expect(page.getByTestId('lock-button')).toHaveCount(0);

  await unlock.unlock(STRONG_PASSPHRASE);
  await shell.expectUnlocked();

  await shell.go('vault');
  const status = new VaultStatusPage(page);
  await expect(status.panel).toBeVisible();
  await expect(page.getByTestId('vault-dir')).toHaveText(airlock.vaultDir);
  await expect(page.getByTestId('vault-schema')).not.toHaveText('—');
  await expect(page.getByTestId('vault-created')).toContainText(/\d{4}-\d{2}-\d{2}T/);
  const checkResult = await status.checkNow();
  await expect(checkResult).toContainText('Vault intact');
  await expect(page.getByTestId('vault-last-check')).toContainText('Passed');
  await page.getByTestId('blob-check-now').click();
  await expect(page.getByTestId('blob-check-result')).toContainText(/All \d+ stored blobs intact/);

  await shell.go('audit');
  const audit = new AuditPage(page);
  await expect(audit.row('vault.created')).toHaveCount(1);
  await expect(audit.row('vault.unlocked').first()).toBeVisible();
  const failedUnlock = page.locator('[data-testid="audit-row"].outcome-failure');
  await expect(failedUnlock.first()).toBeVisible();
  const verify = await audit.verify();
  await expect(verify).toContainText('Chain intact');

  expect(airlock.blockedRequests).toEqual([]);
  expect(airlock.consoleErrors).toEqual([]);
});

test('auto-lock notice names the idle minutes', async ({ airlock }) => {
  const { page } = airlock;
  await airlock.open();
  await new CreateVaultPage(page).create('Evaluator Two');
  const shell = new Shell(page);
  await shell.expectUnlocked();

  await shell.go('vault');
  await page.getByTestId('autolock-minutes').fill('7');
  await page.getByTestId('autolock-form').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('autolock-form')).toContainText('locks after 7 minutes');

  // Main's idle timer fires: the real vault locks with reason 'idle' and main emits vault.locked.
  airlock.services.vault.lock('idle');
  const unlock = new UnlockPage(page);
  await expect(unlock.lockNotice).toContainText('Airlock locked after 7 minutes of inactivity');
  await expect(page.getByTestId('lock-button')).toHaveCount(0);
  await unlock.unlock(STRONG_PASSPHRASE);
  await shell.expectUnlocked();
});
