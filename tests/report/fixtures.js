'use strict';
// Synthetic vmtrace output files for the report's tests: every planned
// section (timeline, heat, fault_sites, simulations, process-tree keys)
// and strings from the "run" that are markup, to prove they stay text.
//
//   node tests/report/fixtures.js OUTDIR   writes synthetic.json, a tree of
//                                           files (tree.*.json) and a
//                                           vmtrace-native file (native.json)

var fs = require('fs');
var path = require('path');

var XSS_SO = '<img src=x onerror=alert(1)>.so';
var XSS_LABEL = '<svg onload=alert(3)>';
var XSS_PHASE = '</script><script>alert(2)</script>';
var XSS_FRAME = '0x401000: <img src=x onerror=alert(4)> (evil.c:1)';

var CLASSES = [
  ['anon', 'minor', 'do_anonymous_page'], ['zero', 'minor', 'do_anonymous_page'],
  ['file_read', 'minor', 'do_read_fault'], ['file_cow', 'minor', 'do_cow_fault'],
  ['file_shared', 'minor', 'do_shared_fault'], ['wp_copy', 'minor', 'wp_page_copy'],
  ['wp_reuse', 'minor', 'wp_page_reuse'], ['wp_shared', 'minor', 'wp_page_shared'],
  ['thp', 'minor', 'do_huge_pmd_anonymous_page'],
  ['thp_zero', 'minor', 'do_huge_pmd_anonymous_page'],
  ['thp_wp_zero', 'minor', 'do_huge_zero_wp_pmd'], ['thp_wp_reuse', 'minor', 'do_huge_pmd_wp_page'],
  ['swap_in', 'major', 'do_swap_page'], ['file_major', 'major', 'filemap_fault'],
  ['invalid', 'invalid', 'bad_area']
];

