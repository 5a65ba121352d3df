export interface FoundationTables {
  /** Facts about this installation (install id, created at). Key/value, small. */
  instance_meta: {
    key: string;
    value: string;
    updated_at: string;
  };
  /**
   * Fixed-window counters for rate limits and attempt caps when no Redis is configured.
   * `window_start` and `expires_at` are epoch milliseconds.
   */
  counters: {
    key: string;
    window_start: number;
    count: number;
    expires_at: number;
  };
}
