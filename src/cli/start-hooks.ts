/**
 * What `openlocker serve` does around the server: later modules hook the sandbox issuers
 * and the demo data in here (only when SANDBOX is on and never in production).
 */
import type { StartHooks } from '../main.ts';

export function startHooks(_opts: { dev: boolean }): StartHooks {
  return {};
}
