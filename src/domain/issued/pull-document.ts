/**
 * pullDocument: a citizen asks an issuer for one of their documents (Pull URI). The checks,
 * in order:
 *   1. the issuer and document type are registered, active and connected (DigiLocker's codes);
 *   2. every search parameter is present and matches its pattern / value list — all problems
 *      reported together as field errors, before the issuer is called;
 *   3. the citizen's profile facts go only where the document type opted in (the client
 *      filters by `profileFields`): Aadhaar-verified when Aadhaar is linked;
 *   4. Status 9 (pending) is kept and retried by the sweeper; Status 1 is checked against the
 *      holder (name, date of birth) before the URI — never the file — is saved;
 *   5. the pull is written to the citizen's activity log.
 */
import crypto from 'node:crypto';
import type { Doctype } from '../issuers/model.ts';
import { issuerEndpoint } from '../issuers/issuer-endpoint.ts';
import type { IssuedPerson } from '../../integrations/issuer-api/wire.ts';
import type { IssuedDeps, Meta } from './deps.ts';
import { issuedErrors } from './errors.ts';
import { citizenFacts, isoFromDmy, sameHolderName, type CitizenFacts } from './profile.ts';
import type { IssuedSource } from './ports.ts';

export const FIRST_RETRY_MS = 30_000;

export interface PullInput {
  accountId: string;
  issuerId: string;
  doctype: string;
  params: Record<string, unknown>;
  meta: Meta;
  /** Aadhaar linking passes the number it just verified (UID is never stored). */
  uid?: string;
  source?: IssuedSource;
}

export type PullOutcome =
  | { status: 'issued'; uri: string; name: string; created: boolean }
  | { status: 'pending'; uri: string | null; name: string; pullId: string };

/** Why a search parameter was refused (`field_codes` of an `invalid_parameter` error): pages word it in their language. */
export type FieldProblem = 'required' | 'too_long' | 'not_in_list' | 'pattern';

/** Checks the typed values against the document type's parameters; returns them trimmed. */
export function validateParams(doctype: Doctype, params: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const problems: Record<string, string> = {};
  const codes: Record<string, FieldProblem> = {};
  for (const p of doctype.parameters) {
    const raw = params[p.name];
    const v = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : '';
    if (v === '') {
      problems[p.name] = `Enter ${p.label}.`;
      codes[p.name] = 'required';
      continue;
    }
    if (v.length > 100) {
      problems[p.name] = `${p.label} is too long.`;
      codes[p.name] = 'too_long';
      continue;
    }
    if (p.values?.length && !p.values.some((x) => x.value === v)) {
      problems[p.name] = `Choose ${p.label} from the list.`;
      codes[p.name] = 'not_in_list';
      continue;
    }
    if (p.pattern && !matchesPattern(p.pattern, v)) {
      problems[p.name] = `${p.label} is not in the expected form${p.example ? ` (for example ${p.example})` : ''}.`;
      codes[p.name] = 'pattern';
      continue;
    }
    out[p.name] = v;
  }
  if (Object.keys(problems).length) throw issuedErrors.invalidParameters(problems, codes);
  return out;
}

/** HTML `pattern` semantics: the whole value must match. A pattern that does not compile checks nothing. */
function matchesPattern(pattern: string, value: string): boolean {
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return true;
  }
  return re.test(value);
}

/** The holder check: the issuer's IssuedTo against the citizen's profile. */
export function checkHolder(facts: CitizenFacts, issuedTo: IssuedPerson[]): void {
  const person = issuedTo[0];
  if (!person?.name) return;
  if (!sameHolderName(person.name, facts.name)) throw issuedErrors.nameMismatch(facts.name);
  const dob = isoFromDmy(person.dob);
  if (dob && dob !== facts.dob) throw issuedErrors.dobMismatch();
}

export async function pullDocument(deps: Pick<IssuedDeps, 'issuers' | 'secrets' | 'client' | 'docs' | 'accounts' | 'aadhaar' | 'activity' | 'clock'>, input: PullInput): Promise<PullOutcome> {
  const endpoint = await issuerEndpoint(deps, input.issuerId, input.doctype);
  const doctype = (await deps.issuers.doctype(input.issuerId, input.doctype))!;
  const params = validateParams(doctype, input.params);
  const facts = await citizenFacts(deps, input.accountId);
  const result = await deps.client.pullUri(endpoint, {
    doctype,
    digilockerId: input.accountId,
    params,
    profile: { ...facts.profile, ...(input.uid ? { uid: input.uid } : {}) },
  });
  const actor = { kind: 'citizen' as const, id: input.accountId, name: facts.name };
  const now = deps.clock.now();
  if (result.status === 'pending') {
    const pullId = crypto.randomUUID();
    await deps.docs.addPending({
      id: pullId,
      accountId: input.accountId,
      issuerId: endpoint.issuerId,
      doctype: doctype.code,
      name: doctype.name,
      params,
      uri: result.uri,
      attempts: 0,
      nextRetryAt: now.getTime() + FIRST_RETRY_MS,
      lastError: null,
      createdAt: now.toISOString(),
    });
    await deps.activity.append({
      accountId: input.accountId,
      type: 'issued_pull_pending',
      actor,
      ip: input.meta.ip,
      userAgent: input.meta.userAgent,
      subject: { kind: 'issued_pull', id: pullId, name: doctype.name },
      details: { issuer_id: endpoint.issuerId, doctype: doctype.code },
    });
    return { status: 'pending', uri: result.uri, name: doctype.name, pullId };
  }
  checkHolder(facts, result.issuedTo);
  const { created } = await deps.docs.save(
    { accountId: input.accountId, uri: result.uri, issuerId: endpoint.issuerId, doctype: doctype.code, name: doctype.name, issuedOn: now.toISOString().slice(0, 10), source: input.source ?? 'pull' },
    now,
  );
  await deps.activity.append({
    accountId: input.accountId,
    type: 'issued_pulled',
    actor,
    ip: input.meta.ip,
    userAgent: input.meta.userAgent,
    subject: { kind: 'issued_document', id: result.uri, name: doctype.name },
    details: { issuer_id: endpoint.issuerId, doctype: doctype.code, new: created },
  });
  return { status: 'issued', uri: result.uri, name: doctype.name, created };
}
