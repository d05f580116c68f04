/** Page objects for the Airlock renderer, driven through the e2e harness. */
import { expect, type Locator, type Page } from '@playwright/test';

export const STRONG_PASSPHRASE = 'granite lantern orbit meadow 47';

export class CreateVaultPage {
  readonly form: Locator;
  constructor(readonly page: Page) {
    this.form = page.getByTestId('create-vault-form');
  }
  async create(operator: string, passphrase = STRONG_PASSPHRASE, confirm = passphrase) {
    await expect(this.form).toBeVisible();
    await this.form.getByLabel('Operator').fill(operator);
    await this.form.getByTestId('new-passphrase').fill(passphrase);
    await this.form.getByTestId('confirm-passphrase').fill(confirm);
    await this.form.getByTestId('create-vault-submit').click();
  }
}

export class UnlockPage {
  readonly form: Locator;
  readonly error: Locator;
  readonly lockNotice: Locator;
  constructor(readonly page: Page) {
    this.form = page.getByTestId('unlock-form');
    this.error = page.getByTestId('unlock-error');
    this.lockNotice = page.getByTestId('lock-notice');
  }
  async unlock(passphrase: string) {
    await expect(this.form).toBeVisible();
    await this.form.getByLabel('Passphrase').fill(passphrase);
    await this.form.getByTestId('unlock-submit').click();
  }
}

export type NavTarget = 'intake' | 'bundles' | 'engagements' | 'tasks' | 'trust' | 'audit' | 'vault';

export class Shell {
  readonly lockButton: Locator;
  constructor(readonly page: Page) {
    this.lockButton = page.getByTestId('lock-button');
  }
  async expectUnlocked() {
    await expect(this.lockButton).toBeVisible();
  }
  async go(target: NavTarget) {
    await this.page.getByTestId(`nav-${target}`).click();
    await expect(this.page.getByTestId(`nav-${target}`)).toHaveAttribute('aria-current', 'page');
  }
  async lock() {
    await this.lockButton.click();
    await expect(this.page.getByTestId('unlock-form')).toBeVisible();
  }
}

export class VaultStatusPage {
  readonly panel: Locator;
  constructor(readonly page: Page) {
    this.panel = page.getByTestId('vault-status');
  }
  async checkNow() {
    await this.page.getByTestId('vault-check-now').click();
    return this.page.getByTestId('vault-check-result');
  }
}

export class AuditPage {
  readonly rows: Locator;
  readonly result: Locator;
  constructor(readonly page: Page) {
    this.rows = page.getByTestId('audit-row');
    this.result = page.getByTestId('audit-verify-result');
  }
  row(action: string) {
    return this.page.locator(`[data-testid="audit-row"][data-action="${action}"]`);
  }
  async verify() {
    await this.page.getByTestId('audit-verify').click();
    await expect(this.result).toBeVisible();
    return this.result;
  }
}

export class TrustPage {
  readonly anchorRows: Locator;
  constructor(readonly page: Page) {
    this.anchorRows = page.getByTestId('anchor-row');
  }
  async addAnchor(types: ('model-access' | 'eval-package' | 'result')[], label?: string) {
    const form = this.page.getByTestId('add-anchor-form');
    if (label) await form.getByTestId('anchor-label').fill(label);
    for (const t of types) await form.getByTestId(`anchor-type-${t}`).check();
    await form.getByTestId('add-anchor').click();
  }
  async addCrl() {
    await this.page.getByTestId('add-crl').click();
  }
  async setLabId(labId: string) {
    const form = this.page.getByTestId('lab-id-form');
    await form.getByTestId('lab-id').fill(labId);
    await form.getByRole('button', { name: 'Save' }).click();
  }
}

export class IntakePage {
  readonly verdict: Locator;
  readonly checkRows: Locator;
  readonly outcome: Locator;
  readonly error: Locator;
  constructor(readonly page: Page) {
    this.verdict = page.getByTestId('verdict');
    this.checkRows = page.getByTestId('check-row');
    this.outcome = page.getByTestId('import-outcome');
    this.error = page.getByTestId('import-error');
  }
  /** Uses the file picker path (the harness answers main's picker with a queued path). */
  async chooseBundle() {
    await this.page.getByTestId('choose-bundle').click();
  }
  /**
   * A real (trusted) drop of the file on the drop zone, as the user's mouse
   * makes it (CDP Input.dispatchDragEvent): the preload reports only trusted
   * drops. The shimmed webUtils learns the file's path by its name.
   */
  async dropBundle(filePath: string) {
    await this.page.evaluate((p) => {
      window.__airlockTestPaths = { ...window.__airlockTestPaths, [p.split('/').pop()!]: p };
    }, filePath);
    const box = (await this.page.getByTestId('dropzone').boundingBox())!;
    const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const cdp = await this.page.context().newCDPSession(this.page);
    const data = { items: [], files: [filePath], dragOperationsMask: 1 };
    for (const type of ['dragEnter', 'dragOver', 'drop'] as const) await cdp.send('Input.dispatchDragEvent', { type, ...at, data });
    await cdp.detach();
  }
  check(id: string) {
    return this.page.locator(`[data-testid="check-row"][data-check="${id}"]`);
  }
}

export class EngagementsPage {
  readonly rows: Locator;
  readonly detail: Locator;
  readonly card: Locator;
  constructor(readonly page: Page) {
    this.rows = page.getByTestId('engagement-row');
    this.detail = page.getByTestId('engagement-detail');
    this.card = page.getByTestId('model-card');
  }
  row(state: 'not-started' | 'open' | 'closed') {
    return this.page.locator(`[data-testid="engagement-row"][data-state="${state}"]`);
  }
  async open(state: 'not-started' | 'open' | 'closed') {
    await this.row(state).getByRole('button', { name: /Show engagement/ }).click();
    await expect(this.detail.getByTestId('window-state')).toHaveAttribute('data-state', state);
  }
}

export class TasksPage {
  readonly rows: Locator;
  readonly samples: Locator;
  readonly scroller: Locator;
  readonly count: Locator;
  constructor(readonly page: Page) {
    this.rows = page.getByTestId('task-row');
    this.samples = page.getByTestId('sample-row');
    this.scroller = page.getByTestId('samples-scroll');
    this.count = page.getByTestId('samples-count');
  }
  async open(packageImportId: string, taskName: string) {
    await this.page
      .locator(`[data-testid="task-package"][data-import="${packageImportId}"] [data-testid="task-row"][data-task-name="${taskName}"]`)
      .getByRole('button', { name: /Show samples/ })
      .click();
    await expect(this.page.getByTestId('task-detail')).toBeVisible();
  }
  sample(id: string) {
    return this.page.locator(`[data-testid="sample-row"][data-sample-id="${id}"]`);
  }
  /** Scroll the virtual list to its end (it pages more samples in as it goes). */
  async scrollToEnd() {
    await this.scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  }
}
