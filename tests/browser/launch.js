// Chromium as every browser test launches it (a11y.js, desk.js,
// receipt-qr.js, report-page.js, reporter-path.js): one list of flags, one
// binary. Debian's chromium-headless-shell (scripts/deps.sh) is Chromium's
// old headless mode: the same Blink, V8 and Skia, but no browser window
// drawn off screen and one renderer a page, where chromium --headless (the
// new mode) is the whole browser: each test's Chromium cost about half the
// CPU in the shell (tests/README.md). Without the shell, chromium itself.
// Playwright passes its own list besides (no background networking, no
// component update, no crash reporter, /tmp for shared memory); these add
// what it does not.
'use strict';
const fs = require('fs');
const { chromium } = require('playwright-core');

const SHELL = '/usr/bin/chromium-headless-shell';
const EXE = fs.existsSync(SHELL) ? SHELL : '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function launch() {
  return chromium.launch({ executablePath: EXE, args: ARGS });
}

module.exports = { launch, EXE };
