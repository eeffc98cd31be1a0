// Ana and Ben, two browser contexts, one conversation: Ana proposes it, Ben
// accepts, Ana speaks and Ben sees it arrive without reloading; Ben feels
// flooded and pauses, and both see when they come back; after the pause
// Ben reflects what he heard and Ana confirms, so the floor passes. On the
// way, the coach reads Ana's draft as she types.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { BASE, Person, launch, sql } from '../lib/kintsugi.mjs';
import { story } from '../lib/steps.mjs';

const step = story();
let browser;
let ana;
let ben;
let talk;

/** Ends every pause now, as if twenty minutes had passed. */
function endPauses() {
  sql('UPDATE conversations SET paused_until = 1 WHERE paused_until IS NOT NULL');
}

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
  await ana.signUp('talk-ana');
  await ana.answerSafety();
  await ana.createCouple('hurt');
  const invitation = await ana.makeInvitation();
  await ben.page.goto(invitation);
  await ben.page.getByRole('link', { name: 'Create my account' }).click();
  await ben.signUp('talk-ben');
  await ben.answerSafety();
  await Promise.all([
    ben.page.waitForURL((u) => u.pathname === '/'),
    ben.page.getByRole('button', { name: 'Join' }).click(),
  ]);
});

step('The coach reads a draft as it is typed, and explains', async () => {
  const { page } = ana;
  await ana.goto('/coach');
  await page.getByLabel('Your words').pressSequentially('You never listen to me.', { delay: 10 });
  const marked = page.locator('#coach-result mark.concern');
  await marked.first().waitFor();
  assert.equal(await marked.first().textContent(), 'You never');
  assert.match(await page.locator('#coach-result').innerText(), /Criticism/);
  assert.match(await page.locator('#coach-result').innerText(), /Perhaps:/);
  await page.getByLabel('Your words').fill('I felt lonely last night. Could we have dinner together on Friday?');
  await page.getByText('Nothing here is likely to hurt.').waitFor();
  await ana.screenshot('desktop-coach');
});

step('Ana proposes a conversation and Ben accepts it', async () => {
  const { page } = ana;
  await ana.goto('/talk');
  await page.getByLabel('What would you like to talk about?').fill('The week of the conference');
  await Promise.all([
    page.waitForURL((u) => /^\/talk\/\d+$/.test(u.pathname)),
    page.getByRole('button', { name: 'Propose it' }).click(),
  ]);
  talk = new URL(page.url()).pathname;
  assert.match(await ana.mainText(), /Waiting for talk-ben to accept/);

  await ben.goto(talk);
  await Promise.all([
    ben.page.waitForLoadState('load'),
    ben.page.getByRole('button', { name: 'Accept' }).click(),
  ]);
  // Ana's page learns of it without a reload.
  // Ana's page learns of it without a reload.
  await page.getByLabel(/Say it briefly/).waitFor();
});

step('Ana speaks, and Ben sees it arrive live', async () => {
  const { page } = ana;
  await page.getByLabel(/Say it briefly/).fill('I felt invisible that week, and I need to know I matter to you.');
  await Promise.all([
    page.waitForLoadState('load'),
    page.getByRole('button', { name: 'Say it' }).click(),
  ]);
  await ben.page.getByText('I felt invisible that week').waitFor();
  await ben.page.getByLabel(/What did you hear/).waitFor();
  await ben.screenshot('mobile-talk-listening');
});

step('Ben is flooded and pauses; both see when they come back', async () => {
  const { page } = ben;
  await page.getByLabel(/Feeling flooded/).selectOption('20');
  await Promise.all([
    page.waitForLoadState('load'),
    page.getByRole('button', { name: 'Pause' }).click(),
  ]);
  assert.match(await ben.mainText(), /Resting\./);
  await ana.page.getByText('Resting.').waitFor();
  assert.match(await ana.mainText(), /talk-ben asked for a pause\. You both come back at/);
  assert.equal(await ben.page.getByLabel(/What did you hear/).count(), 0, 'no turns while resting');
  await ana.screenshot('desktop-talk-resting');
});

step('After the pause, Ben reflects, Ana confirms, and the floor passes', async () => {
  endPauses();
  await ben.goto(talk);
  await ben.page.getByLabel(/What did you hear/).fill('What I heard is that you felt invisible, and you need to know you matter.');
  await Promise.all([
    ben.page.waitForLoadState('load'),
    ben.page.getByRole('button', { name: 'Reflect it back' }).click(),
  ]);
  await ana.goto(talk);
  await Promise.all([
    ana.page.waitForLoadState('load'),
    ana.page.getByRole('button', { name: 'Yes, you heard me' }).click(),
  ]);
  await ben.page.getByLabel(/Say it briefly/).waitFor();
  assert.match(await ben.mainText(), /What I heard is that you felt invisible/);
  await ben.screenshot('mobile-talk-floor-passed');
  ana.assertNoProblems();
  ben.assertNoProblems();
  assert.ok(BASE);
});
