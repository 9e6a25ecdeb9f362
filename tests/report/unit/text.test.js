'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const text = require('../../../reports/src/text');
const V = require('../../../reports/src/validate');
const fx = require('../fixtures');

const real = V.parse(
    fs.readFileSync(path.join(__dirname, '..', 'data', 'phases.vmtrace.out'), 'utf8'));

function headings(s) {
  return s.split('\n').filter((l) => /^== .* ==$/.test(l)).map((l) => l.slice(3, -3));
}

test('a real run: summary, classes, page tables, mappings, labels, phases', () => {
  const s = text.render([{ name: 'vmtrace.out.1', data: real }]);
  assert.deepStrictEqual(headings(s),
      ['Run', 'Faults by class', 'Page tables', 'Mappings', 'Labels', 'Labels by phase', 'Phases']);
  assert.match(s, /^vmtrace report: vmtrace.out.1$/m);
  assert.match(s, /^ {2}instructions {7}2,765,314$/m);
  assert.match(s, /^ {2}array +0x000004a2c000-0x000005a2c000 +16 MiB +4,096 +6,144 +6,144/m);
});

test('planned sections appear when present', () => {
  const s = text.render([{ name: 's', data: fx.makeFile({}) }]);
  assert.deepStrictEqual(headings(s),
      ['Run', 'Faults by class', 'Page tables', 'Mappings', 'Labels', 'Labels by phase', 'Phases',
    'Timeline', 'Heatmap: address × time', 'Invalid accesses', 'Fault sites', 'Policy comparison']);
  assert.match(s, /96 samples of 1,041,667 instructions, 20 shown/);
  assert.match(s, /0 +100M instructions$/m);
});

test('the heatmap text has one bordered line per row block', () => {
  const d = fx.makeFile({});
  const s = text.heatmapText(d, 40, 10);
  const lines = s.split('\n').filter((l) => /\|.*\|$/.test(l));
  assert.strictEqual(lines.length, 10);
  lines.forEach((l) => assert.strictEqual(l.replace(/^.*?\|/, '').length, 41));
});

test('several files: the process tree first, then each process', () => {
  const s = text.render(fx.treeFiles());
  assert.strictEqual(headings(s)[0], 'Processes');
  assert.match(s, /2 runs of \.\/server --workers=2/);
  assert.strictEqual((s.match(/^#### pid /mg) || []).length, 6);
  assert.match(s, /^#### pid 101: \/bin\/worker a/m);
});

test('control characters in names are made visible', () => {
  const d = fx.makeFile({ planned: false });
  d.mappings[0].name = '/tmp/\x1b]0;pwned\x07';
  const s = text.render([{ name: 'evil\x1b[2J', data: d }]);
  // eslint-disable-next-line no-control-regex -- the control characters are the point
  assert.ok(!/\x1b|\x07/.test(s));
  assert.match(s, /\\x1b\]0;pwned\\x07/);
});
