'use strict';
// A count of 1 takes the singular ("1 page", not "1 pages") wherever the
// report writes a count with its noun: runs whose every count is 1,
// rendered as text and through the HTML views' overview figures.
const test = require('node:test');
const assert = require('node:assert');
const F = require('../../../reports/src/format');
const text = require('../../../reports/src/text');
const V = require('../../../reports/src/validate');
const dom = require('../../../reports/src/dom');
const summaryView = require('../../../reports/src/views/summary');
const nativeSummaryView = require('../../../reports/src/views/native_summary');
const fx = require('../fixtures');
const fake = require('./fakedom');

// Every noun the report counts, plural: "1" before one of them, not part
// of a larger number ("21 pages", "0.1 pages"), is the defect.
const PLURAL = new RegExp('(^|[^0-9.,])1 (other |major |invalid |more |TLB |L1 |first-level |' +
    'OOM |populate |zero-page |locked-page )?(pages|faults|processes|samples|instructions|' +
    'references|evictions|swap-outs|frames|VMAs|misses|walks|files|address ranges|simulations|' +
    'rows|prefaults|reads|kills|accesses|entries|bytes)\\b', 'm');

function plurals(s) {
  return s.split('\n').filter((l) => PLURAL.test(l));
}

test('format.count: the noun singular at exactly 1', () => {
  assert.strictEqual(F.count(1, 'page'), '1 page');
  assert.strictEqual(F.count(0, 'page'), '0 pages');
  assert.strictEqual(F.count(4096, 'page'), '4,096 pages');
  assert.strictEqual(F.count(1, 'process', 'processes'), '1 process');
  assert.strictEqual(F.count(2, 'process', 'processes'), '2 processes');
  assert.strictEqual(F.count(1.5, 'page', null, F.dec), '1.5 pages');
  assert.strictEqual(F.count(1, 'page', null, F.dec), '1 page');
  assert.strictEqual(F.count(1000, 'instruction', null, F.si), '1k instructions');
});

// A run of one of everything: it forked at its parent's first
// instruction, touched one page (one fault, its only resident page),
// made one invalid access, has one VMA; its timeline is one sample of one
// instruction, its heatmap one range of one page over one-instruction
// epochs; one simulation of one page of RAM stopped out of memory.
function oneOfEach() {
  const d = fx.makeFile({ planned: false, fork_time: 1 });
  const m = d.mappings[3];   // [heap]
  m.pages_touched = m.resident_pages = 1;
  m.faults = fx.faults({ anon: 1 });
  d.mappings = [m];
  m.id = 0;
  d.vmas = [{ start: m.start, end: m.end, perms: m.perms, mapping: 0 }];
  d.run.instructions = 1;
  d.run.memory_references = 1;
  d.totals.faults = Object.assign(fx.faults({ anon: 1 }), { invalid: 1 });
  d.totals.pages_touched = d.totals.resident_pages = d.totals.peak_resident_pages = 1;
  d.totals.pss_pages = d.totals.uss_pages = 1;
  d.phases = [{ name: 'main', faults: fx.faults({ anon: 1 }), pages_touched: 1 }];
  d.labels = [];
  d.timeline = { interval: 1, t: [1], wall_ms: [d.run.start_time * 1000 + 1],
    rss: { heap: [1] }, touched: [1], pss_x1000: [1000], uss: [1],
    faults: {}, wss: [{ tau: 1, code: [0], data: [1] }] };
  d.fault_classes.forEach((c) => { d.timeline.faults[c.name] = [c.name === 'anon' ? 1 : 0]; });
  d.heat = { epoch: 1, column_epochs: 1, columns: 1, last_epochs: 1, chunk_pages: 1,
    rows: [{ start: m.start, end: m.start + 4096, mapping: 0, cells: [[0, 1]] }] };
  d.fault_sites = [{ 'class': 'anon', count: 1, stack: ['0x401136: main (one.c:3)'] }];
  d.simulations = [{ policy: 'lru', ram_pages: 1, swap_pages: 0,
    faults: fx.faults({ anon: 1 }), swap_outs: 0, swap_ins: 0, writebacks: 0, refaults: 0,
    evictions: 1, oom_events: [], stopped: { time: 1, reason: 'out of memory' } }];
  return d;
}

function mm(minor, major) {
  return { minor: minor, major: major, total: minor + major };
}

