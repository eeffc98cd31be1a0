// Ana and Ben, two browser contexts, lay something to rest: Ana names it
// privately and then shares it, both say they are ready (Ana takes it back
// once and says it again), each writes what they carry forward, and then a
// message Ben drafts that names it gets the coach's gentle note.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { Person, launch } from '../lib/kintsugi.mjs';
import { story } from '../lib/steps.mjs';

const step = story();
let browser;
let ana;
let ben;

const NAME = 'the Porto weekend';

before(async () => {
  browser = await launch();
  ana = await Person.open(browser, 'ana');
  ben = await Person.open(browser, 'ben', { mobile: true });
});

after(async () => {
  await browser?.close();
});

/** Presses a form's button and waits for the page it leads to. */
async function click(person, name) {
  const { page } = person;
  await Promise.all([
    page.waitForEvent('load'),
    page.getByRole('button', { name }).click(),
  ]);
  assert.equal(new URL(page.url()).pathname, '/past');
}

step('Ana and Ben make their space', async () => {
  await ana.goto('/signup');
  await ana.signUp('rest-ana');
  await ana.answerSafety();
  await ana.createCouple('hurt');
  const invitation = await ana.makeInvitation();
  await ben.page.goto(invitation);
  await ben.page.getByRole('link', { name: 'Create my account' }).click();
  await ben.signUp('rest-ben');
  await ben.answerSafety();
  await Promise.all([
    ben.page.waitForURL((u) => u.pathname === '/'),
    ben.page.getByRole('button', { name: 'Join' }).click(),
  ]);
});

step('Ana names it privately; Ben does not see it until she shares it', async () => {
  const { page } = ana;
  await ana.goto('/');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/past'),
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Letting go' }).click(),
  ]);
  await page.getByLabel('A name for it').fill(NAME);
  await page.getByLabel('What happened (optional)').fill('The weekend I stopped answering and you did not know where I was.');
  await click(ana, 'Keep it');
  assert.match(await page.locator('#private').innerText(), /the Porto weekend/);

  await ben.goto('/past');
  assert.doesNotMatch(await ben.mainText(), /Porto/);

  await click(ana, 'Share it with rest-ben');
  await ben.goto('/past');
  assert.match(await ben.page.locator('#shared').innerText(), /the Porto weekend/);
});

step('Both say they are ready; Ana takes it back once and says it again', async () => {
  await click(ana, 'I am ready to lay this to rest');
  assert.match(await ana.mainText(), /You have said you are ready to lay this to rest\. rest-ben is not told/);
  await ben.goto('/past');
  assert.doesNotMatch(await ben.mainText(), /You have said you are ready/, 'Ben is not told, and not hurried');

  await click(ana, 'I am not ready after all');
  assert.match(await ana.mainText(), /When, and only when, you feel ready/);

  await click(ben, 'I am ready to lay this to rest');
  assert.match(await ben.mainText(), /You have said you are ready/);
  await ana.goto('/past');
  await click(ana, 'I am ready to lay this to rest');
  const rest = await ana.page.locator('#at-rest').innerText();
  assert.match(rest, /the Porto weekend/);
  assert.match(rest, /Laid to rest together on/);
});

step('Each writes what they carry forward; both see both once both wrote', async () => {
  await ana.page.getByLabel('What I carry forward').fill('That we can find our way back when we tell each other where we are.');
  await click(ana, 'Keep my words');
  assert.match(await ana.mainText(), /shown side by side once you have both written/);

  await ben.goto('/past');
  assert.doesNotMatch(await ben.mainText(), /find our way back/, 'Ana\'s words wait for Ben\'s');
  await ben.page.getByLabel('What I carry forward').fill('A promise to say where I am before anyone has to ask.');
  await click(ben, 'Keep my words');
  await ben.screenshot('mobile-letting-go');
  for (const person of [ana, ben]) {
    await person.goto('/past');
    const carried = await person.page.locator('#at-rest .carried').innerText();
    assert.match(carried, /find our way back/);
    assert.match(carried, /before anyone has to ask/);
  }
  await ana.screenshot('desktop-letting-go');
});

step('A message Ben drafts about it gets the gentle note', async () => {
  const { page } = ben;
  await ben.goto('/messages');
  await page.getByLabel('Your message').pressSequentially('I still think about the Porto weekend sometimes.', { delay: 10 });
  await page.locator('#coach-result mark.note').first().waitFor();
  const note = await page.locator('#coach-result').innerText();
  assert.match(note, /Something laid to rest/);
  assert.match(note, /which you both chose to lay to rest/);

  // Sent without JavaScript's help, it is held once so the note is seen.
  await Promise.all([
    page.waitForEvent('load'),
    page.getByRole('button', { name: 'Send', exact: true }).click(),
  ]);
  assert.match(await ben.mainText(), /These words go back to something you both laid to rest/);
  await page.getByLabel('Your message').fill('I feel close to you today.');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/messages' && u.hash.startsWith('#message-')),
    page.getByRole('button', { name: 'Send', exact: true }).click(),
  ]);
  await ana.goto('/messages');
  assert.match(await ana.mainText(), /I feel close to you today\./);
  assert.doesNotMatch(await ana.mainText(), /I still think about the Porto weekend/, 'nothing was sent until Ben chose');
  ana.assertNoProblems();
  ben.assertNoProblems();
});
