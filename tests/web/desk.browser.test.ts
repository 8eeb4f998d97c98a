import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS } from '../helpers/paths.js';
import { has } from '../helpers/resources.js';
import { tempDir } from '../helpers/sample-index.js';
import { ARTIFACTS, type PageFixture, poll, startPageFixture } from './browser.js';

/**
 * The editor's desk in Chromium: the document reader (rendered, line-anchored, passage highlighted, prev/next,
 * speakers, hostile markup inert), sentence-level copy, the timeline view and the draft checker panel.
 */

const CALIBRATION = 'corpus/posts/2022/2022-11-08-what-calibration-measures.md';
const INTERVIEW = 'corpus/posts/2024/2024-05-14-interview-ines-okafor.md';

// A second root: a document that tries every way of getting markup to run, and an undated note.
const HOSTILE = `---
title: "Hostile <b>title</b>"
date: 2021-03-04
---

# Calibration <script>window.__pwned = 1</script> heading

A calibration paragraph <img src=x onerror="window.__pwned = 2"> with an [evil link](javascript:window.__pwned=3) and a <iframe src="javascript:window.__pwned=4"></iframe> frame.

<script>window.__pwned = 5</script>

<div onmouseover="window.__pwned = 6">raw block html about calibration</div>

A [safe link](https://example.com/safe) and an image ![tracking pixel](https://tracker.example/p.png) and [data](data:text/html,<script>alert(1)</script>).
`;

const UNDATED = `# Working notes on calibration

Calibration is a property of a forecaster across many forecasts, never of one forecast.

These notes have no date on purpose. The longer version is [the 2022 post](https://fieldnotes.example.com/p/what-calibration-measures/).
`;

let fixture: PageFixture;
let server: PageFixture['server'];
let browser: Browser;
let page: Page;
let pageErrors: string[] = [];

async function shot(name: string, fullPage = false): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage });
}

