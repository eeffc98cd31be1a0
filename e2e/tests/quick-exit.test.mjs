// The quick exit: one click (or Shift three times) leaves for a neutral site,
// and the back button does not bring Kintsugi back.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { BASE, EXIT, Person, launch } from '../lib/kintsugi.mjs';

let browser;
const people = [];

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

async function visitor(name, options) {
  const person = await Person.open(browser, name, options);
  people.push(person);
  return person;
}

/** Opens a few Kintsugi pages one after another, as a person reading would. */
async function browseAround(person) {
  for (const path of ['/', '/signup', '/login', '/safety/help']) {
    await person.goto(path);
  }
  assert.ok(await person.page.evaluate(() => history.length) >= 4, 'there is history to go back to');
}

async function assertOnExitSite(page) {
  await page.waitForURL(EXIT);
  assert.equal(await page.title(), 'Weather today');
}

/** Going back must not show Kintsugi again. */
async function assertBackDoesNotReturn(page) {
  await page.goBack().catch(() => {});
  await assertOnExitSite(page);
  // Give a late navigation the chance to show itself.
  await page.waitForTimeout(300);
  assert.equal(page.url(), EXIT, 'still on the neutral site after going back');
  assert.ok(!page.url().startsWith(BASE));
}

test('The quick-exit button leaves at once, and the back button does not return', async () => {
  const { page } = await visitor('leaver');
  await browseAround(people.at(-1));
  const button = page.getByRole('link', { name: 'Quick exit' });
  assert.ok(await button.isVisible());
  await button.click();
  await assertOnExitSite(page);
  await assertBackDoesNotReturn(page);
  // And again: every step back leads to the neutral site.
  await assertBackDoesNotReturn(page);
});

test('The quick exit is in reach on a phone, on every page', async () => {
  const person = await visitor('phone', { mobile: true });
  for (const path of ['/', '/signup', '/login', '/safety/help', '/join/not-a-token', '/no-such-page']) {
    if (path === '/no-such-page') person.expect(404, path);
    await person.goto(path);
    const box = await person.page.getByRole('link', { name: 'Quick exit' }).boundingBox();
    assert.ok(box, `a quick exit on ${path}`);
    assert.ok(box.y >= 0 && box.y + box.height <= 844 && box.x + box.width <= 390, `on screen on ${path}`);
    assert.ok(box.height >= 24, 'large enough to tap');
  }
  await person.goto('/safety/help');
  await person.screenshot('mobile-help');
});

test('Pressing Shift three times leaves too, and typing capitals in a form does not', async () => {
  const person = await visitor('shifter');
  const { page } = person;
  await browseAround(person);
  await person.goto('/signup');

  // Typing "Ana Lee Smith" with the Shift key held for each capital.
  const field = page.getByLabel('Username or e-mail');
  await field.focus();
  for (const word of ['Ana ', 'Lee ', 'Smith']) {
    await page.keyboard.down('Shift');
    await page.keyboard.press(word[0].toUpperCase());
    await page.keyboard.up('Shift');
    await page.keyboard.type(word.slice(1));
  }
  await page.waitForTimeout(200);
  assert.ok(page.url().startsWith(`${BASE}/signup`), 'still here after typing capitals');
  assert.equal(await field.inputValue(), 'Ana Lee Smith');

  // Two presses are not enough.
  await page.keyboard.press('Shift');
  await page.keyboard.press('Shift');
  await page.waitForTimeout(200);
  assert.ok(page.url().startsWith(BASE), 'two presses do nothing');
  await page.waitForTimeout(1600);

  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift');
  await assertOnExitSite(page);
  await assertBackDoesNotReturn(page);
});

test('Coming back on purpose later works as usual', async () => {
  const person = await visitor('returner');
  const { page } = person;
  await browseAround(person);
  await page.getByRole('link', { name: 'Quick exit' }).click();
  await assertOnExitSite(page);
  // Typing the address again is a deliberate visit, not a step back.
  await person.goto('/');
  await page.waitForTimeout(300);
  assert.equal(new URL(page.url()).origin, new URL(BASE).origin);
  assert.match(await person.mainText(), /Rebuilding trust, together/);
});

test('No page logged a console error, threw, broke the Content-Security-Policy or failed to load an asset', () => {
  for (const person of people) person.assertNoProblems();
});
