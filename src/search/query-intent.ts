/**
 * Authors phrase requests as instructions — "prior posts on calibration", "where did I say open models are a
 * year behind?", "find the exact line I said in the interview about mental effort". The instruction words
 * ("prior", "posts", "said", "line") are not what the passage contains and, in BM25, they match the wrong
 * passages; the topic is what remains once the preamble is removed.
 */
const PREAMBLES: readonly RegExp[] = [
  /^\s*(?:please\s+)?(?:find|show|list|get|give|pull up|look up|search(?: for)?)(?:\s+me)?(?:\s+(?:all|any|the|my))*\s+/i,
  /^\s*(?:(?:my|the|any|all)\s+)*(?:prior|previous|past|earlier|old|older)?\s*(?:posts?|writing|articles?|essays?|pieces?|chapters?|newsletters?|passages?|notes)\s+(?:on|about|regarding|re:?|covering|discussing|where|that)\s+/i,
  /^\s*(?:what|where|when|how)\s+(?:did|have|had)\s+I\s+(?:ever\s+)?(?:say|said|write|written|wrote|argue|argued|claim|claimed|mention|mentioned|discuss|discussed|talk(?:ed)?)(?:\s+(?:about|that|on))?\s+/i,
  /^\s*(?:the\s+)?(?:exact\s+)?(?:line|quote|words?|sentence|bit|part)\s+(?:I|where I)\s+(?:said|wrote|made)(?:\s+(?:in|on)\s+the\s+(?:interview|podcast|post|book|episode))?(?:\s+(?:about|on|that))?\s+/i,
  /^\s*(?:the\s+)?(?:exact\s+)?(?:line|quote|words?|sentence)\s+(?:about|on)\s+/i,
];

/** The topic of a request: instruction preambles removed, trailing '?' dropped; the original if nothing is left. */
export function queryTopic(query: string): string {
  let q = query.trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const re of PREAMBLES) {
      const next = q.replace(re, '');
      if (next !== q && next.trim()) {
        q = next;
        changed = true;
      }
    }
  }
  q = q.replace(/[?!.\s]+$/, '').trim();
  return q || query.trim();
}
