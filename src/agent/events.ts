import type { DocumentHeader } from '../core/types.js';
/** What the assistant loop reports while it works; the CLI prints these, the HTTP API streams them as SSE. */
export type AssistantEvent =
  | { type: 'tool_call'; id: string; name: string; arguments: unknown }
  | { type: 'tool_result'; id: string; name: string; ok: boolean; summary: string }
  | { type: 'token'; text: string }
  | { type: 'sources'; sources: AnswerSource[]; quotes: QuoteCheck[]; verified: number; unverified: number }
  | { type: 'error'; message: string }
  | { type: 'done'; answer: string };

/** A document the answer cites, as shown in the sources list. */
export interface AnswerSource extends DocumentHeader {
  n: number;
  citation: string;
}

/** One quotation found in the answer and whether it appears verbatim in a cited chunk. */
export interface QuoteCheck {
  quote: string;
  /** Found verbatim in a retrieved passage (`verdict` is not `not_found`). */
  verified: boolean;
  /** The quote tool's verdicts that an exact check can give: elided fragments each verbatim, in order, in one passage. */
  verdict: 'verified' | 'verified_with_elisions' | 'not_found';
  /** `path:lineStart-lineEnd` where it was found, when verified. */
  citation: string | null;
}
