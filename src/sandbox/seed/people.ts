/**
 * The sandbox's synthetic people: a dozen hand-written demo identities (listed in the
 * README so anyone can try every flow) and a generated class of CBSE students (the
 * board's pre-provisioning list). Everything is deterministic — the same seed gives the
 * same people, numbers and marks on every machine — and obviously fictional: Aadhaar
 * numbers start 9999 0000 (and pass the Verhoeff check), mobiles are 90000 00xxx,
 * PANs start TST, and every document says SANDBOX on it.
 */
import { verhoeffDigit } from '../verhoeff.ts';

export type Gender = 'M' | 'F' | 'T';

export interface SandboxAddress {
  line: string;
  district: string;
  state: string;
  pin: string;
}

export interface SandboxPerson {
  id: string;
  name: string;
  nameHi: string;
  gender: Gender;
  /** YYYY-MM-DD */
  dob: string;
  /** 10 digits (the SMS goes to +91 and this). */
  mobile: string;
  aadhaar: string | null;
  fatherName: string;
  motherName: string;
  address: SandboxAddress;
  /** Which placeholder photo (resources/sandbox/photo-N.jpg). */
  photo: 1 | 2 | 3 | 4;
}

/** A synthetic Aadhaar number: 99990000 + 3-digit index + Verhoeff check digit. */
export function sandboxAadhaar(index: number): string {
  const base = '99990000' + String(index).padStart(3, '0');
  return base + verhoeffDigit(base);
}

const LKO: SandboxAddress = { line: '12, Sandbox Colony, Gomti Nagar', district: 'Lucknow', state: 'Uttar Pradesh', pin: '226010' };
const KNP: SandboxAddress = { line: '45, Test Marg, Civil Lines', district: 'Kanpur Nagar', state: 'Uttar Pradesh', pin: '208001' };
const DEL: SandboxAddress = { line: 'B-7, Demo Apartments, Dwarka Sector 10', district: 'South West Delhi', state: 'Delhi', pin: '110075' };
const PNQ: SandboxAddress = { line: '3, Sample Society, Kothrud', district: 'Pune', state: 'Maharashtra', pin: '411038' };

/** The demo identities. Order and ids are stable: tests and the README refer to them. */
export const DEMO_PEOPLE: SandboxPerson[] = [
  { id: 'asha', name: 'Asha Verma', nameHi: 'आशा वर्मा', gender: 'F', dob: '2006-03-14', mobile: '9000000001', aadhaar: sandboxAadhaar(1), fatherName: 'Rakesh Verma', motherName: 'Neelam Verma', address: LKO, photo: 2 },
  { id: 'rahul', name: 'Rahul Sharma', nameHi: 'राहुल शर्मा', gender: 'M', dob: '1990-07-22', mobile: '9000000002', aadhaar: sandboxAadhaar(2), fatherName: 'Suresh Sharma', motherName: 'Kamla Sharma', address: KNP, photo: 1 },
  { id: 'priya', name: 'Priya Singh', nameHi: 'प्रिया सिंह', gender: 'F', dob: '1995-11-02', mobile: '9000000003', aadhaar: sandboxAadhaar(3), fatherName: 'Vijay Singh', motherName: 'Anita Singh', address: LKO, photo: 4 },
  { id: 'irfan', name: 'Mohammed Irfan', nameHi: 'मोहम्मद इरफ़ान', gender: 'M', dob: '1988-01-30', mobile: '9000000004', aadhaar: sandboxAadhaar(4), fatherName: 'Abdul Rashid', motherName: 'Shabana Begum', address: DEL, photo: 3 },
  { id: 'lakshmi', name: 'Lakshmi Iyer', nameHi: 'लक्ष्मी अय्यर', gender: 'F', dob: '1979-05-09', mobile: '9000000005', aadhaar: sandboxAadhaar(5), fatherName: 'Krishnan Iyer', motherName: 'Meenakshi Iyer', address: PNQ, photo: 2 },
  { id: 'gurpreet', name: 'Gurpreet Kaur', nameHi: 'गुरप्रीत कौर', gender: 'F', dob: '2007-08-19', mobile: '9000000006', aadhaar: sandboxAadhaar(6), fatherName: 'Harjit Singh', motherName: 'Manjeet Kaur', address: DEL, photo: 4 },
  { id: 'arjun', name: 'Arjun Nair', nameHi: 'अर्जुन नायर', gender: 'M', dob: '2005-12-01', mobile: '9000000007', aadhaar: sandboxAadhaar(7), fatherName: 'Mohan Nair', motherName: 'Latha Nair', address: PNQ, photo: 1 },
  { id: 'sunita', name: 'Sunita Devi', nameHi: 'सुनीता देवी', gender: 'F', dob: '1972-04-15', mobile: '9000000008', aadhaar: sandboxAadhaar(8), fatherName: 'Ram Prasad', motherName: 'Shanti Devi', address: KNP, photo: 2 },
  { id: 'deepak', name: 'Deepak Yadav', nameHi: 'दीपक यादव', gender: 'M', dob: '2006-06-06', mobile: '9000000009', aadhaar: sandboxAadhaar(9), fatherName: 'Mahesh Yadav', motherName: 'Geeta Yadav', address: LKO, photo: 3 },
  { id: 'kavya', name: 'Kavya Reddy', nameHi: 'काव्या रेड्डी', gender: 'F', dob: '2006-09-25', mobile: '9000000010', aadhaar: null, fatherName: 'Srinivas Reddy', motherName: 'Padma Reddy', address: PNQ, photo: 4 },
];

