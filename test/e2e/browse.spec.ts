/**
 * Browsing accepted content end to end: a model-access bundle becomes an
 * engagement (window, endpoint, classification, the model card rendered from
 * Markdown and sanitised), an eval package becomes tasks whose samples page
 * into a virtualised list. Trust and imports go through the real services
 * (`airlock.services`); browsing goes through the UI.
 *
 * The model card is hostile on purpose: <script>, remote <img> with onerror,
 * a javascript: link, <style>, style attributes, an iframe. The DOM must hold
 * none of them, the page must report no CSP violation and make no request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, expect } from './harness';
import { CreateVaultPage, EngagementsPage, Shell, TasksPage } from './pages/app';
import { getPki, type TestPki } from '../helpers/corpus/pki';
import { buildBundleDir } from '../helpers/corpus/build';
import { LAB_ID, TASK_YAML, evalSpec, modelAccessMeta, modelAccessSpec } from '../helpers/corpus/fixtures';

const HOSTILE_CARD = `# Frontier-X hostile card

<script>window.__pwned = 'script'</script>

<img src="https://evil.example/x.png" onerror="window.__pwned = 'onerror'">

Inline <img src=https://evil.example/y.png onerror=window.__pwned=1> and <b onclick="window.__pwned = 'click'">bold</b>
and <span style="color:red">styled</span>.

[click me](javascript:window.__pwned='link') · [docs](https://example.com/docs) · <a href="javascript:alert(1)">raw link</a>

![tracking pixel](https://evil.example/pixel.png)

<style>body { display: none }</style>

<iframe src="https://evil.example/"></iframe>

## Capabilities

| Eval | Score |
|------|------:|
| ctf  | 0.5   |
`;

const SAMPLES = 450;
const DAY = 86_400_000;

let pki: TestPki;
let work: string;
let openDir: string;
let futureDir: string;
let evalDir: string;

function dataset(): string {
  const lines: string[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    lines.push(
      JSON.stringify(
        i % 3 === 2
          ? { id: `s${i}`, input: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: `Chat question ${i}?` }], target: 'A' }
          : { id: `s${i}`, input: `Question ${i}?`, target: 'A', choices: ['yes', 'no'], metadata: { n: i } },
      ),
    );
  }
  return lines.join('\n') + '\n';
}

function windowed(id: string, series: string, start: Date, end: Date, card: string) {
  const m = modelAccessMeta() as { model: Record<string, unknown> };
  return modelAccessSpec(
    { files: { 'payload/model-card.md': card } },
    { id, series, model: { ...m.model, version: series, accessWindow: { start: start.toISOString().replace(/\.\d{3}Z$/, 'Z'), end: end.toISOString().replace(/\.\d{3}Z$/, 'Z') } } },
  );
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  pki = await getPki();
  work = mkdtempSync(path.join(tmpdir(), 'airlock-e2e-browse-'));
  const now = Date.now();
  // Whole days from midnight so the "days left" label is stable during the run.
  const midnight = Math.floor(now / DAY) * DAY;
  openDir = await buildBundleDir(pki, windowed('ma-open-0001', 'open', new Date(midnight - 5 * DAY), new Date(midnight + 11 * DAY), HOSTILE_CARD), path.join(work, 'open'));
  futureDir = await buildBundleDir(pki, windowed('ma-future-0001', 'future', new Date(midnight + 20 * DAY), new Date(midnight + 40 * DAY), '# Future\n'), path.join(work, 'future'));
  evalDir = await buildBundleDir(
    pki,
    evalSpec({ files: { 'tasks/ctf-crypto-basics/eval.yaml': TASK_YAML, 'tasks/ctf-crypto-basics/dataset.jsonl': dataset() } }),
    path.join(work, 'eval'),
  );
});

test.afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('browse engagements (window, endpoint, sanitised model card) and eval tasks (virtualised samples)', async ({ airlock }) => {
  test.setTimeout(120_000);
  const { page, services } = airlock;
  await airlock.open();
  await new CreateVaultPage(page).create('Evaluator');
  const shell = new Shell(page);
  await shell.expectUnlocked();

  // Trust and imports through the real services (the intake UI has its own spec).
  airlock.queuePick(pki.certs.root.pem);
  expect(await services.addAnchorFromPicker(['model-access', 'eval-package'], 'Clearinghouse')).toBe(true);
  airlock.queuePick(pki.crls.root.pem);
  await services.addCrlFromPicker();
  airlock.queuePick(pki.crls.int.pem);
  await services.addCrlFromPicker();
  services.unlocked().trust.setLabId(LAB_ID);
  const imports: Record<string, string> = {};
  for (const [name, dir] of [['open', openDir], ['future', futureDir], ['eval', evalDir]] as const) {
    airlock.queuePick(dir);
    await services.chooseBundle();
    const r = await services.importBundle(dir);
    expect(r.outcome, JSON.stringify(r.report?.checks?.filter((c: { status: string }) => c.status === 'fail'))).toBe('imported');
    imports[name] = r.importId;
  }

  // Engagements: both listed with their window state; the open one in detail.
  await shell.go('engagements');
  const engagements = new EngagementsPage(page);
  await expect(engagements.rows).toHaveCount(2);
  await expect(engagements.row('not-started').getByTestId('window-state')).toHaveText(/^Not started · opens in (19|20) days$/);
  await engagements.open('open');
  const detail = engagements.detail;
  await expect(detail.getByTestId('window-state')).toHaveText(/^Open · (10|11) days left$/);
  await expect(detail.getByTestId('engagement-access')).toContainText('http://127.0.0.1:8787/v1');
  await expect(detail.getByTestId('engagement-credential')).toContainText('Credential held in the vault');
  await expect(page.getByTestId('classification-banner')).toContainText('UNCLASSIFIED//FOR TESTING');
  await expect(page.getByText('test-key-not-secret')).toHaveCount(0);

  // The model card: rendered Markdown, with nothing active or remote left in it.
  const card = engagements.card;
  await expect(card.locator('h1')).toHaveText('Frontier-X hostile card');
  await expect(card.locator('h2')).toHaveText('Capabilities');
  await expect(card.locator('table td').first()).toHaveText('ctf');
  await expect(card.locator('.md-link', { hasText: 'click me' })).toHaveCount(1);
  await expect(card.locator('.md-image')).toHaveText('[image: tracking pixel]');
  for (const tag of ['script', 'img', 'a', 'style', 'iframe', 'b', 'input', 'svg']) {
    await expect(card.locator(tag), tag).toHaveCount(0);
  }
  const attrs = await card.evaluate((root) =>
    [...root.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => `${el.tagName.toLowerCase()}[${a.name}=${a.value}]`)),
  );
  expect(attrs.filter((a) => /\[(on\w+|style|href|src|srcset)=/i.test(a) || /javascript:/i.test(a))).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(await page.locator('body').evaluate((b) => getComputedStyle(b).display)).not.toBe('none');

  // Eval tasks: the package's task; its samples page in as the list scrolls.
  await shell.go('tasks');
  const tasks = new TasksPage(page);
  await expect(tasks.rows).toHaveCount(1);
  await tasks.open(imports.eval!, 'ctf-crypto-basics');
  await expect(page.getByTestId('task-detail')).toContainText('multiple_choice');
  await expect(page.getByTestId('task-detail')).toContainText('accuracy, stderr');
  await expect(tasks.sample('s0')).toContainText('Question 0?');
  await expect(tasks.sample('s2')).toContainText('system: Be brief. user: Chat question 2?');
  await expect(tasks.count).toContainText(`200 of ${SAMPLES} samples loaded`);
  // Virtualised: far fewer rows in the DOM than loaded.
  expect(await tasks.samples.count()).toBeLessThan(60);
  await expect(tasks.sample('s449')).toHaveCount(0);
  await expect(async () => {
    await tasks.scrollToEnd();
    await expect(tasks.sample('s449')).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(tasks.count).toContainText(`${SAMPLES} of ${SAMPLES} samples loaded`);
  await expect(tasks.sample('s0')).toHaveCount(0);
  await tasks.sample('s449').click();
  await expect(page.getByTestId('sample-detail')).toContainText('user: Chat question 449?');

  // Locking clears the browsed content from the window.
  await shell.lock();
  await expect(page.getByTestId('samples-list')).toHaveCount(0);

  expect(airlock.blockedRequests).toEqual([]);
  expect(airlock.consoleErrors).toEqual([]);
  expect(airlock.calls.filter((c) => c.channel.startsWith('content.') && !c.ok)).toEqual([]);
});
