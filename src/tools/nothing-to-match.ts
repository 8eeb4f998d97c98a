import { topicWords } from '../search/query-intent.js';

/**
 * Whether a request names something to look for. One that has only words such as "the", "prior posts on" or "first"
 * (topicWords) would match every passage as well as any other, so a list of them would be arbitrary.
 */
export function hasTopic(request: string): boolean {
  return topicWords(request).length > 0;
}

/** What search, ask and timeline answer, instead of passages, to a request without a topic (`hasTopic`). */
export function nothingToMatch(request: string): string {
  return `"${request}" names nothing to look for (only words like "the", "prior posts on", "first"): add the topic, e.g. "prior posts on calibration"`;
}
