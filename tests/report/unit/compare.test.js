'use strict';
// "Simulated vs measured" (reports/src/compare.js) on small hand-built
// files: every expected figure below is worked out by hand in the comment
// next to it from the fixtures written here, never taken from a run.
const test = require('node:test');
const assert = require('node:assert');
const V = require('../../../reports/src/validate');
const C = require('../../../reports/src/compare');
const text = require('../../../reports/src/text');
const fx = require('../fixtures');
const FC = require('../../../reports/src/faultclasses');

// A minimal vmtrace-out file (it must pass validation).
function sim(o) {
  const maps = (o.mappings || []).map((m, i) => ({
    id: i, start: 0x1000 * (i + 1), end: 0x1000 * (i + 2), perms: 'rw-p', instances: 1, name:
        m.name, kind: m.kind,
    file: null, created_at: 0, unmapped_at: null, pages_touched: 0, resident_pages: 0, faults:
        fx.faults(m.faults)
  }));
  const d = {
    format: 'vmtrace-out', version: 1, tool: { name: 'vmtrace', version: '0.1.0' },
    run: Object.assign(
        { ppid: 1, exit: { status: 'exit', code: 0 }, instructions: 1000, fork_time: null }, o.run),
    options: {}, page_size: 4096, fault_classes: FC.LIST,
    totals: {
      faults: fx.faults(o.faults), pages_touched: o.touched, resident_pages: 0,
          peak_resident_pages: o.peak,
      page_tables: { pgd: 1, pud: 1, pmd: 1, pte: 1 }
    },
    mappings: maps, vmas: [], phases: [], labels: [], invalid_accesses: []
  };
  if (o.fault_sites) d.fault_sites = o.fault_sites;
  if (o.timeline) d.timeline = o.timeline;
  return V.validate(JSON.parse(JSON.stringify(d)));
}

function mm(minor, major) {
  return { minor: minor, major: major, total: minor + major };
}
function nmap(name, kind, minor, major, pages) {
  return { name: name, kind: kind, start: 0, end: 4096, faults: mm(minor, major),
      pages_faulted: pages };
}

// One simulated process, pid 10, ./prog.
//   mapping          kind  minor                 major
//   /usr/bin/prog    text  file_read 3            -
//   /usr/bin/prog    data  file_cow 1 + wp_copy 1 -
//   ""               bss   anon 2                 -
//   [heap]           heap  anon 10 + zero 2       -
//   ""               anon  anon 100               -
//   /data/f          file  file_read 5           file_major 4
//   /usr/lib/vg.so   text  (no faults)
// totals: minor 3+2+2+12+100+5 = 124, major 4, total 128.
function simOne() {
  return sim({
    run: { pid: 10, command: ['/usr/bin/prog', 'x'], start_time: 100, end_time: 101 },
    faults: { file_read: 8, file_cow: 1, wp_copy: 1, anon: 112, zero: 2, file_major: 4 },
    touched: 150, peak: 140,
    mappings: [
      { name: '/usr/bin/prog', kind: 'text', faults: { file_read: 3 } },
      { name: '/usr/bin/prog', kind: 'data', faults: { file_cow: 1, wp_copy: 1 } },
      { name: '', kind: 'bss', faults: { anon: 2 } },
      { name: '[heap]', kind: 'heap', faults: { anon: 10, zero: 2 } },
      { name: '', kind: 'anon', faults: { anon: 100 } },
      { name: '/data/f', kind: 'file', faults: { file_read: 5, file_major: 4 } },
      { name: '/usr/lib/vg.so', kind: 'text', faults: {} }
    ],
    fault_sites: [
      { 'class': 'anon', count: 100, stack:
          ['0x1000: fill (a.c:10)', '0x1100: main (a.c:50)', '0x2000: (below main)'] },
      { 'class': 'zero', count: 2, stack:
          ['0x1010: fill (a.c:10)', '0x1200: init (a.c:30)', '0x1100: main (a.c:50)'] },
      { 'class': 'file_major', count: 4, stack:
          ['0x1300: load (a.c:70)', '0x1101: main (a.c:51)'] },
      { 'class': 'invalid', count: 7, stack: ['0x1000: fill (a.c:10)', '0x1100: main (a.c:50)'] }
    ],
    // 4 samples: progress 25, 50, 75, 100 %; faults (invalid not counted)
    // 1, 2, 3+4, 4 -> cumulative 1, 3, 10, 14; resident heap + anon
    // 1, 12, 23, 9.
    timeline: {
      interval: 100, t: [100, 200, 300, 400],
      rss: { heap: [1, 2, 3, 4], anon: [0, 10, 20, 5] },
      faults: { anon: [1, 2, 3, 4], file_major: [0, 0, 4, 0], invalid: [5, 0, 0, 0] }
    }
  });
}

