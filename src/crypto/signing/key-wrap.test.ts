import crypto from 'node:crypto';
import { expect, it } from 'vitest';
import { masterKeyFromBytes } from '../master-key.ts';
import { unwrapPrivateKey, wrapPrivateKey } from './key-wrap.ts';

it('wraps private keys so that only the same master key and key id unwrap them, and any change is detected', () => {
  const master = masterKeyFromBytes(crypto.randomBytes(32));
  const key = crypto.generateKeyPairSync('ed25519').privateKey;
  const wrapped = wrapPrivateKey(master, 'kid-1', key);
  const der = key.export({ type: 'pkcs8', format: 'der' });
  expect(wrapped.startsWith('v1.')).toBe(true);
  expect(Buffer.from(wrapped).includes(der.subarray(-32))).toBe(false);
  expect(unwrapPrivateKey(master, 'kid-1', wrapped).export({ type: 'pkcs8', format: 'der' })).toEqual(der);
  expect(() => unwrapPrivateKey(masterKeyFromBytes(crypto.randomBytes(32)), 'kid-1', wrapped)).toThrow();
  expect(() => unwrapPrivateKey(master, 'kid-2', wrapped)).toThrow();
  const parts = wrapped.split('.');
  const ct = Buffer.from(parts[2]!, 'base64url');
  ct[0] = ct[0]! ^ 1;
  expect(() => unwrapPrivateKey(master, 'kid-1', [parts[0], parts[1], ct.toString('base64url'), parts[3]].join('.'))).toThrow();
  expect(() => unwrapPrivateKey(master, 'kid-1', 'v2.a.b.c')).toThrow(/unknown format/);
});
