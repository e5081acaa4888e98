// The reporter's path in headless Chromium with JavaScript OFF, as a person
// on a phone would walk it: a bad submission gets an error summary linked
// to its fields, a good one a receipt, and that receipt (mistyped first, then
// in lower case) opens the follow-up page. Every page is checked for basic
// accessibility facts. Run by tests/e2e/50-browser-pages.sh with $URL set.
'use strict';
const { launch } = require('./launch');

const URL = process.env.URL;
const RECEIPT = /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/;

function fail(msg) { throw new Error(msg); }

// Facts every page must hold; runs inside the page (evaluate works with the
// page's own scripts disabled). Returns a list of problems.
function pageFacts() {
  const bad = [];
  const lang = document.documentElement.getAttribute('lang');
  if (!lang) bad.push('html has no lang');
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) bad.push(`${h1} h1 elements`);
  if (!document.title.trim()) bad.push('empty title');
  if (document.querySelector('script, [style], [onclick], [onload]')) bad.push('script or inline style');
  for (const el of document.querySelectorAll('[src], link[href]')) {
    const u = el.getAttribute('src') || el.getAttribute('href');
    if (/^[a-z]+:\/\//i.test(u)) bad.push(`external resource ${u}`);
  }
  const skip = document.querySelector('a.skip');
  if (!skip || document.body.firstElementChild !== skip) bad.push('no skip link first in body');
  else if (!document.getElementById(skip.getAttribute('href').slice(1))) bad.push('skip link target missing');
  if (document.querySelectorAll('main').length !== 1) bad.push('not one main');
  const ids = new Set();
  for (const el of document.querySelectorAll('[id]')) {
    if (ids.has(el.id)) bad.push(`duplicate id ${el.id}`);
    ids.add(el.id);
  }
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden') continue;
    const name = el.id || el.name;
    if (!el.labels || el.labels.length === 0) bad.push(`control ${name} has no label`);
    else if (!el.labels[0].textContent.trim()) bad.push(`control ${name} has an empty label`);
    if (el.type === 'radio' && !(el.closest('fieldset') && el.closest('fieldset').querySelector('legend')))
      bad.push(`radio ${name} outside a fieldset with a legend`);
    for (const ref of (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean))
      if (!document.getElementById(ref)) bad.push(`control ${name} described by missing ${ref}`);
  }
  for (const a of document.querySelectorAll('a[href^="#"]'))
    if (a.getAttribute('href').length > 1 && !document.getElementById(a.getAttribute('href').slice(1)))
      bad.push(`link to missing ${a.getAttribute('href')}`);
  if (document.documentElement.scrollWidth > window.innerWidth)
    bad.push(`page ${document.documentElement.scrollWidth}px wide in a ${window.innerWidth}px window`);
  return bad;
}

async function check(page, what) {
  const bad = await page.evaluate(pageFacts);
  if (bad.length) fail(`${what}: ${bad.join('; ')}`);
  console.log(`ok: ${what}`);
}

async function submit(page) {
  await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
}

