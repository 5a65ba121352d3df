/** PartnerRepository on the SQL store; status changes are single guarded UPDATEs. */
import type { Selectable } from 'kysely';
import type { Partner, PartnerStatus, PartnerType, PkceCompat } from '../../../domain/consent/model.ts';
import type { PartnerRepository } from '../../../domain/consent/ports.ts';
import { AppError } from '../../../domain/errors.ts';
import type { SqlStore } from '../database.ts';
import type { ConsentTables } from '../tables/consent.ts';

type Row = Selectable<ConsentTables['partners']>;

export function toPartner(r: Row): Partner {
  return {
    id: r.id,
    name: r.name,
    type: r.type as PartnerType,
    status: r.status as PartnerStatus,
    statusReason: r.status_reason,
    contactName: r.contact_name,
    contactEmail: r.contact_email,
    contactPhone: r.contact_phone,
    redirectUris: JSON.parse(r.redirect_uris) as string[],
    scopes: JSON.parse(r.scopes) as string[],
    doctypes: JSON.parse(r.doctypes) as string[],
    purpose: r.purpose,
    secretHash: r.secret_hash,
    secretSealed: r.secret_sealed,
    secretHint: r.secret_hint,
    secretCreatedAt: r.secret_created_at,
    pkceCompat: r.pkce_compat as PkceCompat,
    source: r.source as Partner['source'],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    approvedAt: r.approved_at,
  };
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || /UNIQUE constraint failed/i.test(e?.message ?? '');
}

export function sqlPartners({ db }: SqlStore): PartnerRepository {
  return {
    async create(p) {
      try {
        await db
          .insertInto('partners')
          .values({
            id: p.id,
            name: p.name,
            type: p.type,
            status: p.status,
            status_reason: p.statusReason,
            contact_name: p.contactName,
            contact_email: p.contactEmail,
            contact_phone: p.contactPhone,
            redirect_uris: JSON.stringify(p.redirectUris),
            scopes: JSON.stringify(p.scopes),
            doctypes: JSON.stringify(p.doctypes),
            purpose: p.purpose,
            secret_hash: p.secretHash,
            secret_sealed: p.secretSealed,
            secret_hint: p.secretHint,
            secret_created_at: p.secretCreatedAt,
            pkce_compat: p.pkceCompat,
            source: p.source,
            created_at: p.createdAt,
            updated_at: p.updatedAt,
            approved_at: p.approvedAt,
          })
          .execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', 'partner_exists', 'A partner with this client id already exists.');
        throw err;
      }
    },
    async get(id) {
      const r = await db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toPartner(r) : null;
    },
    async list(q = {}) {
      let base = db.selectFrom('partners');
      if (q.status) base = base.where('status', '=', q.status);
      const [items, total] = await Promise.all([
        base.selectAll().orderBy('created_at', 'desc').orderBy('id').offset(q.offset ?? 0).limit(q.limit ?? 50).execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: items.map(toPartner), total: Number(total.n) };
    },
    async transition(id, from, to, reason, now) {
      const r = await db
        .updateTable('partners')
        .set({ status: to, status_reason: reason, updated_at: now.toISOString(), ...(to === 'approved' ? { approved_at: now.toISOString() } : {}) })
        .where('id', '=', id)
        .where('status', 'in', from)
        .returningAll()
        .executeTakeFirst();
      return r ? toPartner(r) : null;
    },
    async setSecret(id, s, now) {
      await db
        .updateTable('partners')
        .set({ secret_hash: s.hash, secret_sealed: s.sealed, secret_hint: s.hint, secret_created_at: now.toISOString(), updated_at: now.toISOString() })
        .where('id', '=', id)
        .execute();
    },
  };
}
