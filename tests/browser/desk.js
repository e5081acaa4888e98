// The reviewer's desk in headless Chromium with JavaScript OFF, as a
// reviewer would use it: the one-time address, the passphrase, the inbox,
// importing an export from a path, opening the new concern, moving its
// status, writing a reply after the preview, confirming the near match it
// names, exporting the replies; the referrals page; the governance report's
// preview of last month, this month's refused (not ended); a second
// browser with the used address is refused.
// Every page: axe-core with zero violations (run in the page itself, in
// an isolated world: axe-world.js) and, when OUTDIR is given, a
// screenshot in it (none when it is empty: a full-page JPEG is ~0.15 s of CPU, 20 of them, thrown away unless kept).
// Run by tests/e2e/52-browser-desk.sh.
// Usage: node desk.js [OUTDIR]  (env DESK_URL, PASSFILE, IMPORT, EXPORT)
'use strict';
const { launch } = require('./launch');
const fs = require('fs');
const path = require('path');
const W = require('./axe-world');

const OUT = process.argv[2];
const URL = process.env.DESK_URL;
const BASE = URL.replace(/\/\?token=.*/, '');
const PASS = fs.readFileSync(process.env.PASSFILE, 'utf8').split('\n')[0];

function fail(msg) { throw new Error(msg); }

// axe in an isolated world of the reviewer's own tab (axe-world.js). Until
// 2026-12-06 axe ran on a copy of each page's HTML in a second context
// (JavaScript on, CSP bypassed, the cookies copied over): a renderer more,
// and every page parsed, styled and laid out twice.
const RUN = `axe.run(document).then((r) => ({ violations: r.violations.map((v) => v.id + ' (' + v.impact + '): ' +
  v.nodes.map((n) => n.target.join(' ')).join(', ')), passes: r.passes.map((p) => p.id) }))`;
const HANG_MS = 60000;
const newTab = (ctx) => W.newTab(ctx, 'desk-axe');
const axe = (page) => W.axeIn(page, RUN, HANG_MS);

