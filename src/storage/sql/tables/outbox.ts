export interface OutboxTables {
  dev_outbox: {
    id: string;
    channel: 'sms' | 'email';
    recipient: string;
    subject: string | null;
    body: string;
    created_at: string;
  };
}