(async () => {
  if (!URL) fail('URL not set');
  const browser = await launch();
  try {
    // 320 px: the narrowest phone WCAG 1.4.10 asks for.
    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 640 } });
    const page = await ctx.newPage();
    for (const p of ['/', '/report', '/followup', '/transparency', '/no-such-page'])
      await page.goto(URL + p).then(() => check(page, `page ${p}`));

    // Nothing typed into the form may stay in the browser's autofill history
    // (a shared or work device would show it to the next person).
    await page.goto(URL + '/report');
    const remembered = await page.$$eval('main input[type=text], main textarea',
      (els) => els.filter((e) => e.getAttribute('autocomplete') !== 'off').map((e) => e.id));
    if (remembered.length) fail(`fields the browser may remember: ${remembered.join(' ')}`);

    // A bad submission: the form comes back with an error summary at the top
    // whose links lead to the fields, and those fields are marked invalid.
    await page.goto(URL + '/report');
    await submit(page);
    await check(page, 'report form with errors');
    const summary = await page.evaluate(() => {
      const s = document.querySelector('main .errors[role=alert]');
      if (!s) return null;
      const before = [...document.querySelectorAll('main form, main fieldset')]
        .every((f) => s.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING);
      const links = [...s.querySelectorAll('a[href^="#"]')].map((a) => {
        const t = document.getElementById(a.getAttribute('href').slice(1));
        // a field marks itself invalid; a radio group's fieldset names its error
        const group = t && t.type === 'radio' ? t.closest('fieldset') : null;
        const invalid = !!t && (t.getAttribute('aria-invalid') === 'true' ||
          (!!group && !!group.getAttribute('aria-describedby')));
        return { href: a.getAttribute('href'), invalid };
      });
      return { before, links, title: document.title };
    });
    if (!summary) fail('no error summary on a bad submission');
    if (!summary.before) fail('error summary is not above the form');
    const hrefs = summary.links.map((l) => l.href);
    for (const want of ['#category', '#what', '#risk_yes', '#raised_yes'])
      if (!hrefs.includes(want)) fail(`error summary has no link to ${want}: ${hrefs.join(' ')}`);
    for (const l of summary.links) if (!l.invalid) fail(`${l.href} not marked invalid`);
    console.log(`ok: error summary links ${hrefs.join(' ')}`);

    // A good submission: category, text, both radios, one reference.
    await page.selectOption('#category', 'recording');
    await page.fill('#what', 'The referral was closed without the child being seen.');
    await page.fill('#refs', 'REF/2024/00001');
    await page.check('#risk_yes');
    await page.check('#raised_no');
    await submit(page);
    await check(page, 'confirmation');
    const receipt = (await page.textContent('main .receipt')).trim();
    if (!RECEIPT.test(receipt)) fail(`no receipt on the confirmation: '${receipt}'`);
    if (!(await page.locator('main .qr img[alt]').count())) fail('no labelled QR code');
    const tels = await page.$$eval('main .urgent a[href^="tel:"]', (as) => as.map((a) => a.getAttribute('href')));
    if (!tels.includes('tel:999')) fail(`risk yes but no number to tap: ${tels.join(' ')}`);
    const big = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.receipt')).fontSize));
    if (big < 22) fail(`receipt text only ${big}px`);
    console.log(`ok: receipt ${receipt.slice(0, 4)}-... at ${big}px`);

    // Follow-up: one character wrong, then the right receipt typed loosely.
    await page.click('header a[href="/followup"]');
    const typo = (receipt[0] === '7' ? '8' : '7') + receipt.slice(1);
    await page.fill('#receipt', typo);
    await submit(page);
    await check(page, 'mistyped receipt');
    const err = await page.evaluate(() => {
      const i = document.getElementById('receipt');
      const ids = (i.getAttribute('aria-describedby') || '').split(/\s+/);
      const e = document.querySelector('main .error');
      return { text: e ? e.textContent : '', linked: !!e && ids.includes(e.id), invalid: i.getAttribute('aria-invalid') };
    });
    if (!err.text.includes('one character seems to be wrong')) fail(`typo message missing: ${err.text}`);
    if (!err.linked || err.invalid !== 'true') fail('typo message not tied to the receipt field');
    await page.fill('#receipt', receipt.toLowerCase().replace(/-/g, ' '));
    await submit(page);
    await check(page, 'follow-up view');
    const h1 = (await page.textContent('h1')).trim();
    if (h1 !== 'Your concern') fail(`receipt did not open the concern: h1 '${h1}'`);
    if (!(await page.locator('main dl.status').count())) fail('no status on the follow-up view');
    console.log('ok: receipt opened the follow-up view');
    await ctx.close();
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(`FAIL: ${e.message}`); process.exit(1); });
