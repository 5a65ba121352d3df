/**
 * Hindi for issuer names ("Central Board of Secondary Education" → "केंद्रीय माध्यमिक शिक्षा
 * बोर्ड"), the companion of `registry-hi.ts` for the names of the issuers themselves. Like
 * it, this only changes what a Hindi page shows: the registry, search (`q` matches the
 * English), APIs and `value` attributes are untouched.
 *
 * Covered: every sandbox issuer, the central issuers with an established Hindi name
 * (ministries, departments, national boards, IITs, NITs, IIMs, AIIMS, central universities,
 * public-sector banks) and the big state school boards and universities. Names follow the
 * bodies' own Hindi usage where they have one; a name we are unsure of is not translated.
 * Anything else is shown as the registry has it, marked `lang="en"` on Hindi pages.
 *
 * Besides whole names, a name is translated when it is made of known parts:
 *  - a trailing acronym stays as it is: "National Testing Agency (NTA)" → "राष्ट्रीय परीक्षा एजेंसी (NTA)";
 *  - a known name, a comma and a known place: "Transport Department, Bihar" → "परिवहन विभाग, बिहार";
 *  - one of the institution series (`SERIES`) and a known place: "Indian Institute of Technology
 *    Kanpur" → "भारतीय प्रौद्योगिकी संस्थान कानपुर".
 * Keys are normalised with `registryKey` (case, punctuation and spacing don't matter).
 */
import { STATE_NAMES_HI } from '../../domain/issuers/categories.ts';
import { displayText, html, type SafeHtml } from '../html.ts';
import type { PageContext } from '../render.ts';
import { buildDictionary, registryKey, type Entry } from './registry-hi.ts';

