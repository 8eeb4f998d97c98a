import TurndownService from 'turndown';

/**
 * Markdown that reads like what an author types. Turndown escapes every character markdown might read
 * (`I\'m`-style residue is what made Substack's own markdown export hard to quote from, issue 14); only what
 * would change a line's meaning at its start is escaped here: a heading, list or quote marker.
 */
function escapeLineStarts(text: string): string {
  return text
    .replace(/^(\s*)(#{1,6}\s)/gm, '$1\\$2')
    .replace(/^(\s*)([-+*]\s)/gm, '$1\\$2')
    .replace(/^(\s*)(\d+)\.(\s)/gm, '$1$2\\.$3')
    .replace(/^(\s*)>/gm, '$1\\>');
}

function hasClass(node: Node, name: string): boolean {
  return node.nodeType === 1 && ` ${(node as HTMLElement).getAttribute('class') ?? ''} `.includes(` ${name} `);
}

let service: TurndownService | null = null;

function turndown(): TurndownService {
  if (service) return service;
  const t = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-', emDelimiter: '*' });
  t.escape = escapeLineStarts;
  // Page furniture of exported posts: subscribe and share widgets, buttons, scripts.
  t.remove(['script', 'style', 'noscript', 'iframe', 'button', 'form', 'input']);
  t.addRule('furniture', {
    filter: (node) =>
      ['subscription-widget-wrap', 'subscribe-widget', 'share-dialog', 'button-wrapper', 'captioned-button-wrap', 'kg-signup-card'].some(
        (c) => hasClass(node, c),
      ),
    replacement: () => '',
  });
  // Substack footnotes: the anchor in the text becomes `[^n]`, the note at the end `[^n]: text`.
  t.addRule('footnote-anchor', {
    filter: (node) => node.nodeName === 'A' && hasClass(node, 'footnote-anchor'),
    replacement: (content) => `[^${content.trim()}]`,
  });
  t.addRule('footnote', {
    filter: (node) => node.nodeName === 'DIV' && hasClass(node, 'footnote'),
    replacement: (_content, node) => {
      const el = node as HTMLElement;
      const number = el.querySelector('.footnote-number')?.textContent?.trim() ?? '';
      const body = el.querySelector('.footnote-content');
      const text = body ? t.turndown(body.innerHTML).replace(/\n+/g, ' ').trim() : '';
      return number ? `\n\n[^${number}]: ${text}\n\n` : `\n\n${text}\n\n`;
    },
  });
  // `- item` (turndown writes `-   item`), and a list whose items are paragraphs stays a tight list.
  t.addRule('listItem', {
    filter: 'li',
    replacement: (content, node) => {
      const parent = node.parentNode as HTMLElement | null;
      let prefix = '- ';
      if (parent?.nodeName === 'OL') {
        const start = Number(parent.getAttribute('start') ?? 1);
        prefix = `${(Number.isFinite(start) ? start : 1) + Array.prototype.indexOf.call(parent.children, node)}. `;
      }
      const body = content
        .replace(/^\n+/, '')
        .replace(/\n+$/, '')
        .replace(/\n\n+/g, '\n\n')
        .replace(/\n/g, `\n${' '.repeat(prefix.length)}`);
      return `${prefix}${body}\n`;
    },
  });
  // An image keeps its caption as alt text when it has none of its own.
  t.addRule('figure', {
    filter: 'figure',
    replacement: (content, node) => {
      const caption = (node as HTMLElement).querySelector('figcaption')?.textContent?.trim();
      const img = (node as HTMLElement).querySelector('img');
      if (!img) return `\n\n${content}\n\n`;
      const alt = (img.getAttribute('alt') || caption || '').replace(/[[\]\n]/g, ' ').trim();
      const src = img.getAttribute('src') ?? '';
      return `\n\n![${alt}](${src})${caption ? `\n\n${caption}` : ''}\n\n`;
    },
  });
  service = t;
  return t;
}

/**
 * WordPress stores classic posts without `<p>`: paragraphs are blank-line separated text (its `wpautop` adds the
 * tags when the page is shown). Without them turndown would run every paragraph together.
 */
export function autoParagraphs(html: string): string {
  if (/<p[\s>]/i.test(html)) return html;
  const block = /^\s*<(?:h[1-6]|ul|ol|li|blockquote|pre|table|div|figure|hr|!--)/i;
  return html
    .split(/\n\s*\n/)
    .map((part) => (part.trim() === '' || block.test(part) ? part : `<p>${part.trim().replace(/\n/g, '<br>\n')}</p>`))
    .join('\n\n');
}

/** HTML of a post body as markdown. */
export function htmlToMarkdown(html: string): string {
  return `${turndown()
    .turndown(html)
    .replace(/^[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
