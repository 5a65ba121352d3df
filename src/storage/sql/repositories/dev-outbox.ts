import crypto from 'node:crypto';
import type { DevOutbox, OutboxMessage } from '../../../domain/outbox/ports.ts';
import type { SqlStore } from '../database.ts';

/**
 * Ids sort in the order messages were recorded (real time + a counter, then random), so
 * "newest first" stays right when messages share a timestamp (tests with a frozen clock).
 */
let seq = 0;
function orderedId(): string {
  seq = (seq + 1) % 0x10000;
  return `${Date.now().toString(16).padStart(12, '0')}${seq.toString(16).padStart(4, '0')}-${crypto.randomBytes(8).toString('hex')}`;
}

export function sqlDevOutbox({ db }: SqlStore): DevOutbox {
  return {
    async record(m, at) {
      const row = { id: orderedId(), channel: m.channel, recipient: m.to, subject: m.subject, body: m.body, created_at: at.toISOString() };
      await db.insertInto('dev_outbox').values(row).execute();
      return { id: row.id, channel: row.channel, to: row.recipient, subject: row.subject, body: row.body, createdAt: row.created_at };
    },
    async list(filter = {}) {
      let q = db.selectFrom('dev_outbox').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(Math.min(filter.limit ?? 100, 500));
      if (filter.to) q = q.where('recipient', '=', filter.to);
      if (filter.channel) q = q.where('channel', '=', filter.channel);
      const rows = await q.execute();
      return rows.map((r): OutboxMessage => ({ id: r.id, channel: r.channel, to: r.recipient, subject: r.subject, body: r.body, createdAt: r.created_at }));
    },
  };
}