// The measured run: ./prog, two processes.
//   pid 20: /usr/bin/prog 2 minor 1 major (3 pages), "" 90 (90), [heap] 15
//           (15), [unknown] 1 (1)
//   pid 21: "" 10 (10), /data/f 3 minor 2 major (5 pages)
// totals: minor 2+90+15+1+10+3 = 121, major 3, total 124; pages faulted
// 3+90+15+1+10+5 = 124.
function native(o) {
  o = o || {};
  return V.validate(JSON.parse(JSON.stringify({
    format: 'vmtrace-native', version: 1, tool:
        { name: 'vmtrace-native', version: '0.1.0', kernel: '6.1.0' },
    options: { call_graph: 'dwarf', stack_depth: 16, stack_bytes: 8192 }, page_size: 4096,
    command: o.command || ['./prog', 'x'], start_time: 500.5, end_time: 500.6, exit:
        o.exit || { status: 'exit', code: 0 },
    totals: { faults: mm(121, 3), recorded: 124, lost: 0, peak_resident_pages: 130, rusage:
        { minflt: 125, majflt: 3, maxrss_kib: 480 } },
    processes: [
      { pid: 20, ppid: 19, comm: 'prog', execs: 0, start_time: 500.5, end_time: 500.6, faults:
          mm(108, 1), peak_resident_pages: 100,
        mappings: [nmap('/usr/bin/prog', 'file', 2, 1, 3), nmap('', 'anon', 90, 0, 90),
            nmap('[heap]', 'heap', 15, 0, 15), nmap('[unknown]', 'unknown', 1, 0, 1)] },
      { pid: 21, ppid: 20, comm: 'prog', execs: 0, start_time: 500.52, end_time: null, faults:
          mm(13, 2), peak_resident_pages: 40,
        mappings: [nmap('', 'anon', 10, 0, 10), nmap('/data/f', 'file', 3, 2, 5)] }
    ],
    // progress 25, 50, 100 %; cumulative faults 60, 101, 124
    timeline: { interval_ms: 10, t_ms: [10, 20, 40], wall_ms: [500510, 500520, 500540], rss:
        [5, 50, 30], faults: { minor: [60, 40, 21], major: [0, 1, 2] } },
    fault_sites: [
      { 'class': 'minor', count: 80, stack: ['0x5555: fill (a.c:10)', '0x5600: main (a.c:50)'] },
      { 'class': 'minor', count: 20, stack:
          ['0x5556: fill (a.c:10)', '0x5700: init (a.c:30)', '0x5600: main (a.c:50)'] },
      { 'class': 'major', count: 3, stack: ['0x5800: load (a.c:70)', '0x5601: main (a.c:51)'] },
      { 'class': 'minor', count: 5, stack: ['0x5900: other (b.c:1)'] }
    ]
  })));
}

function one() {
  return C.simRun([{ name: 'sim.10', data: simOne() }]);
}

function pick(rows, keys) {
  return rows.map((r) => {
    const o = {};
    keys.forEach((k) => { o[k] = r[k]; });
    return o;
  });
}

