import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { CompactSign, exportJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { signQrPayload, verifyQrPayload, type QrClaims } from './qr-payload.ts';

const rejects = async (jws: string, key: crypto.KeyObject, alg: string) => expect((await verifyQrPayload(jws, key, alg)).ok).toBe(false);

const claims: QrClaims = { v: 1, iss: 'in.gov.cbse', iat: 1_700_000_000, u: 'in.gov.cbse-HSCER-1', t: 'HSCER', d: '2024-05-13', n: 'Ananya', nh: 'अनन्या शर्मा', f: { result: 'PASS' }, h: 'abc' };

describe('QR payload JWS', () => {
  const ed = crypto.generateKeyPairSync('ed25519');
  const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it('verifies what jose signs (EdDSA and ES256), Hindi intact, with the JWK or a key object', async () => {
    const jws = await signQrPayload(claims, ed.privateKey, 'k1', 'EdDSA');
    expect(await verifyQrPayload(jws, await exportJWK(ed.publicKey), 'EdDSA')).toEqual({ ok: true, claims });
    const es = await signQrPayload(claims, ec.privateKey, 'k2', 'ES256');
    expect(await verifyQrPayload(es, ec.publicKey, 'ES256')).toEqual({ ok: true, claims });
  });

  it('refuses another key, another algorithm, crit, unencoded payloads and mangled parts', async () => {
    const jws = await signQrPayload(claims, ed.privateKey, 'k1', 'EdDSA');
    expect((await verifyQrPayload(jws, crypto.generateKeyPairSync('ed25519').publicKey, 'EdDSA')).ok).toBe(false);
    expect((await verifyQrPayload(jws, ed.publicKey, 'ES256')).ok).toBe(false);
    const payload = Buffer.from('{}');
    for (const header of [{ alg: 'EdDSA', crit: ['x'], x: 1 }, { alg: 'EdDSA', b64: false, crit: ['b64'] }]) {
      const t = await new CompactSign(payload).setProtectedHeader(header as never).sign(ed.privateKey).catch(() => null);
      if (t) await rejects(t, ed.publicKey, 'EdDSA');
    }
    const [h, p, s] = jws.split('.') as [string, string, string];
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
    await rejects(none, ed.publicKey, 'EdDSA');
    await rejects(`${h}.${p}`, ed.publicKey, 'EdDSA');
    await rejects(`${h}.${p}.${s}.x`, ed.publicKey, 'EdDSA');
    await rejects(`${h}.${p}+.${s}`, ed.publicKey, 'EdDSA');
    const es = await signQrPayload(claims, ec.privateKey, 'k2', 'ES256');
    await rejects(es, ed.publicKey, 'ES256');
    await rejects(es, ec.publicKey, 'EdDSA');
  });

  it('refuses a changed payload or header, a DER-encoded ES256 signature and a header that is not an object', async () => {
    const jws = await signQrPayload(claims, ed.privateKey, 'k1', 'EdDSA');
    const [h, p, s] = jws.split('.') as [string, string, string];
    const flipped = Buffer.from(p, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    await rejects(`${h}.${flipped.toString('base64url')}.${s}`, ed.publicKey, 'EdDSA');
    const otherHeader = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: 'k9', zip: 'DEF' })).toString('base64url');
    await rejects(`${otherHeader}.${p}.${s}`, ed.publicKey, 'EdDSA');
    const arrayHeader = Buffer.from('["EdDSA"]').toString('base64url');
    const input = Buffer.from(`${arrayHeader}.${p}`);
    await rejects(`${arrayHeader}.${p}.${crypto.sign(null, input, ed.privateKey).toString('base64url')}`, ed.publicKey, 'EdDSA');
    // ES256 over the same input in DER (what a careless signer emits) is not a JWS signature.
    const es = await signQrPayload(claims, ec.privateKey, 'k2', 'ES256');
    const [eh, ep] = es.split('.') as [string, string, string];
    const der = crypto.sign('sha256', Buffer.from(`${eh}.${ep}`), ec.privateKey);
    await rejects(`${eh}.${ep}.${der.toString('base64url')}`, ec.publicKey, 'ES256');
  });

  it('refuses a compressed bomb and payloads that are not claims', async () => {
    const bomb = zlib.deflateRawSync(Buffer.alloc(1_000_000, 0x20));
    const t = await new CompactSign(bomb).setProtectedHeader({ alg: 'EdDSA', kid: 'k', zip: 'DEF' }).sign(ed.privateKey);
    expect(await verifyQrPayload(t, ed.publicKey, 'EdDSA')).toEqual({ ok: false, reason: 'bad_payload' });
    const odd = await new CompactSign(Buffer.from('{"v":2}')).setProtectedHeader({ alg: 'EdDSA', kid: 'k' }).sign(ed.privateKey);
    expect(await verifyQrPayload(odd, ed.publicKey, 'EdDSA')).toEqual({ ok: false, reason: 'bad_payload' });
  });
});
