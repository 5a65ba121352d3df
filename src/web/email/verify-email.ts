/** The email that confirms a citizen's address (domain/accounts/email-verification.ts sends it). */
import type { EmailMessage } from '../../domain/notifications/email-port.ts';
import { emailHtml } from './layout.ts';

const TEXT = {
  en: {
    subject: 'OpenLocker: confirm your email address',
    title: 'Confirm your email address',
    hello: (name: string) => `Hello ${name},`,
    body: 'Open this link to confirm this email address for your OpenLocker account. The link works for 24 hours.',
    action: 'Confirm email address',
    footer: 'If you did not add this address to a locker, ignore this email: nothing changes.',
  },
  hi: {
    subject: 'OpenLocker: अपना ईमेल पता पुष्ट करें',
    title: 'अपना ईमेल पता पुष्ट करें',
    hello: (name: string) => `नमस्ते ${name},`,
    body: 'अपने OpenLocker खाते के लिए यह ईमेल पता पुष्ट करने हेतु यह लिंक खोलें। लिंक 24 घंटे तक काम करता है।',
    action: 'ईमेल पता पुष्ट करें',
    footer: 'यदि आपने यह पता किसी लॉकर में नहीं जोड़ा, तो इस ईमेल को अनदेखा करें: कुछ नहीं बदलेगा।',
  },
} as const;

export function verifyEmailMessage(input: { name: string; url: string; lang: 'en' | 'hi' }): Omit<EmailMessage, 'to'> {
  const t = TEXT[input.lang];
  return {
    subject: t.subject,
    text: [t.hello(input.name), '', t.body, input.url, '', t.footer].join('\n'),
    html: emailHtml({ lang: input.lang, title: t.title, paragraphs: [t.hello(input.name), t.body], action: { label: t.action, url: input.url }, footer: t.footer }),
  };
}