/** Whole names: central bodies first, then state boards, universities and departments. */
const NAMES: Entry[] = [
  // The sandbox issuers.
  ['भारतीय विशिष्ट पहचान प्राधिकरण', 'Unique Identification Authority of India'],
  ['केंद्रीय माध्यमिक शिक्षा बोर्ड', 'Central Board of Secondary Education'],
  ['सड़क परिवहन और राजमार्ग मंत्रालय', 'Ministry of Road Transport and Highways'],
  ['आयकर विभाग', 'Income Tax Department'],
  ['ई-डिस्ट्रिक्ट उत्तर प्रदेश', 'eDistrict Uttar Pradesh'],
  // Central ministries, departments and bodies.
  ['राष्ट्रीय परीक्षा एजेंसी', 'National Testing Agency'],
  ['राष्ट्रीय मुक्त विद्यालयी शिक्षा संस्थान', 'National Institute of Open Schooling'],
  ['स्वास्थ्य और परिवार कल्याण मंत्रालय', 'Ministry of Health & Family Welfare', 'Ministry of Health and Family Welfare'],
  ['पेट्रोलियम और प्राकृतिक गैस मंत्रालय', 'Ministry of Petroleum and Natural Gas'],
  ['सूक्ष्म, लघु और मध्यम उद्यम मंत्रालय', 'Ministry of Micro, Small and Medium Enterprises'],
  ['श्रम और रोज़गार मंत्रालय (eShram)', 'Ministry of Labour & Employment (eShram)'],
  ['पर्यटन मंत्रालय', 'Ministry of Tourism'],
  ['कृषि एवं किसान कल्याण विभाग', 'Department of Agriculture and Farmers Welfare'],
  ['भारत के महारजिस्ट्रार', 'Registrar General of India'],
  ['कर्मचारी राज्य बीमा निगम', 'Employees State Insurance Corporation', "Employees' State Insurance Corporation"],
  ['कर्मचारी भविष्य निधि संगठन', "Employees' Provident Fund Organization", 'Employees Provident Fund Organisation', "Employees' Provident Fund Organisation"],
  ['भारतीय खाद्य सुरक्षा और मानक प्राधिकरण', 'Food Safety and Standards Authority of India', 'Food and safety standards authority of India'],
  ['राष्ट्रीय ई-गवर्नेंस प्रभाग', 'National e-Governance Division'],
  ['राष्ट्रीय सूचना विज्ञान केंद्र', 'National Informatics Centre'],
  ['केंद्रीय पेंशन लेखा कार्यालय', 'Central Pension Accounting Office'],
  ['राष्ट्रीय अध्यापक शिक्षा परिषद', 'National Council for Teacher Education'],
  ['राष्ट्रीय आपदा मोचन बल', 'National Disaster Response Force'],
  ['राष्ट्रीय कौशल विकास निगम', 'National Skill Development Corporation'],
  ['भारतीय रेल', 'Indian Railways'],
  ['नागर विमानन महानिदेशालय', 'Directorate General of Civil Aviation'],
  ['भारतीय प्रतिभूति और विनिमय बोर्ड', 'Securities and Exchange Board of India'],
  ['भारतीय कंपनी सचिव संस्थान', 'Institute of Company Secretaries of India', 'The Institute of Company Secretaries of India'],
  ['भारतीय लागत लेखाकार संस्थान', 'The Institute of Cost Accountants of India', 'Institute of Cost Accountants of India'],
  ['भारतीय पुनर्वास परिषद', 'Rehabilitation Council of India'],
  // Public-sector banks and insurers, by the names they use in Hindi.
  ['नेशनल इंश्योरेंस कंपनी लिमिटेड', 'National Insurance Company Ltd.', 'National Insurance Company Limited'],
  ['भारतीय स्टेट बैंक', 'State Bank of India'],
  ['पंजाब नैशनल बैंक', 'Punjab National Bank'],
  ['यूनियन बैंक ऑफ़ इंडिया', 'Union Bank of India'],
  ['सेंट्रल बैंक ऑफ़ इंडिया', 'Central Bank of India'],
  ['इंडियन बैंक', 'Indian Bank'],
  ['इंडियन ओवरसीज़ बैंक', 'Indian Overseas Bank'],
  ['पंजाब एण्ड सिंध बैंक', 'Punjab and Sind Bank'],
  // Central institutions of higher education.
  ['भारतीय विज्ञान संस्थान', 'Indian Institute of Science'],
  ['इंदिरा गांधी राष्ट्रीय मुक्त विश्वविद्यालय', 'Indira Gandhi National Open University'],
  ['इंदिरा गांधी राष्ट्रीय जनजातीय विश्वविद्यालय', 'Indira Gandhi National Tribal University'],
  ['मौलाना आज़ाद राष्ट्रीय उर्दू विश्वविद्यालय', 'Maulana Azad National Urdu University'],
  ['राष्ट्रीय न्यायालयिक विज्ञान विश्वविद्यालय', 'National Forensic Sciences University'],
  ['केंद्रीय संस्कृत विश्वविद्यालय', 'Central Sanskrit University'],
  ['श्री लाल बहादुर शास्त्री राष्ट्रीय संस्कृत विश्वविद्यालय', 'Shri Lal Bahadur Shastri National Sanskrit University'],
  ['राष्ट्रीय खेल विश्वविद्यालय', 'National Sports University'],
  ['राष्ट्रीय आयुर्वेद संस्थान', 'National Institute of Ayurveda'],
  ['केंद्रीय कृषि विश्वविद्यालय', 'Central Agricultural University'],
  ['रानी लक्ष्मी बाई केंद्रीय कृषि विश्वविद्यालय', 'Rani Lakshmi Bai Central Agricultural University'],
  ['डॉ. राजेंद्र प्रसाद केंद्रीय कृषि विश्वविद्यालय', 'Dr. Rajendra Prasad Central Agricultural University'],
  ['महात्मा गांधी केंद्रीय विश्वविद्यालय', 'Mahatma Gandhi Central University'],
  ['पंजाब केंद्रीय विश्वविद्यालय', 'Central University of Punjab'],
  ['हरियाणा केंद्रीय विश्वविद्यालय', 'Central University of Haryana'],
  ['झारखंड केंद्रीय विश्वविद्यालय', 'Central University of Jharkhand'],
  ['राजस्थान केंद्रीय विश्वविद्यालय', 'Central University of Rajasthan'],
  ['तमिलनाडु केंद्रीय विश्वविद्यालय', 'Central University of Tamil Nadu'],
  ['जम्मू केंद्रीय विश्वविद्यालय', 'Central University of Jammu'],
  ['गुजरात केंद्रीय विश्वविद्यालय', 'Central University of Gujarat'],
  ['हिमाचल प्रदेश केंद्रीय विश्वविद्यालय', 'Central University of Himachal Pradesh'],
  ['कर्नाटक केंद्रीय विश्वविद्यालय', 'Central University of Karnataka'],
  ['केरल केंद्रीय विश्वविद्यालय', 'Central University of Kerala'],
  ['कश्मीर केंद्रीय विश्वविद्यालय', 'Central University of Kashmir'],
  ['दक्षिण बिहार केंद्रीय विश्वविद्यालय', 'Central University of South Bihar'],
  ['भारतीय पशु चिकित्सा अनुसंधान संस्थान', 'Indian Veterinary Research Institute'],
  ['भारतीय सुदूर संवेदन संस्थान', 'Indian Institute of Remote Sensing'],
  ['भारतीय वन प्रबंध संस्थान', 'Indian Institute of Forest Management'],
  ['भारतीय पेट्रोलियम एवं ऊर्जा संस्थान', 'Indian Institute of Petroleum and Energy'],
  ['भारतीय अंतरिक्ष विज्ञान एवं प्रौद्योगिकी संस्थान', 'Indian Institute of Space Science and Technology'],
  ['भारतीय जन स्वास्थ्य संस्थान', 'Indian Institute of Public Health'],
  ['भारतीय शिक्षक शिक्षा संस्थान', 'Indian Institute of Teacher Education'],
  ['भारतीय प्रौद्योगिकी संस्थान (काशी हिंदू विश्वविद्यालय)', 'Indian Institute of Technology (Banaras Hindu University)'],
  ['मौलाना आज़ाद राष्ट्रीय प्रौद्योगिकी संस्थान', 'Maulana Azad National Institute of Technology'],
  ['मालवीय राष्ट्रीय प्रौद्योगिकी संस्थान', 'Malaviya National Institute of Technology'],
  ['मोतीलाल नेहरू राष्ट्रीय प्रौद्योगिकी संस्थान', 'Motilal Nehru National Institute of Technology'],
  ['सरदार वल्लभभाई राष्ट्रीय प्रौद्योगिकी संस्थान', 'Sardar Vallabhbhai National Institute of Technology'],
  ['डॉ. बी. आर. आंबेडकर राष्ट्रीय प्रौद्योगिकी संस्थान', 'Dr. B. R. Ambedkar National Institute of Technology'],
  ['राष्ट्रीय प्रौद्योगिकी संस्थान कर्नाटक, सुरतकल', 'National Institute of Technology Karnataka, Surathkal'],
  ['मालवीय राष्ट्रीय प्रौद्योगिकी संस्थान जयपुर', 'Malaviya National Institute of Technology Jaipur'],
  ['भारतीय जन स्वास्थ्य संस्थान गांधीनगर', 'Indian Institute of Public Health Gandhinagar'],
  ['भारतीय अभियांत्रिकी विज्ञान एवं प्रौद्योगिकी संस्थान', 'Indian Institute of Engineering Science and Technology'],
  ['राष्ट्रीय इलेक्ट्रॉनिकी एवं सूचना प्रौद्योगिकी संस्थान', 'National Institute of Electronics and Information Technology'],
  ['लक्ष्मीबाई राष्ट्रीय शारीरिक शिक्षा संस्थान', 'Lakshmibai National Institute of Physical Education'],
  ['होमी भाभा राष्ट्रीय संस्थान', 'Homi Bhabha National Institute'],
  ['आंध्र प्रदेश केंद्रीय जनजातीय विश्वविद्यालय', 'Central Tribal University of Andhra Pradesh'],
  ['हिमाचल प्रदेश केंद्रीय विश्वविद्यालय, धर्मशाला, कांगड़ा', 'Central University of Himachal Pradesh, Dharmshala, Kangra'],
  ['डॉ. राजेंद्र प्रसाद केंद्रीय कृषि विश्वविद्यालय, पूसा, समस्तीपुर', 'Dr. Rajendra Prasad Central Agricultural University, Pusa, Samastipur'],
  ['राष्ट्रीय विधि विश्वविद्यालय ओडिशा', 'National Law University Odisha'],
  ['गुजरात राष्ट्रीय विधि विश्वविद्यालय', 'Gujarat National Law University'],
  ['महाराष्ट्र राष्ट्रीय विधि विश्वविद्यालय', 'Maharashtra National Law University'],
  ['हिमाचल प्रदेश राष्ट्रीय विधि विश्वविद्यालय', 'Himachal Pradesh National Law University'],
  ['हिदायतुल्ला राष्ट्रीय विधि विश्वविद्यालय', 'Hidayatullah National Law University'],
  ['चाणक्य राष्ट्रीय विधि विश्वविद्यालय', 'Chanakya National Law University', 'Chanakaya National Law University'],
  ['माखनलाल चतुर्वेदी राष्ट्रीय पत्रकारिता एवं संचार विश्वविद्यालय', 'Makhanlal Chaturvedi National University of Journalism and Communication'],
  ['डॉ. राम मनोहर लोहिया राष्ट्रीय विधि विश्वविद्यालय', 'Dr. Ram Manohar Lohiya National Law University'],
  ['काशी हिंदू विश्वविद्यालय', 'Banaras Hindu University'],
  ['जवाहरलाल नेहरू विश्वविद्यालय', 'Jawaharlal Nehru University'],
  ['अलीगढ़ मुस्लिम विश्वविद्यालय', 'Aligarh Muslim University'],
  ['दिल्ली विश्वविद्यालय', 'University of Delhi'],
  ['हैदराबाद विश्वविद्यालय', 'University of Hyderabad'],
  ['लखनऊ विश्वविद्यालय', 'University of Lucknow'],
  ['इलाहाबाद विश्वविद्यालय', 'University of Allahabad'],
  ['मुंबई विश्वविद्यालय', 'University of Mumbai'],
  ['मैसूर विश्वविद्यालय', 'University of Mysore'],
  ['कालीकट विश्वविद्यालय', 'University of Calicut'],
  ['केरल विश्वविद्यालय', 'University of Kerala'],
  ['जम्मू विश्वविद्यालय', 'University of Jammu'],
  ['कश्मीर विश्वविद्यालय', 'University of Kashmir'],
  ['कोटा विश्वविद्यालय', 'University of Kota'],
  ['सिक्किम विश्वविद्यालय', 'Sikkim University'],
  ['नागालैंड विश्वविद्यालय', 'Nagaland University'],
  ['मिज़ोरम विश्वविद्यालय', 'Mizoram University'],
  ['मणिपुर विश्वविद्यालय', 'Manipur University'],
  ['त्रिपुरा विश्वविद्यालय', 'Tripura University'],
  ['तेजपुर विश्वविद्यालय', 'Tezpur University'],
  ['गौहाटी विश्वविद्यालय', 'Gauhati University'],
  ['डिब्रूगढ़ विश्वविद्यालय', 'Dibrugarh University'],
  ['जादवपुर विश्वविद्यालय', 'Jadavpur University'],
  ['उत्कल विश्वविद्यालय', 'Utkal University'],
  ['रांची विश्वविद्यालय', 'Ranchi University'],
  ['पंजाब विश्वविद्यालय', 'Panjab University'],
  ['पंजाबी विश्वविद्यालय', 'Punjabi University'],
  ['गुजरात विश्वविद्यालय', 'Gujarat University'],
  ['कुरुक्षेत्र विश्वविद्यालय', 'Kurukshetra University'],
  ['कुमाऊँ विश्वविद्यालय', 'Kumaun University'],
  ['बैंगलोर विश्वविद्यालय', 'Bangalore University'],
  ['आंध्र विश्वविद्यालय', 'Andhra University'],
  ['संबलपुर विश्वविद्यालय', 'Sambalpur University'],
  ['बरहामपुर विश्वविद्यालय', 'Berhampur University'],
  ['विक्रम विश्वविद्यालय', 'Vikram University'],
  ['जीवाजी विश्वविद्यालय', 'Jiwaji University'],
  ['बरकतउल्ला विश्वविद्यालय', 'Barkatullah Vishwavidyalaya'],
  ['देवी अहिल्या विश्वविद्यालय', 'Devi Ahilya Vishwavidyalaya'],
  ['डॉक्टर हरीसिंह गौर विश्वविद्यालय', 'Doctor Harisingh Gour Vishwavidyalaya'],
  ['गुरु घासीदास विश्वविद्यालय', 'Guru Ghasidas Vishwavidyalaya'],
  ['देव संस्कृति विश्वविद्यालय', 'Dev Sanskriti Vishwavidyalaya'],
  ['महर्षि दयानंद विश्वविद्यालय', 'Maharshi Dayanand University'],
  ['गुरु नानक देव विश्वविद्यालय', 'Guru Nanak Dev University'],
  ['चौधरी चरण सिंह विश्वविद्यालय', 'Chaudhary Charan Singh University'],
  ['छत्रपति शाहू जी महाराज विश्वविद्यालय', 'Chhatrapati Shahu Ji Maharaj University'],
  ['दीनदयाल उपाध्याय गोरखपुर विश्वविद्यालय', 'Deen Dayal Upadhyaya Gorakhpur University'],
  ['पं. रविशंकर शुक्ल विश्वविद्यालय', 'Pt. Ravishankar Shukla University'],
  ['सावित्रीबाई फुले पुणे विश्वविद्यालय', 'Savitribai Phule Pune University'],
  ['सम्पूर्णानन्द संस्कृत विश्वविद्यालय', 'Sampurnanand Sanskrit Vishwavidyalaya'],
  ['गुरु गोबिंद सिंह इंद्रप्रस्थ विश्वविद्यालय', 'Guru Gobind Singh Indraprastha University'],
  ['दिल्ली प्रौद्योगिकी विश्वविद्यालय', 'Delhi Technological University'],
  ['गुजरात प्रौद्योगिकी विश्वविद्यालय', 'Gujarat Technological University'],
  ['डॉ. ए. पी. जे. अब्दुल कलाम प्राविधिक विश्वविद्यालय', 'Dr. A. P. J. Abdul Kalam Technical University'],
  ['पंजाब कृषि विश्वविद्यालय', 'Punjab Agricultural University'],
  ['बिरसा कृषि विश्वविद्यालय', 'Birsa Agricultural University'],
  ['उत्तर प्रदेश राजर्षि टंडन मुक्त विश्वविद्यालय', 'Uttar Pradesh Rajarshi Tandon Open University'],
  ['वर्धमान महावीर खुला विश्वविद्यालय', 'Vardhman Mahaveer Open University'],
  ['मध्य प्रदेश भोज (मुक्त) विश्वविद्यालय', 'Madhya Pradesh Bhoj Open University'],
  ['नालंदा खुला विश्वविद्यालय', 'Nalanda Open University'],
  ['उत्तराखंड मुक्त विश्वविद्यालय', 'Uttarakhand Open University'],
  ['राजस्थान तकनीकी विश्वविद्यालय', 'Rajasthan Technical University'],
  ['हेमवती नंदन बहुगुणा गढ़वाल विश्वविद्यालय', 'Hemvati Nandan Bahuguna Garhwal University'],
  // School boards.
  ['हरियाणा विद्यालय शिक्षा बोर्ड', 'Board of School Education Haryana'],
  ['पंजाब स्कूल शिक्षा बोर्ड', 'Punjab School Education Board'],
  ['माध्यमिक शिक्षा परिषद, उत्तर प्रदेश', 'UP State Board of High School and Intermediate Education'],
  ['बिहार विद्यालय परीक्षा समिति', 'Bihar State Board of School Examination'],
  ['माध्यमिक शिक्षा मंडल, मध्य प्रदेश', 'MP State Board of Secondary Education'],
  ['माध्यमिक शिक्षा बोर्ड राजस्थान', 'Rajasthan Board of Secondary Education'],
  ['छत्तीसगढ़ माध्यमिक शिक्षा मंडल', 'Chhattisgarh State Board of Secondary Education'],
  ['गुजरात माध्यमिक एवं उच्चतर माध्यमिक शिक्षा बोर्ड', 'Gujarat State Board of Secondary And Higher Secondary Education'],
  ['महाराष्ट्र राज्य माध्यमिक एवं उच्च माध्यमिक शिक्षा मंडल', 'Maharashtra State Board of Secondary and Higher Secondary Education'],
  ['गोवा माध्यमिक एवं उच्च माध्यमिक शिक्षा बोर्ड', 'Goa State Board of Secondary and Higher Secondary Education'],
  ['उत्तराखंड विद्यालयी शिक्षा परिषद', 'Uttarakhand State Board of School Education'],
  ['हिमाचल प्रदेश स्कूल शिक्षा बोर्ड', 'Himachal Pradesh Board of School Education', 'H. P. Board Of School Education'],
  ['जम्मू और कश्मीर स्कूल शिक्षा बोर्ड', 'The Jammu and Kashmir Board of School Education'],
  ['झारखंड राज्य बोर्ड (झारखंड अधिविद्य परिषद)', 'Jharkhand State Board (Jharkhand Academic Council)'],
  ['पश्चिम बंगाल माध्यमिक शिक्षा बोर्ड', 'West Bengal Board of Secondary Education'],
  ['पश्चिम बंगाल उच्च माध्यमिक शिक्षा परिषद', 'West Bengal Council of Higher Secondary Education'],
  ['त्रिपुरा माध्यमिक शिक्षा बोर्ड', 'Tripura State Board of Secondary Education'],
  ['असम उच्चतर माध्यमिक शिक्षा परिषद', 'Assam Higher Secondary Education Council'],
  ['मिज़ोरम स्कूल शिक्षा बोर्ड', 'Mizoram State Board of School Education'],
  ['नागालैंड स्कूल शिक्षा बोर्ड', 'Nagaland Board Of School Education'],
  ['कर्नाटक माध्यमिक शिक्षा परीक्षा बोर्ड', 'Karnataka Secondary Education Examination Board'],
  ['केरल लोक सेवा आयोग', 'Kerala Public Service Commission'],
  ['महाराष्ट्र राज्य मुक्त विद्यालय', 'Maharashtra State Open School'],
  ['माध्यमिक शिक्षा बोर्ड', 'Board of Secondary Education'],
  ['उच्च माध्यमिक शिक्षा परिषद', 'Council of Higher Secondary Education'],
  ['इंटरमीडिएट शिक्षा बोर्ड', 'Board of Intermediate Education'],
  ['राज्य शैक्षिक अनुसंधान और प्रशिक्षण परिषद', 'State Council of Educational Research and Training'],
  // State departments (usually followed by ", <State>").
  ['परिवहन विभाग', 'Transport Department'],
  ['मोटर वाहन विभाग', 'Motor Vehicle Department', 'Motor Vehicles Department'],
  ['खाद्य एवं नागरिक आपूर्ति विभाग', 'Food and Civil Supplies Department', 'Food & Civil Supplies Department'],
  ['राजस्व विभाग', 'Revenue Department'],
  ['राजस्व परिषद', 'Board of Revenue'],
  ['श्रम विभाग', 'Labour Department', 'Department of Labour'],
  ['ई-डिस्ट्रिक्ट', 'eDistrict', 'e-District', 'Edistrict'],
  ['सामान्य प्रशासन विभाग', 'General Administration Department'],
  ['श्रम संसाधन विभाग', 'Labour Resource Department'],
  ['सूचना प्रौद्योगिकी निदेशालय, त्रिपुरा सरकार', 'Directorate of Information Technology, Government of Tripura'],
  ['जम्मू और कश्मीर आवास एवं शहरी विकास विभाग', 'Jammu and Kashmir Housing and Urban Development Department'],
  ['कर्नाटक औद्योगिक क्षेत्र विकास बोर्ड', 'Karnataka Industrial Areas Development Board'],
  ['गुजरात औद्योगिक विकास निगम', 'Gujarat Industrial Development Corporation'],
  ['दादरा और नगर हवेली और दमन और दीव संघ राज्य क्षेत्र प्रशासन', 'UT Administration of Dadra and Nagar Haveli and Daman and Diu'],
];

