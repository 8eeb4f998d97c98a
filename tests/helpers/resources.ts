/**
 * What the non-default test tiers need from outside the clone. A file of such a tier skips when its
 * resource is missing (its tier's global setup says so in one line), except under
 * PRIORS_REQUIRE_ALL_TIERS=1 (set by .ci/run), where a missing resource fails the run instead.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SHARED_DATA, SHARED_MODEL_DIR } from './paths.js';

export const RESOURCES = {
  /** The real archive and BEIR SciFact (read-only, beside the clone). */
  sharedData: { label: '../shared/data', path: path.join(SHARED_DATA, 'interconnects', 'public') },
  /** The static stand-in model, for tests of retrieval quality. */
  sharedModels: { label: '../shared/models', path: path.join(SHARED_MODEL_DIR, 'priors', 'static-en-256') },
  /** Debian's Chromium, driven by playwright-core (never a downloaded browser build). */
  chromium: { label: '/usr/bin/chromium', path: '/usr/bin/chromium' },
} as const;

type Resource = keyof typeof RESOURCES;

/** The resources each tier's files use. */
const TIER_NEEDS: Record<string, readonly Resource[]> = {
  archive: ['sharedData', 'sharedModels'],
  browser: ['chromium'],
  slow: ['sharedData'],
};

const requireAllTiers = (): boolean => process.env.PRIORS_REQUIRE_ALL_TIERS === '1';

/** `../shared/data (looked for /abs/path)`, or just the path when that is the label. */
function describeMissing(resource: Resource): string {
  const r = RESOURCES[resource];
  return r.label === r.path ? `${r.label} not found` : `${r.label} not found (looked for ${r.path})`;
}

function missingError(resource: Resource): Error {
  return new Error(`${describeMissing(resource)}, and PRIORS_REQUIRE_ALL_TIERS=1 says every tier must run here`);
}

/** True when the resource is there; false (skip) when not; throws when every tier must run. */
export function has(resource: Resource): boolean {
  if (existsSync(RESOURCES[resource].path)) return true;
  if (requireAllTiers()) throw missingError(resource);
  return false;
}

/** One line per missing resource of a tier, for its global setup; throws when every tier must run. */
export function tierNotices(tier: string): string[] {
  return (TIER_NEEDS[tier] ?? []).filter((r) => !has(r)).map((r) => `${tier} tier: ${describeMissing(r)}; skipping the tests that need it`);
}
