// Two partners, two browser contexts: Ana on a laptop, Ben on his phone.
// They pair through the invitation, take the safety check, check in, and
// each sees what they should on the charts — and never the other's private
// check-in. Then a concerning safety answer rests the shared space, and Ana
// learns nothing about why.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { ARTIFACTS, BASE, DESKTOP, PASSWORD, Person, SAFE_ANSWERS, formDay, launch } from '../lib/kintsugi.mjs';
import { story } from '../lib/steps.mjs';

const step = story();
let browser;
let ana;
let ben;
let invitation;
let day;

const ANA_FIRST = 'Told Ben honestly how the evening felt';
const ANA_SECOND = 'Thanked Ben for listening without defending himself';
const ANA_NOTE = 'Harder than I expected, but I said it.';
const BEN_PRIVATE = 'Wrote down what I am still ashamed of';
const BEN_PRIVATE_NOTE = 'Not ready to share this one yet.';

before(async () => {
  browser = await launch();
  ana = await Person.open(browser, 'ana');
  ben = await Person.open(browser, 'ben', { mobile: true });
});

after(async () => {
  await browser?.close();
});

step('Ana signs up, takes the safety check and creates the space as the partner who was hurt', async () => {
  const { page } = ana;
  await ana.goto('/');
  assert.match(await ana.mainText(), /Rebuilding trust, together/);
  await ana.screenshot('desktop-welcome');

  await page.getByRole('link', { name: 'Begin' }).click();
  await page.waitForURL((u) => u.pathname === '/signup');
  await ana.signUp('ana');

  // The safety check comes before anything else.
  assert.equal(new URL(page.url()).pathname, '/safety');
  assert.match(await ana.mainText(), /your partner will never see your answers/);
  await ana.screenshot('desktop-safety-check');
  await ana.answerSafety();

  assert.equal(new URL(page.url()).pathname, '/couple', 'without a couple, the next stop is the couple page');
  await ana.createCouple('hurt');
  assert.match(await ana.mainText(), /You are the partner who was hurt\./);

  invitation = await ana.makeInvitation();
  assert.ok(invitation.startsWith(`${BASE}/join/`), `an invitation link on this server: ${invitation}`);
  assert.match(await ana.mainText(), /It works once, and expires in 7 days/);
  await ana.screenshot('desktop-couple-invitation');
});

step('Ben opens the link on his phone, signs up, takes the safety check and joins', async () => {
  const { page } = ben;
  await page.goto(invitation);
  assert.match(await ben.mainText(), /You have been invited to Kintsugi/);
  await ben.screenshot('mobile-invitation');

  await page.getByRole('link', { name: 'Create my account' }).click();
  await page.waitForURL((u) => u.pathname === '/signup');
  await ben.signUp('ben');

  // Screened privately before the couple is linked, then back to the invitation.
  assert.equal(new URL(page.url()).pathname, '/safety');
  await ben.screenshot('mobile-safety-check');
  await ben.answerSafety();
  assert.equal(page.url(), invitation);
  assert.match(await ben.mainText(), /Join your partner's space/);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/'),
    page.getByRole('button', { name: 'Join' }).click(),
  ]);
  assert.match(await ben.mainText(), /Your path/);
  await ben.screenshot('mobile-home-program');

  await ben.goto('/couple');
  const couple = await ben.mainText();
  assert.match(couple, /You are the partner who is repairing\./);
  assert.match(couple, /Your partner, ana, is the partner who was hurt\./);
  await ben.screenshot('mobile-couple');

  await ana.goto('/couple');
  assert.match(await ana.mainText(), /Your partner, ben, is the partner who is repairing\./);
  await ana.screenshot('desktop-couple');

  // The link worked once: opening it again says so.
  await ana.goto('/');
  assert.match(await ana.mainText(), /Your path/);
  await ana.screenshot('desktop-home-program');
});

step('On the same day Ana checks in and shares it, Ben checks in and keeps it private', async () => {
  await ana.checkIn({
    trust: 4, safety: 6, connection: 5, kind: 'Honesty',
    act: ANA_FIRST, note: ANA_NOTE, visibility: 'shared',
  });
  await ben.checkIn({
    trust: 7, safety: 8, connection: 6, kind: 'Effort',
    act: BEN_PRIVATE, note: BEN_PRIVATE_NOTE, visibility: 'private',
  });
  day = await formDay(ana.page);
  assert.equal(await formDay(ben.page), day, 'both check in for the same day');
  assert.match(day, /^\d{4}-\d{2}-\d{2}$/);
});

