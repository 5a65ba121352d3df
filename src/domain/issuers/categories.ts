/**
 * How the Issuers section groups issuers, and how an issuer's category and reach (central
 * or state) are derived from its name and document types when the source (the API Setu
 * directory) does not say. The rules are deliberately plain so an operator can predict
 * them; an admin registering an issuer names the category explicitly.
 */
import type { Category, IssuerScope } from './model.ts';

export const CATEGORY_LABELS: Record<Category, { en: string; hi: string }> = {
  education: { en: 'Education', hi: 'शिक्षा' },
  transport: { en: 'Transport', hi: 'परिवहन' },
  identity: { en: 'Identity', hi: 'पहचान' },
  revenue: { en: 'Revenue and certificates', hi: 'राजस्व और प्रमाणपत्र' },
  'local-bodies': { en: 'Municipal and local bodies', hi: 'नगर और स्थानीय निकाय' },
  health: { en: 'Health', hi: 'स्वास्थ्य' },
  agriculture: { en: 'Agriculture', hi: 'कृषि' },
  'social-welfare': { en: 'Social welfare', hi: 'सामाजिक कल्याण' },
  employment: { en: 'Employment and labour', hi: 'रोज़गार और श्रम' },
  insurance: { en: 'Insurance', hi: 'बीमा' },
  finance: { en: 'Banking and finance', hi: 'बैंकिंग और वित्त' },
  utilities: { en: 'Electricity, water and gas', hi: 'बिजली, पानी और गैस' },
  police: { en: 'Police and licences', hi: 'पुलिस और लाइसेंस' },
  defence: { en: 'Defence', hi: 'रक्षा' },
  other: { en: 'Other', hi: 'अन्य' },
};

/** Strong signals in an issuer's name, checked in order (first match wins). */
const NAME_RULES: Array<[RegExp, Category]> = [
  [/\b(uidai|unique identification)\b/i, 'identity'],
  [/\b(university|vidyapeeth|vidyapith|vishwavidyalaya|board of (secondary|higher|school|intermediate|technical)|secondary education|school|college|mahavidyalaya|institute of (technology|science|management|engineering|information)|educat\w*|academy|examinations?|shiksha|iit|nit|iiit|polytechnic)\b/i, 'education'],
  [/\b(insurance|assurance)\b/i, 'insurance'],
  [/\b(transport|motor vehicles?|rto)\b/i, 'transport'],
  [/\b(bank|finance|financial|mutual fund|securities|depository|pension fund|provident fund)\b/i, 'finance'],
  [/\b(navy|army|air force|defence|sainik)\b/i, 'defence'],
  [/\b(hospital|health|medical|medicine|paramedical|aiims|ayush|ayushman)\b/i, 'health'],
  [/\b(agricultur\w*|farmers?|horticulture|krishi|fisheries|animal husbandry|veterinary)\b/i, 'agriculture'],
  [/\b(electricity|power|energy|water supply|jal board|petroleum|gas)\b/i, 'utilities'],
  [/\b(police|home department)\b/i, 'police'],
  [/\b(e-?district|revenue|land records?|tahsil|collectorate)\b/i, 'revenue'],
  [/\b(municipal|nagar|panchayat|urban development|local bodies)\b/i, 'local-bodies'],
  [/\b(labour|employment|skill|public service commission|directorate general of training)\b/i, 'employment'],
  [/\b(social (welfare|justice)|women and child|food|civil supplies|public distribution)\b/i, 'social-welfare'],
];

/** Document type codes by the category they usually belong to. */
const DOCTYPE_CATEGORY: Record<string, Category> = {};
const add = (cat: Category, codes: string) => codes.split(/\s+/).forEach((c) => (DOCTYPE_CATEGORY[c] = cat));
add('education', 'DGCER DGMST DIPCR PRVCR TRTMP SSCER HSCER HPCER SPCER MICER SSMGR HSMGR SSMCR HSMCR SSCMP HSCMP MRCER SKMST TETCR TETMS ADCRD OUCER EXCER SVCER PVCER NSCER EPCER IXREG XIREG');
add('transport', 'DRVLC RVCER CHALN FITCER VHINSC VHTAX');
add('identity', 'ADHAR PANCR GOVID EPRAN SICRD');
add('revenue', 'INCER CTCER DMCER RSCER OBCER SHCER EWCER NLCER SLCER LVCER ROR1B NTCER LHCER DPCER MNCER EBCER EGCER SMCER NNCER LCCER CECPY RDCER LCSAG PSCER NRCER WWCER FMCER');
add('local-bodies', 'BTCER DTCER RMCER TDLCS PRCER SRCER LRCER RYCER RFCER NDCER');
add('health', 'RSBYC LABRP DPMLC');
add('agriculture', 'AICER ISMFC PSLSC FSLSC AGCER FRCER');
add('social-welfare', 'RATCR PECER DPICR GRPYO PCPYO');
add('employment', 'UNCER EICRD ERCER CLCER RCBCW ALIMW ALSFC SKCER TICER');
add('insurance', 'PODOC HLIPC CRIPC TWIPC CVIPC LICER TRIPC HMIPC MIIPC GICER PAIPC');
add('finance', 'ASTMT IRCER TDCER OSFRM GPFCR EPSER');
add('utilities', 'ELEBL WTRBL LPGSV NYCER');
add('police', 'ISOAL CHCER FRRPT CSEML GRLCS');
add('defence', 'NVCER NVMST');

