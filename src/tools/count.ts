/** "1 document", "3 documents": a count with its noun, for every line a person reads (the page has its own, dom.js). */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