(async () => {
  const browser = await launch();
  let n = 0;
  try {
    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 900 } });
    const page = await newTab(ctx);
    page.on('request', (r) => { if (!r.url().startsWith(BASE + '/')) fail('request off the desk: ' + r.url()); });
    // axe on the page as the reviewer sees it
    async function check(name, want) {
      n++;
      const title = await page.title();
      if (want && !title.includes(want)) fail(`${name}: title "${title}", wanted "${want}"`);
      if ((await page.$$('script')).length) fail(`${name}: a script element`);
      // JPEG, as e2e 52's a11y walk: a full page encodes in half a PNG's time
      if (OUT) await page.screenshot({ path: path.join(OUT, `${String(n).padStart(2, '0')}-${name}.jpg`), type: 'jpeg',
        quality: 80, fullPage: true });
      const res = await axe(page);
      if (res.violations.length) fail(`${name}: axe: ` + res.violations.join('; '));
      console.log(`${name}: axe: 0 violations, ${res.passes.length} rules passed` + (process.env.DESK_AXE_DEBUG ? ': ' + res.passes.join(' ') : ''));
    }
    // a form post or link, and the page it lands on (after a 303)
    async function go(sel) {
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(sel)]);
    }
    async function flash(name, want) {
      const f = await page.textContent('.flash');
      if (!f || !f.includes(want)) fail(`${name}: flash "${f}", wanted "${want}"`);
    }

    // the one-time address, then the passphrase (a wrong one first)
    await page.goto(URL);
    if (page.url().includes('token')) fail('the token stayed in the address bar: ' + page.url());
    await check('unlock', 'Unlock');
    await page.fill('#passphrase', 'not the passphrase');
    await go('form[action="/unlock"] button');
    if (!(await page.textContent('main')).includes('does not open the key')) fail('no wrong-passphrase message');
    await check('unlock-wrong', 'Unlock');
    await page.fill('#passphrase', PASS);
    await go('form[action="/unlock"] button');
    await check('inbox', 'Inbox');
    const before = (await page.$$('table.inbox tbody tr')).length;

    // import the export from a path
    await go('nav a[href="/bundles"]');
    await check('bundles', 'Bundles');
    await page.fill('#import-path', process.env.IMPORT);
    await go('form:has(#import-path) button');
    await flash('import', 'Imported. Readable / sealed to others / already held: 1 / 0 / 2');
    await check('imported', 'Bundles');
    await go('nav a[href="/"]');
    const rows = await page.$$('table.inbox tbody tr');
    if (rows.length !== before + 1) fail(`inbox has ${rows.length} rows after import, wanted ${before + 1}`);
    await check('inbox-after-import', 'Inbox');

    // open the new concern: the one marked New without the risk mark
    const link = await page.$('tr:has(.mark.new):not(:has(.mark.risk)) a[href^="/concern?id="]');
    if (!link) fail('no new concern to open');
    const id = (await link.getAttribute('href')).split('=')[1];
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), link.click()]);
    if (!(await page.textContent('main')).includes('Desk two: no strategy meeting')) fail('the concern text is not shown');
    await check('concern', 'Concern');

    // a careless click on "Change the status", the menu untouched: it starts
    // at "Choose a status" (required), so nothing is sent and the case stays
    // where it was (the menu used to start at the next state, and this click
    // acknowledged the case)
    if ((await page.inputValue('#state')) !== '') fail('the status menu preselects ' + (await page.inputValue('#state')));
    await page.click('form:has(#state) button');
    await page.waitForTimeout(300);
    await page.reload({ waitUntil: 'load' });
    if (!(await page.textContent('dl.facts')).includes('Received')) fail('a careless click changed the status');
    // status
    await page.selectOption('#state', 'acknowledged');
    await go('form:has(#state) button');
    await flash('status', 'Done');
    if (!(await page.textContent('dl.facts')).includes('Acknowledged')) fail('status not shown as Acknowledged');
    await check('status-done', 'Concern');

    // assign: the menu starts at no one; sent as it is, refused with a reason
    if ((await page.inputValue('#reviewer')) !== '') fail('the assign menu preselects a reviewer');
    await go('form:has(#reviewer) button');
    await flash('assign-nobody', 'Choose a reviewer to assign the case to');
    await check('assign-nobody', 'Concern');
    await page.selectOption('#reviewer', 'alice');
    await go('form:has(#reviewer) button');
    await flash('assign', 'Done');
    await page.selectOption('#reviewer', 'alice');
    await go('form:has(#reviewer) button');
    await flash('assign-again', `${id} is already assigned to alice`);
    await check('assign-again', 'Concern');

    // reply: preview first, exactly what the reporter reads, then seal
    await page.fill('#reply', 'Thank you. We are looking into the strategy meeting.\n\n');
    await go('form:has(#reply) button');
    const shown = await page.textContent('.preview .reply .text');
    if (shown !== 'Thank you. We are looking into the strategy meeting.') fail('preview shows: ' + JSON.stringify(shown));
    await check('reply-preview', 'Check the reply');
    await go('form:has(input[value="reply"]) button');
    await flash('reply', 'Done');
    if (!(await page.textContent('main')).includes('Thank you. We are looking into the strategy meeting.')) fail('reply not listed');
    await check('replied', 'Concern');

    // the near match this concern names: confirm it on the concern page
    if (!(await page.textContent('main')).includes('Possible match')) fail('no near match on the concern page');
    await go('form:has(input[value="link_confirm"]) button');
    await flash('link', 'Link confirmed: REF/2026/00500');
    if (!(await page.textContent('main')).includes('Linked by a reviewer.')) fail('the confirmed link is not shown');
    await check('link-confirmed', 'Concern');

    // export the replies
    await go('nav a[href="/bundles"]');
    await page.fill('#export-path', process.env.EXPORT);
    await go('form:has(#export-path) button');
    await flash('export', 'Reply bundle written. Items: 2');
    if (!fs.existsSync(process.env.EXPORT)) fail('no reply bundle written');
    await check('exported', 'Bundles');

    // the register view
    await go('nav a[href="/referrals"]');
    if (!(await page.textContent('tbody')).includes('REF/2026/00500')) fail('referrals: no REF/2026/00500');
    await check('referrals', 'Referrals');
    // the filter as a reviewer types it: the links a reviewer made (the near
    // match confirmed above is one; the desk refused `manual` and `near` with
    // a 400 until 2026-12-06, though referrals list took them)
    await page.fill('#flag', 'manual');
    await go('form.filters button');
    if (!(await page.textContent('tbody')).includes('REF/2026/00500')) fail('referrals, flag manual: no REF/2026/00500');
    if ((await page.inputValue('#flag')) !== 'manual') fail('referrals, flag manual: the field does not keep it');
    await check('referrals-manual', 'Referrals');

    // the governance report: the form, then the preview of last month's (a
    // period is reported once it has ended)
    const now = new Date();
    const thisMonth = now.toISOString().slice(0, 7);
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    const endDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
    const fromDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
    await go('nav a[href="/report"]');
    await check('report', 'Governance report');
    // the report's options, as `report` takes them: a count without a head is refused
    await page.fill('#preview-period', lastMonth);
    await page.selectOption('#preview-lang', 'cy');
    await page.fill('#preview-count', '3');
    await go('form:has(#preview-period) button');
    await flash('report-options', 'give both or neither');
    await check('report-options', 'Governance report');
    // the refused form comes back as it was sent: mend the one field
    if ((await page.inputValue('#preview-count')) !== '3' ||
        (await page.inputValue('#preview-period')) !== lastMonth ||
        (await page.inputValue('#preview-lang')) !== 'cy')
      fail('the refused report form was not given back as sent');
    await page.fill('#preview-count', '');
    await go('form:has(#preview-period) button');
    if (!(await page.content()).includes('minisign -Vm report.html')) fail('the preview is not the report');
    await check('report-preview', '');
    // this month has not ended: refused, saying when it ends and from when
    // (the preview has no desk menu: back to the form by its address)
    await page.goto(BASE + '/report');
    await page.fill('#preview-period', thisMonth);
    await go('form:has(#preview-period) button');
    await flash('report-not-ended',
      `The report was not made: the period ${thisMonth} ends on ${endDay}: report it after that (from ${fromDay}).`);
    if ((await page.content()).includes('minisign -Vm')) fail('a period not ended was previewed');
    await check('report-not-ended', 'Governance report');

    // the used address in another browser: refused, and that page passes axe too
    const other = await browser.newContext({ javaScriptEnabled: false });
    const op = await newTab(other);
    const resp = await op.goto(URL);
    if (resp.status() !== 403) fail('reused token gave ' + resp.status());
    n++;
    if (OUT) await op.screenshot({ path: path.join(OUT, `${String(n).padStart(2, '0')}-refused.jpg`), type: 'jpeg', quality: 80 });
    const res = await axe(op);
    if (res.violations.length) fail('refused: axe: ' + res.violations.join('; '));
    console.log('refused: axe: 0 violations' + (process.env.DESK_AXE_DEBUG ? ', ' + res.passes.length + ' rules passed: ' + res.passes.join(' ') : ''));
    console.log(`desk ${id}: ${n} pages checked`);
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error('FAIL: ' + e.message); process.exit(1); });
