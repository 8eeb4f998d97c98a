import * as z from 'zod';
import type { SearchFilters } from '../search/types.js';
import { shortList, shortText } from './limits.js';

const isoDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'a date like 2024, 2024-06 or 2024-06-30');

/** Filter fields shared by the search-like tools. */
export const filterFields = {
  since: isoDate.optional().describe('only documents dated on or after this date'),
  until: isoDate.optional().describe('only documents dated on or before this date'),
  type: shortList('type')
    .optional()
    .describe('document types to keep: post, interview, chapter, transcript, record, text, or a front-matter type such as "podcast"'),
  root: shortList('root').optional().describe('only these roots (collections), by name; list_roots shows them'),
  tag: shortList('tag').optional().describe('keep documents with any of these tags'),
  path: shortText('path glob').optional().describe('glob over document paths within their root or over ids, e.g. "posts/2024/**"'),
  speaker: shortText('speaker').optional().describe('interviews: only passages mostly spoken by this speaker (substring match)'),
};

/** The filter fields as a tool's input holds them (every one optional; tools take the subset they offer). */
export interface FilterInput {
  since?: string | undefined;
  until?: string | undefined;
  type?: string[] | undefined;
  root?: string[] | undefined;
  tag?: string[] | undefined;
  path?: string | undefined;
  speaker?: string | undefined;
}

export function toFilters(input: FilterInput): SearchFilters {
  return {
    since: input.since,
    until: input.until,
    types: input.type,
    roots: input.root,
    tags: input.tag,
    path: input.path,
    speaker: input.speaker,
  };
}
