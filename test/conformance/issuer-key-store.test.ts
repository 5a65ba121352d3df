/**
 * The issuer key store on every SQL backend: first-use creation and rotation are
 * compare-and-swap (concurrent callers get exactly one new key), retirement destroys the
 * private key but keeps the public one, revocation is idempotent, and the key log stays
 * one unbroken hash chain under concurrent appends. A closed database makes the
 * directory throw KeyDirectoryUnavailable (so verification says "undetermined").
 */
import crypto from 'node:crypto';
import { exportJWK } from 'jose';
import { expect, it } from 'vitest';
import { checkKeyLogChain, directoryFromKeyLog } from '../../src/domain/verification/key-log.ts';
import { jwkKid } from '../../src/domain/verification/issuer-keys.ts';
import { KeyDirectoryUnavailable, type NewIssuerKey } from '../../src/domain/verification/ports.ts';
import { openAnotherConnection, openTestSqlStore, describeEachDialect } from '../support/sql.ts';
import { sqlIssuerKeyStore } from '../../src/storage/sql/repositories/issuer-keys.ts';
import { randomId } from '../support/app.ts';

async function jwsKey(issuerId: string, extra: Partial<NewIssuerKey> = {}): Promise<NewIssuerKey> {
  const { publicKey } = crypto.generateKeyPairSync('ed25519');
  const jwk = await exportJWK(publicKey);
  const kid = await jwkKid(jwk);
  return { kid, issuerId, issuerName: `Issuer ${issuerId}`, kind: 'jws', alg: 'EdDSA', publicJwk: jwk, did: `did:key:z${kid}`, certificate: null, chain: [], certSha256: null, origin: 'sandbox', validFrom: new Date(), validUntil: null, wrappedPrivateKey: `wrapped-${kid}`, ...extra };
}