/** The category of a document type code, if it has a usual one. */
export function doctypeCategory(code: string): Category | undefined {
  return DOCTYPE_CATEGORY[code];
}

/**
 * An issuer's category: a strong signal in its name wins; otherwise the category most of
 * its document types belong to; otherwise `other`.
 */
export function deriveCategory(name: string, doctypeCodes: string[]): Category {
  for (const [re, cat] of NAME_RULES) if (re.test(name)) return cat;
  const votes = new Map<Category, number>();
  for (const code of doctypeCodes) {
    const c = DOCTYPE_CATEGORY[code];
    if (c) votes.set(c, (votes.get(c) ?? 0) + 1);
  }
  let best: Category = 'other';
  let bestVotes = 0;
  for (const [c, n] of votes) if (n > bestVotes) [best, bestVotes] = [c, n];
  return best;
}

/** Names of central bodies that sit in one state (CBSE in Delhi, IITs…). */
const CENTRAL_NAME = /\b(central|ministry|national|all india|government of india|govt\.? of india|indian|aiims|institute of technology|kendriya|navodaya|union)\b/i;

/**
 * API Setu names issuers `Name, State` (`All States` for national bodies). Returns the
 * display name without the state, the state (null for `All States`) and the scope.
 */
export function splitIssuerName(full: string): { name: string; state: string | null; scope: IssuerScope } {
  const clean = full.replace(/\s+/g, ' ').trim();
  const i = clean.lastIndexOf(',');
  const suffix = i === -1 ? '' : clean.slice(i + 1).trim();
  const known = STATE_NAMES_HI[suffix] !== undefined || suffix === 'All States';
  const name = known ? clean.slice(0, i).trim() : clean;
  const state = known && suffix !== 'All States' ? suffix : null;
  const scope: IssuerScope = state === null || CENTRAL_NAME.test(name) ? 'central' : 'state';
  return { name: name.replace(/,\s*$/, ''), state, scope };
}

/** States and union territories as API Setu spells them, with their Hindi names. */
export const STATE_NAMES_HI: Record<string, string> = {
  'Andaman & Nicobar': 'अंडमान और निकोबार',
  'Andhra Pradesh': 'आंध्र प्रदेश',
  'Arunachal Pradesh': 'अरुणाचल प्रदेश',
  Assam: 'असम',
  Bihar: 'बिहार',
  Chandigarh: 'चंडीगढ़',
  Chhattisgarh: 'छत्तीसगढ़',
  'Dadra and Nagar Haveli and Daman and Diu': 'दादरा और नगर हवेली और दमन और दीव',
  Delhi: 'दिल्ली',
  Goa: 'गोवा',
  Gujarat: 'गुजरात',
  Haryana: 'हरियाणा',
  'Himachal Pradesh': 'हिमाचल प्रदेश',
  'Jammu & Kashmir': 'जम्मू और कश्मीर',
  Jharkhand: 'झारखंड',
  Karnataka: 'कर्नाटक',
  Kerala: 'केरल',
  Ladakh: 'लद्दाख',
  Lakshadweep: 'लक्षद्वीप',
  'Madhya Pradesh': 'मध्य प्रदेश',
  Maharashtra: 'महाराष्ट्र',
  Manipur: 'मणिपुर',
  Meghalaya: 'मेघालय',
  Mizoram: 'मिज़ोरम',
  Nagaland: 'नागालैंड',
  Odisha: 'ओडिशा',
  Puducherry: 'पुदुच्चेरी',
  Punjab: 'पंजाब',
  Rajasthan: 'राजस्थान',
  Sikkim: 'सिक्किम',
  'Tamil Nadu': 'तमिलनाडु',
  Telangana: 'तेलंगाना',
  Tripura: 'त्रिपुरा',
  'Uttar Pradesh': 'उत्तर प्रदेश',
  Uttarakhand: 'उत्तराखंड',
  'West Bengal': 'पश्चिम बंगाल',
};
