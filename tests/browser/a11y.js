// WCAG 2.2 AA on every page the intake serves, as a reporter's browser gets
// it: headless Chromium with JavaScript OFF, in English and Welsh, at 320 px
// (WCAG 1.4.10's narrowest phone) and 1280 px. axe-core (pinned in
// package.json) is injected by this test through the DevTools protocol, so
// the page itself never carries or loads it; with page scripts off its
// timers would never fire, so the injected copy gets setTimeout as a
// microtask. When OUT names a directory, each page and width gets a
// full-page screenshot there (LANG-PAGE-WIDTH.jpg): they are for people to
// look at, no check reads them, and taking them was about half of the
// test's CPU (tests/README.md), so they are taken only when asked.
// Every request is routed through a check: one that would leave 127.0.0.1
// is aborted and fails the test. Before the real run the test proves that
// both checks fire (a planted contrast failure; a request to 192.0.2.1).
// One browser; the walk is cut into independent visits (each starts with
// no cookies), run A11Y_TABS at a time in tabs side by side; nothing waits
// a fixed time. The default is one tab: each tab is a renderer of its own
// that warms axe up again, and with two cores busy (make check) the tabs
// only share them; measured by a subreaper over the whole tree, 1 tab took
// about 75 s of CPU where 2 took 89 and 4 took 98-115, in about the same
// wall time at load 22-28 (chromium --headless; one tab of the headless
// shell, launch.js, 58-61 s). On an idle machine A11Y_TABS=4 is quicker.
// Run by tests/e2e/52-browser-a11y.sh with URL (the intake, --max-upload
// 100000), URL_FULL (one below its free-space floor), URL_BUSY (--budget 1,
// spent), URL_GONE (where nobody may read GONE's messages), the receipts
// OPEN and CLOSED (a concern the reviewers answered and closed) of URL,
// BUSY of URL_BUSY and GONE of URL_GONE, and OUT (empty: no screenshots).
// OPEN and GONE hold one receipt for each language, English first
// (entering a receipt ends the other sessions of it).
'use strict';
const path = require('path');
const { launch } = require('./launch');
const W = require('./axe-world');

const E = process.env;
const { URL: BASE, URL_FULL, URL_BUSY, URL_GONE, OUT, CLOSED } = E;
const LANGS = ['en', 'cy'];
const TABS = Math.max(1, parseInt(E.A11Y_TABS || '1', 10) || 1);
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const WIDTHS = [320, 1280];
const RUN = `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(TAGS)} },
  resultTypes: ['violations'] }).then((r) => r.violations.map((v) => v.id + ' (' + v.impact + '): ' +
  v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')))`;

const T0 = Date.now();
const problems = [];
const away = [];
let audited = 0;

// axe lives in an isolated world of its own in each tab (axe-world.js):
// compiled as each document is made, never in the page's own world.
const newTab = (ctx) => W.newTab(ctx, 'a11y');
const axe = (page) => W.axeIn(page, RUN, HANG_MS);

// The page as loaded: axe at each width (a screenshot of each when OUT is
// set), and the status the test meant to reach (a wrong page audited proves
// nothing).
async function audit(page, lang, name, status, got) {
  if (got !== status) problems.push(`${lang} ${name}: HTTP ${got}, want ${status}`);
  const html = await page.evaluate(() => document.documentElement.lang);
  if (html !== lang) problems.push(`${lang} ${name}: <html lang="${html}">`);
  const t = [];
  for (const w of WIDTHS) {
    await page.setViewportSize({ width: w, height: 800 });
    t.push(Date.now());
    for (const v of await axe(page)) problems.push(`${lang} ${name} ${w}px: ${v}`);
    t.push(Date.now());
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    if (wide > w) problems.push(`${lang} ${name} ${w}px: the page is ${wide}px wide`);
    // JPEG: a full page at 1280 px encodes in half the time of a PNG
    if (OUT) await page.screenshot({ path: path.join(OUT, `${lang}-${name}-${w}.jpg`), type: 'jpeg', quality: 80,
      fullPage: true });
    t.push(Date.now());
    audited++;
  }
  if (E.A11Y_DEBUG) console.log(`  ${lang} ${name}: axe ${t[1] - t[0]} + ${t[4] - t[3]} ms, shot ${t[2] - t[1]} + ${t[5] - t[4]} ms`);
  console.log(`ok: ${lang} ${name} (${status}) ${Date.now() - T0} ms`);
}

