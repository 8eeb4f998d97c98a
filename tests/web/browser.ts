import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { RunningServer } from '../../src/server/start.js';
import { CORPUS, REPO } from '../helpers/paths.js';
import { RESOURCES } from '../helpers/resources.js';
import { buildSampleIndex, sampleContext, TEST_MODEL } from '../helpers/sample-index.js';
import { startTestServer } from '../server/server-fixture.js';

/** Screenshots of the page tests (gitignored; kept as test artifacts for a person to look at). */
export const ARTIFACTS = path.join(REPO, 'test-artifacts');

/** Generous: the index and model load on the first request, and CI machines are busy. */
export const poll = { timeout: 20_000, interval: 100 };

/** Debian's Chromium, headless, with nothing that would reach the network on its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: RESOURCES.chromium.path,
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
}

/**
 * A desktop-sized page with clipboard access, and the list its errors are collected in: uncaught errors,
 * console errors and failed requests (with their path; the console's own line for those names none).
 */
async function openPage(browser: Browser, origin: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1120, height: 900 }, colorScheme: 'light' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  return { page, errors };
}

export interface PageFixture {
  ctx: ReturnType<typeof sampleContext>;
  server: RunningServer & { logs: string[] };
  browser: Browser;
  page: Page;
  /** Page errors so far (see openPage). */
  errors: string[];
  close(): Promise<void>;
}

/** An index of `roots` (default: the sample corpus), a real server over it, and Chromium on its page. */
export async function startPageFixture(roots: string[] = [CORPUS]): Promise<PageFixture> {
  const { index } = await buildSampleIndex(TEST_MODEL, roots);
  const ctx = sampleContext(index);
  const server = await startTestServer(ctx);
  const browser = await launchChromium();
  const { page, errors } = await openPage(browser, server.url);
  return {
    ctx,
    server,
    browser,
    page,
    errors,
    async close() {
      await browser.close();
      await server.close();
      await ctx.close();
    },
  };
}
