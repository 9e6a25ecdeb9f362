'use strict';
// The TLB figures per mapping, label and phase (--tlb=yes): the tables'
// columns and the TLB view's bar charts by mapping and by phase, checked
// against a file made here whose figures are chosen in the test; every
// expected number is worked out below from those choices.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const M = require('../../../reports/src/model');
const TF = require('../../../reports/src/tlbfig');
const bars = require('../../../reports/src/bars');
const views = require('../../../reports/src/views');
const tlbView = require('../../../reports/src/views/tlb');
const V = require('../../../reports/src/validate');
const fakedom = require('./fakedom');

function tlb(dm, dw, im, iw) {
  return { dtlb_misses: dm, dtlb_walks: dw, itlb_misses: im, itlb_walks: iw };
}
function faults() {
  return { total: 0, minor: 0, major: 0, invalid: 0, anon: 0 };
}
function mapping(id, kind, t, extra) {
  return Object.assign({ id: id, start: 0x10000 * (id + 1), end: 0x10000 * (id + 1) + 0x4000,
    perms: 'rw-p', name: '', kind: kind, pages_touched: 1, resident_pages: 1, faults: faults(),
    tlb: t }, extra || {});
}

// 13 mappings: #0 text with fetch misses only, #1..#12 data with
// 10 * id data misses (walks: half of them, id * 5), #12 unmapped;
// plus 7 data misses and 3 walks in no mapping (totals).
function file() {
  const ms = [mapping(0, 'text', tlb(0, 0, 40, 10), { perms: 'r-xp', name: '/bin/prog' })];
  for (let id = 1; id <= 12; id++) {
    ms.push(mapping(id, 'anon', tlb(10 * id, 5 * id, 0, 0),
        id === 12 ? { unmapped_at: 500 } : {}));
  }
  // data misses: 10 * (1 + ... + 12) = 780, + 7 = 787; walks 5 * 78 = 390, + 3 = 393
  return {
    page_size: 4096,
    fault_classes: [{ name: 'anon' }],
    totals: { faults: faults(), tlb: tlb(787, 393, 40, 10) },
    mappings: ms,
    phases: [
      { name: 'main', pages_touched: 3, faults: faults(), tlb: tlb(100, 50, 30, 8) },
      { name: 'fill', pages_touched: 2, faults: faults(), tlb: tlb(600, 300, 4, 1) },
      { name: 'walk', pages_touched: 0, faults: faults(), tlb: tlb(87, 43, 6, 1) }
    ],
    labels: [
      { name: 'a', ranges: [[0x20000, 0x24000]], pages_touched: 1, faults: faults(),
        tlb: tlb(10, 5, 0, 0), phases: {
          fill: { pages_touched: 1, faults: faults(), tlb: tlb(4, 2, 0, 0) },
          walk: { pages_touched: 0, faults: faults(), tlb: tlb(6, 3, 0, 0) } } }
    ]
  };
}

const col = (t, title) => t.columns.find((c) => c.title === title);

test('mappings, labels, phases and label phases get their TLB columns', () => {
  const d = file();
  const mt = M.mappingTable(d);
  assert.deepStrictEqual(mt.columns.slice(-4).map((c) => c.title),
      ['dTLB misses', 'dTLB walks', 'iTLB misses', 'iTLB walks']);
  const row = (id) => mt.rows.find((r) => r.id === id);
  assert.strictEqual(row(7).tlb_dtlb_misses, 70);
  assert.strictEqual(row(7).tlb_dtlb_walks, 35);
  assert.strictEqual(row(0).tlb_itlb_misses, 40);
  assert.strictEqual(col(mt, 'iTLB walks').fmt(row(0).tlb_itlb_walks), '10');
  // sortable as the others: numeric, so 120 (#12) comes before 20 (#2)
  assert.ok(col(mt, 'dTLB misses').num);
  // labels: data only, so no fetch columns
  const lt = M.labelTable(d);
  assert.deepStrictEqual(lt.columns.slice(-2).map((c) => c.title), ['dTLB misses', 'dTLB walks']);
  assert.ok(!col(lt, 'iTLB misses'));
  assert.strictEqual(lt.rows[0].tlb_dtlb_misses, 10);
  const lp = M.labelPhaseTable(d);
  assert.deepStrictEqual(lp.rows.map((r) => [r.phase, r.tlb_dtlb_misses, r.tlb_dtlb_walks]),
      [['fill', 4, 2], ['walk', 6, 3]]);
  const pt = M.phaseTable(d);
  assert.deepStrictEqual(pt.rows.map((r) => r.tlb_itlb_misses), [30, 4, 6]);
  assert.ok(col(pt, 'iTLB walks'));
});