step("Ana's charts and list show her own check-in and nothing of Ben's private one", async () => {
  await ana.goto('/checkin');
  const points = await ana.chartPoints();
  assert.deepEqual(points, { charts: 3, me: 3, partner: 0, partnerLines: 0 },
    'one point of hers on each chart, none of his');

  const text = await ana.mainText();
  assert.ok(text.includes(ANA_FIRST), 'her own act is listed');
  assert.ok(text.includes(ANA_NOTE), 'her own note is listed');
  // Not in the words on the page, and not anywhere in the document either.
  const html = await ana.page.content();
  for (const secret of [BEN_PRIVATE, BEN_PRIVATE_NOTE]) {
    assert.ok(!text.includes(secret), `the page does not show "${secret}"`);
    assert.ok(!html.includes(secret), `the document does not carry "${secret}"`);
  }
  // The charts' descriptions and the table behind them agree.
  const desc = await ana.page.locator('figure.chart svg desc').first().textContent();
  assert.match(desc, /ben \(shared\), no check-ins yet/);
  const rows = await ana.page.locator('details.data tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.cells].slice(1).map((c) => c.textContent)));
  assert.deepEqual(rows, [['You', '4', '6', '5']]);
  // Ben's trust (7) is nowhere on her charts.
  const titles = await ana.page.locator('figure.chart svg circle title').allTextContents();
  assert.deepEqual(titles, ['You: 4', 'You: 6', 'You: 5']);
});

step("Ben sees his private check-in and Ana's shared one beside it", async () => {
  await ben.goto('/checkin');
  const points = await ben.chartPoints();
  assert.deepEqual(points, { charts: 3, me: 3, partner: 3, partnerLines: 3 });
  const text = await ben.mainText();
  assert.ok(text.includes(BEN_PRIVATE), 'his own private act');
  assert.ok(text.includes(ANA_FIRST), "Ana's shared act");
  assert.ok(text.includes(ANA_NOTE), "Ana's shared note");
  assert.match(text, /ana \(shared\)/);
  const titles = await ben.page.locator('figure.chart svg circle.dot.partner title').allTextContents();
  assert.deepEqual(titles, ['ana (shared): 4', 'ana (shared): 6', 'ana (shared): 5']);
  await ben.page.locator('details.data summary').click();
  await ben.screenshot('mobile-checkin-charts');
  // A close-up of one chart, without the quick-exit button floating over it.
  const exit = ben.page.locator('.quick-exit');
  await exit.evaluate((a) => { a.hidden = true; });
  await ben.page.locator('figure.chart').first().screenshot({ path: `${ARTIFACTS}/mobile-chart-trust.png` });
  await exit.evaluate((a) => { a.hidden = false; });
});

step('A second check-in the same day amends it and keeps the earlier version in its history', async () => {
  const { page } = ana;
  await ana.goto('/checkin');
  assert.match(await ana.mainText(), /You have checked in today/);
  // The form starts from what she saved.
  assert.equal(await page.getByLabel('What was it?').inputValue(), ANA_FIRST);
  await ana.checkIn({
    trust: 5, safety: 6, connection: 7, kind: 'Kindness',
    act: ANA_SECOND, visibility: 'shared',
  });
  assert.deepEqual(await ana.chartPoints(), { charts: 3, me: 3, partner: 0, partnerLines: 0 },
    'still one check-in for the day');
  await ana.screenshot('desktop-checkin-charts');

  await page.getByRole('link', { name: 'its history' }).click();
  await page.waitForURL((u) => u.pathname === `/checkin/history/${day}`);
  const history = await ana.mainText();
  assert.match(history, /Version 2/);
  assert.match(history, /Version 1/);
  assert.ok(history.includes(ANA_FIRST), 'the earlier version is kept');
  assert.ok(history.includes(ANA_SECOND), 'the new version is there');
  assert.ok(history.indexOf(ANA_SECOND) < history.indexOf(ANA_FIRST), 'newest first');
  await ana.screenshot('desktop-checkin-history');

  // Ben sees the current version, not the one she replaced.
  await ben.goto('/checkin');
  const text = await ben.mainText();
  assert.ok(text.includes(ANA_SECOND));
  assert.ok(!text.includes(ANA_FIRST), 'the replaced version is not shown to the partner');
  // And Ana's history is hers alone.
  ben.expect(404, `/checkin/history/${day}`);
  await ben.goto(`/checkin/history/${day}`);
  assert.ok(!(await ben.mainText()).includes(ANA_FIRST));
});

step('A concerning safety answer shows the calm help page and rests the shared space; Ana sees nothing about it', async () => {
  const { page } = ben;
  await ben.goto('/safety');
  assert.match(await ben.mainText(), /Your last check is current/);
  await ben.answerSafety({ ...SAFE_ANSWERS, afraid: 'yes' });

  const calm = await ben.mainText();
  assert.match(calm, /Your safety comes first/);
  assert.match(calm, /Where to find help/);
  assert.match(calm, /1-800-799-7233/, 'the crisis resources are listed');
  assert.match(calm, /your partner will not see them and will not be told/);
  await ben.screenshot('mobile-safety-rest');

  // The shared space is not entered: no shared entries, no sharing.
  await ben.goto('/checkin');
  const benText = await ben.mainText();
  assert.match(benText, /Your shared space is resting for now/);
  assert.ok(!benText.includes(ANA_SECOND), "Ana's shared check-in rests too");
  assert.equal((await ben.chartPoints()).partner, 0);
  assert.ok(await page.getByLabel('Me and my partner').isDisabled(), 'sharing is off');

  // Ana: only the neutral notice, with no hint of an answer or a check.
  for (const path of ['/', '/checkin', '/couple']) {
    await ana.goto(path);
    const text = await ana.mainText();
    assert.match(text, /Your shared space is resting for now/, `the notice on ${path}`);
    for (const leak of [/concern/i, /afraid/i, /safety comes first/i, /answered/i, /where to find help/i]) {
      assert.doesNotMatch(text, leak, `nothing on ${path} says ${leak}`);
    }
  }
  await ana.goto('/checkin');
  assert.ok(await ana.page.getByLabel('Me and my partner').isDisabled());
  await ana.screenshot('desktop-checkin-resting');

  // Retaking the check with clear answers opens the space again.
  await page.getByRole('link', { name: 'Safety' }).click();
  await page.waitForURL((u) => u.pathname === '/safety');
  assert.match(await ben.mainText(), /Your safety comes first/, 'the calm page stays until retaken');
  await page.getByRole('link', { name: 'Take the check again' }).click();
  await ben.answerSafety();
  await ben.goto('/checkin');
  assert.ok((await ben.mainText()).includes(ANA_SECOND), 'the shared space is open again');
});

step("Yesterday's shared check-in from Ben reaches Ana's chart; today's private one still does not", async () => {
  // Yesterday is entered through the API, as an app on his phone might.
  const token = await apiLogin('ben');
  const yesterday = shiftDay(day, -1);
  const r = await fetch(`${BASE}/api/v1/checkins`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      day: yesterday, trust: 3, safety: 7, connection: 4, act_kind: 'honesty',
      act: 'Answered every question about Friday', visibility: 'shared',
    }),
  });
  assert.equal(r.status, 201, await r.text());
  const anaToken = await apiLogin('ana');
  const r2 = await fetch(`${BASE}/api/v1/checkins`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${anaToken}` },
    body: JSON.stringify({
      day: yesterday, trust: 3, safety: 5, connection: 3, act_kind: 'effort',
      act: 'Stayed in the room when it got hard', visibility: 'shared',
    }),
  });
  assert.equal(r2.status, 201, await r2.text());

  await ana.goto('/checkin');
  assert.deepEqual(await ana.chartPoints(), { charts: 3, me: 6, partner: 3, partnerLines: 3 });
  const text = await ana.mainText();
  assert.ok(text.includes('Answered every question about Friday'));
  assert.ok(!text.includes(BEN_PRIVATE), 'the private one stays private');

  // The picture for the README: Ben's check-in page on a laptop, both partners' lines.
  const laptop = await browser.newContext({
    viewport: DESKTOP, locale: 'en-GB', storageState: await ben.context.storageState(),
  });
  const wide = await laptop.newPage();
  ben.watch(wide);
  await wide.goto(`${BASE}/checkin`);
  assert.equal(await wide.locator('figure.chart svg circle.dot.partner').count(), 6);
  const docs = new URL('../../docs/', import.meta.url).pathname;
  mkdirSync(docs, { recursive: true });
  await wide.screenshot({ path: `${docs}screenshot.png`, fullPage: true });
  await laptop.close();
});

step('Logging out ends the session', async () => {
  const { page } = ana;
  await ana.goto('/');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/'),
    page.getByRole('button', { name: 'Log out' }).click(),
  ]);
  assert.match(await ana.mainText(), /Rebuilding trust, together/);
  await ana.goto('/checkin');
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.getByLabel('Username or e-mail').fill('ana');
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/checkin'),
    page.getByRole('button', { name: 'Log in' }).click(),
  ]);
});

test('No page logged a console error, threw, broke the Content-Security-Policy or failed to load an asset', () => {
  ana.assertNoProblems();
  ben.assertNoProblems();
});

async function apiLogin(username) {
  const r = await fetch(`${BASE}/api/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  const body = await r.text();
  assert.equal(r.status, 200, body);
  return JSON.parse(body).token;
}

function shiftDay(isoDay, days) {
  const d = new Date(`${isoDay}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
