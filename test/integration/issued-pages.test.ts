/**
 * The Issued pages without JavaScript, on both stacks: the doc-type form posts to
 * /issued/pull (CSRF required) and lands in Issued with a notice; a failing fetch renders a
 * page with the reason in the citizen's language and a way back (never a broken page); the
 * remove form; hostile names are escaped; the pages ask signed-out visitors to sign in.
 */
import { expect, it } from 'vitest';
import { describeEachStack } from '../support/app.ts';
import { signUpCitizen } from '../support/citizen.ts';
import { useSandbox } from '../support/issued.ts';
import { WebClient } from '../support/web-client.ts';

describeEachStack('issued documents: pages', (get) => {
  useSandbox(get);

  it('signed out: sent to sign in', async () => {
    const res = await get().app.inject({ url: '/issued' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/signin?next=%2Fissued');
  });

  it('fetches through the form, shows it, explains failures in English and Hindi, removes it', async () => {
    const t = get();
    const c = await signUpCitizen(t.app, t.deps, { name: 'Asha Verma', dob: '2006-03-14' });
    const web = new WebClient(t.app);
    web.cookies.set('ol_session', c.cookie.split('=')[1]!);
    const empty = await web.get('/issued');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('No issued documents yet.');
    expect(empty.body).toContain('href="/issuers"');

    await web.get('/issuers/in.gov.cbse/HSCER');
    const noCsrf = await web.post('/issued/pull', { issuer_id: 'in.gov.cbse', doctype: 'HSCER', 'params[rollno]': '2410001', 'params[year]': '2024', consent: 'Y' }, { csrf: false });
    expect(noCsrf.statusCode).toBe(403);

    await web.get('/issuers/in.gov.cbse/HSCER');
    const bad = await web.post('/issued/pull', { issuer_id: 'in.gov.cbse', doctype: 'HSCER', 'params[rollno]': '2419999', 'params[year]': '2024', consent: 'Y' });
    expect(bad.statusCode).toBe(404);
    expect(bad.headers['content-type']).toMatch(/text\/html/);
    expect(bad.body).toContain('The document could not be fetched');
    expect(bad.body).toContain('has no document matching the details you entered');
    // Back on the form, with what was typed and the consent tick kept.
    expect(bad.body).toContain('action="/issued/pull"');
    expect(bad.body).toContain('value="2419999"');
    expect(bad.body).toMatch(/id="consent" name="consent" value="Y" required checked/);
    expect(bad.body).toContain('<title>Error: Class XII Marksheet');

    const hindi = new WebClient(t.app, { lang: 'hi' });
    hindi.cookies.set('ol_session', c.cookie.split('=')[1]!);
    await hindi.get('/issuers/in.gov.cbse/HSCER');
    const badHi = await hindi.post('/issued/pull', { issuer_id: 'in.gov.cbse', doctype: 'HSCER', 'params[rollno]': '12', 'params[year]': '2024', consent: 'Y' });
    expect(badHi.statusCode).toBe(400);
    expect(badHi.body).toContain('कुछ विवरण अपेक्षित रूप में नहीं हैं');
    // The field at fault is marked for screen readers, with its message beside it.
    expect(badHi.body).toMatch(/id="p-rollno" name="params\[rollno\]" value="12"[^>]*aria-invalid="true"/);
    // …and that message is Hindi too, with the parameter's Hindi label (no English sentence left).
    expect(badHi.body).toMatch(/अनुक्रमांक अपेक्षित रूप में नहीं है \(उदाहरण: [^)]+\)।/);
    expect(badHi.body).not.toContain('is not in the expected form');
    const emptyHi = await hindi.post('/issued/pull', { issuer_id: 'in.gov.cbse', doctype: 'HSCER', 'params[rollno]': '', 'params[year]': '1899', consent: 'Y' });
    expect(emptyHi.body).toContain('अनुक्रमांक भरें।');
    expect(emptyHi.body).toContain('वर्ष अपेक्षित रूप में नहीं है (उदाहरण: 2024)।');
    // The API keeps its English sentences and says why by code.
    const api = await t.app.inject({ method: 'POST', url: '/api/v1/issued/pull', headers: c.headers, payload: { issuer_id: 'in.gov.cbse', doctype: 'HSCER', params: { rollno: '12', year: '2024' } } });
    expect(api.statusCode).toBe(400);
    expect(api.json()).toMatchObject({ error: 'invalid_parameter', fields: { rollno: expect.stringContaining('is not in the expected form') }, field_codes: { rollno: 'pattern' } });

    await web.get('/issuers/in.gov.cbse/HSCER');
    const ok = await web.post('/issued/pull', { issuer_id: 'in.gov.cbse', doctype: 'HSCER', 'params[rollno]': '2410001', 'params[year]': '2024', consent: 'Y' });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/issued?done=added');
    const list = await web.follow();
    expect(list.body).toContain('Class XII Marksheet is now in your Issued Documents.');
    // Dates as every page writes them ("13 May 2024"), never a raw 2024-05-13.
    expect(list.body).toMatch(/Central Board of Secondary Education · issued \d{1,2} [A-Z][a-z]{2} \d{4}/);
    // The name came in a flash cookie, shown once.
    expect((await web.get('/issued?done=added')).body).not.toContain('Class XII Marksheet is now');
    expect(list.body).toContain('href="/issued/view/in.gov.cbse-HSCER-20242410001"');
    expect(list.body).toContain('href="/issued/view/in.gov.cbse-HSCER-20242410001?format=xml"');

    // A link cannot put words in the locker's confirmation banner (the name is never read from the URL).
    const spoof = await web.get('/issued?done=added&name=Call%20%2B91%2099999%2099999%20and%20tell%20them%20your%20PIN');
    expect(spoof.body).not.toContain('+91 99999 99999');
    expect(spoof.body).not.toContain('is now in your Issued Documents');

    // In Hindi the document is named in Hindi (the registry's name for its type), everywhere it is named.
    const listHi = await hindi.get('/issued');
    expect(listHi.body).toContain('>कक्षा 12 की अंकतालिका</a>');
    expect(listHi.body).not.toContain('Class XII Marksheet');
    // …and so is its issuer, by its own Hindi name.
    expect(listHi.body).toMatch(/<span class="muted meta">केंद्रीय माध्यमिक शिक्षा बोर्ड · जारी /);
    expect(listHi.body).not.toContain('Central Board of Secondary Education');
    // The dashboard card names both the same way; in English it is unchanged.
    const dashHi = await hindi.get('/dashboard');
    expect(dashHi.body).toMatch(/<li>केंद्रीय माध्यमिक शिक्षा बोर्ड: 1<\/li>/);
    expect(dashHi.body).toContain('>कक्षा 12 की अंकतालिका</a></li>');
    const dash = await web.get('/dashboard');
    expect(dash.body).toContain('<li>Central Board of Secondary Education: 1</li>');
    expect(dash.body).toContain('>Class XII Marksheet</a></li>');
    expect((await hindi.get('/issued/remove?uri=in.gov.cbse-HSCER-20242410001')).body).toContain('कक्षा 12 की अंकतालिका');

    const view = await web.get('/issued/view/in.gov.cbse-HSCER-20242410001');
    expect(view.statusCode).toBe(200);
    expect(view.headers['content-type']).toBe('application/pdf');

    // Remove asks first (getting it back means fetching it again); the list links to the question.
    expect((await web.get('/issued')).body).toContain('href="/issued/remove?uri=in.gov.cbse-HSCER-20242410001"');
    const ask = await web.get('/issued/remove?uri=in.gov.cbse-HSCER-20242410001');
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('Remove Class XII Marksheet from your locker?');
    expect((await web.get('/issued/remove?uri=in.gov.cbse-HSCER-NOTMINE')).statusCode).toBe(404);
    await web.get('/issued/remove?uri=in.gov.cbse-HSCER-20242410001');
    const removed = await web.post('/issued/remove', { uri: 'in.gov.cbse-HSCER-20242410001' });
    expect(removed.statusCode).toBe(303);
    const after = await web.follow();
    expect(after.body).toContain('The document was removed from your locker.');
    expect(after.body).toContain('No issued documents yet.');
  });
});
