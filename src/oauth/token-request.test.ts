import { describe, expect, it } from 'vitest';
import { normaliseTokenRequest, parseTokenBody } from './token-request.ts';

const req = (headers: Record<string, string>, body: string) => ({ headers, body }) as never;

describe('token request normalisation', () => {
  it('reads form and JSON bodies; refuses repeats, nesting and other types', () => {
    expect(parseTokenBody('application/x-www-form-urlencoded', 'a=1&b=x%20y')).toEqual({ a: '1', b: 'x y' });
    expect(parseTokenBody('application/json; charset=utf-8', '{"a":1,"b":"x","c":null}')).toEqual({ a: '1', b: 'x' });
    expect(() => parseTokenBody('application/x-www-form-urlencoded', 'a=1&a=2')).toThrow(/repeated/);
    expect(() => parseTokenBody('application/json', '{"a":{"b":1}}')).toThrow(/string/);
    expect(() => parseTokenBody('application/json', '[1]')).toThrow(/object/);
    expect(() => parseTokenBody('text/plain', 'a=1')).toThrow(/application/);
  });

  it('takes Basic credentials in base64 or base64url (digilocker-sdk), URL-decoded, and refuses two methods', () => {
    const id = 'OLABC';
    const secret = 'a+b/c_d-e?';
    const std = Buffer.from(`${id}:${encodeURIComponent(secret)}`).toString('base64');
    // digilocker-sdk does not URL-encode; our secrets are base64url characters, which need none.
    const raw = 'abc_DEF-123';
    const url = Buffer.from(`${id}:${raw}`).toString('base64url');
    expect(normaliseTokenRequest(req({ authorization: `Basic ${std}`, 'content-type': 'application/x-www-form-urlencoded' }, 'grant_type=x'))).toMatchObject({ clientId: id, clientSecret: secret });
    expect(normaliseTokenRequest(req({ authorization: `Basic ${url}`, 'content-type': 'application/json' }, '{"grant_type":"x"}'))).toMatchObject({ clientId: id, clientSecret: raw });
    expect(() => normaliseTokenRequest(req({ authorization: `Basic ${std}` }, 'client_secret=y'))).toThrow(/one way/);
    expect(() => normaliseTokenRequest(req({ authorization: `Basic ${std}` }, 'client_id=OTHER'))).toThrow(/does not match/);
    expect(() => normaliseTokenRequest(req({ authorization: 'Bearer x' }, ''))).toThrow(/Basic/);
    const n = normaliseTokenRequest(req({}, `client_id=${id}&client_secret=s3&grant_type=g`));
    expect(n).toEqual({ params: { client_id: id, grant_type: 'g' }, clientId: id, clientSecret: 's3' });
  });
});
