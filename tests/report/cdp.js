'use strict';
// A tiny Chrome DevTools Protocol client over --remote-debugging-pipe
// (file descriptors 3 and 4, NUL-separated JSON): enough to open a page,
// collect console errors, exceptions and dialogs, evaluate expressions and
// take screenshots. No dependencies, no network, no downloaded browser.

var child_process = require('child_process');
var fs = require('fs');
var os = require('os');
var path = require('path');

// $CHROMIUM names the browser; CHROMIUM=none acts as if none were installed.
function findChromium() {
  if (process.env.CHROMIUM === 'none') return null;
  var cands = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome'];
  for (var i = 0; i < cands.length; i++) {
    if (cands[i] && fs.existsSync(cands[i])) return cands[i];
  }
  return null;
}

function Browser(exe, opts) {
  opts = opts || {};
  var self = this;
  this.userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmtrace-chromium-'));
  var args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--no-default-browser-check',
    '--disable-extensions', '--mute-audio', '--hide-scrollbars',
    '--user-data-dir=' + this.userDir, '--remote-debugging-pipe', 'about:blank'
  ];
  this.proc = child_process.spawn(exe, args,
      { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  this.stderr = '';
  this.proc.stderr.on('data', function (b) { if (self.stderr.length < 20000) self.stderr += b; });
  this.out = this.proc.stdio[3];
  this.inp = this.proc.stdio[4];
  this.nextId = 1;
  this.pending = {};
  this.listeners = [];
  this.closed = false;
  var buf = Buffer.alloc(0);
  this.inp.on('data', function (chunk) {
    buf = Buffer.concat([buf, chunk]);
    var z;
    while ((z = buf.indexOf(0)) >= 0) {
      var msg = JSON.parse(buf.slice(0, z).toString('utf8'));
      buf = buf.slice(z + 1);
      self.dispatch(msg);
    }
  });
  this.proc.on('exit', function (code, sig) {
    self.closed = true;
    var err = new Error('chromium exited (' + (sig || code) + '): ' +
        self.stderr.split('\n').slice(-5).join(' | '));
    Object.keys(self.pending).forEach(function (id) { self.pending[id].reject(err); });
    self.pending = {};
  });
  this.proc.on('error', function (e) {
    Object.keys(self.pending).forEach(function (id) { self.pending[id].reject(e); });
  });
}

Browser.prototype.dispatch = function (msg) {
  if (msg.id && this.pending[msg.id]) {
    var p = this.pending[msg.id];
    delete this.pending[msg.id];
    if (msg.error) p.reject(new Error(p.method + ': ' + msg.error.message));
    else p.resolve(msg.result);
    return;
  }
  this.listeners.forEach(function (l) { l(msg); });
};

// send(method, params, sessionId) -> Promise of the result.
Browser.prototype.send = function (method, params, sessionId) {
  var self = this;
  if (this.closed) return Promise.reject(new Error('chromium is not running'));
  var id = this.nextId++;
  var msg = { id: id, method: method, params: params || {} };
  if (sessionId) msg.sessionId = sessionId;
  return new Promise(function (resolve, reject) {
    self.pending[id] = { resolve: resolve, reject: reject, method: method };
    self.out.write(JSON.stringify(msg) + '\0');
  });
};

Browser.prototype.on = function (fn) {
  this.listeners.push(fn);
};

// A new page (tab) with a session; events of that session go to page.events.
Browser.prototype.newPage = async function (width, height) {
  var t = await this.send('Target.createTarget', { url: 'about:blank' });
  var a = await this.send('Target.attachToTarget', { targetId: t.targetId, flatten: true });
  var page = new Page(this, a.sessionId, t.targetId);
  await page.send('Page.enable');
  await page.send('Runtime.enable');
  await page.send('Log.enable');
  await page.send('Emulation.setDeviceMetricsOverride',
      { width: width || 1400, height: height || 900, deviceScaleFactor: 1, mobile: false });
  return page;
};

Browser.prototype.close = async function () {
  if (!this.closed) {
    try {
      await Promise.race(
          [this.send('Browser.close'), new Promise(function (r) { setTimeout(r, 3000); })]);
    } catch (e) { /* already gone */ }
  }
  var proc = this.proc;
  if (!this.closed) {
    await new Promise(function (resolve) {
      var t = setTimeout(
          function () { try { proc.kill('SIGKILL'); } catch (e) { /* gone */ } resolve(); }, 3000);
      proc.on('exit', function () { clearTimeout(t); resolve(); });
    });
  }
  try { fs.rmSync(this.userDir, { recursive: true, force: true }); } catch (e) { /* ignore */ }
};

function Page(browser, sessionId, targetId) {
  var self = this;
  this.browser = browser;
  this.sessionId = sessionId;
  this.targetId = targetId;
  this.console = [];   // {type, text}
  this.errors = [];    // exceptions and error-level log entries
  this.dialogs = [];   // alert/confirm/prompt messages
  this.requests = [];  // URLs the page tried to fetch
  this.loadWaiters = [];
  browser.on(function (msg) {
    if (msg.sessionId !== sessionId) return;
    var p = msg.params || {};
    switch (msg.method) {
      case 'Runtime.consoleAPICalled': {
        var text = (p.args || []).map(
            function (a) { return a.value !== undefined ? String(a.value) : a.description ||
                a.type; }).join(' ');
        self.console.push({ type: p.type, text: text });
        if (p.type === 'error' || p.type === 'assert') self.errors.push('console.' + p.type +
            ': ' + text);
        break;
      }
      case 'Runtime.exceptionThrown': {
        var d = p.exceptionDetails || {};
        self.errors.push('exception: ' + ((d.exception && d.exception.description) || d.text));
        break;
      }
      case 'Log.entryAdded':
        if (p.entry && p.entry.level === 'error') self.errors.push('log: ' + p.entry.text +
            (p.entry.url ? ' (' + p.entry.url + ')' : ''));
        break;
      case 'Page.javascriptDialogOpening':
        self.dialogs.push(p.type + ': ' + p.message);
        self.send('Page.handleJavaScriptDialog', { accept: true }).catch(function () {});
        break;
      case 'Page.loadEventFired':
        self.loadWaiters.splice(0).forEach(function (f) { f(); });
        break;
      default:
    }
  });
}

Page.prototype.send = function (method, params) {
  return this.browser.send(method, params, this.sessionId);
};

Page.prototype.goto = async function (url, timeoutMs) {
  var self = this;
  var loaded = new Promise(function (resolve, reject) {
    var t = setTimeout(function () { reject(new Error('timed out loading ' + url)); },
        timeoutMs || 20000);
    self.loadWaiters.push(function () { clearTimeout(t); resolve(); });
  });
  var r = await this.send('Page.navigate', { url: url });
  if (r.errorText) throw new Error('navigation failed: ' + r.errorText);
  await loaded;
};

// Evaluates an expression in the page; returns its value (JSON-able).
Page.prototype.evaluate = async function (expr) {
  var r = await this.send('Runtime.evaluate',
      { expression: expr, returnByValue: true, awaitPromise: true });
  if (r.exceptionDetails) {
    throw new Error('evaluate: ' +
        ((r.exceptionDetails.exception && r.exceptionDetails.exception.description) ||
            r.exceptionDetails.text));
  }
  return r.result.value;
};

// A PNG of the whole page (up to maxHeight CSS pixels), written to file.
Page.prototype.screenshot = async function (file, maxHeight) {
  var m = await this.send('Page.getLayoutMetrics');
  var size = m.cssContentSize || m.contentSize;
  var w = Math.ceil(size.width);
  var h = Math.min(Math.ceil(size.height), maxHeight || 8000);
  var r = await this.send('Page.captureScreenshot', {
    format: 'png', captureBeyondViewport: true,
    clip: { x: 0, y: 0, width: w, height: h, scale: 1 }
  });
  fs.writeFileSync(file, Buffer.from(r.data, 'base64'));
  return { width: w, height: h };
};

function launch(exe) {
  return new Browser(exe);
}

module.exports = { findChromium: findChromium, launch: launch };
