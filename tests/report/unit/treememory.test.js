'use strict';
// Tree memory: Σ PSS of the processes alive at each wall-clock moment, on
// small synthetic trees whose answers are worked out by hand in the
// comments. Times are milliseconds since the epoch (tiny ones: the clock's
// origin does not matter); pages throughout.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const tree = require('../../../reports/src/tree');
const C = require('../../../reports/src/charts');
const text = require('../../../reports/src/text');
const V = require('../../../reports/src/validate');
const fx = require('../fixtures');

// A process image. samples: [[wall_ms, rss, pss, uss]]; null for none (no
// timeline). opts: exit, fork_time, pss_pages (for files without timeline).
function img(name, pid, ppid, start, end, samples, opts) {
  opts = opts || {};
  const d = fx.makeFile(
      { pid: pid, ppid: ppid, planned: false, xss: false, scale: 0.1, exit: opts.exit, fork_time:
          opts.fork_time, command: opts.command || ['./prog'] });
  d.run.start_time = start / 1000;
  d.run.end_time = end / 1000;
  if (samples) {
    const n = samples.length;
    d.timeline = {
      interval: 16384,
      t: samples.map((s, i) => 16384 * (i + 1)),
      wall_ms: samples.map((s) => s[0]),
      rss: { anon: samples.map((s) => s[1]), text: samples.map(() => 0) },
      pss_x1000: samples.map((s) => Math.round(s[2] * 1000)),
      uss: samples.map((s) => s[3])
    };
    const last = samples[n - 1];
    d.totals.resident_pages = last[1];
    d.totals.peak_resident_pages = Math.max(...samples.map((s) => s[1]));
    d.totals.pss_pages = last[2];
    d.totals.uss_pages = last[3];
  } else {
    if (opts.peak) d.totals.resident_pages = d.totals.peak_resident_pages = opts.peak;
    if (opts.pss_pages === undefined) {
        delete d.totals.pss_pages; delete d.totals.uss_pages; } else {
      d.totals.pss_pages = opts.pss_pages;
      d.totals.uss_pages = opts.uss_pages;
    }
  }
  V.validate(d);
  return { name: name, data: d };
}

function memOf(files) {
  const t = tree.build(files);
  assert.strictEqual(t.roots.length, 1, 'one tree');
  return tree.memories(files, t)[0];
}

function byPid(m, pid) {
  return m.processes.find((p) => p.pid === pid);
}

// Parent P (pid 10): 50 private pages and a 300-page region; it forks C at
// 1010. C writes 20 pages of its own; the 300 stay shared, so PSS counts
// 150 in each. P: 350 before the fork, 50 + 150 = 200 while C lives, 350
// again after C's exit at 1100. C: 20 + 150 = 170.
//   tree: 1000: 350 | 1020: 200 (C not sampled yet) | 1030: 200 + 170 = 370
//         1100: 200 (C ended) | 1150: 350 | 1200: 0
//   peak 370 = 300 shared + 50 + 20 private, at 1030; the naive sum adds the
//   peak RSS: 350 + 320 = 670, the region twice.
function shared300() {
  return [
    img('out.10', 10, 1, 1000, 1200,
        [[1000, 350, 350, 350], [1020, 350, 200, 50], [1150, 350, 350, 350],
            [1200, 350, 350, 350]]),
    img('out.11', 11, 10, 1010, 1100, [[1030, 320, 170, 20], [1090, 320, 170, 20]],
        { fork_time: 5000 })
  ];
}

test('two processes sharing 300 pages: the tree peak counts them once', () => {
  const m = memOf(shared300());
  assert.strictEqual(m.peak.pages, 370);
  assert.strictEqual(m.peak.ms, 1030);
  assert.strictEqual(m.naive, 670);
  assert.strictEqual(m.approximate, false);
  assert.deepStrictEqual(
      [1000, 1020, 1030, 1099, 1100, 1149, 1150, 1199, 1200].map((t) => tree.memoryAt(m, t)),
    [350, 200, 370, 370, 200, 200, 350, 350, 0]);
  assert.strictEqual(byPid(m, 10).at_peak, 200);
  assert.strictEqual(byPid(m, 11).at_peak, 170);
  assert.strictEqual(byPid(m, 10).pss_peak, 350);
  assert.strictEqual(byPid(m, 11).rss_peak, 320);
  assert.strictEqual(byPid(m, 11).pss_peak, 170);
  assert.strictEqual(byPid(m, 11).uss_peak, 20);
  assert.strictEqual(m.t0, 1000);
  // the columns add up: each column's total is the sum of the processes
  m.total.forEach((v, i) => assert.strictEqual(v, m.values[0][i] + m.values[1][i]));
});

