/**
 * SMS_PROVIDER=http: POST `{"to": "+91…", "message": "…"}` as JSON to SMS_HTTP_URL, with
 * `Authorization: Bearer SMS_HTTP_TOKEN` when set. Each attempt has a timeout; network
 * errors, timeouts, 429 and 5xx are retried with a growing pause; any other answer is
 * final. A message the gateway did not accept is an error (`sms_unavailable`), never a
 * silent success.
 */
import { AppError } from '../../domain/errors.ts';
import type { SmsSender } from '../../domain/sms/ports.ts';

export interface HttpSmsOptions {
  url: string;
  token?: string | undefined;
  timeoutMs: number;
  retries: number;
  /** Pause before retry n (1-based); default 250 ms × 2^(n-1). */
  backoffMs?: (attempt: number) => number;
  /** Told about each failed attempt (for the log). */
  onFailure?: (info: { attempt: number; status?: number; error?: string }) => void;
}

export function unavailable(): AppError {
  return new AppError('unavailable', 'sms_unavailable', 'We could not send the SMS just now. Please try again in a few minutes.');
}

export function httpSmsSender(opts: HttpSmsOptions): SmsSender {
  const backoff = opts.backoffMs ?? ((n: number) => 250 * 2 ** (n - 1));
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, */*' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  return {
    provider: 'http',
    async send(to, message) {
      const body = JSON.stringify({ to, message });
      for (let attempt = 1; attempt <= opts.retries + 1; attempt++) {
        if (attempt > 1) await new Promise((r) => setTimeout(r, backoff(attempt - 1)));
        let retryable: boolean;
        try {
          const res = await fetch(opts.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(opts.timeoutMs), redirect: 'error' });
          // Drain the body so the connection can be reused.
          await res.arrayBuffer().catch(() => undefined);
          if (res.ok) return;
          retryable = res.status === 429 || res.status >= 500;
          opts.onFailure?.({ attempt, status: res.status });
        } catch (err) {
          retryable = true;
          const e = err as Error & { cause?: { code?: string } };
          opts.onFailure?.({ attempt, error: e.name === 'TimeoutError' ? `timed out after ${opts.timeoutMs} ms` : (e.cause?.code ?? e.message) });
        }
        if (!retryable) break;
      }
      throw unavailable();
    },
  };
}
