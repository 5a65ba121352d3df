/**
 * Simulated trouble, for tests and demos: make one sandbox issuer answer HTTP 500, answer
 * slowly, or drop the connection — for the next N calls or until cleared — and count the
 * Issuer API calls each issuer received (to see retries happen). Per-record trouble
 * (pending, slow, 500) is in the seed data instead (seed/records.ts).
 */
export type FaultMode = 'error' | 'slow' | 'reset';

export interface Fault {
  mode: FaultMode;
  /** How many calls it affects; undefined = until `clear`. */
  remaining?: number;
  /** For `slow`. */
  delayMs?: number;
  /** For `error` (default 500). */
  status?: number;
}

export class SandboxControl {
  private readonly faults = new Map<string, Fault>();
  private readonly counts = new Map<string, number>();

  fault(issuerId: string, fault: Fault): void {
    this.faults.set(issuerId, { ...fault });
  }

  clear(issuerId?: string): void {
    if (issuerId) this.faults.delete(issuerId);
    else this.faults.clear();
  }

  /** Issuer API calls received by `issuerId` (every attempt, including failed ones). */
  calls(issuerId: string): number {
    return this.counts.get(issuerId) ?? 0;
  }

  resetCounts(): void {
    this.counts.clear();
  }

  /** Counts a call and returns the fault to apply to it, if any. */
  take(issuerId: string): Fault | undefined {
    this.counts.set(issuerId, this.calls(issuerId) + 1);
    const f = this.faults.get(issuerId);
    if (!f) return undefined;
    if (f.remaining !== undefined) {
      f.remaining -= 1;
      if (f.remaining <= 0) this.faults.delete(issuerId);
    }
    return f;
  }
}
