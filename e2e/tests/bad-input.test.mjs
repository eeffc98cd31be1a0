// Bad input in the browser: the browser's own checks come first; when they
// are bypassed (an old browser, a tampered form), the server answers with a
// clear message beside the field and keeps what the person typed.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { PASSWORD, Person, SAFE_ANSWERS, launch } from '../lib/kintsugi.mjs';
import { story } from '../lib/steps.mjs';

const step = story();
let browser;
let dana;

before(async () => {
  browser = await launch();
  dana = await Person.open(browser, 'dana');
  // These pages answer 422 on purpose, with the form and its messages.
  dana.expect(422, '/signup');
  dana.expect(422, '/safety');
  dana.expect(422, '/checkin');
});

after(async () => {
  await browser?.close();
});

/** Lets the form reach the server as it is, as a browser without validation would. */
async function skipBrowserChecks(page, selector = 'main form') {
  await page.locator(selector).evaluate((form) => { form.noValidate = true; });
}

step('Sign-up: an empty field is caught by the browser, a short password by the server, and the username stays', async () => {
  const { page } = dana;
  await dana.goto('/signup');
  await page.getByRole('button', { name: 'Create my account' }).click();
  assert.equal(new URL(page.url()).pathname, '/signup');
  const message = await page.getByLabel('Username or e-mail').evaluate((i) => i.validationMessage);
  assert.ok(message.length > 0, 'the browser says the field is required');

  await page.getByLabel('Username or e-mail').fill('dana');
  await page.getByLabel('Password').fill('short');
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Create my account' }).click(),
  ]);
  await page.waitForLoadState('load');
  const text = await dana.mainText();
  assert.match(text, /Please look again at/);
  assert.match(text, /Choose a password of at least 10 characters/);
  assert.equal(await page.getByLabel('Username or e-mail').inputValue(), 'dana', 'the username is kept');
  assert.equal(await page.getByLabel('Password').inputValue(), '', 'a password is never sent back');
  await dana.screenshot('desktop-signup-errors');

  await page.getByLabel('Username or e-mail').fill('dana with spaces');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create my account' }).click();
  await page.waitForLoadState('load');
  assert.match(await dana.mainText(), /no spaces/);
  assert.equal(await page.getByLabel('Username or e-mail').inputValue(), 'dana with spaces');

  await page.getByLabel('Username or e-mail').fill('dana');
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/safety'),
    page.getByRole('button', { name: 'Create my account' }).click(),
  ]);
});

step('Safety check: an unanswered question is named, and the answers given stay chosen', async () => {
  const { page } = dana;
  const { afraid, ...rest } = SAFE_ANSWERS;
  for (const [question, answer] of Object.entries(rest)) {
    await page.locator(`fieldset#${question} input[value="${answer}"]`).check();
  }
  await page.getByRole('button', { name: 'Continue' }).click();
  assert.equal(new URL(page.url()).pathname, '/safety', 'the browser asks for the missing answer first');

  await skipBrowserChecks(page);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForLoadState('load');
  assert.match(await dana.mainText(), /Please look again at/);
  assert.ok(await page.locator('fieldset#afraid .field-error').isVisible(), 'the message is beside the question');
  for (const [question, answer] of Object.entries(rest)) {
    assert.ok(await page.locator(`fieldset#${question} input[value="${answer}"]`).isChecked(), `${question} kept`);
  }
  await page.locator('fieldset#afraid input[value="no"]').check();
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/couple'),
    page.getByRole('button', { name: 'Continue' }).click(),
  ]);
  await dana.createCouple('repairing');
});

step('Check-in: an empty act and a rating out of range get clear messages, and the rest is kept', async () => {
  const { page } = dana;
  await dana.goto('/checkin');
  await page.getByLabel('Effort', { exact: true }).check();
  await page.getByLabel('Anything else (optional)').fill('Keep this note, please.\nIt took a while to write.');
  await page.getByRole('button', { name: "Save today's check-in" }).click();
  assert.equal(new URL(page.url()).pathname, '/checkin');
  assert.ok((await page.getByLabel('What was it?').evaluate((i) => i.validationMessage)).length > 0,
    'the browser asks for the act first');

  // A tampered form: the trust slider turned into a free number field.
  await skipBrowserChecks(page, 'form.checkin');
  await page.locator('#trust-input').evaluate((i) => { i.type = 'number'; i.removeAttribute('max'); });
  await page.locator('#trust-input').fill('11');
  await page.getByRole('button', { name: "Save today's check-in" }).click();
  await page.waitForLoadState('load');

  const text = await dana.mainText();
  assert.match(text, /Please look again at/);
  assert.match(text, /Choose a whole number from 0 to 10\./);
  assert.match(text, /Please fill this in\./);
  assert.ok(await page.locator('#trust .field-error').isVisible(), 'beside the trust scale');
  assert.equal(await page.getByLabel('Anything else (optional)').inputValue(),
    'Keep this note, please.\nIt took a while to write.', 'the note is kept');
  assert.ok(await page.getByLabel('Effort', { exact: true }).isChecked(), 'the kind of act is kept');
  assert.equal(await page.locator('figure.chart').count(), 0, 'nothing was saved');
  await dana.screenshot('desktop-checkin-errors');

  // Too long: the field's limit bypassed.
  await skipBrowserChecks(page, 'form.checkin');
  const long = 'Listened. '.repeat(30);
  await page.getByLabel('What was it?').evaluate((i, v) => { i.removeAttribute('maxlength'); i.value = v; }, long);
  await page.getByRole('button', { name: "Save today's check-in" }).click();
  await page.waitForLoadState('load');
  assert.match(await dana.mainText(), /please keep it to 280/);
  assert.equal(await page.getByLabel('What was it?').inputValue(), long, 'what was typed is kept');

  // Fixed, it saves.
  await page.getByLabel('What was it?').fill('Listened without interrupting');
  await Promise.all([
    page.waitForURL((u) => u.searchParams.has('saved')),
    page.getByRole('button', { name: "Save today's check-in" }).click(),
  ]);
  assert.match(await dana.mainText(), /Listened without interrupting/);
  assert.equal(await page.getByLabel('Anything else (optional)').inputValue(),
    'Keep this note, please.\nIt took a while to write.');
});

test('No page logged a console error, threw, broke the Content-Security-Policy or failed to load an asset', () => {
  dana.assertNoProblems();
});