async function go(page, url) {
  const r = await page.goto(url);
  if (process.env.A11Y_DEBUG) console.log(`  ${Date.now() - T0} ms: GET ${url} ${r.status()} ${await page.title()}`);
  return r.status();
}

// The form's submit button, as a person would press it.
async function submit(page, button = 'main button[type=submit]') {
  const [r] = await Promise.all([page.waitForNavigation(), page.click(button)]);
  return r ? r.status() : 0;
}

async function fillReport(page, what) {
  await page.selectOption('#category', { index: 1 });
  await page.fill('#what', what);
  await page.check('#risk_no');
  await page.check('#raised_no');
}

// A request this test makes the browser send with another method or type
// (a person cannot, with JavaScript off: these are the 405 and 415 pages).
async function goAs(page, url, method, ctype) {
  await page.route(url, (route) => route.continue({ method, postData: 'a=b',
    headers: { ...route.request().headers(), 'content-type': ctype } }), { times: 1 });
  const st = await go(page, url);
  await page.unroute(url);
  return st;
}

// Playwright's 30 s default for each action is a bound on a hang, not on
// speed: under a loaded CI (2026-12-06, load 17-30 beside valgrind and four
// builds) one full-page screenshot took longer and failed the walk with
// every page's checks passing. The e2e script's `timeout` bounds the whole.
const HANG_MS = 120000;
async function newContext(browser) {
  const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 800 } });
  ctx.setDefaultTimeout(HANG_MS);
  await ctx.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith('data:') || new global.URL(u).hostname === '127.0.0.1') return route.continue();
    away.push(u);
    return route.abort();
  });
  return ctx;
}

// The checks can fail: a planted low-contrast line is found, and a request
// off the machine is caught (then forgotten: it was ours).
async function selfTest(page) {
  await go(page, BASE + '/en/transparency');
  await page.evaluate(() => {
    const p = document.createElement('p');
    p.textContent = 'planted';
    p.style.color = '#ccc'; // CSSOM: the page's CSP refuses style attributes
    document.querySelector('main').appendChild(p);
  });
  const v = await axe(page);
  if (!v.some((x) => x.startsWith('color-contrast'))) throw new Error('axe did not find planted low contrast');
  // in a tab of its own: the aborted load's error page would cut into the
  // next visit's first load in this one
  const off = await page.context().newPage();
  await off.goto('http://192.0.2.1/').catch(() => {});
  await off.close();
  const i = away.indexOf('http://192.0.2.1/');
  if (i < 0) throw new Error('a request off 127.0.0.1 was not caught');
  away.splice(i, 1);
}

// Valid reports to the intake at B (--budget 1) until one is refused (at
// most three); the last status.
async function spend(page, B, what) {
  let st = 200;
  for (let i = 0; i < 3 && st === 200; i++) {
    await go(page, B + '/report');
    await fillReport(page, what);
    st = await submit(page);
  }
  return st;
}

const say = (lang, en, cy) => (lang === 'en' ? en : cy);

