// The transparency log, verified in the partner's own browser. Ben, who is
// repairing, records a disclosure; Ana's browser has never seen the log, so
// it trusts what it sees and says so. Ben records another: on Ana's next
// visit her browser proves, with a consistency proof, that the log only
// grew. Then the log is rewritten behind Kintsugi's back — Ben's second
// entry removed and another written in its place, properly signed — and
// Ana's browser refuses it, showing both checkpoints.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { Person, launch, sql } from '../lib/kintsugi.mjs';
import { story } from '../lib/steps.mjs';

const step = story();
let browser;
let ana;
let ben;

before(async () => {
  browser = await launch();
  ana = await Person.open(browser, 'ana', { mobile: true });
  ben = await Person.open(browser, 'ben');
});

after(async () => {
  await browser?.close();
});

async function record(text, category = 'Where I was') {
  const { page } = ben;
  await ben.goto('/transparency');
  await page.getByLabel('What is it about?').selectOption({ label: category });
  await page.getByLabel('When').fill('2026-11-20T19:05');
  await page.getByLabel('What happened').fill(text);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/transparency'),
    page.getByRole('button', { name: 'Record it' }).click(),
  ]);
  await page.getByText(text).waitFor();
}

/** Ana opens the log; resolves with the panel once her browser has decided. */
async function anaChecks() {
  await ana.goto('/transparency');
  const panel = ana.page.locator('#log-check');
  await ana.page.waitForFunction(
    () => !['pending', null].includes(document.getElementById('log-check').getAttribute('data-status')),
  );
  return { status: await panel.getAttribute('data-status'), text: await panel.innerText() };
}

step('Ana and Ben make their space', async () => {
  await ana.goto('/signup');
  await ana.signUp('log-ana');
  await ana.answerSafety();
  await ana.createCouple('hurt');
  const invitation = await ana.makeInvitation();
  await ben.page.goto(invitation);
  await ben.page.getByRole('link', { name: 'Create my account' }).click();
  await ben.signUp('log-ben');
  await ben.answerSafety();
  await Promise.all([
    ben.page.waitForURL((u) => u.pathname === '/'),
    ben.page.getByRole('button', { name: 'Join' }).click(),
  ]);
});

step('Ben makes something known; Ana\'s browser trusts its first sight of the log', async () => {
  await record('At the office until nine, then straight home.');
  const first = await anaChecks();
  assert.equal(first.status, 'first', first.text);
  assert.match(first.text, /first time this browser has seen this log/);
  assert.match(await ana.mainText(), /✓ entry 1 verified/);
  assert.equal(await ana.page.getByRole('button', { name: 'Record it' }).count(), 0, 'only Ben writes');
});

step('The log grows, and Ana\'s browser proves it only grew', async () => {
  await record('J. called about the handover; we spoke for ten minutes.', 'Contact with someone');
  const again = await anaChecks();
  assert.equal(again.status, 'verified', again.text);
  assert.match(again.text, /has grown to 2/);
  assert.match(await ana.mainText(), /✓ entry 2 verified/);
  await ana.screenshot('mobile-transparency');
});

step('A log rewritten behind Kintsugi\'s back is refused, with both checkpoints', async () => {
  // Remove the second entry with its hashes and its checkpoint…
  sql('DELETE FROM disclosures WHERE position = 1');
  sql('DELETE FROM log_hashes WHERE position >= 1');
  sql('DELETE FROM log_checkpoints WHERE size = 2');
  // …and let a different second entry be written and signed.
  await record('Nothing happened worth mentioning.', 'Something else');
  const refused = await anaChecks();
  assert.equal(refused.status, 'failed', refused.text);
  assert.match(refused.text, /could not be verified/);
  assert.match(refused.text, /rewritten/);
  assert.match(refused.text, /The checkpoint this browser verified on/);
  assert.match(refused.text, /The checkpoint the server shows now/);
  // What the browser remembers is kept, so the next visit still refuses.
  const still = await anaChecks();
  assert.equal(still.status, 'failed', still.text);
  await ana.screenshot('mobile-transparency-refused');
});
