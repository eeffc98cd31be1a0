// Kintsugi works without JavaScript: sign up, the safety check, a couple's
// space and the daily check-in with its charts, all in plain HTML forms.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { EXIT, Person, launch } from '../lib/kintsugi.mjs';
import { story } from '../lib/steps.mjs';

const step = story();
let browser;
let cleo;

before(async () => {
  browser = await launch();
  cleo = await Person.open(browser, 'cleo', { javaScriptEnabled: false, mobile: true });
});

after(async () => {
  await browser?.close();
});

step('Without JavaScript: sign up, take the safety check and create a space', async () => {
  await cleo.signUp('cleo');
  await cleo.answerSafety();
  assert.equal(new URL(cleo.page.url()).pathname, '/couple');
  await cleo.createCouple('both');
  assert.match(await cleo.mainText(), /You are both hurt and repairing\./);
});

step('Without JavaScript: check in and see it on the charts', async () => {
  await cleo.goto('/checkin');
  assert.ok(await cleo.page.getByLabel('Me and my partner').isDisabled(), 'nothing to share before a partner joins');
  // Scripts really are off: the number beside a slider does not follow it.
  await cleo.setScale('How much do you trust your partner today?', 8);
  assert.equal(await cleo.page.locator('#trust output').textContent(), '5');
  await cleo.checkIn({
    trust: 6, safety: 9, connection: 5, kind: 'Effort',
    act: 'Cooked dinner and put the phone away', visibility: 'private',
  });
  assert.deepEqual(await cleo.chartPoints(), { charts: 3, me: 3, partner: 0, partnerLines: 0 });
  const text = await cleo.mainText();
  assert.match(text, /Cooked dinner and put the phone away/);
  assert.match(text, /You have checked in today/);
  await cleo.screenshot('mobile-checkin-no-js');
});

step('Without JavaScript the quick exit is a plain link to the neutral site', async () => {
  await cleo.page.getByRole('link', { name: 'Quick exit' }).click();
  await cleo.page.waitForURL(EXIT);
});

test('No page failed to load an asset', () => {
  cleo.assertNoProblems();
});
