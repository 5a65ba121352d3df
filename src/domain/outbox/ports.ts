/**
 * The development outbox: in development (never in production) every SMS and email the
 * locker sends is also kept here and shown at /dev/outbox, so people trying the locker
 * and browser tests can read OTPs and links without a phone or a mailbox.
 */
export type OutboxChannel = 'sms' | 'email';

export interface OutboxMessage {
  id: string;
  channel: OutboxChannel;
  /** E.164 mobile number or email address. */
  to: string;
  subject: string | null;
  body: string;
  createdAt: string;
}

export interface DevOutbox {
  /** Stores a copy of a sent message. */
  record(message: Omit<OutboxMessage, 'id' | 'createdAt'>, at: Date): Promise<OutboxMessage>;
  /** Newest first; optionally only messages to one recipient or on one channel. */
  list(filter?: { to?: string; channel?: OutboxChannel; limit?: number }): Promise<OutboxMessage[]>;
}
