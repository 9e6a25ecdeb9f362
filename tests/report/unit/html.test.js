'use strict';
const test = require('node:test');
const assert = require('node:assert');
const crypto = require('crypto');
const vm = require('vm');
const html = require('../../../reports/src/html');
const pack = require('../../../reports/src/pack');
const assetsMod = require('../../../reports/src/assets');
const fs = require('fs');
const path = require('path');
const fx = require('../fixtures');

const src = path.join(__dirname, '..', '..', '..', 'reports', 'src');
// Real viewer modules, a stand-in for uPlot (the CLI test uses the real one).
const assets = {
  version: '0.0.0-test', uplotVersion: 'x',
  uplotJs: 'var uPlot = function () {};',
  uplotCss: '.uplot{}',
  viewerCss: fs.readFileSync(path.join(src, 'viewer.css'), 'utf8'),
  viewerModules: assetsMod.viewerModules(assetsMod.sources(path.join(src, '..')))
};

function page(files) {
  return html.build({ generator: { version: 't' }, generated: 'now', files: files }, assets);
}

test('jsonForScript leaves no "<", no U+2028/9, and round-trips', () => {
  const v = { a: '</script><script>alert(1)</script>', b: '<!-- x -->', c: 'line\u2028sep\u2029', d:
      'a & b > c' };
  const s = html.jsonForScript(v);
  assert.ok(!/[<>&\u2028\u2029]/.test(s), s);
  assert.deepStrictEqual(JSON.parse(s), v);
});

test('the page has exactly one data block and two scripts, and run strings never appear raw', () =>
    {
  const d = fx.makeFile({});
  const p = page([{ name: 'x<y>.json', data: d }]);
  assert.strictEqual((p.match(/<script/g) || []).length, 3);
  assert.strictEqual((p.match(/<\/script>/g) || []).length, 3);
  assert.strictEqual(p.indexOf(fx.XSS_SO), -1);
  assert.strictEqual(p.indexOf('<img'), -1);
  assert.strictEqual(p.indexOf(fx.XSS_PHASE), -1);
  assert.strictEqual(p.indexOf('<svg'), -1);
  const m = /<script type="application\/json" id="vmtrace-data">([^<]*)<\/script>/.exec(p);
  assert.ok(m, 'data block found');
  const payload = JSON.parse(m[1]);
  assert.deepStrictEqual(payload.files[0].data, d);
  assert.strictEqual(payload.files[0].name, 'x<y>.json');
});

test('the title is escaped', () => {
  const d = fx.makeFile({ command: ['/x/<b>&prog', 'a'] });
  const p = page([{ name: 'f', data: d }]);
  assert.match(p, /<title>vmtrace report: &lt;b&gt;&amp;prog \(pid 4242\)<\/title>/);
});

test('the CSP allows no network and only the inlined scripts, by hash', () => {
  const p = page([{ name: 'f', data: fx.makeFile({}) }]);
  const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(p)[1].replace(
      /&#39;/g, "'");
  assert.match(csp, /default-src 'none'/);
  assert.ok(!/unsafe-inline'[^;]*script|script-src[^;]*unsafe/.test(csp),
      'no unsafe-inline scripts');
  const scripts = [];
  const re = /<script>([\s\S]*?)<\/script>/g;
  let m;
  while ((m = re.exec(p))) scripts.push(m[1]);
  assert.strictEqual(scripts.length, 2);
  scripts.forEach((s) => {
    const h = "'sha256-" + crypto.createHash('sha256').update(s, 'utf8').digest('base64') + "'";
    assert.ok(csp.indexOf(h) >= 0, 'hash of a script in the CSP');
  });
});

test('the viewer bundle is valid JavaScript and defines every module', () => {
  const code = html.viewerScript(assets);
  assert.doesNotThrow(() => new vm.Script(code));
  assetsMod.VIEWER_MODULES.forEach((m) => assert.ok(code.indexOf('defs["' + m + '"]') >= 0, m));
});

test('pack resolves modules by relative name and falls back to the host require', () => {
  const code = pack.pack({ a: 'module.exports = require("./b").x + 1;', b: 'exports.x = 41;' },
      'out.v = req("a"); out.p = req("path").sep;');
  const out = {};
  vm.runInNewContext(code, { out: out, require: require });
  assert.strictEqual(out.v, 42);
  assert.strictEqual(out.p, '/');
});

test('scriptSafe escapes closing script tags and comment openers', () => {
  assert.strictEqual(pack.scriptSafe('a="</script>";b="<!--"'), 'a="<\\/script>";b="<\\!--"');
  assert.strictEqual(eval(pack.scriptSafe('"</SCRIPT>"')), '</SCRIPT>');
});
