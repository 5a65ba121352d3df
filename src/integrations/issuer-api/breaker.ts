/**
 * A circuit breaker per issuer. After `failureThreshold` consecutive failed attempts
 * (timeouts, connection errors, 5xx) the circuit opens: calls fail at once, so citizens get
 * an answer in milliseconds instead of waiting out timeouts against an issuer that is down,
 * and the issuer is not hammered while it recovers. After `cooldownMs` one probe call is let
 * through (half-open); its success closes the circuit, its failure opens it again.
 *
 * State is per process (`sharedBreakers`): each locker instance learns an issuer is down
 * from its own calls. That is acceptable — the cost of not sharing is at most
 * `failureThreshold` slow calls per instance per cooldown — and keeps a dependency on the
 * shared store off the hot path.
 */
import type { Clock } from '../../domain/clock.ts';

export interface BreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export type Permit = { ok: true; probe: boolean } | { ok: false; retryAfterMs: number };

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private current: BreakerState = 'closed';
  private probeInFlight = false;

  constructor(
    private readonly options: BreakerOptions,
    private readonly clock: Clock,
  ) {}

  get state(): BreakerState {
    return this.current;
  }

  /** Asks to make one attempt. In half-open state exactly one caller (the probe) gets through. */
  permit(): Permit {
    if (this.current === 'closed') return { ok: true, probe: false };
    const now = this.clock.now().getTime();
    if (this.current === 'open') {
      const wait = this.openedAt + this.options.cooldownMs - now;
      if (wait > 0) return { ok: false, retryAfterMs: wait };
      this.current = 'half-open';
      this.probeInFlight = false;
    }
    if (this.probeInFlight) return { ok: false, retryAfterMs: this.options.cooldownMs };
    this.probeInFlight = true;
    return { ok: true, probe: true };
  }

  /** The issuer answered (whatever it said): it is up. */
  success(): void {
    this.failures = 0;
    this.probeInFlight = false;
    this.current = 'closed';
  }

  /** The attempt timed out, could not connect, or got a 5xx. */
  failure(): void {
    this.probeInFlight = false;
    this.failures += 1;
    if (this.current === 'half-open' || this.failures >= this.options.failureThreshold) {
      this.current = 'open';
      this.openedAt = this.clock.now().getTime();
    }
  }
}

export class BreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(
    private readonly options: BreakerOptions,
    private readonly clock: Clock,
  ) {}

  for(issuerId: string): CircuitBreaker {
    let b = this.breakers.get(issuerId);
    if (!b) {
      b = new CircuitBreaker(this.options, this.clock);
      this.breakers.set(issuerId, b);
    }
    return b;
  }

  /** Current states, for health pages and tests. */
  states(): Record<string, BreakerState> {
    return Object.fromEntries([...this.breakers].map(([id, b]) => [id, b.state]));
  }
}
