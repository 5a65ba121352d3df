/**
 * SMS to citizens' mobiles: OTPs, lockout notices, and (later modules) notices of access
 * to their documents. Use it through `deps.sms`.
 *
 * Contract: `send` resolves only once the provider has accepted the message; it throws
 * AppError `unavailable` / code `sms_unavailable` when the message could not be handed
 * over (after the provider's own retries), never resolving as if it had been sent.
 * Messages name the service ("OpenLocker: …") and never contain a PIN or a password.
 * The number is E.164 (`+91XXXXXXXXXX`).
 */
export interface SmsSender {
  /** Which provider this is (`console`, `http`), for logs and `/readyz`-style reports. */
  readonly provider: string;
  send(to: string, message: string): Promise<void>;
}
