/**
 * What a citizen types into the Issuers search, as words to look for. Each word becomes a
 * set of alternatives, any of which may match: British and American spellings
 * ("licence" / "license"), and the Hindi words people use for documents mapped to the
 * English the directory is written in ("ड्राइविंग लाइसेंस", "आय प्रमाणपत्र", "अंकपत्र").
 * Words that carry no meaning in a search (of, the, का, की…) are dropped.
 */
const SPELLINGS: Array<[string, string]> = [
  ['licence', 'license'],
  ['centre', 'center'],
  ['programme', 'program'],
  ['defence', 'defense'],
  ['organisation', 'organization'],
  ['marksheet', 'mark sheet'],
];

const HINDI: Record<string, string[]> = {
  'ड्राइविंग': ['driving'],
  'लाइसेंस': ['licence', 'license'],
  'लाइसेन्स': ['licence', 'license'],
  'चालक': ['driving'],
  'अनुज्ञप्ति': ['licence', 'license'],
  'आय': ['income'],
  'प्रमाणपत्र': ['certificate'],
  'प्रमाण-पत्र': ['certificate'],
  'सर्टिफिकेट': ['certificate'],
  'अंकपत्र': ['mark'],
  'अंकतालिका': ['mark'],
  'मार्कशीट': ['mark'],
  'जाति': ['caste'],
  'निवास': ['domicile', 'residence'],
  'अधिवास': ['domicile'],
  'जन्म': ['birth'],
  'मृत्यु': ['death'],
  'विवाह': ['marriage'],
  'वाहन': ['vehicle'],
  'पंजीकरण': ['registration'],
  'आधार': ['aadhaar', 'aadhar'],
  'पैन': ['pan'],
  'राशन': ['ration'],
  'कार्ड': ['card'],
  'बीमा': ['insurance'],
  'पासपोर्ट': ['passport'],
  'मतदाता': ['voter'],
  'प्रवासन': ['migration'],
  'माइग्रेशन': ['migration'],
  'उत्तीर्ण': ['passing'],
  'कक्षा': ['class'],
  'विश्वविद्यालय': ['university'],
  'बोर्ड': ['board'],
  'परिवहन': ['transport'],
  'शिक्षा': ['education'],
  'स्वास्थ्य': ['health'],
  'राजस्व': ['revenue'],
  'पेंशन': ['pension'],
  'डिग्री': ['degree'],
};

const STOP = new Set(['of', 'the', 'for', 'and', 'a', 'an', 'my', 'का', 'की', 'के', 'को', 'और', 'मेरा', 'मेरी']);

/** The words of a search, each as its alternatives (lower-case, at most 8 words). */
export function searchAlternatives(q: string | undefined): string[][] {
  const out: string[][] = [];
  for (const raw of (q ?? '').toLowerCase().split(/\s+/).filter(Boolean)) {
    if (STOP.has(raw)) continue;
    const hindi = HINDI[raw];
    if (hindi) {
      out.push(hindi);
    } else {
      const pair = SPELLINGS.find(([a, b]) => raw === a || raw === b);
      out.push(pair ? [...new Set([raw, pair[0], pair[1]])] : [raw]);
    }
    if (out.length === 8) break;
  }
  return out;
}
