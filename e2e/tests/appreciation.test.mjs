// An appreciation, sent and received: Ana writes one with the coach reading
// along, and Ben finds it on his phone under what his partner sent him.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { Person, launch } from '../lib/kintsugi.mjs';
import { story } from '../lib/steps.mjs';

const step = story();
let browser;
let ana;
let ben;

const THANKS = 'Thank you for making tea this morning. You are so thoughtful.';

before(async () => {
  browser = await launch();
  ana = await Person.open(browser, 'ana');
  ben = await Person.open(browser, 'ben', { mobile: true });
});

after(async () => {
  await browser?.close();
});

step('Ana and Ben make their space', async () => {
  await ana.goto('/signup');
  await ana.signUp('thanks-ana');
  await ana.answerSafety();
  await ana.createCouple('hurt');
  const invitation = await ana.makeInvitation();
  await ben.page.goto(invitation);
  await ben.page.getByRole('link', { name: 'Create my account' }).click();
  await ben.signUp('thanks-ben');
  await ben.answerSafety();
  await Promise.all([
    ben.page.waitForURL((u) => u.pathname === '/'),
    ben.page.getByRole('button', { name: 'Join' }).click(),
  ]);
});

step('Ana sends an appreciation, the coach affirming it as she types', async () => {
  const { page } = ana;
  await ana.goto('/');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/together'),
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Together' }).click(),
  ]);
  await page.getByLabel('Your appreciation').pressSequentially(THANKS, { delay: 5 });
  await page.locator('#coach-result mark.affirm').first().waitFor();
  assert.match(await page.locator('#coach-result').innerText(), /Appreciation/);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/together' && u.hash.startsWith('#appreciation-')),
    page.getByRole('button', { name: 'Send it', exact: true }).click(),
  ]);
  assert.match(await page.locator('#sent').innerText(), new RegExp(THANKS));
  await ana.screenshot('desktop-together');
});

step('Ben receives it', async () => {
  await ben.goto('/together');
  const received = await ben.page.locator('#received').innerText();
  assert.match(received, /From thanks-ana/);
  assert.match(received, new RegExp(THANKS));
  assert.match(await ben.page.locator('#sent').innerText(), /Nothing yet\./);
  await ben.screenshot('mobile-together');
  ana.assertNoProblems();
  ben.assertNoProblems();
});