test('summary of one process: sums, difference = measured − simulated, ratio = measured / ' +
     'simulated', () => {
  const rows = C.summaryRows(one(), native());
  assert.deepStrictEqual(pick(rows, ['key', 'sim', 'measured', 'diff']), [
    { key: 'minor', sim: 124, measured: 121, diff: -3 },
    { key: 'major', sim: 4, measured: 3, diff: -1 },
    { key: 'total', sim: 128, measured: 124, diff: -4 },
    { key: 'peak', sim: 140, measured: 130, diff: -10 }, // totals.peak_resident_pages
    { key: 'pages', sim: 150, measured: 124, diff: -26 }, // touched vs Σ pages_faulted
    { key: 'processes', sim: 1, measured: 2, diff: 1 }
  ]);
  assert.strictEqual(rows[1].ratio, 0.75); // 3 / 4
  assert.strictEqual(rows[5].ratio, 2);
});

test('the programs: basenames of command[0], a note when they differ', () => {
  assert.deepStrictEqual(C.programs(one(), native()),
      { sim: 'prog', native: 'prog', differ: false });
  assert.deepStrictEqual(C.programs(one(), native({ command: ['/bin/other'] })),
      { sim: 'prog', native: 'other', differ: true });
  const s = text.render(
      [{ name: 'sim.10', data: simOne() },
          { name: 'nat', data: native({ command: ['/bin/other'] }) }]);
  assert.match(s, /^ {2}note: the programs differ: prog was simulated, other measured$/m);
  assert.ok(!/programs differ/.test(
      text.render([{ name: 'sim.10', data: simOne() }, { name: 'nat', data: native() }])));
});

test('the endings: the simulated root\'s last image and PROG, a note when they differ', () => {
  // ./fork50 reserves 1 TiB: Valgrind cannot map it and the program exits 2
  // under vmtrace, natively it runs to exit 0
  assert.deepStrictEqual(C.endings(one(), native()),
      { sim: 'exit 0', native: 'exit 0', differ: false });
  assert.deepStrictEqual(C.endings(one(), native({ exit: { status: 'signal', signal: 9 } })),
      { sim: 'exit 0', native: 'signal 9 (SIGKILL)', differ: true });
  const failed = simOne();
  failed.run.exit = { status: 'exit', code: 2 };
  const s = text.render([{ name: 'sim.10', data: failed }, { name: 'nat', data: native() }]);
  assert.match(s, /^ {2}note: the runs ended differently: exit 2 simulated, exit 0 measured$/m);
  assert.ok(!/ended differently/.test(
      text.render([{ name: 'sim.10', data: simOne() }, { name: 'nat', data: native() }])));
});

test('faults by mapping: joined by name, summed over processes and same-named mappings', () => {
  const rows = C.mappingRows(one(), native());
  assert.deepStrictEqual(
      pick(rows, ['name', 'kind', 'sim_minor', 'sim_major', 'nat_minor', 'nat_major', 'diff']), [
    // "": bss 2 + anon 100 simulated; 90 (pid 20) + 10 (pid 21) measured
    { name: '(anonymous)', kind: 'bss, anon', sim_minor: 102, sim_major: 0, nat_minor: 100,
        nat_major: 0, diff: -2 },
    { name: '[heap]', kind: 'heap', sim_minor: 12, sim_major: 0, nat_minor: 15, nat_major:
        0, diff: 3 },
    // 3 + 2 measured minor+major = 5 against 5 + 4 = 9
    { name: '/data/f', kind: 'file', sim_minor: 5, sim_major: 4, nat_minor: 3, nat_major:
        2, diff: -4 },
    // text 3 + data 2 = 5 minor; measured 2 + 1 = 3
    { name: '/usr/bin/prog', kind: 'text, data, file', sim_minor: 5, sim_major: 0, nat_minor: 2,
        nat_major: 1, diff: -2 },
    // only measured: the simulated side is empty (null), not 0
    { name: '[unknown]', kind: 'unknown', sim_minor: null, sim_major: null, nat_minor: 1, nat_major:
        0, diff: 1 }
  ]);
  // /usr/lib/vg.so has no fault on either side: left out
  assert.ok(!rows.some((r) => r.name === '/usr/lib/vg.so'));
});

