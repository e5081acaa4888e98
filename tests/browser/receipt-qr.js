// The receipt's QR code as Tor Browser "Safest" would get it: JavaScript
// off and no SVG anywhere on the page (Safest blocks SVG), so the code must
// be a raster image that shows. Submits a concern, checks the QR is a PNG
// from a data: URI that the browser decoded, and saves a screenshot of it
// and the receipt text for tests/e2e/51-browser-receipt-qr.sh to decode
// with zbarimg. Fails on any request that leaves 127.0.0.1.
'use strict';
const fs = require('fs');
const path = require('path');
const { launch } = require('./launch');

const URL = process.env.URL;
const OUT = process.env.OUT;

function fail(msg) { throw new Error(msg); }

(async () => {
  if (!URL || !OUT) fail('URL or OUT not set');
  const browser = await launch();
  try {
    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 900 } });
    const page = await ctx.newPage();
    const away = [];
    page.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith('data:') && new global.URL(u).hostname !== '127.0.0.1') away.push(u);
    });
    await page.goto(URL + '/report');
    await page.selectOption('#category', 'recording');
    await page.fill('#what', 'The referral was closed without the child being seen.');
    await page.check('#risk_no');
    await page.check('#raised_no');
    await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
    const receipt = (await page.textContent('main .receipt')).trim();
    const facts = await page.evaluate(() => {
      const img = document.querySelector('main .qr img');
      return {
        svg: document.querySelectorAll('svg, [src$=".svg"], [src^="data:image/svg"]').length,
        src: img ? img.getAttribute('src').slice(0, 22) : '',
        alt: img ? img.getAttribute('alt') : '',
        w: img ? img.naturalWidth : 0,
        shown: img ? img.getBoundingClientRect().width : 0,
      };
    });
    if (facts.svg) fail(`${facts.svg} SVG elements on the receipt page: Tor Browser Safest would not show them`);
    if (facts.src !== 'data:image/png;base64,') fail(`QR is not a PNG data: URI: '${facts.src}'`);
    if (!facts.alt) fail('QR image has no alt text');
    if (facts.w < 100 || facts.shown < 100) fail(`QR not decoded or too small: ${facts.w}px, shown ${facts.shown}px`);
    await page.locator('main .qr img').screenshot({ path: path.join(OUT, 'qr.png') });
    // the whole page is for people (e2e 51 copies it to CANDOUR_SHOTS); no
    // check reads it, so it is taken only when kept
    if (process.env.CANDOUR_SHOTS) await page.screenshot({ path: path.join(OUT, 'receipt-page.png'), fullPage: true });
    fs.writeFileSync(path.join(OUT, 'receipt.txt'), receipt + '\n');
    if (away.length) fail(`requests left 127.0.0.1: ${away.join(' ')}`);
    console.log(`ok: QR PNG ${facts.w}px shown at ${facts.shown}px, no SVG`);
    await ctx.close();
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(`FAIL: ${e.message}`); process.exit(1); });