/**
 * Institution series whose members are named "<series> <place>" (with or without a comma):
 * "Indian Institute of Technology Kanpur", "National Institute Of Technology, Hamirpur".
 */
const SERIES: Entry[] = [
  ['भारतीय प्रौद्योगिकी संस्थान', 'Indian Institute of Technology'],
  ['राष्ट्रीय प्रौद्योगिकी संस्थान', 'National Institute of Technology'],
  ['भारतीय प्रबंध संस्थान', 'Indian Institute of Management'],
  ['भारतीय सूचना प्रौद्योगिकी संस्थान', 'Indian Institute of Information Technology'],
  ['भारतीय विज्ञान शिक्षा एवं अनुसंधान संस्थान', 'Indian Institute of Science Education and Research', 'Indian Institute of Science Education & Research'],
  ['राष्ट्रीय औषधीय शिक्षा एवं अनुसंधान संस्थान', 'National Institute of Pharmaceutical Education and Research'],
  ['राष्ट्रीय औषधीय शिक्षा एवं अनुसंधान संस्थान (NIPER)', 'National Institute of Pharmaceutical Education and Research (NIPER)'],
  ['अखिल भारतीय आयुर्विज्ञान संस्थान', 'All India Institute of Medical Sciences', 'All India Institute of Medical Science', 'AIIMS'],
  ['राष्ट्रीय विधि विश्वविद्यालय', 'National Law University'],
  ['ई-डिस्ट्रिक्ट', 'eDistrict', 'e-District', 'Edistrict'],
];