// P exits at 1050; C lives on to 1200. C's sample at 1060 still says 170
// (taken before it noticed nothing), at 1100 all 320 pages are its own.
//   tree: 1030: 200 + 170 = 370 (peak) | 1050: 170 (P ended; its last
//   sample, 200, no longer counts) | 1100: 320 | 1200: 0
test('a child outliving its parent: the parent stops counting at its end', () => {
  const m = memOf([
    img('out.10', 10, 1, 1000, 1050, [[1000, 350, 350, 350], [1020, 350, 200, 50]]),
    img('out.11', 11, 10, 1010, 1200,
        [[1030, 320, 170, 20], [1060, 320, 170, 20], [1100, 320, 320, 320]], { fork_time: 5000 })
  ]);
  assert.strictEqual(m.peak.pages, 370);
  assert.strictEqual(m.peak.ms, 1030);
  assert.deepStrictEqual([1049, 1050, 1055, 1099, 1100, 1199, 1200].map((t) => tree.memoryAt(m, t)),
      [370, 170, 170, 170, 320, 320, 0]);
  assert.strictEqual(m.naive, 350 + 320);
});

// Q (pid 20) runs ./a (exec1: 1000..1050) then ./b (1052..1100); its child
// R (50 pages, nothing shared) lives 1020..1200.
//   tree: 1010: 100 | 1030: 100 + 50 | 1040: 120 + 50 | 1050: 50 (./a
//   ended, ./b not sampled yet) | 1060: 300 + 50 | 1090: 500 + 50 (peak)
//   | 1100: 50 | 1200: 0. Naive: Q's peak RSS over its images, 500, + 50.
function execTree(exec1End) {
  return [
    img('out.20.exec1', 20, 1, 1000, exec1End, [[1010, 100, 100, 100], [1040, 120, 120, 120]],
        { exit: { status: 'exec' }, command: ['./a'] }),
    img('out.20', 20, 1, 1052, 1100, [[1060, 300, 300, 300], [1090, 500, 500, 500]],
        { command: ['./b'] }),
    img('out.21', 21, 20, 1020, 1200, [[1030, 50, 50, 50], [1150, 50, 50, 50]],
        { fork_time: 3000, command: ['./a'] })
  ];
}

test('a process that execs contributes each image over its own span', () => {
  const m = memOf(execTree(1050));
  assert.strictEqual(m.processes.length, 2);
  assert.deepStrictEqual(
      [1010, 1030, 1045, 1050, 1055, 1060, 1090, 1100, 1200].map((t) => tree.memoryAt(m, t)),
    [100, 150, 170, 50, 50, 350, 550, 50, 0]);
  assert.strictEqual(m.peak.pages, 550);
  assert.strictEqual(m.peak.ms, 1090);
  assert.strictEqual(m.naive, 550);
  assert.strictEqual(byPid(m, 20).rss_peak, 500);
  assert.strictEqual(byPid(m, 20).command, './b');
});

// If the exec1 file says it ended after the new image's first sample (1070
// against 1060), the old image stops at 1060: at 1065 Q counts 300, not
// 300 + 120.
test('overlapping exec images do not count twice', () => {
  const m = memOf(execTree(1070));
  assert.strictEqual(tree.memoryAt(m, 1065), 350);
  assert.strictEqual(tree.memoryAt(m, 1059), 170);
  assert.strictEqual(m.peak.pages, 550);
});

// The child exits at 1080 and its last sample is at 1080; the parent's next
// sample, also in millisecond 1080, already shows the region unshared (350).
// Within the millisecond the exit comes first: 200 + 170 = 370 just before,
// 350 after; never 350 + 170.
test('an exit and another process\'s sample in the same millisecond', () => {
  const m = memOf([
    img('out.10', 10, 1, 1000, 1100,
        [[1000, 350, 350, 350], [1020, 350, 200, 50], [1080, 350, 350, 350],
            [1100, 350, 350, 350]]),
    img('out.11', 11, 10, 1010, 1080, [[1030, 320, 170, 20], [1080, 320, 170, 20]],
        { fork_time: 5000 })
  ]);
  assert.strictEqual(m.peak.pages, 370);
  assert.strictEqual(m.peak.ms, 1030);
  assert.strictEqual(tree.memoryAt(m, 1080), 350);
  assert.ok(Math.max(...m.total) < 520);
});

