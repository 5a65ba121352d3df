/**
 * The one error type use cases throw. `code` is the stable wire code clients branch on
 * (snake_case, DigiLocker's where it has one); `message` is a sentence a person can act on;
 * `kind` says what went wrong in protocol-neutral terms, and `http/plugins/errors.ts` maps
 * kinds to HTTP statuses in one place.
 */
export type ErrorKind =
  | 'invalid' // the request is malformed or breaks a rule (400)
  | 'unauthenticated' // who you are is unknown or expired (401)
  | 'forbidden' // known, but not allowed (403)
  | 'not_found' // absent, or not yours: the two answer the same (404)
  | 'conflict' // the state does not allow it (409)
  | 'gone' // it existed and has ended: expired, revoked, used up (410)
  | 'too_large' // body or file over a limit (413)
  | 'unsupported' // content type not accepted (415)
  | 'rate_limited' // too many attempts; retry later (429)
  | 'unavailable' // a dependency is down (503)
  | 'upstream' // a dependency answered badly (502)
  | 'timeout' // a dependency did not answer in time (504)
  | 'internal'; // our fault (500)

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    /** Extra machine-readable fields returned beside the error (e.g. tries_left, retry_after). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what = 'The item', code = 'not_found') => new AppError('not_found', code, `${what} was not found.`);
export const invalid = (code: string, message: string, details?: Record<string, unknown>) => new AppError('invalid', code, message, details);