test('fault sites by source location: innermost frame without address; invalid not counted', () => {
  assert.strictEqual(C.stripAddress('0x109275: main (phases.c:41)'), 'main (phases.c:41)');
  assert.strictEqual(C.stripAddress('main (phases.c:41)'), 'main (phases.c:41)');
  const rows = C.siteRowsByLocation(one(), native());
  assert.deepStrictEqual(pick(rows, ['rank', 'key', 'sim', 'measured', 'diff']), [
    // sim anon 100 + zero 2 (the invalid 7 left out); measured 80 + 20
    { rank: 1, key: 'fill (a.c:10)', sim: 102, measured: 100, diff: -2 },
    { rank: 2, key: 'other (b.c:1)', sim: 0, measured: 5, diff: 5 },
    { rank: 3, key: 'load (a.c:70)', sim: 4, measured: 3, diff: -1 }
  ]);
  // each side's most frequent stack there, without addresses, cut after main
  assert.deepStrictEqual(rows[0].sim_stack, ['fill (a.c:10)', 'main (a.c:50)']);
  assert.deepStrictEqual(rows[0].nat_stack, ['fill (a.c:10)', 'main (a.c:50)']);
  assert.deepStrictEqual(rows[1].sim_stack, []);
});

test('fault sites by whole stack: addresses removed, frames below main dropped', () => {
  const rows = C.siteRowsByStack(one(), native());
  assert.deepStrictEqual(pick(rows, ['key', 'sim', 'measured', 'diff']), [
    { key: 'fill (a.c:10)\nmain (a.c:50)', sim: 100, measured: 80, diff: -20 },
    { key: 'fill (a.c:10)\ninit (a.c:30)\nmain (a.c:50)', sim: 2, measured: 20, diff: 18 },
    { key: 'other (b.c:1)', sim: 0, measured: 5, diff: 5 },
    { key: 'load (a.c:70)\nmain (a.c:51)', sim: 4, measured: 3, diff: -1 }
  ]);
});

test('progress: each run over 0–100 % of its own clock, cumulative faults and resident pages', () =>
    {
  const pr = C.progress(one(), native());
  assert.strictEqual(pr.clock, 'instructions');
  // union of 0, 25, 50, 75, 100 (sim) and 0, 25, 50, 100 (measured)
  assert.deepStrictEqual(pr.faults.x, [0, 25, 50, 75, 100]);
  assert.deepStrictEqual(pr.faults.sim, [0, 1, 3, 10, 14]);
  assert.deepStrictEqual(pr.faults.nat, [0, 60, 101, 101, 124]);
  assert.deepStrictEqual(pr.rss.x, [25, 50, 75, 100]);
  assert.deepStrictEqual(pr.rss.sim, [1, 12, 23, 9]);
  assert.deepStrictEqual(pr.rss.nat, [5, 50, 50, 30]);
  const t = C.progressTable(one(), native());
  const at = (p) => t.rows.find((r) => r.p === p);
  assert.deepStrictEqual(at(0),
      { p: 0, sim_faults: 0, nat_faults: 0, sim_rss: null, nat_rss: null });
  // at 30 %: the points at 25 %; at 60 %: those at 50 %
  assert.deepStrictEqual(at(30), { p: 30, sim_faults: 1, nat_faults: 60, sim_rss: 1, nat_rss: 5 });
  assert.deepStrictEqual(at(60),
      { p: 60, sim_faults: 3, nat_faults: 101, sim_rss: 12, nat_rss: 50 });
  assert.deepStrictEqual(at(100),
      { p: 100, sim_faults: 14, nat_faults: 124, sim_rss: 9, nat_rss: 30 });
});