// A child whose only sample is taken at its exit still shows, just before.
test('a process sampled only at its exit is counted at that moment', () => {
  const m = memOf([
    img('out.10', 10, 1, 1000, 1200,
        [[1000, 350, 350, 350], [1020, 350, 200, 50], [1150, 350, 350, 350]]),
    img('out.11', 11, 10, 1010, 1080, [[1080, 320, 170.5, 20]], { fork_time: 5000 })
  ]);
  assert.strictEqual(m.peak.pages, 370.5);
  assert.strictEqual(m.peak.ms, 1080);
  assert.strictEqual(tree.memoryAt(m, 1080), 200);
});

// Without timelines: each file's PSS at exit over its lifetime.
//   P 250 over 1000..1100, C 170.5 over 1020..1080: peak 420.5 at 1020.
test('files without timeline contribute their PSS at exit, and the result is approximate', () => {
  const m = memOf([
    img('out.10', 10, 1, 1000, 1100, null, { pss_pages: 250, uss_pages: 100, peak: 400 }),
    img('out.11', 11, 10, 1020, 1080, null,
        { pss_pages: 170.5, uss_pages: 20, fork_time: 5000, peak: 321 })
  ]);
  assert.strictEqual(m.peak.pages, 420.5);
  assert.strictEqual(m.peak.ms, 1020);
  assert.deepStrictEqual([999, 1000, 1019, 1020, 1080, 1100].map((t) => tree.memoryAt(m, t)),
      [0, 250, 250, 420.5, 250, 0]);
  assert.strictEqual(m.naive, 721);
  assert.strictEqual(m.approximate, true);
  assert.strictEqual(m.notes.length, 2);
  assert.match(m.notes[0], /^out\.10: no timeline: its PSS at exit counted over its lifetime$/);
  assert.strictEqual(byPid(m, 11).uss_peak, 20);
});

test('a file with a timeline and one without mix; without PSS the resident pages count', () => {
  const real = V.parse(
      fs.readFileSync(path.join(__dirname, '..', 'data', 'phases.vmtrace.out'), 'utf8'));
  const s = tree.imageMemory(real);
  assert.strictEqual(s.pss[0], real.totals.resident_pages * 1000);
  assert.match(s.approx, /no PSS/);
  const m = memOf([
    img('out.10', 10, 1, 1000, 1200,
        [[1000, 350, 350, 350], [1020, 350, 200, 50], [1150, 350, 350, 350]]),
    img('out.11', 11, 10, 1010, 1100, null,
        { pss_pages: 170, uss_pages: 20, fork_time: 5000, peak: 320 })
  ]);
  // C counts 170 from its start (1010): 1010: 350 + 170 | 1020: 200 + 170
  assert.strictEqual(m.peak.pages, 520);
  assert.strictEqual(m.peak.ms, 1010);
  assert.strictEqual(tree.memoryAt(m, 1020), 370);
  assert.strictEqual(m.approximate, true);
  assert.deepStrictEqual(m.notes,
      ['out.11: no timeline: its PSS at exit counted over its lifetime']);
});

test('the tree table has peak RSS, PSS, USS and the PSS at the tree peak', () => {
  const files = shared300();
  const t = tree.build(files);
  const tab = tree.treeTable(files, t);
  const keys = tab.columns.map((c) => c.key);
  ['peak', 'pss_peak', 'uss_peak', 'at_peak'].forEach((k) => assert.ok(keys.includes(k), k));
  assert.deepStrictEqual(tab.rows.map((r) => [r.pid, r.peak, r.pss_peak, r.uss_peak, r.at_peak]),
      [[10, 350, 350, 350, 200], [11, 320, 170, 20, 170]]);
  const col = tab.columns.find((c) => c.key === 'pss_peak');
  assert.strictEqual(col.fmt(1135.5, { approx: false }), '1,135.5');
  assert.strictEqual(col.fmt(250, { approx: true }), '~250');
});

