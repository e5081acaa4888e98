// The governance report in headless Chromium with JavaScript off: no
// console error, no request but the file itself, axe-core zero violations,
// an A4 PDF (and, with CANDOUR_SHOTS set, a screenshot) saved beside the
// report, and every bar chart label measured: whole, left of the bars, inside the chart. axe runs in
// the same page, in an isolated world of its own made through the DevTools
// protocol (as a11y.js does), so the page itself never holds it; until
// 2026-12-06 it ran in a second context with JavaScript on, a renderer
// and a load more for each report.
// Usage: node report-page.js OUTDIR REPORT.html...
const { launch } = require('./launch');
const fs = require('fs');
const path = require('path');

const { AXE, SHIM } = require('./axe-world');

(async () => {
  const [outdir, ...files] = process.argv.slice(2);
  const browser = await launch();
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
    // the full-page PNG is for people (no check reads it): taken only when
    // CANDOUR_SHOTS asks, as e2e 51 and 52's; the PDF is checked below
    if (process.env.CANDOUR_SHOTS) await page.screenshot({ path: path.join(outdir, path.basename(file) + '.png'), fullPage: true });
    await page.pdf({ path: path.join(outdir, path.basename(file) + '.pdf'), format: 'A4' });
    const pdf = fs.readFileSync(path.join(outdir, path.basename(file) + '.pdf'));
    if (pdf.slice(0, 5).toString() !== '%PDF-') fail('no PDF');
    const cdp = await ctx.newCDPSession(page);
    const { frameTree } = await cdp.send('Page.getFrameTree');
    const { executionContextId: world } = await cdp.send('Page.createIsolatedWorld',
      { frameId: frameTree.frame.id, worldName: 'axe' });
    const inWorld = async (expression) => {
      const r = await cdp.send('Runtime.evaluate', { expression, contextId: world, awaitPromise: true, returnByValue: true });
      if (r.exceptionDetails) throw new Error('axe: ' + JSON.stringify(r.exceptionDetails));
      return r.result.value;
    };
    await inWorld(SHIM + ';\n' + AXE + ';\n0');
    // Every bar chart's label is whole (its text is the row's heading in
    // the table after it) and inside its column: left of the bars and
    // within the SVG's viewBox, as the browser lays it out (until
    // 2026-12-06 long labels, and the Welsh ones, were cut at 40 bytes
    // and ran under the bars). Values stay inside the viewBox too.
    const charts = await page.evaluate(() => {
      const bad = [];
      let labels = 0;
      for (const svg of document.querySelectorAll('svg.chart')) {
        const vb = svg.viewBox.baseVal;
        const bar = svg.querySelector('rect.bar');
        const lbls = [...svg.querySelectorAll('text.lbl')];
        if (!bar || !lbls.length) continue;
        const table = svg.nextElementSibling;
        const heads = [...table.querySelectorAll('tbody tr:not(.total) th')].map((t) => t.textContent);
        if (heads.length !== lbls.length) bad.push(lbls.length + ' labels for ' + heads.length + ' rows');
        const barX = bar.x.baseVal.value;
        lbls.forEach((t, i) => {
          labels++;
          const b = t.getBBox();
          const text = t.textContent;
          if (text !== heads[i]) bad.push('label "' + text + '" is not the row "' + heads[i] + '"');
          if (b.x < vb.x || b.x + b.width > barX - 2) bad.push('"' + text + '" runs from ' + b.x + ' to ' + (b.x + b.width) + ', bars at ' + barX);
          if (b.y < vb.y || b.y + b.height > vb.y + vb.height) bad.push('"' + text + '" outside the chart (y ' + b.y + '+' + b.height + ' of ' + vb.height + ')');
        });
        for (const v of svg.querySelectorAll('text.val')) {
          const b = v.getBBox();
          if (b.x + b.width > vb.x + vb.width || b.y < vb.y || b.y + b.height > vb.y + vb.height)
            bad.push('value "' + v.textContent + '" outside the chart');
        }
      }
      return { bad, labels };
    });
    for (const m of charts.bad) fail('chart: ' + m);
    if (!charts.labels) fail('chart: no bar labels measured');
    if (!charts.bad.length) console.log(path.basename(file) + ': ' + charts.labels + ' chart labels whole and inside their column');
    const res = await inWorld('axe.run(document).then((r) => ({ violations: r.violations.map((v) => ({ id: v.id, ' +
      'impact: v.impact, nodes: v.nodes.map((n) => ({ target: n.target })) })), passes: r.passes.map((p) => p.id) }))');
    for (const v of res.violations)
      fail('axe: ' + v.id + ' (' + v.impact + '): ' + v.nodes.map((n) => n.target.join(' ')).join(', '));
    console.log(path.basename(file) + ': axe: ' + res.violations.length + ' violations, ' + res.passes.length + ' rules passed' +
      (process.env.REPORT_AXE_DEBUG ? ': ' + res.passes.join(' ') : ''));
    await ctx.close();
   }
  } finally {
    await browser.close();
  }
  process.exit(failed);
})().catch((e) => { console.error(e); process.exit(1); });
