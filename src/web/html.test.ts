import { describe, expect, it } from 'vitest';
import { displayText, escapeHtml, fillHtml, html, safeUrl } from './html.ts';

describe('html templates', () => {
  it('escapes every interpolation by default', () => {
    const name = `<script>alert("x")</script>' onmouseover='1`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;1">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;1</p>',
    );
  });

  it('nests templates and lists without double escaping', () => {
    const items = ['a&b', '<i>'];
    expect(html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`.value).toBe('<ul><li>a&amp;b</li><li>&lt;i&gt;</li></ul>');
  });

  it('drops null, undefined and booleans', () => {
    expect(html`${null}${undefined}${false}${true}${0}`.value).toBe('0');
  });

  it('neutralises dangerous URLs', () => {
    expect(safeUrl('javascript:alert(1)')).toBe('#');
    expect(safeUrl(' JaVaScRiPt:alert(1)')).toBe('#');
    expect(safeUrl('data:text/html,x')).toBe('#');
    expect(safeUrl('//evil.example')).toBe('#');
    expect(safeUrl('/issued')).toBe('/issued');
    expect(safeUrl('https://example.in/a')).toBe('https://example.in/a');
  });

  it('strips bidi overrides and control characters from display text, and caps length', () => {
    expect(displayText('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(displayText('a\u0000b\nc')).toBe('abc');
    expect(displayText('x'.repeat(300), 50)).toHaveLength(50);
  });

  it('fills a template with HTML values: markup kept, text escaped, unknown placeholders left', () => {
    expect(fillHtml('{issuer} · issued {date} {other}', { issuer: html`<span lang="en">A&amp;B</span>`, date: '1 <May>' }).value).toBe('<span lang="en">A&amp;B</span> · issued 1 &lt;May&gt; {other}');
    // With plain text it is the same as escaping the filled-in sentence.
    const t = 'Issued by {issuer}. "Enter" {n}';
    expect(fillHtml(t, { issuer: `Board <b> & 'co'`, n: 3 }).value).toBe(escapeHtml(`Issued by Board <b> & 'co'. "Enter" 3`));
  });
});