/** A small deterministic PRNG (mulberry32): the same seed gives the same sandbox everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  ['Aarav', 'आरव', 'M'], ['Ishita', 'इशिता', 'F'], ['Vivaan', 'विवान', 'M'], ['Ananya', 'अनन्या', 'F'], ['Kabir', 'कबीर', 'M'],
  ['Saanvi', 'सान्वी', 'F'], ['Reyansh', 'रेयांश', 'M'], ['Diya', 'दीया', 'F'], ['Aditya', 'आदित्य', 'M'], ['Meera', 'मीरा', 'F'],
  ['Rohan', 'रोहन', 'M'], ['Pooja', 'पूजा', 'F'], ['Nikhil', 'निखिल', 'M'], ['Sneha', 'स्नेहा', 'F'], ['Farhan', 'फ़रहान', 'M'],
] as const;
const LAST = [['Gupta', 'गुप्ता'], ['Mishra', 'मिश्रा'], ['Khan', 'ख़ान'], ['Das', 'दास'], ['Joshi', 'जोशी'], ['Pandey', 'पांडे'], ['Bose', 'बोस'], ['Chauhan', 'चौहान']] as const;
const FATHER = ['Ramesh', 'Anil', 'Sanjay', 'Ajay', 'Manoj', 'Rajesh', 'Sunil', 'Ashok'];
const MOTHER = ['Sarita', 'Rekha', 'Sunita', 'Poonam', 'Nisha', 'Kavita', 'Usha', 'Meena'];

/**
 * The generated CBSE class of 2024 (Class XII): `count` students with mobiles 90000 01xxx,
 * the pre-provisioning list a board pushes on results day.
 */
export function generatedStudents(count = 30, seed = 2024): SandboxPerson[] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const out: SandboxPerson[] = [];
  for (let i = 1; i <= count; i++) {
    const [first, firstHi, gender] = pick(FIRST);
    const [last, lastHi] = pick(LAST);
    const month = 1 + Math.floor(rand() * 12);
    const day = 1 + Math.floor(rand() * 28);
    out.push({
      id: `student${String(i).padStart(3, '0')}`,
      name: `${first} ${last}`,
      nameHi: `${firstHi} ${lastHi}`,
      gender: gender as Gender,
      dob: `2006-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      mobile: `90000${String(1000 + i).padStart(5, '0')}`,
      aadhaar: sandboxAadhaar(100 + i),
      fatherName: `${pick(FATHER)} ${last}`,
      motherName: `${pick(MOTHER)} ${last}`,
      address: pick([LKO, KNP, DEL, PNQ]),
      photo: (1 + (i % 4)) as SandboxPerson['photo'],
    });
  }
  return out;
}
