// A person's "today" is their own, wherever they are: the check-in form
// sends the date of the browser's clock, which can be a day either side of
// the server's. Whatever the hour, one of two far-away time zones is on a
// different date from the server's; a check-in from there must be saved and
// drawn on the charts like any other.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Person, formDay, launch } from '../lib/kintsugi.mjs';

let browser;
let eli;
const hour = new Date().getUTCHours();
// UTC+14 is already on tomorrow from 10:00 UTC; UTC-12 still on yesterday until 12:00 UTC.
const zone = hour >= 10 ? 'Pacific/Kiritimati' : 'Etc/GMT+12';

before(async () => {
  browser = await launch();
  eli = await Person.open(browser, 'eli', { timezoneId: zone });
});

after(async () => {
  await browser?.close();
});

test(`A check-in from ${zone}, a day away from the server's date, is saved and on the charts`, async () => {
  await eli.signUp('eli');
  await eli.answerSafety();
  await eli.createCouple('hurt');
  await eli.goto('/checkin');
  const serverDay = new Date().toISOString().slice(0, 10);
  const localDay = await formDay(eli.page);
  assert.notEqual(localDay, serverDay, `the browser in ${zone} is on another date`);

  await eli.checkIn({
    trust: 3, safety: 4, connection: 5, kind: 'Honesty',
    act: 'Said what I needed before bed', visibility: 'private',
  });
  const text = await eli.mainText();
  assert.match(text, /Your check-in is saved/);
  assert.match(text, new RegExp(`You · ${localDay} · private`), 'dated with the day of her own clock');
  assert.deepEqual(await eli.chartPoints(), { charts: 3, me: 3, partner: 0, partnerLines: 0 });
});

test('No page logged a console error, threw, broke the Content-Security-Policy or failed to load an asset', () => {
  eli.assertNoProblems();
});
