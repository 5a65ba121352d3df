import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../domain/clock.ts';
import { BreakerRegistry, CircuitBreaker } from './breaker.ts';

describe('circuit breaker', () => {
  const make = () => {
    const clock = new ManualClock(new Date('2025-01-01T00:00:00Z'));
    return { clock, b: new CircuitBreaker({ failureThreshold: 3, cooldownMs: 30_000 }, clock) };
  };

  it('opens after N consecutive failures, and a success in between resets the count', () => {
    const { b } = make();
    b.failure();
    b.failure();
    b.success();
    b.failure();
    b.failure();
    expect(b.state).toBe('closed');
    expect(b.permit().ok).toBe(true);
    b.failure();
    expect(b.state).toBe('open');
    const p = b.permit();
    expect(p.ok).toBe(false);
    expect(!p.ok && p.retryAfterMs).toBe(30_000);
  });

  it('after the cooldown lets exactly one probe through; its success closes the circuit', () => {
    const { b, clock } = make();
    for (let i = 0; i < 3; i++) b.failure();
    clock.advance(29_999);
    expect(b.permit().ok).toBe(false);
    clock.advance(1);
    expect(b.permit()).toEqual({ ok: true, probe: true });
    expect(b.state).toBe('half-open');
    expect(b.permit().ok).toBe(false); // a second caller while the probe is out
    b.success();
    expect(b.state).toBe('closed');
    expect(b.permit()).toEqual({ ok: true, probe: false });
  });

  it('a failed probe opens the circuit again for a full cooldown', () => {
    const { b, clock } = make();
    for (let i = 0; i < 3; i++) b.failure();
    clock.advance(30_000);
    expect(b.permit().ok).toBe(true);
    b.failure();
    expect(b.state).toBe('open');
    clock.advance(29_000);
    expect(b.permit().ok).toBe(false);
    clock.advance(1_000);
    expect(b.permit().ok).toBe(true);
  });

  it('the registry keeps one breaker per issuer', () => {
    const clock = new ManualClock(new Date());
    const r = new BreakerRegistry({ failureThreshold: 1, cooldownMs: 1000 }, clock);
    r.for('in.gov.cbse').failure();
    expect(r.for('in.gov.cbse').state).toBe('open');
    expect(r.for('in.gov.pan').state).toBe('closed');
    expect(r.states()).toEqual({ 'in.gov.cbse': 'open', 'in.gov.pan': 'closed' });
  });
});
