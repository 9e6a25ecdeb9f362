'use strict';
// The fault classes come from vmtrace/core/fault_classes.def, the list the C
// code is built from, and nowhere else.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const FC = require('../../../reports/src/faultclasses');
const assets = require('../../../reports/src/assets');
const M = require('../../../reports/src/model');

const reports = path.join(__dirname, '..', '..', '..', 'reports');
const defPath = path.join(reports, '..', 'vmtrace', 'core', 'fault_classes.def');

test('parse reads VT_FAULT_CLASS entries, over lines, and nothing else', () => {
  const text = '/* VT_FAULT_CLASS(X, "in a comment", MINOR, "f", "d") is not at a line start */\n' +
    'VT_FAULT_CLASS(ANON, "anon", MINOR, "do_anonymous_page",\n   "first touch: a zero-filled ' +
    'page")\n' +
    '#define VT_FAULT_CLASS(a, b, c, d, e)\n' +
    'VT_FAULT_CLASS(SWAP_IN, "swap_in", MAJOR, "do_swap_page", "page read back from swap")\n';
  assert.deepStrictEqual(FC.parse(text), [
    { name: 'anon', kind: 'minor', kernel: 'do_anonymous_page', description:
        'first touch: a zero-filled page' },
    { name: 'swap_in', kind: 'major', kernel: 'do_swap_page', description:
        'page read back from swap' }
  ]);
});

test('the list is the .def file\'s: one entry per VT_FAULT_CLASS line, in order', () => {
  const def = fs.readFileSync(defPath, 'utf8');
  const ids = def.split('\n').filter((l) => /^VT_FAULT_CLASS\(/.test(l)).map((l) =>
      /"([^"]*)"/.exec(l)[1]);
  assert.deepStrictEqual(FC.LIST.map((c) => c.name), ids);
  assert.strictEqual(FC.byName('wp_copy').kernel, 'wp_page_copy');
  assert.strictEqual(FC.byName('nope'), null);
  FC.LIST.forEach((c) =>
      assert.ok(['minor', 'major', 'invalid'].indexOf(c.kind) >= 0, c.name + ': ' + c.kind));
});

test('the tool writes the same classes into its output files', () => {
  // tests/report/data/phases.vmtrace.out was written by vmtrace from the .def
  // (names and kinds are the format; the descriptions may be reworded)
  const d = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', 'data', 'phases.vmtrace.out'), 'utf8'));
  const nk = (c) => c.name + ':' + c.kind;
  assert.deepStrictEqual(d.fault_classes.map(nk), FC.LIST.map(nk));
});

test('a file\'s class without kind, kernel or description takes them from the list', () => {
  const cls = M.faultClasses(
      { fault_classes: [{ name: 'zero' }, { name: 'mine', kind: 'minor' }] });
  assert.deepStrictEqual(cls, [
    Object.assign({}, FC.byName('zero')),
    { name: 'mine', kind: 'minor', kernel: '', description: '' }
  ]);
  assert.deepStrictEqual(M.faultClasses({ fault_classes: [] }).map((c) => c.name),
      FC.LIST.map((c) => c.name));
});

test('the page and the standalone script carry the .def text, not a file read', () => {
  const src = assets.sources(reports);
  const sandbox = { module: { exports: null } };
  vm.runInNewContext(src.fault_classes_def, sandbox);
  assert.strictEqual(sandbox.module.exports, fs.readFileSync(defPath, 'utf8'));
  assert.ok(!/require\(/.test(src.fault_classes_def));
  assert.ok('fault_classes_def' in assets.viewerModules(src));
  assert.ok('views/summary' in assets.viewerModules(src));
});
