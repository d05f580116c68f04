/** "Remember on this machine" through the UI, against a stand-in for the OS key store. */
import { test, expect } from './harness';
import { CreateVaultPage, Shell, STRONG_PASSPHRASE } from './pages/app';

test.describe('with a protecting OS key store', () => {
  test.use({ osKeyStore: 'gnome_libsecret' });

  test('remember, lock, unlock without the passphrase, then forget', async ({ airlock }) => {
    const { page } = airlock;
    await airlock.open();
    await new CreateVaultPage(page).create('Evaluator');
    const shell = new Shell(page);
    await shell.expectUnlocked();
    await shell.go('vault');
    const panel = page.getByTestId('remember-panel');
    await expect(panel).toContainText('gnome_libsecret');
    await panel.getByTestId('remember-on').click();
    await expect(panel.getByTestId('remember-state')).toHaveText('This vault is remembered here.');

    await shell.lock();
    await page.getByTestId('unlock-remembered').click();
    await shell.expectUnlocked();

    await shell.go('vault');
    await panel.getByTestId('remember-off').click();
    await expect(panel.getByTestId('remember-on')).toBeEnabled();
    await shell.lock();
    await expect(page.getByTestId('unlock-remembered')).toHaveCount(0);
    expect(airlock.consoleErrors).toEqual([]);
    // The passphrase never went through the key store double or into the page's storage.
    expect(await page.evaluate(() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage))).not.toContain(STRONG_PASSPHRASE);
  });

  test('double-clicking both unlock buttons at once opens exactly one vault', async ({ airlock }) => {
    const { page } = airlock;
    await airlock.open();
    await new CreateVaultPage(page).create('Evaluator');
    const shell = new Shell(page);
    await shell.expectUnlocked();
    airlock.services.setRemembered(true);
    await shell.lock();
    await page.getByTestId('unlock-passphrase').fill(STRONG_PASSPHRASE);
    // Both buttons, twice each, inside one task: no re-render can disable the second button first.
    await page.evaluate(() => {
      const submit = document.querySelector<HTMLButtonElement>('[data-testid="unlock-submit"]')!;
      const remembered = document.querySelector<HTMLButtonElement>('[data-testid="unlock-remembered"]')!;
      for (const b of [submit, remembered, submit, remembered]) b.click();
    });
    await shell.expectUnlocked();
    await expect(page.getByTestId('unlock-error')).toHaveCount(0);
    // Every Vault open appends 'vault.unlocked' to the audit trail: exactly one after the clicks.
    const { vault } = airlock.services.unlocked();
    const unlocks = vault.audit.list({ limit: 500 }).filter((r: { action: string }) => r.action === 'vault.unlocked');
    expect(unlocks).toHaveLength(1);
    // And the session that is open is the one that stays open: locking it leaves nothing unlocked.
    await shell.lock();
    expect(airlock.services.vault).toBeUndefined();
  });
});

test.describe('with a plaintext OS key store (Linux basic_text)', () => {
  test.use({ osKeyStore: 'basic_text' });

  test('the option is refused with the reason', async ({ airlock }) => {
    const { page } = airlock;
    await airlock.open();
    await new CreateVaultPage(page).create('Evaluator');
    const shell = new Shell(page);
    await shell.go('vault');
    const panel = page.getByTestId('remember-panel');
    await expect(panel.getByTestId('remember-state')).toContainText('without real protection');
    await expect(panel.getByTestId('remember-on')).toBeDisabled();
  });
});