describe.skipIf(!has('chromium'))('the editor’s desk in headless Chromium', () => {
  beforeAll(async () => {
    const extra = path.join(tempDir('priors-desk-'), 'notes');
    mkdirSync(extra, { recursive: true });
    writeFileSync(path.join(extra, 'hostile.md'), HOSTILE);
    writeFileSync(path.join(extra, 'undated-calibration.md'), UNDATED);
    fixture = await startPageFixture([CORPUS, extra]);
    ({ server, browser, page, errors: pageErrors } = fixture);
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it('opens a search result in the reader: rendered, the passage highlighted and in view, prev/next, back', async () => {
    await page.goto(`${server.url}/`);
    await expect.poll(() => page.textContent('#status'), poll).toMatch(/16 documents/);
    await page.fill('#q', 'calibration forecasters');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#results .doc');
    const first = page.locator('#results .doc', { hasText: 'What calibration actually measures' });
    const ref = (await first.locator('.ref').first().textContent())!;
    const [, from, to] = /:(\d+)(?:-(\d+))?$/.exec(ref)!;
    await first.locator('a.read').first().click();

    await page.waitForSelector('#reader-body .hit');
    expect(page.url()).toContain(`#doc=${encodeURIComponent(CALIBRATION)}&lines=${from}${to ? `-${to}` : ''}&q=calibration`);
    expect(await page.isVisible('#panel-search')).toBe(false);
    expect(await page.textContent('#reader-title')).toBe('What calibration actually measures');
    expect(await page.getAttribute('#reader-head a[href^="https://"]', 'href')).toBe(
      'https://fieldnotes.example.com/p/what-calibration-measures',
    );
    // Markdown is rendered (a table, emphasis, headings), front matter is not shown as text.
    expect(await page.locator('#reader-body table').count()).toBeGreaterThan(0);
    expect(await page.locator('#reader-body em').count()).toBeGreaterThan(0);
    expect(await page.locator('#reader-body h2').first().textContent()).toBe('Language models as forecasters');
    const bodyText = (await page.textContent('#reader-body'))!;
    expect(bodyText).not.toContain('canonical_url');
    expect(bodyText).not.toContain('|---|');
    // Every block knows its lines; the highlighted blocks are the passage's, in view and focused.
    const hit = page.locator('#reader-body .hit').first();
    expect(Number(await hit.getAttribute('data-ls'))).toBeLessThanOrEqual(Number(to ?? from));
    expect(Number(await hit.getAttribute('data-le'))).toBeGreaterThanOrEqual(Number(from));
    expect(await hit.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(
      await hit.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.top < innerHeight;
      }),
    ).toBe(true);
    await shot('web-reader.png');

    // Prev/next walks the query's passages in this document, keeping the address in step.
    const pos = (await page.textContent('#reader-pos'))!;
    expect(pos).toMatch(/^passage \d+ of \d+$/);
    const [, at, of] = /passage (\d+) of (\d+)/.exec(pos)!.map(Number);
    expect(of).toBeGreaterThan(1);
    const step = at! < of! ? 'j' : 'k';
    await page.keyboard.press(step);
    await expect.poll(() => page.textContent('#reader-pos'), poll).toBe(`passage ${step === 'j' ? at! + 1 : at! - 1} of ${of}`);
    expect(page.url()).not.toContain(`lines=${from}${to ? `-${to}` : ''}&`);

    // The link graph (get's linkedFrom): the undated note links here, and the reader opens it at its link.
    expect(await page.textContent('#reader-head .doc-links summary')).toBe('Linked from (1)');
    await page.click('#reader-head .doc-links summary');
    expect(await page.textContent('#reader-head .doc-links li a')).toBe('Working notes on calibration');
    expect(await page.getAttribute('#reader-head .doc-links li a', 'href')).toBe(
      `#doc=${encodeURIComponent('notes/undated-calibration.md')}&lines=5`,
    );
    // The query's words are marked in the passage; c copies its matched sentence, not its lines.
    expect((await page.locator('#reader-body .hit mark').first().textContent())?.toLowerCase()).toMatch(/calibrat|forecast/);
    await page.keyboard.press('c');
    await page.waitForSelector('#copied:not([hidden])');
    const cited = (await page.textContent('#copied-text'))!;
    const quotedLines = cited.split('\n').filter((l) => l.startsWith('> '));
    expect(quotedLines.join(' ').toLowerCase()).toMatch(/calibrat|forecast/);
    expect(quotedLines.join(' ').match(/[.!?](\s|$)/g)?.length ?? 0).toBeLessThanOrEqual(2);
    await page.keyboard.press('Escape');

    // Esc goes back to the results, to the passage the reader was opened from.
    await page.keyboard.press('Escape');
    expect(await page.isVisible('#panel-search')).toBe(true);
    expect(await page.isHidden('#panel-reader')).toBe(true);
    expect(page.url()).not.toContain('#doc=');
    expect(await page.evaluate(() => document.activeElement?.closest('.passage') !== null)).toBe(true);
  });

  it('labels the speakers of an interview', async () => {
    await page.goto(`${server.url}/#doc=${encodeURIComponent(INTERVIEW)}&lines=27`);
    await page.waitForSelector('#reader-body .turn');
    expect(await page.textContent('#reader-head .people')).toMatch(/Ines Okafor \(guest\)/);
    const guest = page.locator('#reader-body .turn.guest').first();
    expect(await guest.getAttribute('data-speaker')).toBe('Ines Okafor');
    expect(await page.locator('#reader-body .turn.host').first().getAttribute('data-speaker')).toBe('Mara Quill');
    expect(await page.locator('#reader-body .hit').first().getAttribute('data-ls')).toBe('27');
    // Its citation names the guest and the turn's timestamp beside title, date, URL and docId:lines.
    await page.keyboard.press('c');
    await page.waitForSelector('#copied:not([hidden])');
    const cited = (await page.textContent('#copied-text'))!;
    expect(cited).toContain('Ines Okafor');
    expect(cited).toContain('00:00:13');
    expect(cited).toContain('https://fieldnotes.example.com/p/interview-ines-okafor');
    expect(cited).toContain(`${INTERVIEW}:27`);
    await page.keyboard.press('Escape');
  });

  it('shows a hostile document as text: no script runs, no element or URL from its markup survives', async () => {
    const id = (await page.evaluate(async () => {
      const res = await fetch('/api/documents?root=notes');
      return ((await res.json()) as { documents: { docId: string; path: string }[] }).documents.find((d) => d.path === 'hostile.md')?.docId;
    }))!;
    expect(id).toBeTruthy();
    await page.goto(`${server.url}/#doc=${encodeURIComponent(id)}`);
    await page.waitForSelector('#reader-body h1');
    await page.hover('#reader-body');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    for (const tag of ['script', 'img', 'iframe', 'div', 'b']) expect(await page.locator(`#reader-body ${tag}`).count()).toBe(0);
    expect(await page.locator('#reader-body [onerror], #reader-body [onmouseover]').count()).toBe(0);
    const hrefs = await page.locator('#reader-body a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual(['https://example.com/safe']);
    const text = (await page.textContent('#reader-body'))!;
    expect(text).toContain('<script>window.__pwned = 5</script>');
    expect(text).toContain('[tracking pixel]');
    expect(await page.textContent('#reader-title')).toBe('Hostile <b>title</b>');
  });

  it('copies the matched sentence from a search result, and the selected sentence from the reader', async () => {
    await page.goto(`${server.url}/?q=well+calibrated`);
    await page.waitForSelector('#results .doc');
    const passage = page.locator('#results .passage').first();
    await passage.locator('button.copy').click();
    await page.waitForSelector('#copied:not([hidden])');
    const shown = (await page.textContent('#copied-text'))!;
    const quoted = shown
      .split('\n')
      .filter((l) => l.startsWith('> '))
      .join(' ');
    // One sentence with the query's words, not the passage's paragraphs; the citation keeps title, date, URL, id:lines.
    expect(quoted.toLowerCase()).toContain('well calibrated');
    expect(quoted.length).toBeLessThan(((await passage.locator('.text').textContent()) ?? '').length);
    expect(quoted.match(/[.!?](\s|$)/g)?.length ?? 0).toBeLessThanOrEqual(2);
    expect(shown).toMatch(
      /\[What calibration actually measures\]\(https:\/\/fieldnotes\.example\.com\/p\/what-calibration-measures#:~:text=/,
    );
    expect(shown).toMatch(new RegExp(`November 8, 2022 \\(${CALIBRATION.replace(/\./g, '\\.')}:\\d+(-\\d+)?\\)`));
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shown);
    await page.keyboard.press('Escape');

    // In the reader, a selection is what gets cited.
    await page.goto(`${server.url}/#doc=${encodeURIComponent(CALIBRATION)}&lines=11`);
    await page.waitForSelector('#reader-body .hit');
    await page.evaluate(() => {
      const p = document.querySelector('#reader-body .hit')!;
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const at = n.textContent!.indexOf("That's it.");
        if (at >= 0) {
          const r = document.createRange();
          r.setStart(n, at);
          r.setEnd(n, at + "That's it.".length);
          getSelection()!.removeAllRanges();
          getSelection()!.addRange(r);
          return;
        }
      }
    });
    await page.click('#reader-copy');
    await expect.poll(() => page.textContent('#copied-text'), poll).toMatch(/^> That's it\.\n/);
    expect(await page.textContent('#copied-text')).toContain(`(${CALIBRATION}:11)`);
  });

  it('copies only the verified sentence in the verify-quote view', async () => {
    await page.goto(`${server.url}/`);
    await page.click('#tab-quote');
    await page.fill('#quote-text', "That's it.");
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('#quote-result .verdict');
    await page.locator('#quote-result button.copy').first().click();
    await expect.poll(() => page.textContent('#copied-text'), poll).toMatch(/^> That's it\.\n/);
  });

  it('verifies a quote with elisions and says who said it', async () => {
    await page.fill('#quote-text', '“Mostly by accident … I stopped caring who was right on any single question.”');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.textContent('#quote-result .verdict'), poll).toMatch(/^Verified with elisions/);
    expect(await page.textContent('#quote-result .verdict')).toContain('said by Ines Okafor (guest) at 00:00:31');
    expect(await page.textContent('#quote-result .note')).toMatch(/“Mostly by accident” at .*:31 \(Ines Okafor\) … “I stopped caring/);
    await page.locator('#quote-result button.copy').first().click();
    await expect.poll(() => page.textContent('#copied-text'), poll).toMatch(/^> Mostly by accident\./);
    expect(await page.textContent('#copied-text')).toContain(`(${INTERVIEW}:31)`);
    await page.keyboard.press('Escape');
  });

  it('shows a timeline: mentions per year as a chart, entries by year, undated apart, filtered by collection', async () => {
    await page.goto(`${server.url}/`);
    await page.keyboard.press('Escape');
    await page.click('#tab-timeline');
    await page.fill('#tl-topic', 'calibration');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#tl-result .chart');
    const bars = page.locator('#tl-result .chart .bar');
    const years = await bars.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-year')));
    expect(years.length).toBeGreaterThan(1);
    expect(years).toEqual([...years].sort());
    const counted = await page.locator('#tl-result .chart .bar[role="button"]').count();
    expect(counted).toBeGreaterThan(0);
    const groups = await page.locator('#tl-result .year-group > h3').allTextContents();
    expect(groups.at(-1)).toMatch(/^Undated \(\d+\)$/);
    expect(await page.textContent('#tl-result .undated')).toContain('Working notes on calibration');
    expect(await page.textContent('#tl-result .summary')).toMatch(
      /^\d+ dated documents? on it from \d{4} to \d{4}, \d+ shown · \d+ undated$/,
    );
    // Each bar counts the year's documents on the topic, as the tool reports them.
    const counts = await bars.evaluateAll((gs) => gs.map((g) => g.getAttribute('aria-label')));
    expect(counts.every((c) => /^\d{4}: \d+ documents? on it, \d+ shown$/.test(c ?? ''))).toBe(true);
    await shot('web-timeline.png');

    // A bar is a button: Enter on it moves to that year's entries.
    const bar = page.locator('#tl-result .chart .bar[role="button"]').first();
    const year = await bar.getAttribute('data-year');
    await bar.focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`tl-year-${year}`);

    // Entries open in the reader at their passage.
    await page.locator('#tl-result a.read').first().click();
    await page.waitForSelector('#reader-body .hit');
    await page.keyboard.press('Escape');
    expect(await page.isVisible('#panel-timeline')).toBe(true);

    await page.selectOption('#tl-root', 'notes');
    await expect
      .poll(async () => {
        const refs = await page.locator('#tl-result .doc .ref').allTextContents();
        return refs.length > 0 && refs.every((r) => r.startsWith('notes/'));
      }, poll)
      .toBe(true);
  });

  it('checks a pasted or uploaded draft: the named post and the interview, the quote and who said it', async ({ skip }) => {
    await page.goto(`${server.url}/`);
    const routes = await page.evaluate(async () =>
      Object.keys(((await (await fetch('/api/openapi.json')).json()) as { paths: object }).paths),
    );
    if (!routes.includes('/api/check')) skip('the check tool has no HTTP route on this branch yet');
    await page.click('#tab-check');
    // Written the way an author writes: one paragraph per line, a post named in prose, a guest quoted with an elision.
    const draft = path.join(tempDir('priors-draft-'), 'draft.md');
    writeFileSync(
      draft,
      [
        'I have written about this before, most fully in What calibration actually measures, where the point was that stated confidence has to match how often you are right.',
        'When I spoke with Ines Okafor she put it better: "I stopped caring who was right on any single question … and started caring whether their stated confidence meant anything."',
        'Forecasting tournaments score people with Brier scores, and a short session on base rates improves them.',
        "As Ines Okafor put it, “Otherwise I end up checking everything, and the tool hasn't saved me any work.”",
      ].join('\n'),
    );
    await page.setInputFiles('#check-file', draft);
    await expect.poll(() => page.inputValue('#check-text'), poll).toContain('What calibration actually measures');
    expect(await page.textContent('#check-file-note')).toMatch(/Loaded draft\.md/);
    await page.waitForSelector('#check-result .summary', { timeout: 60_000 });
    expect(await page.textContent('#check-result .summary')).toMatch(/^4 paragraphs checked · \d+ related documents?/);

    const docs = await page.locator('#check-result .check-doc > div > a').allTextContents();
    expect(docs.slice(0, 5)).toContain('What calibration actually measures');
    expect(docs.slice(0, 5).some((t) => /Ines Okafor/.test(t))).toBe(true);
    // The named post is a resolved mention, with a reader link to it.
    const mention = page.locator('#check-p1 .check-section', { hasText: 'Mentions of your work' });
    expect(await mention.textContent()).toMatch(/found.*What calibration actually measures/);
    // The quote is verified with its elision and credited to the guest.
    const quote = page.locator('#check-p2 .check-section', { hasText: 'Quotes' });
    expect(await quote.locator('.badge').first().textContent()).toBe('verified with elisions');
    expect(await quote.textContent()).toMatch(/said by Ines Okafor \(guest\) at 00:00:31/);
    // The host's words credited to the guest are flagged.
    expect(await page.textContent('#check-p4 .misattributed')).toBe(
      'misattributed the draft credits Ines Okafor, the archive has these words from Mara Quill (host)',
    );
    await shot('web-check.png', true);

    // A quote's place opens in the reader at the guest's turn.
    await quote.locator('a.read').first().click();
    await page.waitForSelector('#reader-body .hit');
    expect(await page.locator('#reader-body .hit').first().getAttribute('data-speaker')).toBe('Ines Okafor');
    await page.keyboard.press('Escape');
    expect(await page.isVisible('#panel-check')).toBe(true);
  });

  it('stays usable on a narrow window', async () => {
    const narrow = await browser.newContext({ viewport: { width: 390, height: 800 } });
    try {
      const p = await narrow.newPage();
      await p.goto(`${server.url}/#doc=${encodeURIComponent(CALIBRATION)}&lines=11`);
      await p.waitForSelector('#reader-body .hit');
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await p.screenshot({ path: path.join(ARTIFACTS, 'web-reader-narrow.png') });
      // The timeline's chart and entries fit too (the chart scales down, the tabs scroll sideways).
      await p.keyboard.press('Escape');
      await p.click('#tab-timeline');
      await p.fill('#tl-topic', 'calibration');
      await p.keyboard.press('Enter');
      await p.waitForSelector('#tl-result .chart');
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await p.screenshot({ path: path.join(ARTIFACTS, 'web-timeline-narrow.png') });
    } finally {
      await narrow.close();
    }
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
    expect(server.logs).toEqual([]);
  });
});
