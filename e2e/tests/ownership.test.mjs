// Ana and Ben, two browser contexts: each downloads a copy of their data
// (the file holds one's own private journal words and none of the
// partner's private words), then Ben deletes his account after reading
// what will happen, and Ana sees "former partner" where his name was.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before } from 'node:test';

import { PASSWORD, Person, launch } from '../lib/kintsugi.mjs';
import { story } from '../lib/steps.mjs';

const step = story();
let browser;
let ana;
let ben;

const ANA_JOURNAL = 'Tonight the kitchen felt very quiet (driftwoodlantern).';
const BEN_PRIVATE = 'pinecoveprivate';
const BEN_SHARED = 'Made her favourite soup (harbourlight).';

before(async () => {
  browser = await launch();
  ana = await Person.open(browser, 'ana');
  ben = await Person.open(browser, 'ben', { mobile: true });
});

after(async () => {
  await browser?.close();
});

/** Clicks a download link and returns the file's text and suggested name. */
async function download(person, name) {
  const [file] = await Promise.all([
    person.page.waitForEvent('download'),
    person.page.getByRole('link', { name }).click(),
  ]);
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

step('Ana and Ben make their space', async () => {
  await ana.goto('/signup');
  await ana.signUp('own-ana');
  await ana.answerSafety();
  await ana.createCouple('hurt');
  const invitation = await ana.makeInvitation();
  await ben.page.goto(invitation);
  await ben.page.getByRole('link', { name: 'Create my account' }).click();
  await ben.signUp('own-ben');
  await ben.answerSafety();
  await Promise.all([
    ben.page.waitForURL((u) => u.pathname === '/'),
    ben.page.getByRole('button', { name: 'Join' }).click(),
  ]);
});

step('Ana writes in her journal; Ben keeps one check-in private and shares a day', async () => {
  const { page } = ana;
  await ana.goto('/journal');
  await page.getByLabel('lonely', { exact: true }).check();
  await page.getByLabel('In your own words (optional)').fill(ANA_JOURNAL);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/journal'),
    page.getByRole('button', { name: 'Keep this entry' }).click(),
  ]);
  assert.match(await ana.mainText(), /driftwoodlantern/);

  await ben.checkIn({ trust: 4, safety: 7, connection: 5, act: BEN_PRIVATE, visibility: 'private' });
  await ben.checkIn({ trust: 5, safety: 7, connection: 6, act: BEN_SHARED, visibility: 'shared' });
});

step('Ana downloads her copy: her private words are in it, Ben\'s are not', async () => {
  const { page } = ana;
  await ana.goto('/');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/account/export'),
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Your data' }).click(),
  ]);
  assert.match(await ana.mainText(), /What your partner keeps private is not in it/);
  await ana.screenshot('desktop-your-data');

  const html = await download(ana, 'A page to read or print (HTML)');
  assert.match(html.name, /^kintsugi-own-ana-\d{4}-\d{2}-\d{2}\.html$/);
  assert.ok(html.text.includes('driftwoodlantern'), 'her own private journal');
  assert.ok(html.text.includes('harbourlight'), 'what Ben shared');
  assert.ok(!html.text.includes(BEN_PRIVATE), 'never what Ben kept private');
  assert.ok(!/<script|<link|src=/.test(html.text), 'self-contained');

  const json = await download(ana, 'For programs (JSON)');
  const data = JSON.parse(json.text);
  assert.equal(data.format, 'kintsugi-export');
  assert.equal(data.format_version, 1);
  assert.ok(json.text.includes('driftwoodlantern'));
  assert.ok(!json.text.includes(BEN_PRIVATE));

  // Ben's own copy holds his private check-in and none of Ana's journal.
  await ben.goto('/account/export');
  const his = await download(ben, 'Plain text (Markdown)');
  assert.ok(his.text.includes(BEN_PRIVATE));
  assert.ok(!his.text.includes('driftwoodlantern'));
});

step('Ben reads what deleting does, confirms with his password, and is gone', async () => {
  const { page } = ben;
  await ben.goto('/account/export');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/account/delete'),
    page.getByRole('link', { name: 'Read what deleting does' }).click(),
  ]);
  const said = await ben.mainText();
  assert.match(said, /erased for good/);
  assert.match(said, /former partner/);
  assert.match(said, /username becomes free again/);
  await ben.screenshot('mobile-delete-account');

  // A wrong password changes nothing and says so.
  ben.expect(422, '/account/delete');
  await page.getByLabel('I have read what happens').check();
  await page.getByLabel('Your password, to confirm it is you').fill('not my password at all');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/account/delete'),
    page.getByRole('button', { name: 'Delete my account' }).click(),
  ]);
  assert.match(await ben.mainText(), /That is not your password, so nothing was changed/);

  await page.getByLabel('I have read what happens').check();
  await page.getByLabel('Your password, to confirm it is you').fill(PASSWORD);
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await page.getByRole('heading', { name: 'Your account is deleted' }).waitFor();
  await ben.goto('/checkin');
  assert.equal(new URL(page.url()).pathname, '/login', 'logged out');
  ben.assertNoProblems();
});

step('Ana sees "former partner" where Ben\'s name was, and keeps what he shared', async () => {
  await ana.goto('/couple');
  const couple = await ana.mainText();
  assert.match(couple, /former partner/);
  assert.ok(!couple.includes('own-ben'));
  await ana.screenshot('desktop-former-partner');

  await ana.goto('/checkin');
  const checkin = await ana.mainText();
  assert.ok(!checkin.includes('own-ben'));

  await ana.goto('/account/export');
  const md = await download(ana, 'Plain text (Markdown)');
  assert.ok(md.text.includes('harbourlight'), 'what Ben shared stays with Ana');
  assert.ok(md.text.includes('former partner'));
  assert.ok(!md.text.includes('own-ben'));
  assert.ok(!md.text.includes(BEN_PRIVATE));
  ana.assertNoProblems();
});
