/** Frequently asked questions, in both languages, after DigiLocker's own FAQ. */
import type { Lang } from '../i18n/index.ts';

export interface Faq {
  q: string;
  a: string;
}

export const FAQ: Record<Lang, Faq[]> = {
  en: [
    { q: 'How do I sign up?', a: 'All you need is your mobile number. We send a one-time password (OTP) by SMS; enter it, tell us your name, date of birth and gender, and set a 6-digit security PIN. The PIN is your second factor: you will need both an OTP and the PIN to sign in.' },
    { q: 'How long is the OTP valid?', a: 'Ten minutes. After that it no longer works and you can ask for a new one. You have three tries per OTP; asking for a new code cancels the old one.' },
    { q: 'What if I forget my PIN?', a: 'Choose "Forgot PIN" on the sign-in page. We send an OTP to your mobile and you set a new PIN. For your safety, every device signed in to your locker is signed out.' },
    { q: 'What are the sections of my locker?', a: 'Dashboard (a summary and quick links), Issued Documents (documents issued to you by departments, fetched live from them), Uploaded Documents (your own files), Shared Documents (links you have sent), Activity (a log of everything that touched your account) and Issuers (the departments you can fetch documents from).' },
    { q: 'Are issued documents legally valid?', a: 'Documents in Issued Documents come directly from the issuing department at the moment you open them and carry its digital signature and QR code. Anyone can verify them on the "Verify a document" page.' },
    { q: 'How do I get my driving licence or vehicle RC?', a: 'Link your Aadhaar from your profile first. Then use the quick links "Get your Digital Driving Licence" or "Get your Digital Vehicle RC" on the dashboard. The document is fetched from the national register and saved in Issued Documents.' },
    { q: 'I am a CBSE student. How do I find my marksheet?', a: 'Sign in with the mobile number registered with the board, enter the OTP, and use the last 6 digits of your roll number as your PIN. You will be asked to choose a new PIN at once. Your class X or XII documents are already in Issued Documents. You can also fetch them from Issuers → Education → CBSE with your year and roll number.' },
    { q: 'How do I link Aadhaar?', a: 'Open your profile and choose "Link Aadhaar". We send an OTP to the mobile linked with your Aadhaar; it must be the same mobile as your locker account. Once linked, your eAadhaar appears in Issued Documents. We store only a protected fingerprint of your Aadhaar number and its last 4 digits.' },
    { q: 'What can I upload?', a: 'PDF, JPEG and PNG files up to 10 MB each, and up to 1 GB in total. Give each a document type and a name; you can rename, share or delete them at any time.' },
    { q: 'Who can see my documents?', a: 'Only you, and whoever you choose: a person you send a time-limited link to, or an organisation you give consent to. You can revoke either at any time, and every access is logged in Activity and notified to you.' },
    { q: 'Is my locker safe?', a: 'Traffic is encrypted, files are encrypted at rest, sign-in needs an OTP and your PIN, and you are signed out automatically after a period of inactivity. After 5 wrong PINs your account locks for a while and we tell you by SMS.' },
  ],
  hi: [
    { q: 'मैं साइन अप कैसे करूँ?', a: 'आपको केवल अपना मोबाइल नंबर चाहिए। हम SMS से एक वन-टाइम पासवर्ड (OTP) भेजते हैं; उसे दर्ज करें, अपना नाम, जन्म तिथि और लिंग बताएँ, और 6 अंकों का सुरक्षा पिन बनाएँ। पिन आपका दूसरा कारक है: साइन इन के लिए OTP और पिन दोनों चाहिए।' },
    { q: 'OTP कितनी देर मान्य रहता है?', a: 'दस मिनट। उसके बाद यह काम नहीं करता और आप नया माँग सकते हैं। हर OTP के लिए तीन प्रयास मिलते हैं; नया कोड माँगने पर पुराना रद्द हो जाता है।' },
    { q: 'अगर मैं अपना पिन भूल जाऊँ?', a: 'साइन-इन पृष्ठ पर "पिन भूल गए" चुनें। हम आपके मोबाइल पर OTP भेजते हैं और आप नया पिन बनाते हैं। आपकी सुरक्षा के लिए आपके लॉकर में साइन-इन हर डिवाइस साइन आउट हो जाता है।' },
    { q: 'मेरे लॉकर में कौन-से अनुभाग हैं?', a: 'डैशबोर्ड (सारांश और त्वरित लिंक), जारी दस्तावेज़ (विभागों द्वारा आपको जारी, उनसे सीधे प्राप्त), अपलोड किए गए दस्तावेज़ (आपकी अपनी फ़ाइलें), साझा किए गए दस्तावेज़ (आपके भेजे लिंक), गतिविधि (आपके खाते से जुड़ी हर गतिविधि का लॉग) और जारीकर्ता (वे विभाग जिनसे आप दस्तावेज़ ले सकते हैं)।' },
    { q: 'क्या जारी दस्तावेज़ कानूनी रूप से मान्य हैं?', a: 'जारी दस्तावेज़ खोलते समय सीधे जारी करने वाले विभाग से आते हैं और उन पर उसका डिजिटल हस्ताक्षर और QR कोड होता है। कोई भी इन्हें "दस्तावेज़ सत्यापित करें" पृष्ठ पर जाँच सकता है।' },
    { q: 'मैं अपना ड्राइविंग लाइसेंस या वाहन आरसी कैसे पाऊँ?', a: 'पहले अपनी प्रोफ़ाइल से आधार लिंक करें। फिर डैशबोर्ड पर "अपना डिजिटल ड्राइविंग लाइसेंस पाएँ" या "अपनी डिजिटल वाहन आरसी पाएँ" त्वरित लिंक का उपयोग करें। दस्तावेज़ राष्ट्रीय रजिस्टर से लेकर जारी दस्तावेज़ों में सहेजा जाता है।' },
    { q: 'मैं CBSE का छात्र हूँ। मुझे अपना अंकपत्र कैसे मिलेगा?', a: 'बोर्ड में पंजीकृत मोबाइल नंबर से साइन इन करें, OTP दर्ज करें, और अपने रोल नंबर के अंतिम 6 अंक पिन के रूप में उपयोग करें। आपसे तुरंत नया पिन चुनने को कहा जाएगा। आपके कक्षा X या XII के दस्तावेज़ पहले से जारी दस्तावेज़ों में हैं। आप जारीकर्ता → शिक्षा → CBSE से वर्ष और रोल नंबर डालकर भी इन्हें ले सकते हैं।' },
    { q: 'मैं आधार कैसे लिंक करूँ?', a: 'अपनी प्रोफ़ाइल खोलें और "आधार लिंक करें" चुनें। हम आपके आधार से जुड़े मोबाइल पर OTP भेजते हैं; यह वही मोबाइल होना चाहिए जो आपके लॉकर खाते का है। लिंक होने पर आपका ई-आधार जारी दस्तावेज़ों में दिखता है। हम आपके आधार नंबर की केवल एक सुरक्षित छाप और अंतिम 4 अंक रखते हैं।' },
    { q: 'मैं क्या अपलोड कर सकता हूँ?', a: 'PDF, JPEG और PNG फ़ाइलें, हर एक 10 MB तक, और कुल 1 GB तक। हर फ़ाइल को दस्तावेज़ प्रकार और नाम दें; आप कभी भी नाम बदल, साझा या हटा सकते हैं।' },
    { q: 'मेरे दस्तावेज़ कौन देख सकता है?', a: 'केवल आप, और जिन्हें आप चुनें: कोई व्यक्ति जिसे आप समय-सीमित लिंक भेजें, या कोई संस्था जिसे आप सहमति दें। आप इन्हें कभी भी वापस ले सकते हैं, और हर पहुँच गतिविधि में दर्ज होती है और आपको सूचित की जाती है।' },
    { q: 'क्या मेरा लॉकर सुरक्षित है?', a: 'संचार एन्क्रिप्टेड है, फ़ाइलें संग्रहण में एन्क्रिप्टेड हैं, साइन इन के लिए OTP और आपका पिन चाहिए, और निष्क्रिय रहने पर आप स्वतः साइन आउट हो जाते हैं। 5 गलत पिन के बाद आपका खाता कुछ समय के लिए बंद हो जाता है और हम आपको SMS से बताते हैं।' },
  ],
};