test('a file without --tlb has no TLB column anywhere and no TLB view', () => {
  const d = file();
  const keys = (t) => t.columns.map((c) => c.key);
  const withTlb = [M.mappingTable, M.labelTable, M.labelPhaseTable, M.phaseTable].map(
      (f) => keys(f(d)));
  delete d.totals.tlb;
  d.mappings.forEach((m) => delete m.tlb);
  d.phases.forEach((p) => delete p.tlb);
  d.labels.forEach((l) => { delete l.tlb; Object.values(l.phases).forEach((e) => delete e.tlb); });
  [M.mappingTable, M.labelTable, M.labelPhaseTable, M.phaseTable].forEach((f, i) => {
    const k = keys(f(d));
    assert.deepStrictEqual(k, withTlb[i].filter((x) => !/^tlb_/.test(x)));
    f(d).rows.forEach((r) => assert.ok(!Object.keys(r).some((x) => /^tlb_/.test(x))));
  });
  assert.ok(!views.shown(views.FILE, d, 'text').some((v) => v.id === 'tlb'));
  // and a real run without --tlb (the committed phases file): no TLB text at all
  const real = V.parse(fs.readFileSync(
      path.join(__dirname, '..', 'data', 'phases.vmtrace.out'), 'utf8'));
  assert.doesNotMatch(views.text(views.FILE, real), /TLB/);
});

test('the axis runs to a round number at or above the longest bar', () => {
  // 1, 2, 5 x 10^k steps, at most 5 of them up to the largest value
  assert.deepStrictEqual(TF.axis(120), { max: 150, step: 50, ticks: [0, 50, 100, 150] });
  assert.deepStrictEqual(TF.axis(384), { max: 400, step: 100, ticks: [0, 100, 200, 300, 400] });
  assert.deepStrictEqual(TF.axis(5).ticks, [0, 1, 2, 3, 4, 5]);
  assert.deepStrictEqual(TF.axis(6), { max: 6, step: 2, ticks: [0, 2, 4, 6] });
  assert.deepStrictEqual(TF.axis(1001), { max: 1500, step: 500, ticks: [0, 500, 1000, 1500] });
  assert.strictEqual(TF.axis(0).max, 1);
});

test('by mapping: the 10 with the most misses, the rest added up, and those of no mapping', () => {
  const d = file();
  const b = TF.byMapping(d, 10, M.mappingName);
  // misses (data + fetch): #12 120, #11 110, ..., #5 50, then #0 and #4
  // 40 each (the tie: lower id first); the other 3 (#3, #2, #1): 30 + 20 +
  // 10 = 60 data misses, 15 + 10 + 5 = 30 walks; in no mapping: 787 - 780
  // = 7 and 393 - 390 = 3
  assert.deepStrictEqual(b.rows.map((r) => r.id),
      ['12', '11', '10', '9', '8', '7', '6', '5', '0', '4', 'other', 'none']);
  assert.strictEqual(b.rows[0].label, '#12 [anon] *');
  assert.strictEqual(b.rows[8].label, '#0 /bin/prog');
  assert.deepStrictEqual(b.rows[10].tlb, tlb(60, 30, 0, 0));
  assert.strictEqual(b.rows[10].label, '3 other mappings');
  assert.deepStrictEqual(b.rows[11].tlb, tlb(7, 3, 0, 0));
  // the longest bar is #12's 120 misses: the axis ends at 150
  assert.strictEqual(b.axis.max, 150);
  // the bars add up to the totals
  const sum = (k) => b.rows.reduce((s, r) => s + r.tlb[k], 0);
  assert.deepStrictEqual(TF.KEYS.map(sum), [787, 393, 40, 10]);
  assert.match(b.note, /The 10 mappings .* 827 first-level misses in all/);
  // #0's misses bar: 0 data then 40 fetch; its walks bar 0 then 10
  assert.deepStrictEqual(b.rows[8].bars.map((x) => x.segs.map((s) => s.value)), [[0, 40], [0, 10]]);
  assert.deepStrictEqual(b.rows[8].bars.map((x) => x.text), ['40 misses', '10 walks']);
});

test('by phase: every phase in order; the bars add up to the totals', () => {
  const d = file();
  const b = TF.byPhase(d);
  assert.deepStrictEqual(b.rows.map((r) => r.label), ['1. main', '2. fill', '3. walk']);
  // fill: 600 + 4 = 604 misses, the longest: steps of 200, up to 800
  assert.strictEqual(b.axis.max, 800);
  const sum = (k) => b.rows.reduce((s, r) => s + r.tlb[k], 0);
  assert.deepStrictEqual(TF.KEYS.map(sum), [787, 393, 40, 10]);
  const short = TF.byPhase(d, 2);
  assert.deepStrictEqual(short.rows.map((r) => r.label), ['1. main', '2. fill', '1 later phase']);
  assert.strictEqual(TF.byPhase({ phases: [{ name: 'main', faults: faults() }] }), null);
});

// Depth first: the elements under el with class c.
function find(el, c) {
  const out = [];
  (function walk(n) {
    if (n.nodeType === 1 && n.className.split(' ').indexOf(c) >= 0) out.push(n);
    n.childNodes.forEach(walk);
  })(el);
  return out;
}