function rng(seed) {
  var s = seed >>> 0 || 1;
  return function () {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

function faults(counts) {
  var f = {};
  CLASSES.forEach(function (c) { f[c[0]] = (counts && counts[c[0]]) || 0; });
  f.minor = 0;
  f.major = 0;
  CLASSES.forEach(function (c) {
    if (c[1] === 'minor') f.minor += f[c[0]];
    if (c[1] === 'major') f.major += f[c[0]];
  });
  f.total = f.minor + f.major;
  return f;
}

function addFaults(a, b) {
  var c = {};
  CLASSES.forEach(function (k) { c[k[0]] = (a[k[0]] || 0) + (b[k[0]] || 0); });
  return faults(c);
}

var MiB = 1 << 20;

// One process. opts: {pid, ppid, command, exit, seed, planned (bool),
// xss (bool), fork_time, parent_file, scale}
function makeFile(opts) {
  opts = opts || {};
  var r = rng(opts.seed || 7);
  var scale = opts.scale || 1;
  var planned = opts.planned !== false;
  var xss = opts.xss !== false;
  var maps = [];
  function map(name, kind, start, size, perms, counts, extra) {
    var touched =
        Math.min(size / 4096,
            Math.round((counts.anon || 0) + (counts.zero || 0) + (counts.file_read || 0) * 4 +
                (counts.file_cow || 0) + (counts.swap_in || 0)));
    var m = {
      id: maps.length, start: start, end: start + size, perms: perms, instances: 1, name:
          name, kind: kind,
      file: /^\//.test(name) || /\.so$/.test(name) ?
          { path: name, dev: 65024, inode: 1000 + maps.length, offset: 0 } : null,
      created_at: maps.length * 1000, unmapped_at: null,
      pages_touched: touched, resident_pages: touched, faults: faults(counts)
    };
    Object.keys(extra || {}).forEach(function (k) { m[k] = extra[k]; });
    maps.push(m);
    return m;
  }
  var a = Math.round(2048 * scale);
  map('/opt/synthetic/bin/synthetic', 'text', 0x400000, 64 * 1024, 'r-xp', { file_read: 2 });
  map('/opt/synthetic/bin/synthetic', 'data', 0x410000, 8192, 'rw-p',
      { file_read: 1, file_cow: 1, wp_copy: 1 });
  map('', 'bss', 0x412000, 16384, 'rw-p', { anon: 3, zero: 1 });
  map('[heap]', 'heap', 0x1000000, 4 * MiB, 'rw-p', { anon: Math.round(600 * scale), wp_reuse: 3 });
  map('', 'anon', 0x7f0000000000, 16 * MiB, 'rw-p', { anon: a, swap_in: 40 });
  map('/data/input.bin', 'file', 0x7f0001000000, 8 * MiB, 'r--p',
      { file_read: 90, file_major: 25 });
  map('/dev/shm/ring', 'shm', 0x7f0001800000, MiB, 'rw-s', { file_shared: 20, wp_shared: 12 });
  if (xss) map(XSS_SO, 'text', 0x7f0002000000, 2 * MiB, 'r-xp', { file_read: 6 });
  map('/usr/lib/x86_64-linux-gnu/libc.so.6', 'text', 0x7f0003000000, 1400 * 1024, 'r-xp',
      { file_read: 14 });
  map('', 'anon', 0x7f0004000000, MiB, 'rw-p', { anon: 256, zero: 30 },
      { instances: 3, unmapped_at: 900000 });
  map('[stack]', 'stack', 0x7ffffffde000, 132 * 1024, 'rw-p', { anon: 5 });
  maps[maps.length - 2].resident_pages = 0;
  var total = faults({});
  maps.forEach(function (m) { total = addFaults(total, m.faults); });
  total.invalid = 1;
  var touched = maps.reduce(function (s, m) { return s + m.pages_touched; }, 0);
  var resident = maps.reduce(function (s, m) { return s + m.resident_pages; }, 0);
  var instructions = Math.round(100000000 * scale);
  var phaseNames = ['main', 'load', xss ? XSS_PHASE : 'compute', 'write'];
  var share = [0.1, 0.4, 0.3, 0.2];
  var phases = phaseNames.map(function (n, i) {
    var c = {};
    CLASSES.forEach(
        function (k) { if (k[0] !== 'invalid') c[k[0]] = Math.floor((total[k[0]] * share[i])); });
    if (i === 0) CLASSES.forEach(function (k) {
      if (k[0] !== 'invalid') c[k[0]] += total[k[0]] - Math.floor(total[k[0]] * 0.4) -
          Math.floor(total[k[0]] * 0.3) - Math.floor(total[k[0]] * 0.2) -
              Math.floor(total[k[0]] * 0.1);
    });
    var f = faults(c);
    return { name: n, faults: f, pages_touched: Math.floor(touched * share[i]) +
        (i === 0 ? touched -
            [0.1, 0.4, 0.3, 0.2].reduce(
                function (s, x) { return s + Math.floor(touched * x); }, 0) : 0) };
  });
  var labels = [
    {
      name: 'matrix', ranges: [[0x7f0000000000, 0x7f0000800000]], faults: faults({ anon: 1024 }),
          pages_touched: 1024,
      phases: { load: { faults: faults({ anon: 1024 }), pages_touched: 1024 }, write:
          { faults: faults({}), pages_touched: 0 } }
    },
    {
      name: xss ? XSS_LABEL : 'ring', ranges: [[0x7f0001800000, 0x7f0001900000]], faults:
          faults({ file_shared: 20, wp_shared: 12 }), pages_touched: 32,
      phases: {}
    }
  ];
  labels[1].phases[phaseNames[2]] =
      { faults: faults({ file_shared: 20, wp_shared: 12 }), pages_touched: 32 };
  var d = {
    format: 'vmtrace-out', version: 1,
    tool: { name: 'vmtrace', version: '0.1.0', valgrind: '3.19.0' },
    run: {
      pid: opts.pid || 4242, ppid: opts.ppid || 4200,
      command: opts.command ||
          ['/opt/synthetic/bin/synthetic', '--size=64M', xss ? '<b>bold</b> & "quoted"' : 'plain'],
      exit: opts.exit || { status: 'exit', code: 0 },
      instructions: instructions, memory_references: Math.round(instructions * 1.3),
      trace_id: traceId(opts.pid || 4242),
      start_time: (opts.start_time || 1795317411) + 0.25, end_time:
          (opts.start_time || 1795317411) + 12.5
    },
    options: { fault_around_bytes: 65536, zero_page: true, fast_path: true, collect_atstart: true },
    page_size: 4096,
    fault_classes:
        CLASSES.map(function (c) {
            return { name: c[0], kind: c[1], kernel: c[2], description: 'synthetic ' + c[0] }; }),
    totals: {
      faults: total, pages_touched: touched, resident_pages: resident, peak_resident_pages:
          resident + 300,
      pss_pages: resident - Math.floor(resident / 4) / 2, uss_pages: resident -
          Math.floor(resident / 4),
      page_tables: { pgd: 1, pud: 2, pmd: 4, pte: 30, peak: { pgd: 1, pud: 2, pmd: 5, pte: 41 } }
    },
    mappings: maps,
    vmas: maps.filter(function (m) { return m.unmapped_at === null; }).map(function (m) {
      return { start: m.start, end: m.end, perms: m.perms, mapping: m.id };
    }),
    phases: phases,
    labels: labels,
    invalid_accesses: [{
      address: 0x10, access: 'write', reason: 'unmapped', time: 123456,
      stack: ['0x401136: crash (synthetic.c:12)', xss ? XSS_FRAME :
          '0x401200: main (synthetic.c:40)']
    }]
  };
  if (opts.fork_time !== undefined) d.run.fork_time = opts.fork_time;
  if (opts.parent_file !== undefined) d.run.parent_file = opts.parent_file;
  if (!planned) return d;

  // timeline
  var n = 96;
  var interval = Math.ceil(instructions / n);
  var t = [];
  var rss = { text: [], data: [], bss: [], heap: [], stack: [], anon: [], file: [], shm: [] };
  var tl = { interval: interval, t: t, wall_ms: [], rss: rss, touched: [], pss_x1000: [], uss: [],
      faults: {}, wss:
          [{ tau: 1000000, code: [], data: [] }, { tau: 10000000, code: [], data: [] }] };
  var t0ms = d.run.start_time * 1000;
  var spanMs = (d.run.end_time - d.run.start_time) * 1000;
  CLASSES.forEach(function (c) { tl.faults[c[0]] = []; });
  for (var i = 0; i < n; i++) {
    t.push((i + 1) * interval);
    var x = (i + 1) / n;
    rss.text.push(Math.round(20 + 40 * Math.min(1, x * 4)));
    rss.data.push(4);
    rss.bss.push(4);
    rss.heap.push(Math.round(600 * scale * Math.min(1, x * 2)));
    rss.stack.push(5);
    rss.anon.push(Math.round(a * (x < 0.5 ? x * 2 : 1.5 - x)));
    rss.file.push(Math.round(300 * Math.sin(x * Math.PI)));
    rss.shm.push(i > 40 ? 32 : 0);
    // wall clock spread over the run; a fifth of the pages shared with one
    // other process (PSS counts them half), the shm pages with three.
    tl.wall_ms.push(Math.round(t0ms + spanMs * x));
    var sumRss = 0;
    Object.keys(rss).forEach(function (k) { sumRss += rss[k][i]; });
    var shared = Math.floor((sumRss - rss.shm[i]) / 5);
    tl.pss_x1000.push((sumRss - rss.shm[i] - shared) * 1000 + shared * 500 + rss.shm[i] * 250);
    tl.uss.push(sumRss - rss.shm[i] - shared);
    CLASSES.forEach(function (c) {
      var v = c[0] === 'anon' ? Math.round(a / n * (x < 0.5 ? 2 : 0.2) * (0.5 + r())) :
          total[c[0]] > 0 ? Math.round(r() * 3) : 0;
      tl.faults[c[0]].push(v);
    });
    tl.touched.push(Math.min(touched, Math.round(touched * Math.min(1, x * 1.4))));
    tl.wss[0].code.push(Math.round(10 + 8 * r()));
    tl.wss[0].data.push(Math.round(100 + 400 * Math.abs(Math.sin(x * 7))));
    tl.wss[1].code.push(Math.round(30 + 10 * r()));
    tl.wss[1].data.push(Math.round(400 + 1200 * Math.abs(Math.sin(x * 3))));
  }
  d.timeline = tl;

  // heat: each mapping split into up to 8 rows; epochs of 4096
  // instructions in 1800 columns (more than a chart has pixels, so the
  // report must average them); a row's value is its page-epochs, at most
  // its pages times the column's epochs.
  var rows = [];
  maps.forEach(function (m) {
    if (m.unmapped_at !== null) return;
    var k = Math.min(8, Math.max(1, Math.round((m.end - m.start) / MiB)));
    var step = Math.ceil((m.end - m.start) / k / 4096) * 4096;
    for (var s = m.start; s < m.end; s += step) rows.push(
        { start: s, end: Math.min(m.end, s + step), mapping: m.id, cells: [] });
  });
  var epochs = Math.ceil(instructions / 4096);
  var ncols = 1800;
  var colEpochs = Math.ceil(epochs / ncols);
  ncols = Math.ceil(epochs / colEpochs);
  rows.forEach(function (row, ri) {
    var pages = (row.end - row.start) / 4096;
    var run = null;
    for (var c = 0; c < ncols; c++) {
      var e = c === ncols - 1 ? epochs - (ncols - 1) * colEpochs : colEpochs;
      var wave = Math.sin((c / ncols) * Math.PI * 2 + ri * 0.6);
      var v = wave > 0.3 ? Math.round(pages * e * wave * r()) : r() < 0.05 ? 1 : 0;
      if (v > 0) {
        if (!run) { run = [c]; row.cells.push(run); }
        run.push(Math.min(pages * e, v));
      } else run = null;
    }
  });
  d.heat = { epoch: 4096, column_epochs: colEpochs, columns: ncols,
      last_epochs: epochs - (ncols - 1) * colEpochs, chunk_pages: 256, rows: rows };

  // fault sites
  var sites = [];
  ['anon', 'file_read', 'wp_copy', 'swap_in'].forEach(function (cls, ci) {
    for (var j = 0; j < 4; j++) {
      sites.push({
        'class': cls, count: Math.round(1000 / (j + 1) / (ci + 1)),
        stack: [
          '0x' + (0x401000 + ci * 256 + j * 16).toString(16).toUpperCase() + ': ' +
              ['fill', 'read_input', 'update', 'scan'][ci] + '_' + j + ' (synthetic.c:' +
                  (40 + j) + ')',
          j === 1 && xss ? XSS_FRAME : '0x401800: std::vector<int>::operator[] (vector.h:1046)',
          '0x48F1D8F: (below main)'
        ]
      });
    }
  });
  sites.sort(function (x, y) { return y.count - x.count; });
  d.fault_sites = sites;

  // simulations
  var sims = [];
  ['lru', 'fifo', 'clock', 'opt', 'linux'].forEach(function (p, pi) {
    [256, 512, 1024, 2048, 4096, 8192].forEach(function (ram, ri) {
      if (p === 'opt' && ri === 5) return; // a missing point
      var base = Math.round(touched * 4 / (ri + 1) / (ri + 1) * (1 + pi * 0.15)) + touched;
      var major = Math.max(0, base - touched);
      sims.push({
        policy: p, ram_pages: ram, swap_pages: 65536,
        faults: faults({ anon: touched - 40, swap_in: major, file_read: 40 }),
        swap_outs: major, swap_ins: major, writebacks: Math.round(major / 3), refaults:
            Math.round(major / 2),
        evictions: major + 10, oom_events: ram === 256 && p === 'fifo' ?
            [{ time: 5000000, pages: 12 }] : []
      });
    });
  });
  d.simulations = sims;

  // each simulation over time: its events spread over the samples so that
  // they add up to its totals; resident pages grow to its RAM, 70 % of
  // them swap-backed; swap in use grows with the pages beyond the RAM.
  var ns = tl.t.length;
  tl.simulations = sims.map(function (s) {
    var ss = { resident: [], anon: [], swap_used: [], minor: [], swap_in: [], file_major: [],
      swap_out: [], evictions: [] };
    var spread = function (key, total) {
      var left = total;
      for (var i = 0; i < ns; i++) {
        var v = i === ns - 1 ? left : Math.min(left, Math.round((total / ns) * (0.5 + r())));
        ss[key].push(v);
        left -= v;
      }
    };
    spread('minor', s.faults.minor);
    spread('swap_in', s.faults.swap_in);
    spread('file_major', s.faults.file_major);
    spread('swap_out', s.swap_outs);
    spread('evictions', s.evictions);
    for (var i = 0; i < ns; i++) {
      var want = Math.round(touched * Math.min(1, ((i + 1) / ns) * 1.4));
      var res = Math.min(s.ram_pages, want);
      ss.resident.push(res);
      ss.anon.push(Math.round(res * 0.7));
      ss.swap_used.push(Math.max(0, want - s.ram_pages));
    }
    return ss;
  });
  return d;
}

// A process tree: 100 forks 101 (which execs: two files) and 102; 102 forks
// 103. Plus a second run of the same program (pid 200, one process).
function treeFiles() {
  var T0 = 1795317000;
  var files = [];
  function add(name, opts) {
    files.push({ name: name, data: makeFile(opts) });
  }
  add('tree.100.json',
      { pid: 100, ppid: 1, seed: 1, command: ['./server', '--workers=2'], fork_time: null,
          start_time: T0, planned: true, xss: false });
  add('tree.101a.json',
      { pid: 101, ppid: 100, seed: 2, command: ['./server', '--workers=2'], fork_time: 1000000,
          exit: { status: 'exec' }, start_time: T0 + 1, planned: false, xss: false, scale: 0.1 });
  add('tree.101b.json',
      { pid: 101, ppid: 100, seed: 3, command: ['/bin/worker', 'a'], start_time: T0 + 2, planned:
          false, xss: false, scale: 0.3 });
  add('tree.102.json',
      { pid: 102, ppid: 100, seed: 4, command: ['./server', '--workers=2'], fork_time: 2000000,
          start_time: T0 + 1.5, planned: false, xss: false, scale: 0.2, exit:
              { status: 'signal', signal: 11 } });
  add('tree.103.json',
      { pid: 103, ppid: 102, seed: 5, command: ['./server', '--workers=2'], fork_time: 500000,
          start_time: T0 + 3, planned: false, xss: false, scale: 0.05 });
  add('tree.200.json',
      { pid: 200, ppid: 1, seed: 6, command: ['./server', '--workers=2'], fork_time: null,
          start_time: T0 + 100, planned: false, xss: false });
  return files;
}

function mm(minor, major) {
  return { minor: minor, major: major, total: minor + major };
}

// A vmtrace-native file of the synthetic program: two processes (the
// second forked), mappings named as in makeFile (and the markup-like one
// when xss), fault sites whose frames match makeFile's up to the address,
// a wall-clock timeline of `samples` samples. opts: {xss, samples, seed,
// command}
function makeNative(opts) {
  opts = opts || {};
  var r = rng(opts.seed || 11);
  var xss = opts.xss !== false;
  var n = opts.samples || 200;
  var T0 = 1795317411.5;
  function mapping(name, kind, start, size, minor, major, faulted) {
    return { name: name, kind: kind, start: start, end: start + size, faults: mm(minor, major),
        pages_faulted: faulted };
  }
  var main = [
    mapping('/opt/synthetic/bin/synthetic', 'file', 0x555555554000, 64 * 1024, 3, 1, 4),
    mapping('', 'anon', 0x555555564000, 16384, 4, 0, 4),
    mapping('[heap]', 'heap', 0x555556000000, 4 * MiB, 610, 0, 610),
    mapping('', 'anon', 0x7f0000000000, 16 * MiB, 2100, 0, 2100),
    mapping('/data/input.bin', 'file', 0x7f0001000000, 8 * MiB, 30, 60, 90),
    mapping('/usr/lib/x86_64-linux-gnu/libc.so.6', 'file', 0x7f0003000000, 1400 * 1024, 40, 2, 42),
    mapping('[stack]', 'stack', 0x7ffffffde000, 132 * 1024, 7, 0, 7),
    mapping('[unknown]', 'unknown', 0, 0, 2, 0, 2)
  ];
  if (xss) main.splice(5, 0, mapping(XSS_SO, 'file', 0x7f0002000000, 2 * MiB, 5, 0, 5));
  var child = [
    mapping('', 'anon', 0x7f0000000000, 16 * MiB, 300, 0, 300),
    mapping('[stack]', 'stack', 0x7ffffffde000, 132 * 1024, 2, 0, 2)
  ];
  function sumOf(maps) {
    return maps.reduce(
        function (a, m) { return mm(a.minor + m.faults.minor, a.major + m.faults.major); },
            mm(0, 0));
  }
  var f0 = sumOf(main);
  var f1 = sumOf(child);
  var total = mm(f0.minor + f1.minor, f0.major + f1.major);
  var processes = [
    { pid: 5000, ppid: 4999, comm: xss ? '<b>synth</b>' : 'synthetic', execs: 0, start_time: T0,
        end_time: T0 + 0.8,
      faults: f0, peak_resident_pages: 2900, mappings: main },
    { pid: 5001, ppid: 5000, comm: 'synthetic', execs: 0, start_time: T0 + 0.3, end_time: T0 + 0.6,
      faults: f1, peak_resident_pages: 2500, mappings: child }
  ];
  // the timeline: every fault in some sample, minor and major
  var tl = { interval_ms: 4, t_ms: [], wall_ms: [], rss: [], faults: { minor: [], major: [] } };
  var leftMinor = total.minor;
  var leftMajor = total.major;
  for (var i = 0; i < n; i++) {
    var x = (i + 1) / n;
    tl.t_ms.push((i + 1) * 4);
    tl.wall_ms.push(Math.round(T0 * 1000) + (i + 1) * 4);
    tl.rss.push(Math.round(300 + 2600 * Math.min(1, x * 1.5) * (0.9 + 0.1 * r())));
    var mi = i === n - 1 ? leftMinor :
        Math.min(leftMinor, Math.round((total.minor / n) * (0.5 + r())));
    var ma = i === n - 1 ? leftMajor :
        Math.min(leftMajor, Math.round((total.major / n) * (0.5 + r())));
    leftMinor -= mi;
    leftMajor -= ma;
    tl.faults.minor.push(mi);
    tl.faults.major.push(ma);
  }
  var sites = [
    { 'class': 'minor', count: 900, stack:
        ['0x555555555189: fill_0 (synthetic.c:40)',
            '0x555555555300: std::vector<int>::operator[] (vector.h:1046)',
                '0x555555555400: main (synthetic.c:90)'] },
    { 'class': 'minor', count: 400, stack:
        ['0x5555555551A0: fill_1 (synthetic.c:41)', xss ?
            '0x555555555999: <img src=x onerror=alert(4)> (evil.c:1)' :
                '0x555555555300: std::vector<int>::operator[] (vector.h:1046)',
                    '0x555555555400: main (synthetic.c:90)'] },
    { 'class': 'minor', count: 120, stack:
        ['0x555555555500: only_native (native.c:7)', '0x555555555400: main (synthetic.c:90)'] },
    { 'class': 'major', count: 60, stack:
        ['0x555555555600: read_input_0 (synthetic.c:40)', '0x555555555400: main (synthetic.c:90)'] }
  ];
  return {
    format: 'vmtrace-native', version: 1,
    tool: { name: 'vmtrace-native', version: '0.1.0', kernel: '6.1.0-synthetic' },
    options: { call_graph: 'dwarf', stack_depth: 16, stack_bytes: 8192 },
    page_size: 4096,
    command: opts.command ||
        ['/opt/synthetic/bin/synthetic', '--size=64M', xss ? '<b>bold</b> & "quoted"' : 'plain'],
    start_time: T0, end_time: T0 + 0.8,
    exit: { status: 'exit', code: 0 },
    totals: {
      faults: total, recorded: total.total, lost: 0, peak_resident_pages: 3100,
      rusage: { minflt: total.minor + 12, majflt: total.major, maxrss_kib: 2900 * 4 }
    },
    processes: processes,
    timeline: tl,
    fault_sites: sites
  };
}

// For the validation tests: the one-line message with which parse refuses
// text (asserting it is a VmtraceFormatError of one line), or null.
function problem(text) {
  var assert = require('node:assert');
  var V = require('../../reports/src/validate');
  try {
    V.parse(text);
  } catch (e) {
    assert.ok(e instanceof V.VmtraceFormatError, 'a VmtraceFormatError, not ' + e);
    assert.ok(!/\n/.test(e.message), 'one line: ' + e.message);
    return e.message;
  }
  return null;
}

// The page trace id of the synthetic process pid (run.trace_id), as
// vmtrace-sim's results name it (traces[].process.id).
function traceId(pid) {
  return ('0000000000000000' + (0x5eed0000 + pid).toString(16)).slice(-16);
}

// A vmtrace-sim result file (--mrc --json) for the synthetic file's
// trace: exact LRU and OPT curves, steps from 1 page to every page touched
// (OPT below LRU at every size), as docs/output-format.md describes them.
function makeSimResult(opts) {
  var d = makeFile(opts || {});
  var pages = d.totals.pages_touched;
  var refs = d.run.memory_references;
  var curve = function (policy, k) {
    var sizes = [];
    var misses = [];
    for (var c = 1; c < pages; c = Math.ceil(c * 1.3)) {
      sizes.push(c);
      misses.push(Math.round(pages + (refs - pages) * Math.pow(1 - c / pages, k)));
    }
    sizes.push(pages);
    misses.push(pages);
    return { trace: 0, policy: policy, exact: true, references: refs, cold: pages, sizes: sizes,
      misses: misses };
  };
  return {
    format: 'vmtrace-sim', version: 1, tool: { name: 'vmtrace-sim', version: '0.1.0' },
    options: { policies: ['lru', 'opt'], pages: [], mrc: true },
    shard: { k: 1, n: 1, jobs: 2 },
    traces: [{ name: 'synthetic.vmtrace', process: { pid: d.run.pid, id: d.run.trace_id },
      format: 'vmtrace', references: refs, pages: pages }],
    simulations: [],
    curves: [curve('lru', 3), curve('opt', 5)]
  };
}

function writeAll(dir) {
  fs.mkdirSync(dir, { recursive: true });
  var out = { synthetic: path.join(dir, 'synthetic.json'), tree: [], native:
      path.join(dir, 'native.json') };
  fs.writeFileSync(out.synthetic, JSON.stringify(makeFile({})));
  fs.writeFileSync(out.native, JSON.stringify(makeNative({})));
  out.treerun = path.join(dir, 'treerun.json');
  fs.writeFileSync(out.treerun, JSON.stringify(makeTreeRun()));
  out.simresult = path.join(dir, 'simresult.json');
  fs.writeFileSync(out.simresult, JSON.stringify(makeSimResult()));
  // the curves of another process (pid 4343): not the synthetic file's
  out.simother = path.join(dir, 'simother.json');
  fs.writeFileSync(out.simother, JSON.stringify(makeSimResult({ pid: 4343 })));
  treeFiles().forEach(function (f) {
    var p = path.join(dir, f.name);
    fs.writeFileSync(p, JSON.stringify(f.data));
    out.tree.push(p);
  });
  return out;
}

// A vmtrace-sim --tree result (docs/output-format.md): a parent (100) and
// its child (101, oom_score_adj 500) in 4,000 pages without swap; the child
// killed at +1.25 s, the tree's reference 11,000, its badness 2,026 + 0 + 12
// + 500 x (4,000 / 1000) = 4,038; the exact LRU and OPT curves of the
// merged stream (10,000 references to 5,000 frames).
function makeTreeRun() {
  var faults = function (minor, major) { return { anon: minor, swap_in: major }; };
  return {
    format: 'vmtrace-sim-tree', version: 1, tool: { name: 'vmtrace-sim', version: '0.1.0' },
    run: { traces: ['t.100', 't.101'], policies: ['lru'], pages: [4000],
      curve_sizes: [1, 100, 5000], swap: 0, mrc: true, sample: 1, jobs: 3 },
    shard: { k: 1, n: 1 }, stream: { references: 10000, frames: 5000 },
    curves: [
      { job: 0, policy: 'lru', method: 'exact', references: 10000, cold: 5000,
        sizes: [1, 50, 4000], misses: [10000, 8000, 5000] },
      { job: 1, policy: 'opt', method: 'exact', references: 10000, cold: 5000,
        sizes: [1, 20, 3000], misses: [10000, 7000, 5000] }
    ],
    simulations: [{
      job: 2, curve_point: false, policy: 'lru', pages: 4000, swap: 0, references: 12345,
      evictions: 0, swap_outs: 0, peak_resident: 4000, out_of_memory_unkillable: false,
      processes: [
        { trace: 't.100', pid: 100, ppid: null, exec_image: false, task_order: 1,
          oom_score_adj: 0, references: 9000, end: 'exit', faults: faults(3000, 0),
          minor: 3000, major: 0, rss_peak: 3010 },
        { trace: 't.101', pid: 101, ppid: 100, exec_image: false, task_order: 2,
          oom_score_adj: 500, references: 3345, end: 'oom-killed', faults: faults(1100, 19),
          minor: 1100, major: 19, rss_peak: 2026 }
      ],
      oom_kills: [{ pid: 101, by_pid: 100, clock_us: 1001250000, seconds: 1.25,
        tree_reference: 11000, its_references: 3345, badness: 4038, rss: 2026, swap: 0,
        page_tables: 12, oom_score_adj: 500, before: [] }]
    }]
  };
}

// A file whose timeline has n samples of 1,000 instructions, more than the
// 4,096 vmtrace keeps (a hand-made file or another producer's): resident
// pages (anonymous only) 100 + 10 × (i mod 7) + floor(i / 10) at sample i's
// end; an anonymous fault in every third sample (i mod 3 = 0), and `burst`
// file_read faults in sample `at` (none elsewhere); wall clock 1 ms a
// sample. No simulations, heat or fault sites.
function makeLongTimeline(n, at, burst) {
  var d = makeFile({ xss: false, planned: false });
  var tl = { interval: 1000, t: [], wall_ms: [], rss: { anon: [] }, touched: [],
    faults: { anon: [], file_read: [] } };
  var t0 = d.run.start_time * 1000;
  for (var i = 0; i < n; i++) {
    tl.t.push((i + 1) * 1000);
    tl.wall_ms.push(Math.round(t0) + i + 1);
    tl.rss.anon.push(100 + 10 * (i % 7) + Math.floor(i / 10));
    tl.touched.push(100 + i);
    tl.faults.anon.push(i % 3 === 0 ? 1 : 0);
    tl.faults.file_read.push(i === at ? burst : 0);
  }
  d.run.instructions = n * 1000;
  d.run.end_time = d.run.start_time + n / 1000;
  d.timeline = tl;
  return d;
}

module.exports = {
  makeLongTimeline: makeLongTimeline,
  makeTreeRun: makeTreeRun,
  problem: problem,
  makeFile: makeFile, makeNative: makeNative, makeSimResult: makeSimResult, treeFiles: treeFiles,
  writeAll: writeAll,
      faults: faults,
  XSS_SO: XSS_SO, XSS_LABEL: XSS_LABEL, XSS_PHASE: XSS_PHASE, XSS_FRAME: XSS_FRAME
};

if (require.main === module) {
  if (process.argv.length !== 3) {
    process.stderr.write('usage: node fixtures.js OUTDIR\n');
    process.exit(2);
  }
  var w = writeAll(process.argv[2]);
  process.stdout.write([w.synthetic, w.native].concat(w.tree).join('\n') + '\n');
}