// The visits, each with its own cookies; any order, side by side.
function visits(lang) {
  const U = `${BASE}/${lang}`;
  const mine = (list) => list.trim().split(/\s+/)[LANGS.indexOf(lang)];
  const OPEN = mine(E.OPEN), GONE = mine(E.GONE);
  const what = say(lang, 'The strategy meeting was never held.', 'Ni chynhaliwyd y cyfarfod strategaeth.');
  return [
    // a message: empty, too large, sent; then the session gone (403).
    // Each page that comes back holds the form again: it is sent from
    // there, as a person would, with no extra page load.
    async (page) => {
      await go(page, U + '/followup');
      await page.fill('#receipt', OPEN);
      await audit(page, lang, 'followup', 200, await submit(page));
      await page.fill('#text', ' ');
      await audit(page, lang, 'followup-400', 400, await submit(page));
      await page.fill('#text', what);
      await page.setInputFiles('#file', { name: 'holiday video.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(150000) });
      await audit(page, lang, 'followup-413', 413, await submit(page));
      await page.setInputFiles('#file', { name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.alloc(45000, 'a') });
      await audit(page, lang, 'sent', 200, await submit(page));
      // the form still on screen when the session ended
      await go(page, U + '/followup');
      await page.context().clearCookies();
      await page.fill('#text', what);
      await audit(page, lang, 'followup-403-expired', 403, await submit(page));
    },
    // the report form sent back: with errors, stale, too large; then taken
    async (page) => {
      await go(page, U + '/report');
      await audit(page, lang, 'report-400', 400, await submit(page));
      await fillReport(page, what);
      await page.evaluate(() => { document.querySelector('input[name=csrf]').value = 'stale'; });
      await audit(page, lang, 'report-403', 403, await submit(page));
      await page.setInputFiles('#file', { name: 'holiday video.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(150000) });
      await audit(page, lang, 'report-413', 413, await submit(page));
      await audit(page, lang, 'receipt', 200, await submit(page));
    },
    async (page) => {
      await audit(page, lang, 'home', 200, await go(page, U + '/'));
      await audit(page, lang, 'report', 200, await go(page, U + '/report'));
      await audit(page, lang, 'enter', 200, await go(page, U + '/followup'));
      await audit(page, lang, 'transparency', 200, await go(page, U + '/transparency'));
    },
    async (page) => {
      await audit(page, lang, 'err-404', 404, await go(page, U + '/no-such-page'));
      await audit(page, lang, 'err-405', 405, await goAs(page, U + '/transparency', 'POST',
        'application/x-www-form-urlencoded'));
      await audit(page, lang, 'err-415', 415, await goAs(page, U + '/report', 'POST', 'text/plain'));
    },
    // the receipt entered wrongly: a check character, not ours
    async (page) => {
      await go(page, U + '/followup');
      await page.fill('#receipt', OPEN.slice(0, -1) + (OPEN.endsWith('7') ? '8' : '7'));
      await audit(page, lang, 'enter-400', 400, await submit(page));
      await go(page, U + '/followup');
      await page.fill('#receipt', 'ABCD-EFGH-JKMN-PQRS-TVWX');
      await audit(page, lang, 'enter-notours', 400, await submit(page));
    },
    // a concern answered and closed (the shell ran the review loop)
    async (page) => {
      await go(page, U + '/followup');
      await page.fill('#receipt', CLOSED);
      await audit(page, lang, 'followup-closed', 200, await submit(page));
    },
    // below the free-space floor: the full pages, and a well-formed
    // receipt this intake never issued (the other one did)
    async (page) => {
      const F = `${URL_FULL}/${lang}`;
      await audit(page, lang, 'full-transparency', 200, await go(page, F + '/transparency'));
      await go(page, F + '/followup');
      await page.fill('#receipt', OPEN);
      await audit(page, lang, 'enter-notfound', 404, await submit(page));
      await go(page, F + '/report');
      await fillReport(page, say(lang, 'Full, but kept.', 'Llawn, ond wedi ei gadw.'));
      await audit(page, lang, 'report-503-full', 503, await submit(page));
    },
    // nobody left who may read a message: the page says so, and a message
    // sent from the form as it was before the key went is refused (409)
    async (page) => {
      const G = `${URL_GONE}/${lang}`;
      await go(page, G + '/followup');
      const csrf = await page.getAttribute('input[name=csrf]', 'value');
      await page.fill('#receipt', GONE);
      await audit(page, lang, 'followup-noreaders', 200, await submit(page));
      if (await page.$('#text')) problems.push(`${lang} gone: a message form although nobody may read it`);
      await page.evaluate(([action, token, text]) => {
        const f = document.createElement('form');
        f.method = 'post';
        f.action = action;
        f.enctype = 'multipart/form-data';
        const c = document.createElement('input');
        c.type = 'hidden';
        c.name = 'csrf';
        c.value = token;
        const t = document.createElement('textarea');
        t.name = 'text';
        t.textContent = text;
        const b = document.createElement('button');
        b.type = 'submit';
        b.id = 'send-anyway';
        b.textContent = 'Send';
        f.append(c, t, b);
        document.querySelector('main').appendChild(f);
      }, [`/${lang}/followup/message`, csrf, what]);
      await audit(page, lang, 'followup-409', 409, await submit(page, '#send-anyway'));
    },
  ];
}

// One submission a minute (--budget 1), spent by the shell: a valid report
// is sent until one is refused, then a message likewise, its text kept (a
// 200 spends what the minute gave back, so the next is refused whatever the
// clock). Both languages in one visit with one receipt: a second receipt
// would take a minute.
async function busy(page) {
  for (const lang of LANGS) {
    const what = say(lang, 'The strategy meeting was never held.', 'Ni chynhaliwyd y cyfarfod strategaeth.');
    await audit(page, lang, 'report-503-busy', 503, await spend(page, `${URL_BUSY}/${lang}`, what));
  }
  await go(page, `${URL_BUSY}/en/followup`);
  await page.fill('#receipt', E.BUSY);
  const st = await submit(page);
  if (st !== 200) problems.push(`busy: the follow-up page gave ${st}`);
  for (const lang of LANGS) {
    const B = `${URL_BUSY}/${lang}`;
    // A message the minute's submission came back for is taken, and
    // spends it: the next one is refused for a minute, whatever the clock.
    let sent = 200;
    for (let i = 0; i < 3 && sent === 200; i++) {
      await go(page, B + '/followup');
      await page.fill('#text', say(lang, 'It happened again.', 'Digwyddodd eto.'));
      sent = await submit(page);
    }
    await audit(page, lang, 'followup-503-busy', 503, sent);
  }
}

// Runs the jobs TABS at a time. Each tab keeps its context (and so its
// renderer process and its axe world) from job to job; the cookies, all the
// state a visit has, are cleared between jobs.
async function pool(browser, jobs) {
  let next = 0;
  async function worker() {
    const ctx = await newContext(browser);
    try {
      const page = await newTab(ctx);
      while (next < jobs.length) {
        const job = jobs[next++];
        await ctx.clearCookies();
        await job(page);
      }
    } finally {
      await ctx.close();
    }
  }
  await Promise.all(Array.from({ length: Math.min(TABS, jobs.length) }, worker));
}

(async () => {
  for (const k of ['URL', 'URL_FULL', 'URL_BUSY', 'URL_GONE', 'CLOSED', 'OPEN', 'BUSY', 'GONE'])
    if (!E[k]) throw new Error(`${k} must be set`);
  const t0 = Date.now();
  const browser = await launch();
  try {
    // the longest visits first, so that no tab is left with one at the end
    const jobs = [busy, selfTest];
    const byLang = LANGS.map(visits);
    for (let i = 0; i < byLang[0].length; i++) for (const v of byLang) jobs.push(v[i]);
    await pool(browser, jobs);
  } finally {
    await browser.close();
  }
  for (const u of away) problems.push(`a request left 127.0.0.1: ${u}`);
  for (const p of problems) console.error('FAIL: ' + p);
  console.log(`a11y: ${audited} page views (pages x languages x widths), ${problems.length} problems, ` +
    `${((Date.now() - t0) / 1000).toFixed(1)} s, ${TABS} tabs`);
  process.exit(problems.length ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(1); });
