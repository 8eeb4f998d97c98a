import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/paths.js';
import { has } from '../helpers/resources.js';
import { startTestServer } from '../server/server-fixture.js';
import { ARTIFACTS, type PageFixture, poll, startPageFixture } from './browser.js';

const README_SHOT = path.join(REPO, 'docs', 'screenshot.png');
const CALIBRATION = 'corpus/posts/2022/2022-11-08-what-calibration-measures.md';

let fixture: PageFixture;
let ctx: PageFixture['ctx'];
let server: PageFixture['server'];
let browser: Browser;
let page: Page;
let pageErrors: string[] = [];

/** `docId:a-b` → id and lines. */
function splitRef(ref: string): { id: string; from: number; to: number } {
  const m = /^(.*):(\d+)(?:-(\d+))?$/.exec(ref);
  if (!m) throw new Error(`not a docId:lines reference: ${ref}`);
  return { id: m[1]!, from: Number(m[2]), to: Number(m[3] ?? m[2]) };
}

/** The citation ends with `(docId:lines)` naming the passage's document and lines inside its range. */
function citedWithin(citation: string, passageRef: string): boolean {
  const m = /\(([^()\s]+:\d+(?:-\d+)?)\)\s*$/.exec(citation);
  if (!m) return false;
  const cited = splitRef(m[1]!);
  const passage = splitRef(passageRef);
  return cited.id === passage.id && cited.from >= passage.from && cited.to <= passage.to;
}

/** The quoted lines of a markdown citation (`> …`), joined. */
function quotedText(citation: string): string {
  return citation
    .split('\n')
    .filter((l) => l.startsWith('> '))
    .map((l) => l.slice(2))
    .join(' ');
}

describe.skipIf(!has('chromium'))('web page in headless Chromium', () => {
  beforeAll(async () => {
    fixture = await startPageFixture();
    ({ ctx, server, browser, page, errors: pageErrors } = fixture);
  });

  afterAll(async () => {
    await fixture?.close();
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
    // Sentence-level: the citation quotes the matched sentence with its own lines, inside the passage's range.
    expect(citedWithin(shown, ref)).toBe(true);
    const passage = (await first.locator('.passage .text').first().textContent())!;
    expect(quotedText(shown).length).toBeLessThan(passage.length);
    expect(quotedText(shown).toLowerCase()).toContain('calibrat');
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
    await expect.poll(async () => citedWithin((await page.textContent('#copied-text')) ?? '', focusedRef!), poll).toBe(true);
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
    // Its citation quotes the sentence that shares most words with the draft, not the whole passage.
    const first = page.locator('#related-result .passage').first();
    await first.locator('button.copy').click();
    await page.waitForSelector('#copied:not([hidden])');
    const cited = quotedText((await page.textContent('#copied-text'))!);
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.length).toBeLessThan(((await first.locator('.text').textContent()) ?? '').length);
    expect(cited.toLowerCase()).toMatch(/reward|proxy|optimi|policy|quality/);
    await page.keyboard.press('Escape');
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
