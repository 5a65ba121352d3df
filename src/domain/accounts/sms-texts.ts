/**
 * The SMS texts of the accounts module, in English and Hindi. Every text names the service;
 * none contains a PIN. OTP texts end with the WebOTP line (`@host #code`) so phones can
 * offer to fill the code in.
 */
import type { OtpPurpose } from './ports.ts';

type Lang = 'en' | 'hi';

const PURPOSE: Record<Lang, Record<OtpPurpose, string>> = {
  en: {
    signup: 'to create your locker',
    login: 'to sign in',
    reset_pin: 'to reset your security PIN',
    change_mobile: 'to move your locker to a new mobile number',
    change_mobile_new: 'to confirm this number as your locker mobile',
    delete_account: 'to DELETE your locker',
    partner_consent: 'to let an organisation access your locker',
  },
  hi: {
    signup: 'अपना लॉकर बनाने के लिए',
    login: 'साइन इन करने के लिए',
    reset_pin: 'अपना सुरक्षा पिन बदलने के लिए',
    change_mobile: 'अपना लॉकर नए मोबाइल नंबर पर ले जाने के लिए',
    change_mobile_new: 'इस नंबर को अपने लॉकर मोबाइल के रूप में पुष्टि करने के लिए',
    delete_account: 'अपना लॉकर हटाने के लिए',
    partner_consent: 'किसी संस्था को अपने लॉकर तक पहुँच देने के लिए',
  },
};

export function otpText(service: string, lang: Lang, purpose: OtpPurpose, code: string, minutes: number, host: string | null): string {
  const tail = host ? `\n\n@${host} #${code}` : '';
  if (lang === 'hi') {
    return `${service}: ${PURPOSE.hi[purpose]} आपका वन-टाइम कोड ${code} है। यह ${minutes} मिनट तक मान्य है। इसे किसी से साझा न करें; हम इसे कभी नहीं माँगते।${tail}`;
  }
  return `${service}: ${code} is your one-time code ${PURPOSE.en[purpose]}. It is valid for ${minutes} minutes. Do not share it with anyone; we never ask for it.${tail}`;
}

function ist(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 5.5 * 3600_000);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} IST`;
}

export function lockoutText(service: string, lang: Lang, lockedUntil: string, failures: number): string {
  if (lang === 'hi') {
    return `${service}: ${failures} बार गलत पिन डाले जाने के कारण आपका लॉकर ${ist(lockedUntil)} तक बंद है। अगर यह आप नहीं थे, तो "पिन भूल गए" से नया पिन बनाएँ।`;
  }
  return `${service}: your locker is locked until ${ist(lockedUntil)} after ${failures} wrong PINs. If this was not you, set a new PIN with "Forgot PIN".`;
}

export function pinChangedText(service: string, lang: Lang, how: 'changed' | 'reset'): string {
  if (lang === 'hi') {
    return `${service}: आपके लॉकर का सुरक्षा पिन ${how === 'reset' ? 'रीसेट' : 'बदला'} गया और सभी डिवाइस साइन आउट कर दिए गए। अगर यह आप नहीं थे, तो तुरंत सहायता से संपर्क करें।`;
  }
  return `${service}: the security PIN of your locker was ${how} and every device was signed out. If this was not you, contact support at once.`;
}

export function mobileChangedText(service: string, lang: Lang, newMasked: string): string {
  if (lang === 'hi') return `${service}: आपके लॉकर का मोबाइल नंबर ${newMasked} में बदल दिया गया। अगर यह आप नहीं थे, तो तुरंत सहायता से संपर्क करें।`;
  return `${service}: the mobile number of your locker was changed to ${newMasked}. If this was not you, contact support at once.`;
}

export function deletedText(service: string, lang: Lang): string {
  if (lang === 'hi') return `${service}: आपका लॉकर और उसका डेटा हटा दिया गया है।`;
  return `${service}: your locker and its data have been deleted.`;
}