/** Places that follow a name: the states (as `STATE_NAMES_HI` has them, and other spellings) and cities. */
const PLACES: Entry[] = [
  ...Object.entries(STATE_NAMES_HI).map(([en, hi]) => [hi, en] as const),
  ['जम्मू और कश्मीर', 'Jammu and Kashmir', 'J&K'],
  ['दमन और दीव', 'Daman & Diu', 'Daman and Diu'],
  ['दादरा और नगर हवेली', 'Dadra & Nagar Haveli', 'Dadra and Nagar Haveli'],
  ['अंडमान और निकोबार द्वीपसमूह', 'Andaman & Nicobar Islands', 'Andaman and Nicobar Islands'],
  ['ओडिशा', 'Orissa'],
  ['नई दिल्ली', 'New Delhi'],
  ['अगरतला', 'Agartala'],
  ['अहमदाबाद', 'Ahmedabad'],
  ['अजमेर', 'Ajmer'],
  ['अलीगढ़', 'Aligarh'],
  ['इलाहाबाद', 'Allahabad'],
  ['अमृतसर', 'Amritsar'],
  ['बेंगलुरु', 'Bengaluru'],
  ['बैंगलोर', 'Bangalore'],
  ['भोपाल', 'Bhopal'],
  ['भुवनेश्वर', 'Bhubaneswar'],
  ['बिलासपुर', 'Bilaspur'],
  ['बोधगया', 'Bodh Gaya'],
  ['कालीकट', 'Calicut'],
  ['चेन्नई', 'Chennai'],
  ['कटक', 'Cuttack'],
  ['देहरादून', 'Dehradun'],
  ['धारवाड़', 'Dharwad'],
  ['गांधीनगर', 'Gandhinagar'],
  ['गोरखपुर', 'Gorakhpur'],
  ['गुवाहाटी', 'Guwahati'],
  ['ग्वालियर', 'Gwalior'],
  ['हमीरपुर', 'Hamirpur'],
  ['हैदराबाद', 'Hyderabad'],
  ['इंफाल', 'Imphal'],
  ['इंदौर', 'Indore'],
  ['जबलपुर', 'Jabalpur'],
  ['जयपुर', 'Jaipur'],
  ['जालंधर', 'Jalandhar'],
  ['जमशेदपुर', 'Jamshedpur'],
  ['जम्मू', 'Jammu'],
  ['जोधपुर', 'Jodhpur'],
  ['जोरहाट', 'Jorhat'],
  ['कल्याणी', 'Kalyani'],
  ['कानपुर', 'Kanpur'],
  ['खड़गपुर', 'Kharagpur'],
  ['कोलकाता', 'Kolkata'],
  ['कोटा', 'Kota'],
  ['कोट्टयम', 'Kottayam'],
  ['कोझिकोड', 'Kozhikode'],
  ['कुरुक्षेत्र', 'Kurukshetra'],
  ['लखनऊ', 'Lucknow'],
  ['लुधियाना', 'Ludhiana'],
  ['मद्रास', 'Madras'],
  ['मंगलगिरि', 'Mangalagiri'],
  ['मोहाली', 'Mohali'],
  ['मोतिहारी', 'Motihari'],
  ['मुंबई', 'Mumbai'],
  ['मैसूरु', 'Mysuru'],
  ['मैसूर', 'Mysore'],
  ['नागपुर', 'Nagpur'],
  ['नैनीताल', 'Nainital'],
  ['पटना', 'Patna'],
  ['पटियाला', 'Patiala'],
  ['पालक्काड', 'Palakkad'],
  ['प्रयागराज', 'Prayagraj'],
  ['पुणे', 'Pune'],
  ['रायबरेली', 'Raebareli'],
  ['रायपुर', 'Raipur'],
  ['रांची', 'Ranchi'],
  ['ऋषिकेश', 'Rishikesh'],
  ['रोहतक', 'Rohtak'],
  ['रुड़की', 'Roorkee'],
  ['रोपड़', 'Ropar'],
  ['राउरकेला', 'Rourkela'],
  ['संबलपुर', 'Sambalpur'],
  ['शिमला', 'Shimla'],
  ['सिलचर', 'Silchar'],
  ['सिरमौर', 'Sirmaur'],
  ['श्रीनगर', 'Srinagar'],
  ['सूरत', 'Surat'],
  ['तेजपुर', 'Tezpur'],
  ['तिरुवनंतपुरम', 'Thiruvananthapuram'],
  ['तिरुचिरापल्ली', 'Tiruchirappalli'],
  ['तिरुपति', 'Tirupati'],
  ['उज्जैन', 'Ujjain'],
  ['वाराणसी', 'Varanasi'],
  ['विशाखापत्तनम', 'Visakhapatnam'],
  ['वारंगल', 'Warangal'],
  ['हाजीपुर', 'Hajipur'],
  ['सेनापति', 'Senapati'],
  ['सोनीपत', 'Sonepat'],
  ['शिबपुर', 'Shibpur'],
  ['महेंद्रगढ़', 'Mahendergarh'],
  ['तिरुवारूर', 'Thiruvarur'],
  ['कासरगोड', 'Kasaragod'],
  ['इज्जतनगर', 'Izatnagar'],
];

