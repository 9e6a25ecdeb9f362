'use strict';
const test = require('node:test');
const assert = require('node:assert');
const FL = require('../../../reports/src/flame');

test('frames are named by function, by line, or by their object when unknown', () => {
  assert.strictEqual(FL.frameName('0x10927B: main (phases.c:41)'), 'main');
  assert.strictEqual(FL.frameName('0x10927B: main (phases.c:41)', true), 'main (phases.c:41)');
  assert.strictEqual(FL.frameName('0x485D9AD: ??? (in /usr/lib/x86_64-linux-gnu/liblzma.so.5.4.1)'),
      '??? in liblzma.so.5.4.1');
  assert.strictEqual(FL.frameName('0x484CCA7: lzma_code (in /usr/lib/liblzma.so.5)', true),
      'lzma_code in liblzma.so.5');
  assert.strictEqual(FL.frameName('0x48F1D8F: (below main)'), '(below main)');
});

// Three stacks (innermost first): main -> f -> g takes 5, main -> f takes
// 2, main -> h -> ??? in libx takes 4, ??? in liby (another object) 1.
const SITES = [
  { 'class': 'anon', count: 5, stack: ['0x3: g (a.c:30)', '0x2: f (a.c:20)', '0x1: main (a.c:1)'] },
  { 'class': 'zero', count: 2, stack: ['0x2: f (a.c:21)', '0x1: main (a.c:2)'] },
  { 'class': 'anon', count: 4, stack: ['0x9: ??? (in /lib/libx.so)', '0x4: h (a.c:40)',
    '0x1: main (a.c:3)'] },
  { 'class': 'anon', count: 1, stack: ['0xA: ??? (in /lib/liby.so)', '0x4: h (a.c:40)',
    '0x1: main (a.c:3)'] }
];

test('build merges stacks from the outermost frame, children by faults', () => {
  const t = FL.build(SITES, '', false);
  assert.strictEqual(t.value, 12);
  assert.deepStrictEqual(t.children.map((c) => [c.name, c.value]), [['main', 12]]);
  const main = t.children[0];
  assert.deepStrictEqual(main.children.map((c) => [c.name, c.value, c.self]),
      [['f', 7, 2], ['h', 5, 0]]);
  assert.deepStrictEqual(main.children[1].children.map((c) => [c.name, c.value]),
      [['??? in libx.so', 4], ['??? in liby.so', 1]]);
  assert.strictEqual(FL.depth(t), 4);
});

test('by source line, and one class', () => {
  const t = FL.build(SITES, '', true);
  assert.deepStrictEqual(t.children.map((c) => [c.name, c.value]),
      [['main (a.c:1)', 5], ['main (a.c:3)', 5], ['main (a.c:2)', 2]]);
  const z = FL.build(SITES, 'zero', false);
  assert.strictEqual(z.value, 2);
  assert.deepStrictEqual(z.children[0].children.map((c) => c.name), ['f']);
});

test('toNodes lays children side by side inside their parent', () => {
  const n = FL.toNodes(FL.build(SITES, '', false))[0];
  assert.deepStrictEqual([n.start, n.duration], [0, 12]);
  const main = n.children[0];
  assert.deepStrictEqual(main.children.map((c) => [c.name, c.start, c.duration]),
      [['f', 0, 7], ['h', 7, 5]]);
  assert.deepStrictEqual(main.children[1].children.map((c) => [c.start, c.duration]),
      [[7, 4], [11, 1]]);
});

test('with the run\'s total, the sites not listed are one "other sites" child of the root', () => {
  // the file lists 12 faults of these classes; the run took 20 (and 1
  // invalid access): 9 more at sites it did not list
  const d = { totals: { faults: { total: 20, invalid: 1, zero: 2, anon: 14 } } };
  assert.strictEqual(FL.classTotal(d, ''), 21);
  assert.strictEqual(FL.classTotal(d, 'anon'), 14);
  assert.strictEqual(FL.classTotal({}, ''), null);
  const t = FL.build(SITES, '', false, FL.classTotal(d, ''));
  assert.strictEqual(t.value, 21);
  assert.deepStrictEqual(t.children.map((c) => [c.name, c.value, c.self]),
      [['main', 12, 0], [FL.OTHER, 9, 9]]);
  assert.strictEqual(FL.colorOf(FL.OTHER), '#c8c8c8');
  // one class: anon's listed sites hold 10 of its 14
  const a = FL.build(SITES, 'anon', false, FL.classTotal(d, 'anon'));
  assert.deepStrictEqual([a.value, a.children.map((c) => [c.name, c.value])],
      [14, [['main', 10], [FL.OTHER, 4]]]);
  // every fault listed: no such child; the nodes span the whole
  const z = FL.build(SITES, 'zero', false, FL.classTotal(d, 'zero'));
  assert.deepStrictEqual(z.children.map((c) => c.name), ['main']);
  const n = FL.toNodes(t)[0];
  assert.deepStrictEqual(n.children.map((c) => [c.start, c.duration]), [[0, 12], [12, 9]]);
});

// The icicle's fault axis ticks at round numbers as the other charts do
// (1, 2 or 5 x 10^k apart, at least 85 pixels): flame-chart-js's own were
// the whole over (width / 85 pixels) apart: for the synthetic file's 4,340
// faults on 1,326 pixels 278 (835, 1113, 1391, ...).
test('the icicle axis: round ticks, whole faults', () => {
  const g = FL.axisTicks(0, 51716, 1180);
  assert.strictEqual(g.step, 5000);
  assert.deepStrictEqual(g.ticks, [0, 5000, 10000, 15000, 20000, 25000, 30000, 35000, 40000,
    45000, 50000]);
  // every pair at least 85 pixels apart, the step the smallest such 1-2-5
  // (5,000 faults are 114 pixels, 2,000 only 46)
  // zoomed (flame-chart-js's view from 12,345 to 12,545 faults)
  // (200 faults on 1,000 pixels: 85 pixels are 17 faults, the step 20)
  assert.deepStrictEqual(FL.axisTicks(12345, 12545, 1000).ticks,
      [12360, 12380, 12400, 12420, 12440, 12460, 12480, 12500, 12520, 12540]);
  // never a fraction of a fault: zoomed to 3 faults, a tick per fault
  assert.deepStrictEqual(FL.axisTicks(10.5, 13.5, 1000), { step: 1, ticks: [11, 12, 13] });
});

// The grid flame-chart-js draws with, made round: lines at the ticks'
// pixels, labels as the time charts' (siTick) with the units.
test('roundTimeGrid: lines and labels at the round ticks', () => {
  const drawn = [];
  const e = {
    positionX: 0, width: 1180, getRealView: () => 51716, styles: { fontColor: '#000', font: '' },
    timeToPosition: (v) => v * 1180 / 51716, blockPaddingLeftRight: 4, charHeight: 12,
    setCtxValue() {}, setCtxFont() {},
    fillText: (s, x) => drawn.push([s, Math.round(x)])
  };
  const g = FL.roundTimeGrid({ renderEngine: e, timeUnits: ' faults' });
  g.recalc();
  g.renderTimes();
  assert.deepStrictEqual(drawn.slice(0, 3), [['0 faults', 4], ['5k faults', 118],
    ['10k faults', 232]]);
  assert.strictEqual(drawn.length, 11);
  assert.strictEqual(g.accuracy, 0);
});
