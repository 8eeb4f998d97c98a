import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/start.js';
import { REPO } from '../helpers/paths.js';
import { has, RESOURCES } from '../helpers/resources.js';
import { buildSampleIndex, sampleContext } from '../helpers/sample-index.js';
import { startTestServer } from '../server/server-fixture.js';

const CHROMIUM = RESOURCES.chromium.path;
const ARTIFACTS = path.join(REPO, 'test-artifacts');
const README_SHOT = path.join(REPO, 'docs', 'screenshot.png');
const CALIBRATION = 'corpus/posts/2022/2022-11-08-what-calibration-measures.md';

let ctx: ReturnType<typeof sampleContext>;
let server: RunningServer & { logs: string[] };
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
/** Generous: the index and model load on the first request, and CI machines are busy. */
const poll = { timeout: 20_000, interval: 100 };

describe.skipIf(!has('chromium'))('web page in headless Chromium', () => {
  beforeAll(async () => {
    const { index } = await buildSampleIndex();
    ctx = sampleContext(index);
    server = await startTestServer(ctx);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context = await browser.newContext({ viewport: { width: 1120, height: 900 }, colorScheme: 'light' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await ctx?.close();
  });

  it('loads, searches, shows cited results grouped by document, and copies a citation', async () => {
    await page.goto(`${server.url}/`);
    await expect.poll(() => page.textContent('#status'), poll).toMatch(/14 documents · hybrid search/);
    // The search box has focus on load: type and press Enter, as an editor would.
    await page.keyboard.type('calibration');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#results .doc');

    expect(await page.textContent('#search-summary')).toMatch(/\d+ passages? in \d+ documents?/);
    const first = page.locator('#results .doc').first();
    expect(await first.locator('h3').textContent()).toMatch(/What calibration actually measures/);
    expect(await first.locator('h3 a').getAttribute('href')).toBe('https://fieldnotes.example.com/p/what-calibration-measures');
    expect(await first.locator('time').textContent()).toBe('November 8, 2022');
    expect(await first.locator('.ref').first().textContent()).toMatch(new RegExp(`^${CALIBRATION.replace(/\./g, '\\.')}:\\d+(-\\d+)?$`));
    expect((await first.locator('mark').first().textContent())?.toLowerCase()).toContain('calibrat');
    // Documents appear once each: passages are grouped under them.
    const titles = await page.locator('#results .doc h3').allTextContents();
    expect(new Set(titles).size).toBe(titles.length);
    expect(page.url()).toMatch(/\?q=calibration$/);

    mkdirSync(ARTIFACTS, { recursive: true });
    const ref = (await first.locator('.ref').first().textContent())!;
    await first.locator('button.copy').first().click();
    await page.waitForSelector('#copied:not([hidden])');
    const shown = (await page.textContent('#copied-text'))!;
    expect(shown).toMatch(/^> /);
    expect(shown).toContain('[What calibration actually measures](https://fieldnotes.example.com/p/what-calibration-measures#:~:text=');
    expect(shown).toContain(`), November 8, 2022 (${ref})`);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shown);
    expect(await page.textContent('#copied-title')).toMatch(/copied to the clipboard/);

    await page.screenshot({ path: path.join(ARTIFACTS, 'web-search.png') });
    // The README image is refreshed on request only, so a test run leaves the working tree alone.
    if (!existsSync(README_SHOT) || process.env.UPDATE_SCREENSHOT === '1') {
      mkdirSync(path.dirname(README_SHOT), { recursive: true });
      await page.screenshot({ path: README_SHOT, clip: { x: 0, y: 0, width: 1120, height: 780 } });
    }
  });

  it('copies footnote citations once the format is switched', async () => {
    await page.keyboard.press('Escape');
    await page.click('label:has(input[value="footnote"])');
    await page.locator('#results .doc button.copy').first().click();
    await expect
      .poll(() => page.textContent('#copied-text'), poll)
      .toMatch(/\[\^2022-11-08-what-calibration-measures-\d+\]: (.*, )?What calibration actually measures, November 8, 2022\./);
    await page.click('label:has(input[value="markdown"])');
  });

  it('filters by type from the index', async () => {
    await page.selectOption('#type', 'interview');
    await expect
      .poll(async () => (await page.locator('#results .doc .meta .type').allTextContents()).join(','), poll)
      .toMatch(/^(interview,?)+$/);
    expect(page.url()).toMatch(/type=interview/);
    await page.click('#clear-filters');
    await expect.poll(async () => (await page.locator('#results .doc .meta .type').allTextContents()).includes('post'), poll).toBe(true);
  });

  it('is keyboard-driven: j moves through passages and c copies the focused one', async () => {
    await page.click('#search-summary');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    const focusedRef = await page.evaluate(() => document.activeElement?.closest('.passage')?.querySelector('.ref')?.textContent ?? null);
    expect(focusedRef).toBeTruthy();
    await page.keyboard.press('c');
    await expect.poll(() => page.textContent('#copied-text'), poll).toContain(`(${focusedRef})`);
    await page.keyboard.press('Escape');
    expect(await page.isHidden('#copied')).toBe(true);
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
  });

  it('verifies a quote', async () => {
    await page.click('#tab-quote');
    await page.fill(
      '#quote-text',
      'A forecaster is well calibrated if, across all the times they say "70%," the thing happens about 70% of the time.',
    );
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('#quote-result .verdict');
    expect(await page.textContent('#quote-result .verdict')).toMatch(/Verified/);
    expect(await page.textContent('#quote-result .ref')).toBe(`${CALIBRATION}:11`);
  });

  it('finds writing related to a pasted draft', async () => {
    await page.click('#tab-related');
    await page.fill(
      '#draft-text',
      'The policy learns to exploit the reward model: push optimisation far enough and the proxy reward keeps rising while real quality falls.',
    );
    await page.click('#related-form button[type="submit"]');
    await page.waitForSelector('#related-result .doc');
    expect(await page.textContent('#related-result .doc h3')).toMatch(/reward model/i);
    expect(await page.textContent('#related-result .note')).toMatch(/^re: “The policy learns/);
  });

  it('shows the offline answer in the ask view when no LLM is configured', async () => {
    await page.click('#tab-ask');
    expect(await page.textContent('#tab-ask')).toBe('Ask (offline)');
    await page.fill('#ask-q', 'what have I written about preference data?');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#ask-answer .doc');
    expect(await page.textContent('#ask-status')).toMatch(/No LLM configured/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-ask-offline.png') });
  });

  it('with a token: takes it from #token= or asks for it once, then works', async () => {
    const token = 'browser-test-token-0123456789';
    const guarded = await startTestServer(ctx, { token });
    const fresh = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    try {
      const p1 = await fresh.newPage();
      await p1.goto(`${guarded.url}/#token=${token}`);
      await expect.poll(() => p1.textContent('#status'), poll).toMatch(/14 documents/);
      expect(p1.url()).toBe(`${guarded.url}/`);

      const other = await browser.newContext();
      try {
        const p2 = await other.newPage();
        await p2.goto(`${guarded.url}/`);
        await p2.waitForSelector('#token-dialog[open]');
        expect(await p2.textContent('#status')).toBe('token needed');
        await p2.fill('#token-input', token);
        await p2.keyboard.press('Enter');
        await expect.poll(() => p2.textContent('#status'), poll).toMatch(/14 documents/);
        await p2.fill('#q', 'calibration');
        await p2.keyboard.press('Enter');
        await p2.waitForSelector('#results .doc');
      } finally {
        await other.close();
      }
    } finally {
      await fresh.close();
      await guarded.close();
    }
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
    expect(server.logs).toEqual([]);
  });
});
