/**
 * Model-card Markdown rendering (src/renderer/lib/markdown.ts).
 *
 * Neither jsdom nor happy-dom is installed, so DOMPurify cannot run here. This
 * suite covers the part that runs in Node: the marked layer (which must never
 * emit links, images, raw HTML, inline styles or event handlers, whatever the
 * Markdown holds), the DOMPurify configuration, and that rendering fails
 * closed without a DOM. The sanitised result in a real DOM — no <script>, no
 * <img>, no on* attributes, no javascript: links, no CSP violations, no
 * requests — is covered end to end in test/e2e/browse.spec.ts.
 */
import { describe, expect, it } from 'vitest';
import { ALLOWED_ATTR, ALLOWED_TAGS, PURIFY_CONFIG, escapeHtml, markdownToHtml, renderMarkdown, type Purifier } from '../../../src/renderer/lib/markdown';

export const HOSTILE_CARD = `# Frontier-X

<script>window.__pwned = 1</script>

<img src=https://evil.example/x.png onerror="window.__pwned = 2">

Inline <img src="https://evil.example/y.png" onerror=alert(1)> and <b onclick="x()">bold</b> and <span style="color:red">red</span>.

[click me](javascript:alert(1)) · [docs](https://example.com/docs "Docs") · [mail](mailto:a@example.com) · [data](data:text/html,<script>alert(1)</script>)

![remote](https://evil.example/pixel.png) ![local](/favicon.png)

<style>body { display: none }</style>

<iframe src="https://evil.example/"></iframe>

<a href="javascript:alert(2)">raw link</a>

- [x] done
- [ ] todo

| a | b |
|:-:|---|
| 1 | 2 |

\`\`\`html
<script>alert(3)</script>
\`\`\`
`;

/** Every tag marked emitted, with its attribute names and values (marked's own output is regular enough to scan). */
function tags(html: string): { name: string; attrs: [string, string][] }[] {
  const out: { name: string; attrs: [string, string][] }[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)) {
    const attrs = [...m[2]!.matchAll(/([^\s=]+)(?:="([^"]*)")?/g)].map((a) => [a[1]!.toLowerCase(), a[2] ?? ''] as [string, string]);
    out.push({ name: m[1]!.toLowerCase(), attrs });
  }
  return out;
}

describe('markdownToHtml (the marked layer)', () => {
  const html = markdownToHtml(HOSTILE_CARD);
  const found = tags(html);

  it('emits only allow-listed tags and attributes', () => {
    expect(found.length).toBeGreaterThan(10);
    for (const t of found) {
      expect(ALLOWED_TAGS as readonly string[], t.name).toContain(t.name);
      for (const [name] of t.attrs) expect(ALLOWED_ATTR as readonly string[], `${t.name}[${name}]`).toContain(name);
    }
  });

  it('shows raw HTML as text, never as elements', () => {
    for (const bad of ['script', 'img', 'a', 'style', 'iframe', 'input', 'b']) expect(found.map((t) => t.name)).not.toContain(bad);
    expect(html).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;');
    expect(html).toContain('&lt;iframe');
    expect(html).toMatch(/<p class="md-raw">&lt;img src=https:\/\/evil\.example\/x\.png/);
  });

  it('renders links as inert text, showing only http(s)/mailto targets', () => {
    expect(html).toContain('<span class="md-link">click me</span>');
    expect(html).toContain('<span class="md-link">docs</span> <span class="md-link-target">(https://example.com/docs)</span>');
    expect(html).toContain('<span class="md-link-target">(mailto:a@example.com)</span>');
    expect(html).not.toMatch(/<[^>]*href=/i);
    expect(html).not.toContain('(javascript:');
    for (const t of found) for (const [, v] of t.attrs) expect(v).not.toMatch(/javascript:|data:|https?:/i);
  });

  it('replaces images by their alt text, so nothing is fetched', () => {
    expect(html).toContain('<span class="md-image">[image: remote]</span>');
    expect(html).toContain('<span class="md-image">[image: local]</span>');
    expect(html).not.toMatch(/<img/i);
  });

  it('keeps structure: headings, task lists as text, aligned tables, escaped code', () => {
    expect(html).toContain('<h1>Frontier-X</h1>');
    expect(html).toContain('<li>[x] done</li>');
    expect(html).toContain('<li>[ ] todo</li>');
    expect(html).toContain('<th align="center">a</th>');
    expect(html).toContain('<code class="language-html">&lt;script&gt;alert(3)&lt;/script&gt;');
  });

  it('escapes text and attribute metacharacters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(markdownToHtml('[x](https://e.example/?a="><script>)')).not.toMatch(/<script/);
  });

  it('handles a 1 MiB card', () => {
    const big = '# Big\n\n' + 'Lorem ipsum dolor sit amet. '.repeat(37_000);
    expect(big.length).toBeGreaterThan(1_000_000);
    expect(markdownToHtml(big).length).toBeGreaterThan(1_000_000);
  });
});

describe('DOMPurify configuration', () => {
  it('forbids active and remote-loading tags and attributes', () => {
    for (const t of ['a', 'img', 'style', 'script', 'iframe', 'form', 'input', 'svg', 'math']) expect(PURIFY_CONFIG.FORBID_TAGS).toContain(t);
    for (const a of ['style', 'href', 'src', 'srcset', 'xlink:href']) expect(PURIFY_CONFIG.FORBID_ATTR).toContain(a);
    expect(PURIFY_CONFIG.ALLOWED_TAGS).not.toEqual(expect.arrayContaining(['a']));
    expect(PURIFY_CONFIG.ALLOWED_ATTR!.some((a) => /^on|^style$|^href$|^src$/.test(a))).toBe(false);
    expect(PURIFY_CONFIG).toMatchObject({ ALLOW_DATA_ATTR: false, ALLOW_ARIA_ATTR: false, ALLOW_UNKNOWN_PROTOCOLS: false, SANITIZE_DOM: true, RETURN_DOM: false });
  });
});

describe('renderMarkdown', () => {
  it('fails closed without a DOM (Node has none): it throws rather than return unsanitised HTML', () => {
    expect(() => renderMarkdown(HOSTILE_CARD)).toThrow(/sanitiser is unavailable/);
  });

  it('passes marked output and the strict config to the sanitiser, and returns only its result', () => {
    const seen: { dirty: string; config: unknown }[] = [];
    const fake: Purifier = {
      isSupported: true,
      sanitize: (dirty, config) => {
        seen.push({ dirty, config });
        return 'CLEAN';
      },
    };
    expect(renderMarkdown('# Hi', fake)).toBe('CLEAN');
    expect(seen).toEqual([{ dirty: '<h1>Hi</h1>\n', config: PURIFY_CONFIG }]);
    expect(() => renderMarkdown('# Hi', { isSupported: true, sanitize: () => ({}) })).toThrow(/unexpected value/);
  });
});