describeEachDialect('issuer key store', (get) => {
  it('creates the first key once when many instances race to create it', async () => {
    const keys = sqlIssuerKeyStore(get());
    const issuer = `in.gov.race-${randomId()}`;
    const candidates = await Promise.all(Array.from({ length: 6 }, () => jwsKey(issuer)));
    const results = await Promise.all(candidates.map((k) => keys.addCurrentKey(k, null, new Date())));
    expect(results.filter((r) => r === 'added')).toHaveLength(1);
    expect(await keys.listForIssuer(issuer)).toHaveLength(1);
    const cur = await keys.currentSigningKey(issuer, 'jws');
    expect(cur?.key.kid).toBe(candidates[results.indexOf('added')]!.kid);
  });

  it('rotation swaps the current key once, retires the old one (public key kept, private key destroyed)', async () => {
    const keys = sqlIssuerKeyStore(get());
    const issuer = `in.gov.rotate-${randomId()}`;
    const first = await jwsKey(issuer);
    expect(await keys.addCurrentKey(first, null, new Date())).toBe('added');
    const racers = await Promise.all(Array.from({ length: 4 }, () => jwsKey(issuer)));
    const at = new Date();
    const results = await Promise.all(racers.map((k) => keys.addCurrentKey(k, first.kid, at)));
    expect(results.filter((r) => r === 'added')).toHaveLength(1);
    expect(await keys.addCurrentKey(await jwsKey(issuer), null, at)).toBe('conflict');
    const old = await keys.findByKid(first.kid);
    expect(old?.validUntil?.toISOString()).toBe(at.toISOString());
    expect(old?.publicJwk).toEqual(first.publicJwk);
    const rows = await get().db.selectFrom('issuer_keys').select(['kid', 'private_key']).where('issuer_id', '=', issuer).execute();
    expect(rows.find((r) => r.kid === first.kid)?.private_key).toBeNull();
    expect((await keys.currentSigningKey(issuer, 'jws'))?.key.kid).not.toBe(first.kid);
  });

  it('revocation is idempotent, drops the key from signing, and is logged once', async () => {
    const keys = sqlIssuerKeyStore(get());
    const issuer = `in.gov.revoke-${randomId()}`;
    const k = await jwsKey(issuer);
    await keys.addCurrentKey(k, null, new Date());
    const first = new Date('2030-01-01T00:00:00Z');
    expect(await keys.revokeKey(k.kid, 'key compromise', first)).toBe(true);
    expect(await keys.revokeKey(k.kid, 'again', new Date('2031-01-01T00:00:00Z'))).toBe(true);
    expect(await keys.revokeKey('no-such-kid', 'x', new Date())).toBe(false);
    const got = await keys.findByKid(k.kid);
    expect(got?.revokedAt?.toISOString()).toBe(first.toISOString());
    expect(got?.revocationReason).toBe('key compromise');
    expect(await keys.currentSigningKey(issuer, 'jws')).toBeNull();
    const log = await keys.readLog(0, 100_000);
    expect(log.filter((r) => r.entry.kid === k.kid && r.entry.event === 'key_revoked')).toHaveLength(1);
  });

  it('registered keys are public only and cannot be registered twice', async () => {
    const keys = sqlIssuerKeyStore(get());
    const k = await jwsKey(`in.gov.real-${randomId()}`, { origin: 'registered', wrappedPrivateKey: 'must-not-be-stored' });
    expect(await keys.registerKey(k, new Date())).toBe('added');
    expect(await keys.registerKey(k, new Date())).toBe('exists');
    const row = await get().db.selectFrom('issuer_keys').select('private_key').where('kid', '=', k.kid).executeTakeFirstOrThrow();
    expect(row.private_key).toBeNull();
    expect((await keys.findByDid(k.did!))?.kid).toBe(k.kid);
  });

  it('the key log stays one unbroken hash chain under concurrent writers, and replays into the same directory', async () => {
    const keys = sqlIssuerKeyStore(get());
    const issuers = Array.from({ length: 8 }, () => `in.gov.chain-${randomId()}`);
    await Promise.all(issuers.map(async (i) => keys.registerKey(await jwsKey(i, { origin: 'registered' }), new Date())));
    const log = await keys.readLog(0, 100_000);
    const chain = checkKeyLogChain(log);
    expect(chain).toMatchObject({ ok: true, length: log.length });
    const seqs = log.map((r) => r.entry.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const replayed = directoryFromKeyLog(log);
    for (const i of issuers) {
      const [k] = await keys.listForIssuer(i);
      expect((await replayed.findByKid(k!.kid))?.issuerId).toBe(i);
    }
  });

  it('a changed or removed key-log entry breaks the chain visibly', async () => {
    const keys = sqlIssuerKeyStore(get());
    await keys.registerKey(await jwsKey(`in.gov.tamper-${randomId()}`, { origin: 'registered' }), new Date());
    const log = await keys.readLog(0, 100_000);
    const changed = log.map((r, i) => (i === 0 ? { ...r, entry: { ...r.entry, issuer: 'in.gov.evil' } } : r));
    expect(checkKeyLogChain(changed)).toMatchObject({ ok: false, brokenAt: 1 });
    if (log.length > 2) expect(checkKeyLogChain([log[0]!, ...log.slice(2)]).ok).toBe(false);
  });

  it('findByKid is cached: a change made here is seen at once, one made by another process within the revalidation period', async () => {
    const here = sqlIssuerKeyStore(get(), { revalidateMs: 200 });
    const sameProcess = sqlIssuerKeyStore(get());
    const other = await openAnotherConnection(get());
    try {
      const elsewhere = sqlIssuerKeyStore(other);
      const issuer = `in.gov.cache-${randomId()}`;
      const a = await jwsKey(issuer);
      expect(await here.findByKid(a.kid), 'unknown for now (and remembered as unknown)').toBeNull();
      expect(await elsewhere.addCurrentKey(a, null, new Date())).toBe('added');
      await new Promise((r) => setTimeout(r, 250));
      expect((await here.findByKid(a.kid))?.kid, 'a key added by another process').toBe(a.kid);
      // Revoked through another store in this process: seen at once.
      expect(await sameProcess.revokeKey(a.kid, 'key compromise', new Date())).toBe(true);
      expect((await here.findByKid(a.kid))?.revokedAt).toBeInstanceOf(Date);

      const b = await jwsKey(issuer);
      expect(await sameProcess.registerKey(b, new Date())).toBe('added');
      expect((await here.findByKid(b.kid))?.revokedAt).toBeNull();
      // Revoked by another process: seen after the revalidation period, not before a read of the log head.
      expect(await elsewhere.revokeKey(b.kid, 'key compromise', new Date())).toBe(true);
      await new Promise((r) => setTimeout(r, 250));
      expect((await here.findByKid(b.kid))?.revokedAt).toBeInstanceOf(Date);
      expect(Object.isFrozen(await here.findByKid(b.kid)), 'cached keys are shared: frozen').toBe(true);
    } finally {
      await other.close();
    }
  });
});

it('a directory whose database is gone throws KeyDirectoryUnavailable, not "unknown"', async () => {
  const store = await openTestSqlStore('sqlite');
  const keys = sqlIssuerKeyStore(store);
  await store.dispose();
  await expect(keys.findByKid('abc')).rejects.toBeInstanceOf(KeyDirectoryUnavailable);
  await expect(keys.findByCertificate('00')).rejects.toBeInstanceOf(KeyDirectoryUnavailable);
});

it('cached keys do not outlive a lost database by more than the revalidation period', async () => {
  const store = await openTestSqlStore('sqlite');
  const keys = sqlIssuerKeyStore(store, { revalidateMs: 50 });
  const k = await jwsKey(`in.gov.lost-${randomId()}`);
  await keys.addCurrentKey(k, null, new Date());
  expect((await keys.findByKid(k.kid))?.kid).toBe(k.kid);
  await store.dispose();
  await new Promise((r) => setTimeout(r, 80));
  await expect(keys.findByKid(k.kid)).rejects.toBeInstanceOf(KeyDirectoryUnavailable);
});
