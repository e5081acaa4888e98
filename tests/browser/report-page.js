// The governance report in headless Chromium with JavaScript off: no
// console error, no request but the file itself, axe-core zero violations
// (axe runs in a second context: the page has no script of its own), a
// screenshot and an A4 PDF saved beside the report.
// Usage: node report-page.js OUTDIR REPORT.html...
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');

(async () => {
  const [outdir, ...files] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  let failed = 0;
  try {
   for (const file of files) {
    const url = 'file://' + path.resolve(file);
    const fail = (m) => { console.error('FAIL: ' + path.basename(file) + ': ' + m); failed = 1; };
    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1000, height: 1400 } });
    const page = await ctx.newPage();
    page.on('console', (m) => { if (m.type() === 'error') fail('console error: ' + m.text()); });
    page.on('pageerror', (e) => fail('page error: ' + e));
    page.on('request', (r) => { if (r.url() !== url) fail('request made: ' + r.url()); });
    await page.goto(url);
    await page.screenshot({ path: path.join(outdir, path.basename(file) + '.png'), fullPage: true });
    await page.pdf({ path: path.join(outdir, path.basename(file) + '.pdf'), format: 'A4' });
    const pdf = fs.readFileSync(path.join(outdir, path.basename(file) + '.pdf'));
    if (pdf.slice(0, 5).toString() !== '%PDF-') fail('no PDF');
    const ctx2 = await browser.newContext({ viewport: { width: 1000, height: 1400 } });
    const p2 = await ctx2.newPage();
    await p2.goto(url);
    await p2.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const res = await p2.evaluate(async () => await axe.run(document));
    for (const v of res.violations)
      fail('axe: ' + v.id + ' (' + v.impact + '): ' + v.nodes.map((n) => n.target.join(' ')).join(', '));
    console.log(path.basename(file) + ': axe: ' + res.violations.length + ' violations, ' + res.passes.length + ' rules passed');
    await ctx.close();
    await ctx2.close();
   }
  } finally {
    await browser.close();
  }
  process.exit(failed);
})().catch((e) => { console.error(e); process.exit(1); });
