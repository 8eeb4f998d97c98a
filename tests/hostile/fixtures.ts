/** Hostile inputs shared by the tests in this folder, generated rather than stored. */

/** 366 bytes of front matter whose aliases expand to 9^9 (387 million) strings. */
export const ALIAS_BOMB = [
  '---',
  'title: Bomb',
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`),
  '---',
  'Body text of the bomb.',
  '',
].join('\n');

/** A list nested `levels` deep, one level per line (4 MB at 2,000 levels), between two plain paragraphs. */
export function nestedList(levels: number): string {
  const items = Array.from({ length: levels }, (_, i) => `${' '.repeat(2 * i)}- item ${i}`);
  return `# Deep\n\nBefore the list.\n\n${items.join('\n')}\n\nAfter the list.\n`;
}
