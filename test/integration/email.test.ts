/**
 * Email delivery against a real SMTP server on loopback (smtp-server), parsed with
 * mailparser: what arrives is what was sent (UTF-8 Hindi intact, HTML alternative escaped,
 * attachments), STARTTLS and smtps with certificate checks and password auth, and every
 * failure — bad password, nothing listening, a server that never greets, a refused recipient —
 * is an EmailError with its stable code. Header injection is refused before any byte is sent.
 * Without SMTP_URL the dev sender puts the message in the dev outbox, visible at /dev/outbox.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config/index.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { EmailError, isEmailAddress, type EmailMessage } from '../../src/domain/notifications/email-port.ts';
import type { DevOutbox, OutboxMessage } from '../../src/domain/outbox/ports.ts';
import { devEmailSender, disabledEmailSender, openEmailSender, parseSmtpUrl, smtpEmailSender } from '../../src/integrations/email/index.ts';
import { emailHtml } from '../../src/web/email/layout.ts';
import { html } from '../../src/web/html.ts';
import { describeEachStack } from '../support/app.ts';
import { startSmtpSink, testCertificate, type SmtpSink } from '../support/smtp.ts';

const HINDI = 'आपका दस्तावेज़ साझा किया गया है — कक्षा १० की अंकतालिका।';

function message(overrides: Partial<EmailMessage> = {}): EmailMessage {
  return { to: 'asha@example.in', subject: 'A document was shared with you', text: 'Hello.', ...overrides };
}

async function expectEmailError(p: Promise<unknown>, code: string): Promise<EmailError> {
  const err = await p.then(
    () => {
      throw new Error(`expected ${code}, but the send succeeded`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EmailError);
  expect((err as EmailError).code).toBe(code);
  expect((err as Error).message).not.toMatch(/s3cret|\n\s+at /);
  return err as EmailError;
}

describe('SMTP sender (plain SMTP, no auth)', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink.close();
  });

  it('delivers subject, UTF-8 Hindi text, an escaped HTML alternative, an attachment and our headers', async () => {
    const sender = smtpEmailSender({ url: `smtp://127.0.0.1:${sink.port}`, from: 'OpenLocker <no-reply@locker.test>', timeoutMs: 5000 });
    const pdf = Buffer.from('%PDF-1.7\n% test\n');
    const body = emailHtml({ lang: 'hi', title: 'साझा दस्तावेज़', paragraphs: [HINDI, 'Name: <script>alert(1)</script>'], action: { label: 'Open', url: 'javascript:alert(1)' } });
    const sent = await sender.send(message({ subject: `साझा: ${HINDI.slice(0, 20)}`, text: HINDI, html: body, attachments: [{ filename: 'अंकतालिका.pdf', content: pdf, contentType: 'application/pdf' }] }));
    expect(sent.via).toBe('smtp');
    await sink.waitFor(1);
    const got = sink.received.at(-1)!;
    expect(got.mail.subject).toBe(`साझा: ${HINDI.slice(0, 20)}`);
    expect(got.mail.text?.trim()).toBe(HINDI);
    expect(got.mail.html).toContain(HINDI);
    expect(got.mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(got.mail.html).not.toContain('<script>');
    expect(got.mail.html).toContain('href="#"');
    expect(got.mail.attachments).toHaveLength(1);
    expect(got.mail.attachments[0]!.filename).toBe('अंकतालिका.pdf');
    expect(got.mail.attachments[0]!.content.equals(pdf)).toBe(true);
    expect(got.mail.from?.value).toEqual([{ name: 'OpenLocker', address: 'no-reply@locker.test' }]);
    expect(got.envelope).toEqual({ from: 'no-reply@locker.test', to: ['asha@example.in'] });
    expect(got.mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(got.mail.messageId).toBe(sent.messageId);
    await sender.close();
  });

  it('refuses CR/LF in the subject or recipient: nothing reaches the server', async () => {
    const sender = smtpEmailSender({ url: `smtp://127.0.0.1:${sink.port}`, from: 'no-reply@locker.test', timeoutMs: 5000 });
    const before = sink.received.length;
    const attempts: EmailMessage[] = [
      message({ subject: 'Hi\r\nBcc: victim@example.com' }),
      message({ subject: 'Hi\nX-Injected: 1' }),
      message({ subject: 'Hi\u2028there' }),
      message({ to: 'asha@example.in\r\nBcc: victim@example.com' }),
      message({ to: 'asha@example.in, victim@example.com' }),
      message({ to: 'Asha <asha@example.in>' }),
      message({ attachments: [{ filename: 'a\r\nContent-Type: text/html', content: Buffer.from('x'), contentType: 'text/plain' }] }),
      message({ attachments: [{ filename: '../../etc/passwd', content: Buffer.from('x'), contentType: 'text/plain' }] }),
      message({ html: { value: '<b>not built with html``</b>' } }),
      message({ subject: '' }),
    ];
    for (const m of attempts) {
      const err = await sender.send(m).catch((e: unknown) => e);
      expect(err, JSON.stringify(m.subject)).toMatchObject({ code: expect.stringMatching(/^(invalid_email|email_failed)$/) });
    }
    // Give a stray delivery a chance to arrive before asserting none did.
    await new Promise((r) => setTimeout(r, 200));
    expect(sink.received.length).toBe(before);
    await sender.close();
  });

  it('a refused recipient is email_rejected (permanent)', async () => {
    const picky = await startSmtpSink({ rejectRecipient: 'nobody@example.in' });
    try {
      const sender = smtpEmailSender({ url: `smtp://127.0.0.1:${picky.port}`, from: 'no-reply@locker.test', timeoutMs: 5000 });
      const err = await expectEmailError(sender.send(message({ to: 'nobody@example.in' })), 'email_rejected');
      expect(err.details).toMatchObject({ permanent: true });
      expect(err.kind).toBe('upstream');
      await sender.close();
    } finally {
      await picky.close();
    }
  });
});

describe('SMTP sender (TLS and authentication)', () => {
  const { ca } = testCertificate();

  it('upgrades with STARTTLS when offered, verifies the certificate, and logs in with the URL credentials', async () => {
    const sink = await startSmtpSink({ tls: 'starttls', auth: { user: 'locker', pass: 's3cret p@ss' } });
    try {
      const sender = smtpEmailSender({ url: `smtp://locker:${encodeURIComponent('s3cret p@ss')}@127.0.0.1:${sink.port}`, from: 'no-reply@locker.test', timeoutMs: 5000, tls: { ca } });
      await sender.send(message({ text: HINDI }));
      await sink.waitFor(1);
      expect(sink.received[0]!.secure).toBe(true);
      expect(sink.received[0]!.user).toBe('locker');
      expect(sink.received[0]!.mail.text?.trim()).toBe(HINDI);
      await sender.close();
    } finally {
      await sink.close();
    }
  });

  it('smtps:// speaks TLS from the first byte', async () => {
    const sink = await startSmtpSink({ tls: 'implicit', auth: { user: 'locker', pass: 'pw' } });
    try {
      const sender = smtpEmailSender({ url: `smtps://locker:pw@127.0.0.1:${sink.port}`, from: 'no-reply@locker.test', timeoutMs: 5000, tls: { ca } });
      await sender.send(message());
      await sink.waitFor(1);
      expect(sink.received[0]!.secure).toBe(true);
      await sender.close();
    } finally {
      await sink.close();
    }
  });

  it('an untrusted certificate is email_tls_failed, not a silent downgrade', async () => {
    const sink = await startSmtpSink({ tls: 'starttls', auth: { user: 'locker', pass: 'pw' } });
    try {
      const sender = smtpEmailSender({ url: `smtp://locker:pw@127.0.0.1:${sink.port}`, from: 'no-reply@locker.test', timeoutMs: 5000 });
      await expectEmailError(sender.send(message()), 'email_tls_failed');
      expect(sink.received).toHaveLength(0);
      await sender.close();
    } finally {
      await sink.close();
    }
  });

  it('a wrong password is email_auth_failed, and the password is not in the message', async () => {
    const sink = await startSmtpSink({ tls: 'starttls', auth: { user: 'locker', pass: 'right' } });
    try {
      const sender = smtpEmailSender({ url: `smtp://locker:s3cret@127.0.0.1:${sink.port}`, from: 'no-reply@locker.test', timeoutMs: 5000, tls: { ca } });
      const err = await expectEmailError(sender.send(message()), 'email_auth_failed');
      expect(err.message).toContain(`127.0.0.1:${sink.port}`);
      expect(err.message).toContain('SMTP_URL');
      expect(sink.received).toHaveLength(0);
      await sender.close();
    } finally {
      await sink.close();
    }
  });
});

describe('SMTP sender failures', () => {
  it('connection refused is email_unavailable (503 family)', async () => {
    const port = await freePort();
    const sender = smtpEmailSender({ url: `smtp://user:s3cret@127.0.0.1:${port}`, from: 'no-reply@locker.test', timeoutMs: 5000 });
    const err = await expectEmailError(sender.send(message()), 'email_unavailable');
    expect(err.kind).toBe('unavailable');
    expect(err.message).toBe(`Cannot reach the mail server at 127.0.0.1:${port}: the connection was refused.`);
  });

  it('a server that accepts the connection but never greets is email_timeout, within the timeout', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const sender = smtpEmailSender({ url: `smtp://127.0.0.1:${port}`, from: 'no-reply@locker.test', timeoutMs: 400 });
      const started = Date.now();
      const err = await expectEmailError(sender.send(message()), 'email_timeout');
      expect(err.kind).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      silent.close();
    }
  });

  it('parses SMTP_URL: ports by scheme, credentials decoded, require_tls', () => {
    expect(parseSmtpUrl('smtp://mail.example.in')).toEqual({ host: 'mail.example.in', port: 587, secure: false, requireTls: false });
    expect(parseSmtpUrl('smtps://u%40x:p%3Aw@mail.example.in')).toEqual({ host: 'mail.example.in', port: 465, secure: true, requireTls: false, user: 'u@x', pass: 'p:w' });
    expect(parseSmtpUrl('smtp://mail.example.in:2525?require_tls=true')).toMatchObject({ port: 2525, requireTls: true });
  });
});

describe('choosing the sender', () => {
  const outbox: DevOutbox = { record: async () => ({}) as OutboxMessage, list: async () => [] };
  const clock = new ManualClock();
  it('SMTP_URL set: SMTP; unset outside production: dev outbox; unset in production: refuses loudly', async () => {
    expect(openEmailSender(testConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' }), { outbox, clock }).kind).toBe('smtp');
    expect(openEmailSender(testConfig(), { outbox, clock }).kind).toBe('dev-outbox');
    const prod = openEmailSender({ ...testConfig(), nodeEnv: 'production' }, { outbox, clock });
    expect(prod.kind).toBe('disabled');
    const err = await expectEmailError(prod.send(message()), 'email_not_configured');
    expect(err.kind).toBe('unavailable');
    await expectEmailError(disabledEmailSender().send(message()), 'email_not_configured');
  });

  it('address check accepts ordinary addresses and refuses display names, lists and control characters', () => {
    for (const ok of ['a@b.in', 'first.last+tag@mail.gov.in', "o'brien@example.com"]) expect(isEmailAddress(ok), ok).toBe(true);
    for (const bad of ['a', 'a@b', 'a@@b.in', '.a@b.in', 'a.@b.in', 'a..b@c.in', 'A <a@b.in>', 'a@b.in,c@d.in', 'a@b.in\n', 'a b@c.in', `${'x'.repeat(65)}@b.in`]) {
      expect(isEmailAddress(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});

describeEachStack('dev email sender', (get) => {
  it('records the message in the dev outbox, shown at /dev/outbox, and logs no body', async () => {
    const lines: Array<{ fields: Record<string, unknown>; msg: string }> = [];
    const t = get();
    const sender = devEmailSender({ outbox: t.deps.outbox, clock: t.deps.clock, log: (fields, msg) => lines.push({ fields, msg }) });
    const to = `citizen-${Date.now()}@example.in`;
    const sent = await sender.send(message({ to, subject: 'आपका OTP', text: `${HINDI} OTP 482913`, html: html`<p>${HINDI}</p>`, attachments: [{ filename: 'a.pdf', content: Buffer.from('%PDF'), contentType: 'application/pdf' }] }));
    expect(sent.via).toBe('dev-outbox');
    const [stored] = await t.deps.outbox.list({ to, channel: 'email' });
    expect(stored).toMatchObject({ channel: 'email', to, subject: 'आपका OTP' });
    expect(stored!.body).toContain(`${HINDI} OTP 482913`);
    expect(stored!.body).toContain('a.pdf (application/pdf, 4 bytes)');
    expect(JSON.stringify(lines)).not.toContain('482913');
    expect(lines[0]!.fields).toMatchObject({ to, subject: 'आपका OTP' });

    const page = await t.app.inject({ method: 'GET', url: `/dev/outbox.json?to=${encodeURIComponent(to)}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('482913');
    // The app's own deps expose the same sender.
    expect(t.deps.email.kind).toBe('dev-outbox');
  });

  it('refuses the same unsafe messages as SMTP does', async () => {
    const t = get();
    await expect(t.deps.email.send(message({ subject: 'x\r\nBcc: y@z.in' }))).rejects.toMatchObject({ code: 'invalid_email', kind: 'invalid' });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
