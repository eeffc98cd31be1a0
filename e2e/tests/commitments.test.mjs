// Ana and Ben, two browser contexts, one commitment: Ben (repairing, on his
// phone) makes a commitment and marks today's occasion kept; Ana, in a
// browser without JavaScript, sees it waiting, says she witnessed it, and
// both of them see the occasion's history and the consistency chart.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { Person, launch } from '../lib/kintsugi.mjs';
import { story } from '../lib/steps.mjs';

const step = story();
let browser;
let ana;
let ben;

const PROMISE = 'I will be home by seven, or call before six if I cannot.';

before(async () => {
  browser = await launch();
  ana = await Person.open(browser, 'ana', { javaScriptEnabled: false });
  ben = await Person.open(browser, 'ben', { mobile: true });
});

after(async () => {
  await browser?.close();
});

step('Ana and Ben make their space', async () => {
  await ana.goto('/signup');
  await ana.signUp('keep-ana');
  await ana.answerSafety();
  await ana.createCouple('hurt');
  const invitation = await ana.makeInvitation();
  await ben.page.goto(invitation);
  await ben.page.getByRole('link', { name: 'Create my account' }).click();
  await ben.signUp('keep-ben');
  await ben.answerSafety();
  await Promise.all([
    ben.page.waitForURL((u) => u.pathname === '/'),
    ben.page.getByRole('button', { name: 'Join' }).click(),
  ]);
});

step('Ben makes a commitment, with the coach reading along', async () => {
  const { page } = ben;
  await ben.goto('/');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/commitments'),
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Commitments' }).click(),
  ]);
  const form = page.locator('form.commitment').first();
  const text = form.getByLabel('What you commit to, in one sentence');
  await text.pressSequentially('You never notice when I try.', { delay: 10 });
  await form.locator('.coach-result mark.concern').first().waitFor();
  await text.fill(PROMISE);
  await form.getByText('Nothing here is likely to hurt.').waitFor();
  await form.getByLabel('Every day').check();
  await form.getByLabel('At what time (optional)').fill('19:00');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/commitments' && u.hash.startsWith('#commitment-')),
    form.getByRole('button', { name: 'Make this commitment' }).click(),
  ]);
  const card = page.locator('article.commitment');
  assert.match(await card.innerText(), new RegExp(PROMISE));
  assert.match(await card.innerText(), /Every day at 19:00/);
  assert.match(await card.innerText(), /Nothing marked yet/);
});

step('Ben marks today kept', async () => {
  const { page } = ben;
  const today = page.locator('#today li.occasion').first();
  assert.match(await today.innerText(), /Today at 19:00/);
  await today.getByLabel('A note for your partner (optional)').fill('Home at ten to seven.');
  await Promise.all([
    page.waitForURL((u) => /^\/commitments\/\d+$/.test(u.pathname) && u.hash.startsWith('#occasion-')),
    today.getByRole('button', { name: 'I kept it' }).click(),
  ]);
  const history = await ben.mainText();
  assert.match(history, /You marked it kept/);
  assert.match(history, /Home at ten to seven\./);
  await ben.screenshot('mobile-commitment-history');
});

step('Ana, without JavaScript, witnesses it from her own browser', async () => {
  const { page } = ana;
  await ana.goto('/commitments');
  const main = await ana.mainText();
  assert.match(main, new RegExp(PROMISE));
  assert.match(main, /keep-ben made it/);
  assert.doesNotMatch(main, /Make a commitment/, 'Ana is not the one repairing');
  const waiting = page.locator('#witness li.occasion').first();
  assert.match(await waiting.innerText(), /keep-ben marked it kept/);
  await waiting.getByLabel('A word on what you saw (optional)').fill('I noticed, thank you.');
  await Promise.all([
    page.waitForURL((u) => /^\/commitments\/\d+$/.test(u.pathname)),
    waiting.getByRole('button', { name: 'I saw it', exact: true }).click(),
  ]);
  const history = await ana.mainText();
  assert.match(history, /keep-ben marked it kept/);
  assert.match(history, /You saw it/);
  assert.match(history, /I noticed, thank you\./);
});

step('Both see the occasion and the consistency chart', async () => {
  for (const person of [ana, ben]) {
    await person.goto('/commitments');
    const chart = person.page.locator('#consistency figure.chart');
    assert.equal(await chart.count(), 1, `${person.name} sees one chart`);
    assert.equal(await chart.locator('path.band.range').count(), 1, 'the likely range is drawn');
    assert.equal(await chart.locator('path.line.me').count(), 1, 'what happened is drawn');
    assert.match(await person.page.locator('#consistency').innerText(), /1 kept and 0 missed/);
    assert.match(await person.page.locator('#consistency').innerText(), /never one number/);
    await person.goto('/');
    assert.match(await person.mainText(), /1 commitment is running\./);
  }
  await ana.goto('/commitments');
  await ana.screenshot('desktop-commitments');
  await ben.goto('/commitments');
  await ben.screenshot('mobile-commitments');
  ana.assertNoProblems();
  ben.assertNoProblems();
});
