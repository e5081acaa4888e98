// WCAG 2.2 AA on every page the intake serves, as a reporter's browser gets
// it: headless Chromium with JavaScript OFF, in English and Welsh, at 320 px
// (WCAG 1.4.10's narrowest phone) and 1280 px. axe-core (pinned in
// package.json) is injected by this test through the DevTools protocol, so
// the page itself never carries or loads it; with page scripts off its
// timers would never fire, so the injected copy gets setTimeout as a
// microtask. Each page and width gets a full-page screenshot in $OUT.
// Every request is routed through a check: one that would leave 127.0.0.1
// is aborted and fails the test. Before the real run the test proves that
// both checks fire (a planted contrast failure; a request to 192.0.2.1).
// Run by tests/e2e/52-browser-a11y.sh with URL (the intake, --max-upload
// 100000), URL_FULL (one below its free-space floor)
// and OUT set.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const { URL: BASE, URL_FULL, OUT } = process.env;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const WIDTHS = [320, 1280];
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SHIM = 'window.setTimeout = function (fn) { var a = Array.prototype.slice.call(arguments, 2);' +
  ' Promise.resolve().then(function () { fn.apply(null, a); }); return 0; };' +
  ' window.clearTimeout = function () {}; 0';
const RUN = `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(TAGS)} },
  resultTypes: ['violations'] }).then((r) => r.violations.map((v) => v.id + ' (' + v.impact + '): ' +
  v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')))`;

const T0 = Date.now();
const problems = [];
const away = [];
let audited = 0;

async function axe(page) {
  if (await page.evaluate('typeof axe') !== 'object') {
    await page.evaluate(SHIM);
    await page.evaluate(AXE + '\n;0');
  }
  return page.evaluate(RUN);
}

// The page as loaded: axe at each width, a screenshot of each, and the
// status the test meant to reach (a wrong page audited proves nothing).
async function audit(page, lang, name, status, got) {
  if (got !== status) problems.push(`${lang} ${name}: HTTP ${got}, want ${status}`);
  const html = await page.evaluate(() => document.documentElement.lang);
  if (html !== lang) problems.push(`${lang} ${name}: <html lang="${html}">`);
  for (const w of WIDTHS) {
    await page.setViewportSize({ width: w, height: 800 });
    for (const v of await axe(page)) problems.push(`${lang} ${name} ${w}px: ${v}`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    if (wide > w) problems.push(`${lang} ${name} ${w}px: the page is ${wide}px wide`);
    await page.screenshot({ path: path.join(OUT, `${lang}-${name}-${w}.png`), fullPage: true });
    audited++;
  }
  console.log(`ok: ${lang} ${name} (${status}) ${Date.now() - T0} ms`);
}

async function go(page, url) {
  const r = await page.goto(url);
  if (process.env.A11Y_DEBUG) console.log(`  ${Date.now() - T0} ms: GET ${url} ${r.status()} ${await page.title()}`);
  return r.status();
}

// The form's submit button, as a person would press it.
async function submit(page) {
  const [r] = await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
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

async function newContext(browser) {
  const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 800 } });
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
async function selfTest(browser) {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await go(page, BASE + '/en/transparency');
  await page.evaluate(() => {
    const p = document.createElement('p');
    p.textContent = 'planted';
    p.style.color = '#ccc'; // CSSOM: the page's CSP refuses style attributes
    document.querySelector('main').appendChild(p);
  });
  const v = await axe(page);
  if (!v.some((x) => x.startsWith('color-contrast'))) throw new Error('axe did not find planted low contrast');
  await page.goto('http://192.0.2.1/').catch(() => {});
  if (!away.includes('http://192.0.2.1/')) throw new Error('a request off 127.0.0.1 was not caught');
  away.length = 0;
  await ctx.close();
}