test('align keeps a peak on a coarse grid and when two points share one x', () => {
  // two points at x = 50: last 3, max 9
  const a = C.align(
      [{ points: [[0, 1], [50, 9], [50, 3], [100, 2]] },
          { points: [[0, 1], [50, 9], [50, 3], [100, 2]], max: true }]);
  assert.deepStrictEqual(a.x, [0, 50, 100]);
  assert.deepStrictEqual(a.values, [[1, 3, 2], [1, 9, 2]]);
  // 9 points on a grid of 0, 25, 50, 75, 100 (maxPoints 4 -> 2 + 1 ... here 5)
  const pts = [[0, 0], [10, 1], [20, 7], [30, 2], [40, 2], [60, 3], [70, 3], [80, 8], [90, 1]];
  const g = C.align([{ points: pts }, { points: pts, max: true }], 8);
  assert.deepStrictEqual(g.x, [0, 25, 50, 75, 100]);
  assert.deepStrictEqual(g.values[0], [0, 7, 2, 3, 1]); // last value at or before
  assert.deepStrictEqual(g.values[1], [0, 7, 2, 3, 8]); // largest since the previous column
});

// A tree: pid 10 forks pid 11. Wall clock: the run from 1,000,000 ms to
// 1,000,010 ms.
//   pid 10: samples at ms 2 and 10, anon faults 4 and 2, RSS 4 and 6,
//           PSS 4 and 5; ends at 10
//   pid 11: samples at ms 5 and 8, anon faults 1 and 3, RSS 3 and 5,
//           PSS 2 and 3; ends at 8
function simTree() {
  const a = sim({
    run: { pid: 10, command: ['/usr/bin/prog'], start_time: 1000, end_time: 1000.010,
        instructions: 200 },
    faults: { anon: 6 }, touched: 6, peak: 6, mappings:
        [{ name: '', kind: 'anon', faults: { anon: 6 } }],
    timeline: { interval: 100, t: [100, 200], wall_ms: [1000002, 1000010], rss: { anon: [4, 6] },
        pss_x1000: [4000, 5000], faults: { anon: [4, 2] } }
  });
  const b = sim({
    run: { pid: 11, ppid: 10, command: ['/usr/bin/prog'], start_time: 1000.004, end_time: 1000.008,
        instructions: 100, fork_time: 150 },
    faults: { anon: 4 }, touched: 5, peak: 5, mappings:
        [{ name: '', kind: 'anon', faults: { anon: 4 } }],
    timeline: { interval: 50, t: [50, 100], wall_ms: [1000005, 1000008], rss: { anon: [3, 5] },
        pss_x1000: [2000, 3000], faults: { anon: [1, 3] } }
  });
  return [{ name: 'sim.10', data: a }, { name: 'sim.11', data: b }];
}

test('a simulated tree: sums over its processes, tree peak (Σ PSS) and peak Σ RSS', () => {
  const run = C.simRun(simTree());
  const rows = C.summaryRows(run, native());
  assert.deepStrictEqual(pick(rows, ['key', 'sim', 'measured']), [
    { key: 'minor', sim: 10, measured: 121 }, // 6 + 4
    { key: 'major', sim: 0, measured: 3 },
    { key: 'total', sim: 10, measured: 124 },
    // at ms 8: pid 10's PSS 4 + pid 11's last sample 3 = 7 (then 11 ends;
    // at ms 10 pid 10 alone has 5)
    { key: 'peak', sim: 7, measured: 130 },
    // Σ RSS: at ms 8, 4 + 5 = 9
    { key: 'peak_rss', sim: 9, measured: 130 },
    { key: 'pages', sim: 11, measured: 124 }, // 6 + 5
    { key: 'processes', sim: 2, measured: 2 }
  ]);
});

test('a simulated tree runs on the wall clock: events at (ms − start) / 10 ms', () => {
  const pr = C.progress(C.simRun(simTree()), native());
  assert.strictEqual(pr.clock, 'wall');
  const s = C.simProgress(C.simRun(simTree()), simTree());
  // ms 2 -> 20 %, 5 -> 50 %, 8 -> 80 %, 10 -> 100 %
  assert.deepStrictEqual(s.faults, [[0, 0], [20, 4], [50, 5], [80, 8], [100, 10]]);
  // at 80 %: 4 + 5 while pid 11's last sample counts, then 4 after its
  // end; at 100 % pid 10's 6 (the curve stops there)
  assert.deepStrictEqual(s.rss, [[20, 4], [50, 7], [80, 9], [80, 4], [100, 6]]);
  assert.deepStrictEqual(s.missing, []);
});

