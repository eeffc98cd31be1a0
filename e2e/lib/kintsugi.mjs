// The end-to-end harness: a real Chromium, one browser context per person,
// and a watch on every page for console errors, uncaught exceptions,
// Content-Security-Policy violations and failed assets.
//
// `run.sh` starts Kintsugi and a neutral "exit" site and passes their
// addresses in KINTSUGI_E2E_BASE_URL and KINTSUGI_E2E_EXIT_URL.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

export const BASE = (process.env.KINTSUGI_E2E_BASE_URL || '').replace(/\/$/, '');
export const EXIT = process.env.KINTSUGI_E2E_EXIT_URL || '';
if (!BASE || !EXIT) {
  throw new Error('KINTSUGI_E2E_BASE_URL and KINTSUGI_E2E_EXIT_URL must be set: run the suite with e2e/run.sh');
}

const here = dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS = process.env.KINTSUGI_E2E_ARTIFACTS || join(here, '..', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

export const PASSWORD = 'a calm and long phrase';

/** The answers that mean all is well, by question id. */
export const SAFE_ANSWERS = {
  afraid: 'no',
  harmed: 'no',
  threats: 'no',
  control: 'no',
  forced: 'no',
  free_to_disagree: 'yes',
};

export const MOBILE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

/**
 * Runs one SQL statement on the server's database behind its back, as an
 * operator (or a clock we cannot wait for) would.
 */
export function sql(statement) {
  const db = process.env.KINTSUGI_E2E_DATABASE;
  if (!db) { throw new Error('run.sh says where the database is (KINTSUGI_E2E_DATABASE)'); }
  if (db.startsWith('postgres')) {
    execFileSync('psql', [db, '-qc', statement]);
  } else {
    execFileSync('python3', ['-c', 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()', db, statement]);
  }
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

// Runs in every page before its own scripts: CSP violations are reported to
// the console even when the browser would only count them quietly.
const REPORT_CSP = `
  document.addEventListener('securitypolicyviolation', (e) => {
    console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' on ' + location.pathname);
  });
`;

/**
 * One person with their own browser context (cookies, history, storage).
 * Everything that goes wrong in any of their pages lands in `problems`.
 */
export class Person {
  constructor(name, context, page, { mobile }) {
    this.name = name;
    this.context = context;
    this.page = page;
    this.mobile = mobile;
    this.problems = [];
    /** Document responses whose error status a test expects, e.g. a 422 for bad input. */
    this.expectedStatuses = new Set();
  }

  static async open(browser, name, { mobile = false, javaScriptEnabled = true, timezoneId } = {}) {
    const context = await browser.newContext({
      viewport: mobile ? MOBILE : DESKTOP,
      deviceScaleFactor: mobile ? 2 : 1,
      isMobile: mobile,
      hasTouch: mobile,
      javaScriptEnabled,
      locale: 'en-GB',
      timezoneId,
    });
    context.setDefaultTimeout(15_000);
    if (javaScriptEnabled) {
      await context.addInitScript(REPORT_CSP);
    }
    const person = new Person(name, context, null, { mobile });
    context.on('page', (page) => person.watch(page));
    person.page = await context.newPage();
    return person;
  }

  watch(page) {
    const problems = this.problems;
    const where = () => {
      try { return new URL(page.url()).pathname; } catch { return page.url(); }
    };
    page.on('console', (msg) => {
      if (msg.type() !== 'error' && msg.type() !== 'warning') return;
      const text = msg.text();
      // A page answering 4xx on purpose (bad input, a used invitation) is
      // logged by Chromium as a failed resource; it is checked by the test.
      const loc = msg.location();
      const failed = text.match(/^Failed to load resource: the server responded with a status of (\d+)/);
      if (failed && loc.url && this.isExpectedDocument(loc.url, Number(failed[1]))) return;
      if (msg.type() === 'warning' && !/Content.Security.Policy|CSP/i.test(text)) return;
      problems.push(`[${this.name}] console ${msg.type()} on ${where()}: ${text} (${loc.url || ''})`);
    });
    page.on('pageerror', (err) => {
      problems.push(`[${this.name}] uncaught exception on ${where()}: ${err.message}`);
    });
    page.on('requestfailed', (req) => {
      const failure = req.failure()?.errorText || '';
      // Leaving a page (the quick exit does it on purpose) aborts what it was still loading.
      if (failure.includes('ERR_ABORTED')) return;
      if (!req.url().startsWith(BASE)) return;
      problems.push(`[${this.name}] request failed: ${req.method()} ${req.url()} ${failure}`);
    });
    page.on('response', (res) => {
      if (!res.url().startsWith(BASE)) return;
      const status = res.status();
      if (status < 400) return;
      const req = res.request();
      if (req.isNavigationRequest() && this.isExpectedDocument(res.url(), status)) return;
      problems.push(`[${this.name}] ${req.method()} ${res.url()} answered ${status}`);
    });
  }

  isExpectedDocument(url, status) {
    let path;
    try { path = new URL(url).pathname; } catch { return false; }
    return this.expectedStatuses.has(`${status} ${path}`) || this.expectedStatuses.has(`${status} *`);
  }

  /** Declares that `path` may answer `status` (a page showing bad input, for example). */
  expect(status, path = '*') {
    this.expectedStatuses.add(`${status} ${path}`);
  }

  async goto(path) {
    const res = await this.page.goto(BASE + path);
    return res;
  }

  /** Nothing went wrong in any page this person opened. */
  assertNoProblems() {
    assert.deepEqual(this.problems, [], 'no console errors, exceptions, CSP violations or failed assets');
  }

  async screenshot(name) {
    await this.page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  }

  async close() {
    await this.context.close();
  }

  // The flows, as a person would go through them.

  async signUp(username = this.name, password = PASSWORD) {
    const { page } = this;
    if (!new URL(page.url(), BASE).pathname.startsWith('/signup')) {
      await this.goto('/signup');
    }
    await page.getByLabel('Username or e-mail').fill(username);
    await page.getByLabel('Password').fill(password);
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith('/signup')),
      page.getByRole('button', { name: 'Create my account' }).click(),
    ]);
  }

  /** Answers the safety check on the page that shows it. */
  async answerSafety(answers = SAFE_ANSWERS) {
    const { page } = this;
    await assert.doesNotReject(page.waitForURL((u) => u.pathname === '/safety'));
    for (const [question, answer] of Object.entries(answers)) {
      await page.locator(`fieldset#${question} input[value="${answer}"]`).check();
    }
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: 'Continue' }).click(),
    ]);
    await page.waitForLoadState('load');
  }

  async createCouple(role) {
    const labels = {
      hurt: 'I was hurt, and my partner is repairing the trust',
      repairing: 'I broke the trust, and I am here to repair it',
      both: 'We have both hurt each other',
    };
    const { page } = this;
    await page.getByLabel(labels[role]).check();
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: 'Create our space' }).click(),
    ]);
    await page.getByRole('button', { name: /Make an invitation link/ }).waitFor();
  }

  async makeInvitation() {
    const { page } = this;
    await page.getByRole('button', { name: 'Make an invitation link' }).click();
    const link = page.getByLabel('Invitation link');
    await link.waitFor();
    return link.inputValue();
  }

  /** Sets a 0–10 slider with the keyboard, as a person would. */
  async setScale(label, value) {
    const slider = this.page.getByLabel(label);
    await slider.focus();
    await slider.press('Home');
    for (let i = 0; i < value; i++) await slider.press('ArrowRight');
    assert.equal(await slider.inputValue(), String(value));
  }

  /**
   * Fills in and saves the daily check-in. `visibility` is `private` or `shared`.
   */
  async checkIn({ trust, safety, connection, kind = 'Kindness', act, note = '', visibility }) {
    const { page } = this;
    if (new URL(page.url()).pathname !== '/checkin') await this.goto('/checkin');
    await this.setScale('How much do you trust your partner today?', trust);
    await this.setScale('How safe do you feel with your partner today?', safety);
    await this.setScale('How connected do you feel?', connection);
    await page.getByLabel(kind, { exact: true }).check();
    await page.getByLabel('What was it?').fill(act);
    await page.getByLabel('Anything else (optional)').fill(note);
    await page.getByLabel(visibility === 'shared' ? 'Me and my partner' : 'Only me').check();
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/checkin' && u.searchParams.has('saved')),
      page.getByRole('button', { name: "Save today's check-in" }).click(),
    ]);
    assert.match(await this.mainText(), /Your check-in is saved/);
  }

  /** The points drawn on the trend charts, by series. */
  async chartPoints() {
    const { page } = this;
    return {
      charts: await page.locator('figure.chart svg').count(),
      me: await page.locator('figure.chart svg circle.dot.me').count(),
      partner: await page.locator('figure.chart svg circle.dot.partner').count(),
      partnerLines: await page.locator('figure.chart svg path.line.partner').count(),
    };
  }

  async mainText() {
    return this.page.locator('main').innerText();
  }
}

/** The day as the check-in form will send it (set from the browser's clock). */
export async function formDay(page) {
  return page.locator('input[name=day]').inputValue();
}
