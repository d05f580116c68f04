/**
 * Model cards (Markdown from a verified bundle) as inert HTML.
 *
 * Two layers, because a signed bundle is still content from outside the lab:
 * 1. marked with a renderer that never emits active markup: raw HTML in the
 *    Markdown is shown as text, links become plain text (the target shown
 *    beside it, never navigable), images become "[image: alt]" (no fetch,
 *    remote or local), task-list checkboxes become "[x]" text.
 * 2. DOMPurify over marked's output with a strict allow-list: only structural
 *    tags, no `a`/`img`/`style`/`script`/forms/SVG, no `style`, `href`, `src`
 *    or event-handler attributes, no data-/aria- attributes.
 * The CSP (no inline script or style, no remote content) is the third layer.
 *
 * Layer 1 is pure and tested in Node; layer 2 needs a DOM and fails closed
 * without one (renderMarkdown throws rather than return unsanitised HTML).
 */
import { Marked, type Tokens } from 'marked';
import DOMPurify, { type Config } from 'dompurify';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Link targets worth showing as text; anything else (javascript:, data:, file:, …) is not even shown. */
const SHOWN_SCHEMES = /^(https?:|mailto:)/i;

/** Tags marked may produce with the renderer below; everything else is dropped by DOMPurify. */
export const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code', 'em', 'strong', 'del',
  'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span',
] as const;
export const ALLOWED_ATTR = ['class', 'align', 'start', 'title'] as const;

export const PURIFY_CONFIG: Config = {
  ALLOWED_TAGS: [...ALLOWED_TAGS],
  ALLOWED_ATTR: [...ALLOWED_ATTR],
  FORBID_TAGS: ['a', 'img', 'picture', 'source', 'style', 'script', 'link', 'meta', 'base', 'iframe', 'frame', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'svg', 'math', 'video', 'audio', 'template'],
  FORBID_ATTR: ['style', 'href', 'src', 'srcset', 'xlink:href', 'action', 'formaction', 'background', 'poster', 'ping'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  KEEP_CONTENT: true,
  SANITIZE_DOM: true,
  WHOLE_DOCUMENT: false,
  RETURN_DOM: false,
  RETURN_DOM_FRAGMENT: false,
  RETURN_TRUSTED_TYPE: false,
};

function createMarked(): Marked {
  return new Marked({
    async: false,
    gfm: true,
    breaks: false,
    pedantic: false,
    renderer: {
      html(token: Tokens.HTML | Tokens.Tag): string {
        const text = escapeHtml(token.text);
        return 'block' in token && token.block ? `<p class="md-raw">${text.trimEnd()}</p>\n` : text;
      },
      link({ href, tokens, autolink }: Tokens.Link): string {
        const label = this.parser.parseInline(tokens);
        const target = !autolink && SHOWN_SCHEMES.test(href.trim()) ? ` <span class="md-link-target">(${escapeHtml(href.trim())})</span>` : '';
        return `<span class="md-link">${label}</span>${target}`;
      },
      image({ text }: Tokens.Image): string {
        return `<span class="md-image">[image${text ? `: ${escapeHtml(text)}` : ''}]</span>`;
      },
      checkbox({ checked }: Tokens.Checkbox): string {
        return checked ? '[x] ' : '[ ] ';
      },
    },
  });
}

const marked = createMarked();

/** Layer 1: Markdown → HTML that carries no links, images, raw HTML or inline styles. */
export function markdownToHtml(markdown: string): string {
  return marked.parse(markdown, { async: false });
}

export interface Purifier {
  isSupported: boolean;
  sanitize(dirty: string, config: Config): string | unknown;
}

/** Layers 1 and 2: HTML safe to put in the page. Throws when no DOM sanitiser is available (fails closed). */
export function renderMarkdown(markdown: string, purifier: Purifier = DOMPurify): string {
  if (!purifier.isSupported) throw new Error('Cannot render the model card: the HTML sanitiser is unavailable here.');
  const clean = purifier.sanitize(markdownToHtml(markdown), PURIFY_CONFIG);
  if (typeof clean !== 'string') throw new Error('Cannot render the model card: the HTML sanitiser returned an unexpected value.');
  return clean;
}