test('files without a timeline are named and left out of the simulated curves', () => {
  const files = simTree();
  delete files[1].data.timeline;
  const s = C.simProgress(C.simRun(files), files);
  assert.deepStrictEqual(s.missing, ['sim.11']);
  assert.deepStrictEqual(s.faults, [[0, 0], [20, 4], [100, 6]]);
  const one = [{ name: 'x', data: simOne() }];
  delete one[0].data.timeline;
  const pr = C.progress(C.simRun(one), native());
  assert.strictEqual(pr.faults.sim, null);
  assert.deepStrictEqual(pr.faults.nat, [0, 60, 101, 124]);
});

test('--text prints the comparison sections first, then the simulated and the measured run', () => {
  const s = text.render([{ name: 'sim.10', data: simOne() }, { name: 'nat.out', data: native() }]);
  const heads = s.split('\n').filter((l) => /^== .* ==$/.test(l)).map((l) => l.slice(3, -3));
  assert.deepStrictEqual(heads.slice(0, 5),
      ['Simulated vs measured', 'Progress: simulated vs measured',
          'Faults by mapping: simulated vs measured',
    'Fault sites by source location: simulated vs measured',
        'Fault sites by whole stack: simulated vs measured']);
  assert.ok(heads.indexOf('Run') > 4 && heads.indexOf('Measured run') > heads.indexOf('Run'));
  assert.match(s, /^ {2}total faults +128 +124 +-4 +0\.97$/m); // 124 / 128 = 0.96875
  assert.match(s,
      /^ {2}peak resident pages +140 \(560 KiB\) +130 \(520 KiB\) +-10 \(-40 KiB\) +0\.93$/m);
  assert.match(s, /^ {2}\(anonymous\) +bss, anon +102 +0 +100 +0 +-2$/m);
  assert.match(s, /^ {2}\[unknown\] +unknown +– +– +1 +0 +\+1$/m);
  assert.match(s,
      /^ {6}simulated stack:\n {8}fill \(a\.c:10\)\n {8}main \(a\.c:50\)\n {6}measured stack:/m);
  assert.match(s, /^vmtrace-native report: nat\.out$/m);
});