async function walk(browser, lang) {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  const U = `${BASE}/${lang}`;
  const what = lang === 'en' ? 'The strategy meeting was never held.' : 'Ni chynhaliwyd y cyfarfod strategaeth.';

  await audit(page, lang, 'home', 200, await go(page, U + '/'));
  await audit(page, lang, 'report', 200, await go(page, U + '/report'));
  await audit(page, lang, 'enter', 200, await go(page, U + '/followup'));
  await audit(page, lang, 'transparency', 200, await go(page, U + '/transparency'));
  await audit(page, lang, 'err-404', 404, await go(page, U + '/no-such-page'));
  await audit(page, lang, 'err-405', 405, await goAs(page, U + '/transparency', 'POST',
    'application/x-www-form-urlencoded'));
  await audit(page, lang, 'err-415', 415, await goAs(page, U + '/report', 'POST', 'text/plain'));

  // the report form sent back: with errors, stale, too large
  await go(page, U + '/report');
  await audit(page, lang, 'report-400', 400, await submit(page));
  await go(page, U + '/report');
  await fillReport(page, what);
  await page.evaluate(() => { document.querySelector('input[name=csrf]').value = 'stale'; });
  await audit(page, lang, 'report-403', 403, await submit(page));
  await go(page, U + '/report');
  await fillReport(page, what);
  await page.setInputFiles('#file', { name: 'holiday video.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(150000) });
  await audit(page, lang, 'report-413', 413, await submit(page));

  // the receipt page, then the receipt entered wrongly and rightly
  await go(page, U + '/report');
  await fillReport(page, what);
  await audit(page, lang, 'receipt', 200, await submit(page));
  const receipt = (await page.textContent('main .receipt')).trim();
  await go(page, U + '/followup');
  await page.fill('#receipt', receipt.slice(0, -1) + (receipt.endsWith('7') ? '8' : '7'));
  await audit(page, lang, 'enter-400', 400, await submit(page));
  await go(page, U + '/followup');
  await page.fill('#receipt', 'ABCD-EFGH-JKMN-PQRS-TVWX');
  await audit(page, lang, 'enter-notours', 400, await submit(page));
  await go(page, U + '/followup');
  await page.fill('#receipt', receipt);
  await audit(page, lang, 'followup', 200, await submit(page));

  // a message: empty, too large, sent
  await page.fill('#text', ' ');
  await audit(page, lang, 'followup-400', 400, await submit(page));
  await go(page, U + '/followup');
  await page.fill('#text', what);
  await page.setInputFiles('#file', { name: 'holiday video.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(150000) });
  await audit(page, lang, 'followup-413', 413, await submit(page));
  await go(page, U + '/followup');
  await page.fill('#text', what);
  await page.setInputFiles('#file', { name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.alloc(45000, 'a') });
  await audit(page, lang, 'sent', 200, await submit(page));
  await ctx.close();
  return receipt;
}

// The intake below its free-space floor: the full pages, and a receipt it
// never issued.
async function full(browser, lang, receipt) {
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  const what = lang === 'en' ? 'Full, but kept.' : 'Llawn, ond wedi ei gadw.';
  await audit(page, lang, 'full-transparency', 200, await go(page, `${URL_FULL}/${lang}/transparency`));
  // a well-formed receipt this intake never issued (the other one did)
  await go(page, `${URL_FULL}/${lang}/followup`);
  await page.fill('#receipt', receipt);
  await audit(page, lang, 'enter-notfound', 404, await submit(page));
  await go(page, `${URL_FULL}/${lang}/report`);
  await fillReport(page, what);
  await audit(page, lang, 'report-503-full', 503, await submit(page));
  await ctx.close();
}

(async () => {
  if (!BASE || !URL_FULL || !OUT) throw new Error('URL, URL_FULL and OUT must be set');
  const t0 = Date.now();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  try {
    await selfTest(browser);
    const receipts = {};
    for (const lang of ['en', 'cy']) receipts[lang] = await walk(browser, lang);
    for (const lang of ['en', 'cy']) await full(browser, lang, receipts[lang]);
  } finally {
    await browser.close();
  }
  for (const u of away) problems.push(`a request left 127.0.0.1: ${u}`);
  for (const p of problems) console.error('FAIL: ' + p);
  console.log(`a11y: ${audited} page views (pages x languages x widths), ${problems.length} problems, ` +
    `${((Date.now() - t0) / 1000).toFixed(1)} s`);
  process.exit(problems.length ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(1); });
