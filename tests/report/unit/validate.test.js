'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const V = require('../../../reports/src/validate');
const fx = require('../fixtures');

const realText = fs.readFileSync(path.join(__dirname, '..', 'data', 'phases.vmtrace.out'), 'utf8');

function problem(text) {
  try {
    V.parse(text);
  } catch (e) {
    assert.ok(e instanceof V.VmtraceFormatError, 'a VmtraceFormatError, not ' + e);
    assert.ok(!/\n/.test(e.message), 'one line: ' + e.message);
    return e.message;
  }
  return null;
}

function mutate(fn) {
  const d = JSON.parse(realText);
  fn(d);
  return JSON.stringify(d);
}

test('a real output file of the phases workload is accepted', () => {
  const d = V.parse(realText);
  assert.strictEqual(d.format, 'vmtrace-out');
  assert.strictEqual(d.run.command[0], 'tests/workloads/phases');
});

test('synthetic files with every planned section are accepted', () => {
  assert.strictEqual(problem(JSON.stringify(fx.makeFile({}))), null);
  fx.treeFiles().forEach((f) => assert.strictEqual(problem(JSON.stringify(f.data)), null, f.name));
});

test('a truncated file is reported as truncated', () => {
  assert.match(problem(realText.slice(0, 5000)), /^truncated: the JSON ends after 5000 bytes$/);
  assert.match(problem(realText.slice(0, 1)), /^truncated/);
});

test('corrupt JSON is reported with its line and column', () => {
  assert.match(problem('{"format": "vmtrace-out",\n  "version": 1 x}'), /^not valid JSON at line 2, column \d+$/);
});

test('empty, binary and non-JSON files are not vmtrace output', () => {
  assert.match(problem(''), /^empty file/);
  assert.match(problem('   \n'), /^empty file/);
  assert.match(problem('\x7fELF\x02\x01'), /not a vmtrace output file \(not JSON\)/);
  assert.match(problem('events: Ir\n'), /not JSON/);
});

test('other formats and versions are refused', () => {
  assert.match(problem('[1,2]'), /JSON is array, not an object/);
  assert.match(problem('{}'), /no "format" key/);
  assert.match(problem('{"format":"cachegrind"}'), /format is "cachegrind", not "vmtrace-out"/);
  assert.match(problem(mutate((d) => { d.version = 2; })), /^unsupported version 2 \(this vmtrace-report reads version 1\)$/);
  assert.match(problem(mutate((d) => { d.version = '1'; })), /unsupported version "1"/);
  assert.match(problem(mutate((d) => { delete d.version; })), /missing key version/);
});

test('missing or mistyped required keys are named', () => {
  assert.strictEqual(problem(mutate((d) => { delete d.run.pid; })), 'missing key run.pid');
  assert.strictEqual(problem(mutate((d) => { delete d.mappings; })), 'missing key mappings');
  assert.strictEqual(problem(mutate((d) => { delete d.totals.faults.anon; })), 'missing key totals.faults.anon');
  assert.strictEqual(problem(mutate((d) => { d.mappings[3].start = '0x1000'; })), 'mappings[3].start should be int, not string');
  assert.strictEqual(problem(mutate((d) => { d.run.command = 'prog'; })), 'run.command should be array, not string');
  assert.strictEqual(problem(mutate((d) => { d.phases[0].faults = null; })), 'phases[0].faults should be object, not null');
});

test('malformed planned sections are refused, absent ones are fine', () => {
  const base = fx.makeFile({});
  const bad = (fn) => { const d = JSON.parse(JSON.stringify(base)); fn(d); return problem(JSON.stringify(d)); };
  assert.strictEqual(bad((d) => { delete d.timeline; delete d.heatmap; delete d.fault_sites; delete d.simulations; }), null);
  assert.strictEqual(bad((d) => { d.timeline = null; }), null);
  assert.match(bad((d) => { d.timeline.rss.heap.pop(); }), /^timeline.rss.heap has 95 entries, timeline.t has 96$/);
  assert.match(bad((d) => { d.timeline.wss[1].data = 5; }), /timeline.wss\[1\].data should be array/);
  assert.match(bad((d) => { d.heatmap.counts.push(1); }), /^heatmap.counts has \d+ entries, expected rows × buckets = \d+$/);
  assert.match(bad((d) => { d.fault_sites[0].stack = [1]; }), /fault_sites\[0\].stack\[0\] should be string/);
  assert.match(bad((d) => { delete d.simulations[2].ram_pages; }), /missing key simulations\[2\].ram_pages/);
});

test('a byte-order mark is tolerated', () => {
  assert.strictEqual(problem('\ufeff' + realText), null);
});