test('a bar is its figure on the axis: width value / axis max, segments end to end', () => {
  const doc = new fakedom.Document();
  const b = TF.byMapping(file(), 10, M.mappingName);
  const el = bars.render(doc, b);
  assert.strictEqual(el.getAttribute('id'), 'chart-tlb-mappings');
  const rows = find(el, 'bar-row').filter((r) => r.getAttribute('data-id'));
  assert.strictEqual(rows.length, 12);
  // #12: 120 data misses of an axis of 150: 80 %; walks 60: 40 %
  const segs = find(rows[0], 'bar-seg');
  assert.deepStrictEqual(segs.map((s) => [s.getAttribute('data-key'), s.style.left, s.style.width]),
      [['dtlb_misses', '0%', '80%'], ['dtlb_walks', '0%', '40%']]);
  // "3 other mappings": 60 of 150 = 40 %, their 30 walks 20 %
  assert.deepStrictEqual(find(rows[10], 'bar-seg').map((s) => s.style.width), ['40%', '20%']);
  // a zero segment is not drawn; #0's fetch misses start at 0: 40 / 150
  const s0 = find(rows[8], 'bar-seg');
  assert.deepStrictEqual(s0.map((s) => s.getAttribute('data-key')), ['itlb_misses', 'itlb_walks']);
  assert.strictEqual(Number(s0[0].style.width.replace('%', '')), (100 * 40) / 150);
  // ticks 0, 50, 100, 150 at 0, 1/3, 2/3 and the end of the track
  const ticks = find(el, 'bar-tick');
  assert.deepStrictEqual(ticks.map((t) => [t.textContent, Number(t.style.left.replace('%', ''))]),
      [['0', 0], ['50', 100 / 3], ['100', 200 / 3], ['150', 100]]);
  assert.match(find(el, 'bar-unit')[0].textContent, /TLB misses and page walks \(count\)/);
  // stacked: a mapping with both sides puts fetch after data
  const two = TF.byMapping({ mappings: [mapping(1, 'anon', tlb(30, 10, 20, 5))] }, 10,
      M.mappingName);
  const s2 = find(bars.render(doc, two), 'bar-seg');
  // misses 30 + 20 = 50 on an axis of 50: data 0..60 %, fetch 60..100 %
  assert.deepStrictEqual(s2.map((s) => [s.style.left, s.style.width]),
      [['0%', '60%'], ['60%', '40%'], ['0%', '20%'], ['20%', '10%']]);
});

test('the TLB view\'s text lists the charts as tables', () => {
  const d = file();
  d.tlb = { cpu: 'skylake', accesses: 5000, flushes: { full: 1, ranges: 0 },
    data: { l1_misses: 787, l2_hits: 394, walks: 393, walks_4k: 393, walks_2m: 0,
      walk_levels: 4 * 393 }, instruction: { l1_misses: 40, l2_hits: 30, walks: 10,
      walks_4k: 10, walks_2m: 0, walk_levels: 40 }, instructions: [] };
  const txt = tlbView.text(d);
  assert.match(txt, /== TLB misses by mapping ==/);
  assert.match(txt, /#12 \[anon\] \*\s+120\s+60\s+0\s+0\n/);
  assert.match(txt, /3 other mappings\s+60\s+30\s+0\s+0\n/);
  assert.match(txt, /in no mapping listed\s+7\s+3\s+0\s+0\n/);
  assert.match(txt, /== TLB misses by phase ==/);
  assert.match(txt, /2\. fill\s+600\s+300\s+4\s+1\n/);
});

test('the reader refuses a malformed tlb object, so no view meets one', () => {
  // a real --tlb run (tests/report/tlbmaps), the fuzzer's seed
  const text = fs.readFileSync(
      path.join(__dirname, '..', 'fuzz-seeds', 'tlbmaps', 'vmtrace.out.1'), 'utf8');
  const ok = V.parse(text);
  assert.ok(ok.tlb && ok.mappings.every((m) => m.tlb));
  const bad = (change, msg) => {
    const d = JSON.parse(text);
    change(d);
    assert.throws(() => V.validate(d), msg);
  };
  bad((d) => { d.mappings[3].tlb.dtlb_misses = -1; },
      /mappings\[3\]\.tlb\.dtlb_misses should not be negative/);
  bad((d) => { d.mappings[0].tlb = 'x'; }, /mappings\[0\]\.tlb should be object, not string/);
  bad((d) => { delete d.tlb.data; }, /missing key tlb\.data/);
  bad((d) => { d.tlb.instruction.walks = null; }, /tlb\.instruction\.walks should be int/);
  bad((d) => { d.timeline.tlb.itlb_walks.pop(); }, /timeline\.tlb\.itlb_walks has \d+ entries/);
  bad((d) => { d.labels[0].phases.walk.tlb = []; },
      /labels\[0\]\.phases\.walk\.tlb should be object, not array/);
  bad((d) => { d.tlb.instructions[0].where = 7; },
      /tlb\.instructions\[0\]\.where should be string/);
});
