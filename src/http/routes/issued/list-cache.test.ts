import { describe, expect, it } from 'vitest';
import { etagMatches } from '../../etag.ts';
import { IssuedListCache } from './list-cache.ts';

describe('IssuedListCache', () => {
  it('answers only for the same list version, registry state and within the names time limit', () => {
    const c = new IssuedListCache(1 << 20, 60_000);
    const r = c.set('a', 3, 0, 1000, '{"items":[]}');
    expect(r.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(c.get('a', 3, 0, 2000)).toMatchObject(r);
    expect(c.get('b', 3, 0, 2000), 'another citizen').toBeNull();
    expect(c.get('a', 4, 0, 2000), 'a newer list version').toBeNull();
    expect(c.size.entries, 'a stale entry is dropped').toBe(0);
    c.set('a', 4, 0, 1000, '{"items":[]}');
    expect(c.get('a', 4, 1, 2000), 'the registry changed here').toBeNull();
    c.set('a', 4, 1, 1000, '{"items":[]}');
    expect(c.get('a', 4, 1, 61_001), 'older than the names time limit').toBeNull();
  });

  it('the ETag is a digest of the body: equal bodies, equal tags; any change, another tag', () => {
    const c = new IssuedListCache();
    expect(c.set('a', 1, 0, 0, '{"items":[1]}').etag).toBe(c.set('b', 9, 0, 0, '{"items":[1]}').etag);
    expect(c.set('a', 2, 0, 0, '{"items":[2]}').etag).not.toBe(c.set('b', 9, 0, 0, '{"items":[1]}').etag);
  });

  it('holds at most maxBytes, dropping the least recently used first; a body too big is served but not kept', () => {
    const body = 'x'.repeat(1000);
    const c = new IssuedListCache(3 * (1000 + 200), 60_000); // an entry costs its UTF-8 bytes + 200
    for (const id of ['a', 'b', 'c']) c.set(id, 1, 0, 0, body);
    expect(c.get('a', 1, 0, 0)).not.toBeNull(); // a is now the most recent
    c.set('d', 1, 0, 0, body);
    expect(c.get('b', 1, 0, 0), 'b was the least recently used').toBeNull();
    expect(['a', 'c', 'd'].every((id) => c.get(id, 1, 0, 0))).toBe(true);
    expect(c.size.bytes).toBeLessThanOrEqual(3 * 1200);
    expect(c.set('e', 1, 0, 0, 'y'.repeat(10_000)).body).toHaveLength(10_000);
    expect(c.get('e', 1, 0, 0)).toBeNull();
    expect(c.size.entries).toBe(3);
  });
});

describe('etagMatches (If-None-Match)', () => {
  it('compares weakly, reads lists and *, and matches nothing else', () => {
    expect(etagMatches('"abc"', '"abc"')).toBe(true);
    expect(etagMatches('W/"abc"', '"abc"')).toBe(true);
    expect(etagMatches('"x", "abc"', '"abc"')).toBe(true);
    expect(etagMatches('*', '"abc"')).toBe(true);
    expect(etagMatches(undefined, '"abc"')).toBe(false);
    expect(etagMatches('', '"abc"')).toBe(false);
    expect(etagMatches('abc', '"abc"')).toBe(false);
    expect(etagMatches('"abcd"', '"abc"')).toBe(false);
  });
});