const build = (...lists: Entry[][]) => buildDictionary('issuer-names-hi', ...lists);
const NAME = build(NAMES, SERIES);
const SERIES_NAME = build(SERIES);
const PLACE = build(PLACES);

/** "National Testing Agency (NTA)" → ["National Testing Agency", "NTA"]. */
const ACRONYM = /^(.*\S)\s*\(([A-Z][A-Z&.]*[A-Z])\)$/;

function whole(english: string): string | undefined {
  const exact = NAME.get(registryKey(english));
  if (exact !== undefined) return exact;
  const m = ACRONYM.exec(english);
  const base = m ? NAME.get(registryKey(m[1]!)) : undefined;
  return base === undefined ? undefined : `${base} (${m![2]})`;
}

/** The Hindi for an issuer name, if there is one. */
export function issuerHindi(english: string): string | undefined {
  const name = english.trim();
  const known = whole(name);
  if (known !== undefined) return known;
  // "<name>, <place>" (the last comma): "Transport Department, Bihar".
  const comma = name.lastIndexOf(',');
  if (comma > 0) {
    const base = whole(name.slice(0, comma));
    const place = PLACE.get(registryKey(name.slice(comma + 1)));
    if (base !== undefined && place !== undefined) return `${base}, ${place}`;
  }
  // "<series> <place>": "Indian Institute of Technology Kanpur", "eDistrict Assam".
  const words = name.split(/\s+/);
  for (let n = 1; n <= 3 && n < words.length; n++) {
    const series = SERIES_NAME.get(registryKey(words.slice(0, -n).join(' ')));
    const place = PLACE.get(registryKey(words.slice(-n).join(' ')));
    if (series !== undefined && place !== undefined) return `${series} ${place}`;
  }
  return undefined;
}

/**
 * An issuer's name for this page: `text` for places that take text only (<title>,
 * attributes, sentences), `html` for markup — Hindi on a Hindi page when there is some,
 * else the registry's English, inside `<span lang="en">` on a Hindi page. English pages get
 * the name exactly as before (cleaned and cut to `max` by `displayText`).
 */
export function issuerName(ctx: Pick<PageContext, 'lang'>, english: string, max = 200): { text: string; lang?: 'en'; html: SafeHtml } {
  if (ctx.lang === 'en') {
    const text = displayText(english, max);
    return { text, html: html`${text}` };
  }
  const hi = issuerHindi(english);
  if (hi !== undefined) {
    const text = displayText(hi, max);
    return { text, html: html`${text}` };
  }
  const text = displayText(english, max);
  return { text, lang: 'en', html: html`<span lang="en">${text}</span>` };
}