test('glibc\'s CPU-specific variants are one function', () => {
  // under Valgrind (no AVX-512) glibc picks the avx2 variant, natively the
  // avx512 or evex one: one name, whatever the line
  const j = (f) => C.joinFrame(f);
  const memset = '__memset_* (CPU-specific variants)';
  assert.strictEqual(j('0x4852100: __memset_avx2_unaligned_erms (memset-vec-unaligned-erms.S:328)'),
      memset);
  assert.strictEqual(j('0x7F00: __memset_avx512_unaligned_erms (memset-vec-unaligned-erms.S:190)'),
      memset);
  assert.strictEqual(j('0x7F00: __memset_evex_unaligned_erms (in /usr/lib/libc.so.6)'), memset);
  assert.strictEqual(j('0x1: __memset_erms'), memset);
  assert.strictEqual(j('0x1: __memmove_avx_unaligned_erms_rtm (x.S:1)'),
      '__memmove_* (CPU-specific variants)');
  assert.strictEqual(j('0x1: __strcasecmp_l_avx2 (x.S:1)'),
      '__strcasecmp_l_* (CPU-specific variants)');
  assert.strictEqual(j('0x1: __strlen_sse2 (x.S:1)'), '__strlen_* (CPU-specific variants)');
  // not variants
  ['memset (a.c:3)', '__libc_start_main (libc-start.c:392)', '???', 'avx2_kernel (k.c:9)',
    '__memset_chk (memset_chk.c:24)'].forEach(
      (f) => assert.strictEqual(j('0x1: ' + f), f));
  // a frame may be any string: a megabyte of spaces without "(" is cut in
  // linear time (a regular expression over it took minutes; fuzz corpus)
  const big = '0x7' + ' '.repeat(1 << 20);
  assert.strictEqual(j(big), big);
  assert.strictEqual(j('0x1: __' + 'a_'.repeat(1 << 16) + 'x'), '__' + 'a_'.repeat(1 << 16) + 'x');
  // the join: sim 40 faults in the avx2 variant, measured 38 in the avx512
  // one, both called from main (a.c:60): one row each way, difference −2,
  // each side's stack with its own name
  const s = simOne();
  s.fault_sites = [{ 'class': 'anon', count: 40, stack:
      ['0x4852100: __memset_avx2_unaligned_erms (memset-vec-unaligned-erms.S:328)',
        '0x1100: main (a.c:60)'] }];
  const n = native();
  n.fault_sites = [{ 'class': 'minor', count: 38, stack:
      ['0x7F00: __memset_avx512_unaligned_erms (memset-vec-unaligned-erms.S:190)',
        '0x5600: main (a.c:60)'] }];
  const run = C.simRun([{ name: 'sim.10', data: s }]);
  assert.deepStrictEqual(pick(C.siteRowsByLocation(run, n), ['key', 'sim', 'measured', 'diff']),
      [{ key: memset, sim: 40, measured: 38, diff: -2 }]);
  const loc = C.siteRowsByLocation(run, n)[0];
  assert.deepStrictEqual(loc.sim_stack,
      ['__memset_avx2_unaligned_erms (memset-vec-unaligned-erms.S:328)', 'main (a.c:60)']);
  assert.deepStrictEqual(loc.nat_stack,
      ['__memset_avx512_unaligned_erms (memset-vec-unaligned-erms.S:190)', 'main (a.c:60)']);
  assert.deepStrictEqual(pick(C.siteRowsByStack(run, n), ['key', 'sim', 'measured', 'diff']),
      [{ key: memset + '\nmain (a.c:60)', sim: 40, measured: 38, diff: -2 }]);
});

test('samples the native recorder lost are shown as lost, not as a difference', () => {
  // the counters say 124 faults, 120 samples reached the recorder (the
  // kernel reported 3 lost; one more at the very end went unreported): 4
  // faults are in no mapping, site or timeline of the measured run
  const n = native();
  n.totals.recorded = 120;
  n.totals.lost = 3;
  assert.strictEqual(C.unrecorded(n), 4);
  const rows = C.summaryRows(one(), n);
  assert.deepStrictEqual(pick(rows.slice(-1), ['key', 'sim', 'measured', 'diff', 'ratio']),
      [{ key: 'lost', sim: null, measured: 4, diff: null, ratio: null }]);
  // the totals row is still the counters'
  assert.strictEqual(rows.find((r) => r.key === 'total').measured, 124);
  const sites = C.siteRowsByLocation(one(), n);
  const lost = sites.filter((r) => r.lost);
  assert.deepStrictEqual(pick(lost, ['sim', 'measured', 'diff']),
      [{ sim: null, measured: 4, diff: null }]);
  assert.match(lost[0].key, /lost/);
  assert.strictEqual(C.siteRowsByStack(one(), n).filter((r) => r.lost).length, 1);
  assert.match(C.mappingTable(one(), n).note, /lost 4 samples/);
  // a reported loss larger than the gap counts (at most the total)
  n.totals.recorded = 124;
  n.totals.lost = 2;
  assert.strictEqual(C.unrecorded(n), 2);
  // none lost: no such rows (the tests above list every row)
  assert.strictEqual(C.unrecorded(native()), 0);
  const s = text.render([{ name: 'sim.10', data: simOne() }, { name: 'nat.out', data: n }]);
  assert.match(s, /faults whose sample the recorder lost/);
});

