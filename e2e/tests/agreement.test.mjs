// Ana and Ben, two browser contexts, one agreement: Ana proposes a boundary
// (the coach reading along as she types), Ben sees it waiting and consents,
// and both of them see version 1 — on the agreement page and on the copy
// to print.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { Person, launch } from '../lib/kintsugi.mjs';
import { story } from '../lib/steps.mjs';

const step = story();
let browser;
let ana;
let ben;

const BOUNDARY = 'We tell each other when plans change, before they change.';

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
  await ana.signUp('agree-ana');
  await ana.answerSafety();
  await ana.createCouple('hurt');
  const invitation = await ana.makeInvitation();
  await ben.page.goto(invitation);
  await ben.page.getByRole('link', { name: 'Create my account' }).click();
  await ben.signUp('agree-ben');
  await ben.answerSafety();
  await Promise.all([
    ben.page.waitForURL((u) => u.pathname === '/'),
    ben.page.getByRole('button', { name: 'Join' }).click(),
  ]);
});

step('Ana proposes a boundary, with the coach reading along', async () => {
  const { page } = ana;
  await ana.goto('/');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/agreement'),
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Boundaries' }).click(),
  ]);
  assert.match(await ana.mainText(), /Nothing is agreed yet/);
  const text = page.getByLabel('The boundary, in one sentence');
  await text.pressSequentially('You never tell me anything.', { delay: 10 });
  await page.locator('#coach-result mark.concern').first().waitFor();
  await text.fill(BOUNDARY);
  await page.getByText('Nothing here is likely to hurt.').waitFor();
  await page.getByLabel('Why it matters to you (optional)').fill('Surprises are hard for me right now.');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/agreement' && u.hash.startsWith('#proposal-')),
    page.getByRole('button', { name: 'Propose it' }).click(),
  ]);
  const main = await ana.mainText();
  assert.match(main, /Waiting for agree-ben to answer\./);
  assert.match(main, /Nothing is agreed yet/, 'nothing takes effect before Ben consents');
});

step('Ben sees it waiting and consents', async () => {
  const { page } = ben;
  await ben.goto('/agreement');
  const proposal = page.locator('article.proposal');
  assert.match(await proposal.innerText(), new RegExp(BOUNDARY));
  assert.match(await proposal.innerText(), /from agree-ana/);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/agreement' && u.hash === '#current'),
    proposal.getByRole('button', { name: 'I consent' }).click(),
  ]);
  const current = await page.locator('#current').innerText();
  assert.match(current, /Version 1, agreed on/);
  assert.match(current, new RegExp(BOUNDARY));
  assert.match(await ben.mainText(), /Nothing is waiting\./);
  await ben.screenshot('mobile-agreement');
});

step('Both see version 1, and the same copy to print', async () => {
  await ana.goto('/agreement');
  const current = await ana.page.locator('#current').innerText();
  assert.match(current, /Version 1, agreed on/);
  assert.match(current, new RegExp(BOUNDARY));
  assert.match(current, /You proposed the latest change and agree-ben consented\./);
  assert.match(await ana.page.locator('#history').innerText(), /Version 1 · .* · Added “We tell each other when plans change/);
  await ana.screenshot('desktop-agreement');

  for (const person of [ana, ben]) {
    await person.goto('/agreement/print');
    const sheet = await person.page.locator('article.print-sheet').innerText();
    assert.match(sheet, /Our agreement/);
    assert.match(sheet, /version 1/);
    assert.match(sheet, new RegExp(BOUNDARY));
    assert.match(sheet, /This version was proposed by agree-ana and consented to by agree-ben on/);
  }
  // Printing leaves the navigation and the quick exit off the paper.
  await ana.page.emulateMedia({ media: 'print' });
  assert.equal(await ana.page.locator('header.site').isVisible(), false);
  assert.equal(await ana.page.locator('article.print-sheet').isVisible(), true);
  await ana.screenshot('desktop-agreement-print');
  await ana.page.emulateMedia({ media: 'screen' });
  ana.assertNoProblems();
  ben.assertNoProblems();
});