// One process, one fault, one sample lost, one 4 ms sample.
function oneNative() {
  const n = fx.makeNative({ samples: 1 });
  const p = n.processes[0];
  p.mappings = [{ name: '[heap]', kind: 'heap', start: 0x555556000000, end: 0x555556400000,
    faults: mm(1, 0), pages_faulted: 1 }];
  p.faults = mm(1, 0);
  p.peak_resident_pages = 1;
  n.processes = [p];
  n.totals.faults = mm(1, 0);
  n.totals.recorded = 0;
  n.totals.lost = 1;
  n.totals.peak_resident_pages = 1;
  n.totals.rusage = { minflt: 1, majflt: 0, maxrss_kib: 4 };
  n.timeline.faults = { minor: [1], major: [0] };
  n.timeline.rss = [1];
  n.fault_sites = [];
  return n;
}

test('the fixtures of one are files the report accepts', () => {
  V.validate(oneOfEach());
  V.validate(oneNative());
});

test('text: a run of one of everything says each count of 1 in the singular', () => {
  const s = text.render([{ name: 'one.out', data: oneOfEach() }]);
  assert.deepStrictEqual(plurals(s), []);
  [/forked at +1 instruction of the parent$/m, /, 1 invalid access$/m,
    /\(1 VMA at exit\)$/m, /1 sample of 1 instruction;/,
    /1 address range of 1 page × 1 instruction;/,
    /pages referenced per 1 instruction \(log scale/,
    /1 simulation stopped out of memory/].forEach((re) => assert.match(s, re));
});

test('text: a measured run of one process, one fault, one sample lost', () => {
  const nat = oneNative();
  const s = text.render([{ name: 'one.native', data: nat }]);
  assert.deepStrictEqual(plurals(s), []);
  assert.match(s, /recorded +0 of 1 fault with a sample; 1 sample lost$/m);
  assert.match(s, /^ {2}1 sample of 4 ms;/m);
});

test('text: simulated against measured, one process each side', () => {
  const d = oneOfEach();
  const nat = oneNative();
  const s = text.render([{ name: 'one.out', data: d }, { name: 'one.native', data: nat }]);
  assert.deepStrictEqual(plurals(s), []);
  assert.match(s, /simulated .* \(pid 4242, 1 process\)$/m);
  assert.match(s, /measured .* \(one\.native, 1 process\)$/m);
  assert.match(s, /The native recorder lost 1 sample \(their mapping unknown\)/);
});

test('text: a tree replay of one reference, one eviction, one swap-out, one page', () => {
  const t = fx.makeTreeRun();
  const sim = t.simulations[0];
  sim.pages = 1;
  sim.swap = 1;
  sim.references = sim.evictions = sim.swap_outs = sim.peak_resident = 1;
  t.stream = { references: 1, frames: 1 };
  const s = text.render([{ name: 'tree.json', data: t }]);
  assert.deepStrictEqual(plurals(s), []);
  assert.match(s, /One memory for the tree: lru, 1 page \(4 KiB\), swap 1 page \(4 KiB\)/);
  assert.match(s,
      /1 reference of the tree, 1 eviction, 1 swap-out, peak 1 page resident; 1 OOM kill/);
  assert.match(s, /\(1 reference to 1 frame\)/);
});

// The HTML views' overview figures, through a stand-in for the viewer's
// Part that keeps what it is given.
function overview(view, data) {
  const doc = new fake.Document();
  const tiles = [];
  const part = {
    ps: 4096, several: false, file: { name: 'one' }, doc: doc,
    h: function (tag, attrs, children) { return dom.h(doc, tag, attrs, children); },
    section: function () { const s = doc.createElement('section');
      s.appendChild(doc.createElement('h2')); return s; },
    overview: function (sec, items, t) { tiles.push.apply(tiles, t); }
  };
  view.html(part, data);
  return tiles.map((t) => t.join(' | ')).join('\n');
}

test('HTML: the overview figures of one page, one process', () => {
  const s = overview(summaryView, oneOfEach());
  assert.deepStrictEqual(plurals(s), []);
  assert.match(s, /^pages touched \| 4 KiB \| 1 page$/m);
  assert.match(s, /^peak resident \| 4 KiB \| 1 page$/m);
  const n = overview(nativeSummaryView, oneNative());
  assert.deepStrictEqual(plurals(n), []);
  assert.match(n, /^peak resident \| 4 KiB \| 1 page$/m);
  assert.match(n, /^processes \| 1 \| 1 page faulted$/m);
});
