import { test, expect } from './harness';
import { CreateVaultPage, Shell } from './pages/app';
test('debug deliver', async ({ airlock }) => {
  const { page } = airlock;
  await airlock.open();
  await new CreateVaultPage(page).create('E');
  await new Shell(page).expectUnlocked();
  console.log('typeof deliver', await page.evaluate(() => typeof (window as any).__airlockDeliver));
  await page.evaluate(() => (window as any).__airlockDeliver('airlock:event:vault.locked', { reason: 'idle' }));
  await page.waitForTimeout(500);
  console.log(await page.locator('body').innerText());
});