test('the tree memory chart stacks each process\'s PSS and marks the peak', () => {
  const files = shared300();
  const t = tree.build(files);
  const specs = C.treeMemorySpecs(files, t);
  assert.strictEqual(specs.length, 1);
  const spec = specs[0];
  assert.strictEqual(spec.id, 'chart-tree-memory');
  assert.deepStrictEqual(spec.series.map((s) => s.label),
      ['pid 10 prog', 'pid 11 prog', 'tree (Σ PSS)']);
  assert.deepStrictEqual(spec.series[1].values, spec.series[2].values,
      'the stack\'s top is the tree');
  assert.strictEqual(spec.marker.x, 0.03);
  assert.strictEqual(spec.marker.y, 370);
  assert.strictEqual(spec.x[0], 0);
  assert.match(spec.note, /Peak 370 pages, against 670/);
  // a tree of one process gets no chart
  assert.deepStrictEqual(C.treeMemorySpecs([files[0]], tree.build([files[0]])), []);
});

test('many processes: the chart keeps the largest and sums the others', () => {
  const files = [img('out.1', 1, 0, 1000, 2000, [[1000, 10, 10, 10], [2000, 10, 10, 10]])];
  for (let k = 0; k < 20; k++) {
    files.push(img('out.' + (100 + k), 100 + k, 1, 1100, 1900,
        [[1100 + k, 5 + k, 5 + k, 5 + k], [1900, 5 + k, 5 + k, 5 + k]], { fork_time: 100 * k }));
  }
  const t = tree.build(files);
  const spec = C.treeMemorySpecs(files, t)[0];
  assert.strictEqual(spec.series.length, 11 + 1 + 1);
  assert.strictEqual(spec.series[11].label, '10 other processes');
  const m = tree.memories(files, t)[0];
  // every child is alive at 1119: 10 + Σ (5 + k) for k < 20 = 10 + 100 + 190
  assert.strictEqual(m.peak.pages, 300);
  assert.strictEqual(spec.series[11].values[m.peak.index], 300);
  // Each band's colour is its own: the shared band of the others is told
  // from every process's (the 10th process once had its grey).
  const colours = spec.series.map((s) => s.color);
  assert.strictEqual(new Set(colours).size, colours.length, JSON.stringify(colours));
});

test('twelve processes: each gets a band, every colour its own', () => {
  const files = [img('out.1', 1, 0, 1000, 2000, [[1000, 10, 10, 10], [2000, 10, 10, 10]])];
  for (let k = 0; k < 11; k++) {
    files.push(img('out.' + (100 + k), 100 + k, 1, 1100, 1900,
        [[1100 + k, 5, 5, 5], [1900, 5, 5, 5]], { fork_time: 100 * k }));
  }
  const spec = C.treeMemorySpecs(files, tree.build(files))[0];
  assert.strictEqual(spec.series.length, 12 + 1);
  assert.ok(spec.series.every((s) => !/other processes/.test(s.label)));
  const colours = spec.series.map((s) => s.color);
  assert.strictEqual(new Set(colours).size, colours.length, JSON.stringify(colours));
});

test('--text has a Tree memory section with the peak, when, and the naive sum', () => {
  const s = text.render(shared300());
  assert.match(s, /^== Tree memory: pid 10 \.\/prog, 2 processes ==$/m);
  assert.match(s, /^ {2}tree peak {2}370 pages \(1,480 KiB\)$/m);
  assert.match(s, /^ {2}when {7}30 ms after the tree started \(1970-01-01 00:00:01\.030 UTC\)$/m);
  assert.match(s, /^ {2}naive sum {2}670 pages \(2,680 KiB\): the processes' peak RSS added up$/m);
  assert.match(s, /^ {4}11 +\.\/prog +170 +320 +170 +20$/m);
  assert.ok(!/approximate/.test(s));
  const a = text.render([
    img('out.10', 10, 1, 1000, 1100, null, { pss_pages: 250, uss_pages: 100, peak: 400 }),
    img('out.11', 11, 10, 1020, 1080, null,
        { pss_pages: 170.5, uss_pages: 20, fork_time: 5000, peak: 321 })
  ]);
  assert.match(a, /^ {2}tree peak {2}420\.5 pages \(1,682 KiB\)$/m);
  assert.match(a, /^ {2}approximate: 2 files lack a PSS timeline:$/m);
});

test('a timeline\'s wall_ms, pss_x1000 and uss are checked', () => {
  const d = img('x', 1, 0, 1000, 1100, [[1000, 1, 1, 1], [1100, 1, 1, 1]]).data;
  d.timeline.wall_ms.pop();
  assert.throws(() => V.validate(d), /timeline\.wall_ms has 1 entry, timeline\.t has 2/);
});
