/**
 * The state of a multi-page OTP flow (sign-up, sign-in, forgot PIN, change mobile, delete)
 * lives in one signed, HttpOnly cookie: which flow, its challenge id(s), the masked number
 * to show, where to go afterwards, and whether the code was verified. The server keeps the
 * truth (the challenge rows); the cookie only binds the steps to this browser. Signed so it
 * cannot be forged, short-lived like the code itself.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export const FLOW_COOKIE = 'ol_flow';

export interface FlowState {
  /** Flow name: signup, login, reset_pin, change_mobile, delete_account. */
  p: string;
  /** Challenge id. */
  c: string;
  /** Second challenge id (the new number, when changing it). */
  c2?: string;
  /** Masked number(s) to show. */
  m: string;
  m2?: string;
  /** Same-site path to continue to. */
  n?: string;
  /** 1 once the code was verified. */
  v?: 1;
}

export function readFlow(req: FastifyRequest, purpose: string): FlowState | null {
  const raw = req.cookies?.[FLOW_COOKIE];
  if (!raw) return null;
  const unsigned = req.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return null;
  try {
    const f = JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')) as FlowState;
    return f && f.p === purpose && typeof f.c === 'string' ? f : null;
  } catch {
    return null;
  }
}

export function writeFlow(reply: FastifyReply, f: FlowState, opts: { secure: boolean; maxAgeSeconds: number }): void {
  reply.setCookie(FLOW_COOKIE, Buffer.from(JSON.stringify(f)).toString('base64url'), { path: '/', httpOnly: true, sameSite: 'lax', secure: opts.secure, signed: true, maxAge: opts.maxAgeSeconds });
}

export function clearFlow(reply: FastifyReply, opts: { secure: boolean }): void {
  reply.clearCookie(FLOW_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: opts.secure });
}
