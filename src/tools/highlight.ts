import { highlightAnsi, highlightSpans, queryTerms } from '../text/highlight.js';
import type { AskOutput } from './ask.js';
import type { SearchOutput } from './search.js';
import type { TimelineOutput } from './timeline.js';

/**
 * Query-term highlighting of tool outputs, for the front ends that show passages to a person: spans for the
 * web page, ANSI for a terminal. The tools' own output stays free of them (agents and scripts don't need it).
 */

type Highlighted<T> = T & { highlights: [number, number][] };

/**
 * Query-term spans (UTF-16 offsets into `displayText`, the clean text the page shows, else `text`) so the page
 * can mark words without rendering HTML.
 */
function withSpans<T extends { text: string; displayText?: string }>(p: T, terms: string[]): Highlighted<T> {
  return { ...p, highlights: highlightSpans(p.displayText ?? p.text, terms).map((s): [number, number] => [s.start, s.end]) };
}

export function highlightSearch(out: SearchOutput) {
  const terms = queryTerms(out.query);
  return { ...out, results: out.results.map((r) => withSpans(r, terms)) };
}

export function highlightTimeline(out: TimelineOutput) {
  const terms = queryTerms(out.topic);
  const mark = (e: TimelineOutput['entries'][number]) => ({ ...e, passage: withSpans(e.passage, terms) });
  return { ...out, entries: out.entries.map(mark), undated: out.undated.map(mark) };
}

export function highlightAsk(out: AskOutput) {
  const terms = queryTerms(out.question);
  return { ...out, documents: out.documents.map((d) => ({ ...d, passages: d.passages.map((p) => withSpans(p, terms)) })) };
}

/** Marks the words of `query` in bold yellow in any text, for a terminal. */
export function ansiHighlighter(query: string): (text: string) => string {
  const terms = queryTerms(query);
  return (text) => highlightAnsi(text, terms);
}
