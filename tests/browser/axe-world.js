// axe-core in an isolated world of a tab, for the browser tests that run
// with the page's JavaScript OFF (a11y.js, desk.js, report-page.js). The
// world is added through the DevTools protocol to every new document of the
// tab (newTab): axe is compiled as the document is made instead of being
// sent (500 KB) and compiled again for each page, the page's own world,
// scripts off, never holds it, and the page's CSP does not apply to it.
// Every document, not only those audited: with the script added before
// each audited load of a11y.js's walk and taken away after it (so not in
// the forms it passes through, the receipts it spends), the walk cost more
// CPU, not less (54.3 s, 52.7-57.1, against 50.5, 50.3-50.7, the whole
// tree, three pairs, 2026-12-06), and 60 loads of one page with 30 audited
// cost 27.1-29.9 s so against 24.6-27.7 with axe in all 60: a document with
// axe costs ~55 ms more than one without, but one made without it likely
// costs the next the compiled axe (not bytecode flushing:
// --no-flush-bytecode did not help). Sending axe at the audit
// (Runtime.evaluate) cost ~60 ms a document more.
'use strict';
const fs = require('fs');

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
// with the page's scripts off its timers never fire: axe's setTimeout is
// a microtask
const SHIM = 'window.setTimeout = function (fn) { var a = Array.prototype.slice.call(arguments, 2);' +
  ' Promise.resolve().then(function () { fn.apply(null, a); }); return 0; };' +
  ' window.clearTimeout = function () {}; 0';

// A new tab of ctx whose every document gets axe in the world named world.
async function newTab(ctx, world) {
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  const worlds = new Map(); // frame id -> execution context id of world
  const waiting = [];
  cdp.on('Runtime.executionContextCreated', ({ context: c }) => {
    if (c.name !== world || !c.auxData) return;
    worlds.set(c.auxData.frameId, c.id);
    waiting.splice(0).forEach((w) => w());
  });
  cdp.on('Runtime.executionContextDestroyed', ({ executionContextId: id }) => {
    for (const [f, c] of worlds) if (c === id) worlds.delete(f);
  });
  cdp.on('Runtime.executionContextsCleared', () => worlds.clear());
  await cdp.send('Page.enable'); // needed for the script to be added to new documents
  await cdp.send('Runtime.enable');
  await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: SHIM + ';\n' + AXE, worldName: world });
  const { frameTree } = await cdp.send('Page.getFrameTree');
  page.axeWorld = { cdp, worlds, waiting, frame: frameTree.frame.id };
  return page;
}

// The value of expression (an axe.run(...) promise) in the world of the
// tab's current document, waiting up to hangMs for the world to be made.
async function axeIn(page, expression, hangMs) {
  const { cdp, worlds, waiting, frame } = page.axeWorld;
  if (!worlds.has(frame)) {
    // the world is made with the document; its event may trail the load
    let timer;
    await Promise.race([new Promise((r) => waiting.push(r)),
      new Promise((r, no) => { timer = setTimeout(() => no(new Error('no axe world in ' + page.url())), hangMs); })]);
    clearTimeout(timer);
  }
  const r = await cdp.send('Runtime.evaluate', { expression, contextId: worlds.get(frame),
    awaitPromise: true, returnByValue: true });
  if (r.exceptionDetails) throw new Error('axe: ' + JSON.stringify(r.exceptionDetails));
  return r.result.value;
}

module.exports = { AXE, SHIM, newTab, axeIn };
