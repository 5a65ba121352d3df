/**
 * /dev/outbox: every SMS and email the locker sent, newest first, so OTPs and links can be
 * read without a phone or a mailbox. Registered only when NODE_ENV is not production.
 * `/dev/outbox.json?to=…` gives the same for scripts and browser tests.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { DevOutbox } from '../../domain/outbox/ports.ts';
import { html } from '../html.ts';
import { defineMessages, registerMessages } from '../i18n/index.ts';
import { pageContext, sendHtml, type WebSettings } from '../render.ts';
import { layout } from '../shell/layout.ts';

registerMessages(
  defineMessages({
    en: {
      'outbox.title': 'Development outbox',
      'outbox.lead': 'Messages the locker sent by SMS and email. This page exists only outside production.',
      'outbox.empty': 'Nothing has been sent yet. Ask for an OTP on the sign-up page and it will appear here.',
      'outbox.filter': 'Show messages to',
      'outbox.filter.submit': 'Filter',
      'outbox.col.when': 'Sent',
      'outbox.col.channel': 'Channel',
      'outbox.col.to': 'To',
      'outbox.col.message': 'Message',
    },
    hi: {
      'outbox.title': 'विकास आउटबॉक्स',
      'outbox.lead': 'लॉकर द्वारा SMS और ईमेल से भेजे गए संदेश। यह पृष्ठ केवल प्रोडक्शन के बाहर है।',
      'outbox.empty': 'अभी तक कुछ नहीं भेजा गया। साइन-अप पृष्ठ पर OTP माँगें, वह यहाँ दिखेगा।',
      'outbox.filter': 'इन्हें भेजे संदेश दिखाएँ',
      'outbox.filter.submit': 'छाँटें',
      'outbox.col.when': 'भेजा गया',
      'outbox.col.channel': 'माध्यम',
      'outbox.col.to': 'प्राप्तकर्ता',
      'outbox.col.message': 'संदेश',
    },
  }),
);

const Query = Type.Object({ to: Type.Optional(Type.String({ maxLength: 320 })), channel: Type.Optional(Type.Union([Type.Literal('sms'), Type.Literal('email')])) });

export function registerDevOutbox(app: FastifyInstance, outbox: DevOutbox, web: WebSettings): void {
  app.get('/dev/outbox.json', { schema: { hide: true, querystring: Query } }, async (req) => {
    const { to, channel } = req.query as { to?: string; channel?: 'sms' | 'email' };
    return { items: await outbox.list({ ...(to ? { to } : {}), ...(channel ? { channel } : {}) }) };
  });

  app.get('/dev/outbox', { schema: { hide: true, querystring: Query } }, async (req, reply) => {
    const { to } = req.query as { to?: string };
    const items = await outbox.list(to ? { to } : {});
    const ctx = pageContext(req, reply, web);
    const { t } = ctx;
    return sendHtml(
      reply,
      layout(ctx, {
        title: t('outbox.title'),
        bare: true,
        body: html`<h1>${t('outbox.title')}</h1>
          <p>${t('outbox.lead')}</p>
          <form method="get" action="/dev/outbox">
            <label for="to">${t('outbox.filter')}</label>
            <input id="to" name="to" type="text" value="${to ?? ''}" autocomplete="off">
            <button type="submit" class="secondary">${t('outbox.filter.submit')}</button>
          </form>
          ${items.length === 0
            ? html`<p class="empty">${t('outbox.empty')}</p>`
            : html`<div class="table-wrap"><table>
                <thead><tr><th scope="col">${t('outbox.col.when')}</th><th scope="col">${t('outbox.col.channel')}</th><th scope="col">${t('outbox.col.to')}</th><th scope="col">${t('outbox.col.message')}</th></tr></thead>
                <tbody>${items.map(
                  (m) => html`<tr><td><time datetime="${m.createdAt}">${m.createdAt.replace('T', ' ').slice(0, 19)}</time></td><td>${m.channel.toUpperCase()}</td><td>${m.to}</td>
                    <td>${m.subject ? html`<strong>${m.subject}</strong><br>` : ''}<span class="message-body">${m.body}</span></td></tr>`,
                )}</tbody></table></div>`}`,
      }),
    );
  });
}
