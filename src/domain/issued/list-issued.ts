/**
 * listIssued: a citizen's Issued section — documents (newest first) and pulls still
 * pending at their issuer — with issuer names resolved in one registry read.
 */
import type { IssuedDeps } from './deps.ts';

export interface IssuedItem {
  uri: string | null;
  name: string;
  doctype: string;
  issuerId: string;
  issuer: string;
  /** YYYY-MM-DD issued (documents) or ISO time asked (pending). */
  date: string;
  status: 'issued' | 'pending';
  /** Pending pulls: their id. */
  pullId?: string;
  source?: string;
}

export async function listIssued(deps: Pick<IssuedDeps, 'docs' | 'issuers'>, accountId: string, options: { limit?: number; doctypes?: string[]; includePending?: boolean } = {}): Promise<IssuedItem[]> {
  const [docs, pending] = await Promise.all([
    deps.docs.list(accountId, { limit: options.limit ?? 1000, ...(options.doctypes ? { doctypes: options.doctypes } : {}) }),
    options.includePending === false ? Promise.resolve([]) : deps.docs.listPending(accountId),
  ]);
  const ids = [...new Set([...docs.map((d) => d.issuerId), ...pending.map((p) => p.issuerId)])];
  const names = new Map((ids.length ? await deps.issuers.getMany(ids) : []).map((i) => [i.id, i.name]));
  return [
    ...pending.map((p) => ({ uri: p.uri, name: p.name, doctype: p.doctype, issuerId: p.issuerId, issuer: names.get(p.issuerId) ?? p.issuerId, date: p.createdAt.slice(0, 10), status: 'pending' as const, pullId: p.id })),
    ...docs.map((d) => ({ uri: d.uri, name: d.name, doctype: d.doctype, issuerId: d.issuerId, issuer: names.get(d.issuerId) ?? d.issuerId, date: d.issuedOn ?? d.createdAt.slice(0, 10), status: 'issued' as const, source: d.source })),
  ];
}