// Valgrind's preload libraries fault under Valgrind and exist nowhere
// natively: bash starting /bin/true 300 times took 30,022 faults simulated
// against 27,651 measured, 1,511 of them on vgpreload_core (5 an image).
// Two rows say so: those faults, and the total without them.
test('the faults on Valgrind\'s preload libraries, and the total without them', () => {
  const d = simOne();
  const add = (name, kind, f) => d.mappings.push(Object.assign({}, d.mappings[0], {
    id: d.mappings.length, name: name, kind: kind, faults: fx.faults(f) }));
  add('/usr/libexec/valgrind/vgpreload_core-amd64-linux.so', 'text', { file_read: 3 });
  add('/usr/libexec/valgrind/vgpreload_core-amd64-linux.so', 'data', { file_cow: 1, wp_copy: 1 });
  add('/opt/notvgpreload_x.so', 'text', { file_read: 2 });
  d.totals.faults = fx.faults({ file_read: 15, file_cow: 2, wp_copy: 2, anon: 112, zero: 2,
    file_major: 4 });
  const rows = C.summaryRows(C.simRun([{ name: 'sim.10', data: d }]), native());
  assert.deepStrictEqual(pick(rows.slice(0, 5), ['key', 'sim', 'measured', 'diff']), [
    { key: 'minor', sim: 133, measured: 121, diff: -12 },
    { key: 'major', sim: 4, measured: 3, diff: -1 },
    { key: 'total', sim: 137, measured: 124, diff: -13 },
    { key: 'valgrind', sim: 5, measured: 0, diff: -5 },
    { key: 'program', sim: 132, measured: 124, diff: -8 }
  ]);
  // none: no such rows (the summary of one process above)
  assert.ok(!C.summaryRows(one(), native()).some((r) => r.key === 'valgrind'));
});

// python3 reading its .pyc files: Valgrind named glibc's read "read
// (read.c:26)", vmtrace-native (addr2line) "__read (read.c:26)": two rows,
// 143 faults simulated and none measured, 140 measured and none simulated.
// At one source line, names that differ by leading underscores are one
// function: one row, shown with the simulated side's name, in both tables.
test('a function\'s names that differ by leading underscores join at one source line', () => {
  const k = (f) => C.aliasKey(f);
  assert.strictEqual(k('__read (read.c:26)'), 'read (read.c:26)');
  assert.strictEqual(k('read (read.c:26)'), 'read (read.c:26)');
  assert.strictEqual(k('_dl_relocate_object (dl-reloc.c:301)'),
      'dl_relocate_object (dl-reloc.c:301)');
  // without a source line, or not a name: as they are
  ['__read (in /usr/lib/x86_64-linux-gnu/libc.so.6)', '__read', '___ (x.c:1)', '_ (x.c:1)',
    '__memset_* (CPU-specific variants)'].forEach((f) => assert.strictEqual(k(f), f));
  const s = simOne();
  s.fault_sites = [{ 'class': 'anon', count: 143, stack:
      ['0x4A6A2AD: read (read.c:26)', '0x5AED7E: _Py_read (fileutils.c:1822)',
        '0x1100: main (a.c:60)'] }];
  const n = native();
  n.fault_sites = [{ 'class': 'minor', count: 140, stack:
      ['0x7F0130CF42AD: __read (read.c:26)', '0x5AED7E: _Py_read (fileutils.c:1822)',
        '0x5600: main (a.c:60)'] }];
  const run = C.simRun([{ name: 'sim.10', data: s }]);
  assert.deepStrictEqual(pick(C.siteRowsByLocation(run, n), ['label', 'sim', 'measured', 'diff']),
      [{ label: 'read (read.c:26)', sim: 143, measured: 140, diff: -3 }]);
  assert.deepStrictEqual(pick(C.siteRowsByStack(run, n), ['sim', 'measured', 'diff']),
      [{ sim: 143, measured: 140, diff: -3 }]);
  assert.match(text.render([{ name: 'sim.10', data: s }, { name: 'nat', data: n }]),
      /^ {2}1 {2}read \(read\.c:26\) +143 +140 +-3$/m);
});
