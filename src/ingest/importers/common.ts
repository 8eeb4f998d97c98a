import type { ImportedPost } from './write.js';

export const EXPORT_FORMATS = ['substack', 'ghost', 'wordpress'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ImportSettings {
  /** The site's address (`https://www.example.com`): URLs of exports that don't carry their own. */
  baseUrl?: string | undefined;
  /** Import drafts and unpublished posts too (marked `draft: true`). */
  drafts?: boolean | undefined;
}

/** What a format's converter makes of an export. */
export interface Converted {
  posts: ImportedPost[];
  /** One line each, naming the entry or row. */
  warnings: string[];
  /** Posts left out: drafts (unless asked for), other kinds of items, entries that could not be read. */
  skipped: number;
}

/** `2025-06-06T13:03:02.384Z` → `2025-06-06`; anything unreadable → null. */
export function isoDay(value: string | undefined | null): string | null {
  if (!value) return null;
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(value.trim());
  if (m?.[1] && m[1] !== '0000-00-00') return m[1];
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString().slice(0, 10);
}

/** `<base>/<path>`, or null without a base. */
export function joinUrl(base: string | undefined, pathPart: string): string | null {
  return base ? `${base.replace(/\/+$/, '')}/${pathPart}` : null;
}
