/** Aadhaar links and issuers' push credentials in SQL (see domain/issued/ports.ts). */
import { AppError } from '../../../domain/errors.ts';
import type { AadhaarAddress, AadhaarLinkStore, PushClientStore } from '../../../domain/issued/ports.ts';
import type { SqlStore } from '../database.ts';
import { isUniqueViolation } from './accounts.ts';

export function sqlAadhaarLinks(store: SqlStore): AadhaarLinkStore {
  const { db } = store;
  return {
    async save(l) {
      const values = {
        account_id: l.accountId,
        uid_hash: l.uidHash,
        uid_last4: l.uidLast4,
        name: l.name,
        dob: l.dob,
        gender: l.gender,
        photo: l.photo,
        address: l.address ? JSON.stringify(l.address) : null,
        eaadhaar_uri: l.eaadhaarUri,
        linked_at: l.linkedAt,
      };
      try {
        await db
          .insertInto('aadhaar_links')
          .values(values)
          .onConflict((oc) => oc.column('account_id').doUpdateSet({ ...values }))
          .execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', 'aadhaar_linked_elsewhere', 'This Aadhaar number is already linked to another locker. One Aadhaar can be linked to one locker only.');
        throw err;
      }
    },
    async get(accountId) {
      const r = await db.selectFrom('aadhaar_links').selectAll().where('account_id', '=', accountId).executeTakeFirst();
      if (!r) return null;
      return { accountId: r.account_id, uidHash: r.uid_hash, uidLast4: r.uid_last4, name: r.name, dob: r.dob, gender: r.gender as 'M' | 'F' | 'T', photo: r.photo, address: parseAddress(r.address), eaadhaarUri: r.eaadhaar_uri, linkedAt: r.linked_at };
    },
    async remove(accountId) {
      await db.deleteFrom('aadhaar_links').where('account_id', '=', accountId).execute();
    },
  };
}

function parseAddress(raw: string | null): AadhaarAddress | null {
  if (!raw) return null;
  try {
    const a = JSON.parse(raw) as Partial<AadhaarAddress>;
    return { careOf: a.careOf ?? null, line: a.line ?? '', district: a.district ?? '', state: a.state ?? '', pin: a.pin ?? '' };
  } catch {
    return null;
  }
}

export function sqlPushClients(store: SqlStore): PushClientStore {
  const { db } = store;
  const to = (r: { client_id: string; issuer_id: string; secret_sealed: string; created_at: string }) => ({ clientId: r.client_id, issuerId: r.issuer_id, secretSealed: r.secret_sealed, createdAt: r.created_at });
  return {
    async set(c) {
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('issuer_push_clients').where('issuer_id', '=', c.issuerId).execute();
        await tx.insertInto('issuer_push_clients').values({ client_id: c.clientId, issuer_id: c.issuerId, secret_sealed: c.secretSealed, created_at: c.createdAt }).execute();
      });
    },
    async get(clientId) {
      const r = await db.selectFrom('issuer_push_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
      return r ? to(r) : null;
    },
    async forIssuer(issuerId) {
      const r = await db.selectFrom('issuer_push_clients').selectAll().where('issuer_id', '=', issuerId).executeTakeFirst();
      return r ? to(r) : null;
    },
  };
}
