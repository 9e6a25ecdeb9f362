'use strict';
// "Simulated vs measured": one simulated run (the vmtrace-out files of one
// process or one process tree) against one vmtrace-native file of the same
// program. Pure: every figure and join is computed here, and the viewer and
// --text only render the tables (model.js specs) and series it returns.
//
// The joins (docs/report.md says why):
//   summary      sums over the simulated tree's processes (every image),
//                the native file's totals;
//   mappings     by mapping name (/proc/PID/maps style on both sides;
//                "" = anonymous memory), faults summed over the processes
//                and over the mappings of one name;
//   fault sites  by the innermost frame without its "0xADDR: " (the source
//                location), and by the whole stack without addresses, cut
//                after the first frame in main; glibc's CPU-specific
//                variants of a function (__memset_avx2_unaligned_erms under
//                Valgrind, __memset_avx512_unaligned_erms natively) as one,
//                and the names of one function that differ by leading
//                underscores at one source line (read, __read);
//                the samples the native recorder lost as a row of their own;
//   progress     each run from 0 to 100 % of its own clock.

var F = require('./format');
var M = require('./model');
var tree = require('./tree');

function num(key, title, fmt, tip) {
  return { key: key, title: title, num: true, fmt: fmt ||
      function (v) { return v === null || v === undefined ? '–' : F.int(v); }, tip: tip };
}
function signed(v) {
  if (v === null || v === undefined) return '';
  return (v > 0 ? '+' : '') + F.int(v);
}

// ---- the run -----------------------------------------------------------------

// The files of the simulated run: its root node and every file (image) of
// the tree, depth first. files: [{name, data}] of vmtrace-out files that
// make one run (one root).
function simRun(files) {
  var t = tree.build(files);
  var root = t.roots[0];
  var nodes = tree.flatten([root]);
  var images = [];
  nodes.forEach(function (n) { n.images.forEach(function (i) { images.push(files[i].data); }); });
  return { files: files, tree: t, root: root, nodes: nodes, images: images, rootData:
      files[root.images[0]].data };
}

function programName(argv) {
  return Array.isArray(argv) && argv.length ? tree.basename(argv[0]) : '';
}

// The programs compared: the basename of command[0] of the simulated root
// process and of the native file; differ when they are not the same.
function programs(run, nat) {
  var s = programName(run.rootData.run.command);
  var n = programName(nat.command);
  return { sim: s, native: n, differ: s !== n };
}

// How the two runs ended: the exit of the simulated root process's last
// image and the native PROG's, as the reports write them; differ when they
// are not the same. A program that failed under Valgrind (a reservation
// larger than Valgrind can map, an exec of /proc/self/exe) and ran to its
// end natively makes every difference in the figures.
function endings(run, nat) {
  var imgs = run.root.images;
  var s = F.exit(run.files[imgs[imgs.length - 1]].data.run.exit);
  var n = F.exit(nat.exit);
  return { sim: s, native: n, differ: s !== n };
}

// ---- summary -------------------------------------------------------------------

// The faults of the native run whose sample never reached vmtrace-native
// (the kernel dropped it: totals.lost says how many it reported, and a loss
// at the very end goes unreported): the counters' total minus the samples
// recorded. The mappings, sites and timeline are short by that many; the
// totals are not.
function unrecorded(nat) {
  var t = nat.totals || {};
  var total = t.faults && F.isNum(t.faults.total) ? t.faults.total : 0;
  var n = F.isNum(t.recorded) ? total - t.recorded : 0;
  if (F.isNum(t.lost) && t.lost > n) n = Math.min(t.lost, total);
  return n > 0 ? n : 0;
}

function sumPagesFaulted(nat) {
  var n = 0;
  nat.processes.forEach(function (p) {
    p.mappings.forEach(function (m) { n += m.pages_faulted; });
  });
  return n;
}

// The simulated peak: the tree's memory peak (Σ PSS of the processes alive,
// tree.treeMemory) for several processes, the process's peak resident pages
// (the largest over its images) for one.
function simPeak(run) {
  if (run.root.total.processes > 1) return tree.memories(run.files, run.tree)[0].peak.pages;
  return run.root.self.peak_resident;
}

// Valgrind's own preload libraries (vgpreload_core-amd64-linux.so and the
// tool's), which its loader adds to every program: their pages fault
// under Valgrind and exist nowhere natively. A fork storm of /bin/true
// (55 faults simulated, 48 measured) owes 5 of the 7 to them.
var VALGRIND_PRELOAD = /(^|\/)vgpreload_[^/]*\.so$/;

function valgrindOwnFaults(run) {
  var n = 0;
  run.images.forEach(function (d) {
    d.mappings.forEach(function (m) {
      if (VALGRIND_PRELOAD.test(m.name)) n += m.faults.minor + m.faults.major;
    });
  });
  return n;
}

// Rows {key, name, sim, measured, diff, ratio, pages}: diff = measured −
// simulated, ratio = measured / simulated (null when simulated is 0).
function summaryRows(run, nat, pr) {
  var tot = run.root.total;
  var nf = nat.totals.faults;
  var isTree = tot.processes > 1;
  var rows = [
    { key: 'minor', name: 'minor faults', sim: tot.minor, measured: nf.minor },
    { key: 'major', name: 'major faults', sim: tot.major, measured: nf.major },
    { key: 'total', name: 'total faults', sim: tot.faults, measured: nf.total }
  ];
  var vg = valgrindOwnFaults(run);
  if (vg) {
    rows.push({ key: 'valgrind', name: 'of them on Valgrind\'s preload libraries ' +
        '(vgpreload_*.so: none natively)', sim: vg, measured: 0 });
    rows.push({ key: 'program', name: 'total faults less those', sim: tot.faults - vg, measured:
        nf.total });
  }
  rows = rows.concat([
    { key: 'peak', name: isTree ? 'peak resident pages (sim: tree Σ PSS)' : 'peak resident pages',
        sim: simPeak(run), measured: nat.totals.peak_resident_pages, pages: true }
  ]);
  if (isTree) {
    pr = pr || progress(run, nat);
    rows.push({ key: 'peak_rss', name: 'peak Σ RSS of the processes', sim: pr.simPeakRss, measured:
        nat.totals.peak_resident_pages, pages: true });
  }
  rows.push({ key: 'pages', name: 'distinct pages (sim: touched, measured: faulted)', sim:
      tot.touched, measured: sumPagesFaulted(nat), pages: true });
  rows.push({ key: 'processes', name: 'processes', sim: tot.processes, measured:
      nat.processes.length });
  var lost = unrecorded(nat);
  if (lost) {
    rows.push({ key: 'lost', name: 'faults whose sample the recorder lost (in no mapping, site ' +
        'or timeline)', sim: null, measured: lost });
  }
  rows.forEach(function (r) {
    r.diff = r.sim === null ? null : r.measured - r.sim;
    r.ratio = r.sim ? r.measured / r.sim : null;
  });
  return rows;
}

function summaryTable(run, nat, pr) {
  var ps = run.rootData.page_size || 4096;
  var val = function (v, r) {
    if (v === null || v === undefined) return '–';
    return r.pages ? F.dec(v) + ' (' + F.bytes(v * ps) + ')' : F.dec(v);
  };
  return {
    id: 'cmp-summary', title: 'Simulated vs measured',
    columns: [
      { key: 'name', title: 'figure', num: false },
      num('sim', 'simulated', val), num('measured', 'measured', val),
      num('diff', 'difference', function (v, r) {
        if (v === null) return '';
        return (v > 0 ? '+' : '') + val(v, r);
      }, 'measured − simulated'),
      num('ratio', 'ratio', function (v) { return v === null ? '' : v.toFixed(2); },
          'measured / simulated')
    ],
    rows: summaryRows(run, nat, pr)
  };
}

// ---- faults by mapping -----------------------------------------------------------

function displayName(name) {
  return name === '' ? '(anonymous)' : name;
}

// Rows {name, kind, sim_minor, sim_major, nat_minor, nat_major, diff}: sim_*
// null when the simulation has no mapping of that name; a name the native
// file lacks had no fault there (it leaves such mappings out). Rows without
// any fault on either side are left out; the order is by the larger total,
// then by name.
function mappingRows(run, nat) {
  var by = {};
  var order = [];
  function get(name) {
    if (!Object.prototype.hasOwnProperty.call(by, name)) {
      by[name] = { key: name, name: displayName(name), kinds: [], sim_minor: null, sim_major: null,
          nat_minor: 0, nat_major: 0 };
      order.push(name);
    }
    return by[name];
  }
  function kind(r, k) { if (r.kinds.indexOf(k) < 0) r.kinds.push(k); }
  run.images.forEach(function (d) {
    d.mappings.forEach(function (m) {
      var r = get(m.name);
      r.sim_minor = (r.sim_minor || 0) + m.faults.minor;
      r.sim_major = (r.sim_major || 0) + m.faults.major;
      kind(r, m.kind);
    });
  });
  nat.processes.forEach(function (p) {
    p.mappings.forEach(function (m) {
      var r = get(m.name);
      r.nat_minor += m.faults.minor;
      r.nat_major += m.faults.major;
      kind(r, m.kind);
    });
  });
  var rows = order.map(function (k) {
    var r = by[k];
    r.kind = r.kinds.join(', ');
    delete r.kinds;
    r.sim_total = (r.sim_minor || 0) + (r.sim_major || 0);
    r.nat_total = r.nat_minor + r.nat_major;
    r.diff = r.nat_total - r.sim_total;
    return r;
  }).filter(function (r) { return r.sim_total > 0 || r.nat_total > 0; });
  rows.sort(function (a, b) {
    return Math.max(b.sim_total, b.nat_total) - Math.max(a.sim_total, a.nat_total) ||
        (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  });
  return rows;
}

var MAPPING_NOTE = 'Joined by mapping name, faults summed over the processes and over the ' +
  'mappings of one name; (anonymous) is all unnamed anonymous memory. – : the simulation has ' +
  'no mapping of that name. Mappings without faults on either side are left out.';

function mappingTable(run, nat) {
  var lost = unrecorded(nat);
  return {
    id: 'cmp-mappings', title: 'Faults by mapping: simulated vs measured', note: MAPPING_NOTE +
        (lost ? ' The native recorder lost ' + F.count(lost, 'sample') + ' (their mapping ' +
          'unknown): the measured side is short by that many.' : ''),
    columns: [
      { key: 'name', title: 'name', num: false },
      { key: 'kind', title: 'kind', num: false, tip:
          'the kinds each side gives the mappings of that name' },
      num('sim_minor', 'sim minor'), num('sim_major', 'sim major'),
      num('nat_minor', 'measured minor'), num('nat_major', 'measured major'),
      num('diff', 'difference', signed, 'measured total − simulated total')
    ],
    rows: mappingRows(run, nat)
  };
}

// ---- fault sites -------------------------------------------------------------------

// "0x109275: main (phases.c:41)" -> "main (phases.c:41)".
function stripAddress(frame) {
  return String(frame).replace(/^\s*0x[0-9a-fA-F]+:\s*/, '');
}

// glibc's CPU-specific variants of a function, chosen at load time by the
// CPU's features (IFUNC): __memset_avx2_unaligned_erms under Valgrind, whose
// virtual CPU has no AVX-512, __memset_avx512_unaligned_erms or
// __memset_evex_unaligned_erms natively; __strlen_sse2, __memmove_avx_
// unaligned_erms_rtm. Group 1: the name the variants share (__memset).
var VARIANT = new RegExp('^(__[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*?)_' +
    '(?:sse2|ssse3|sse4_1|sse4_2|avx|avx2|avx512|avx512f|avx512bw|avx512vl|evex|evex256|' +
    'evex512|erms)(?:_[A-Za-z0-9_]*)?$');

// A frame without its address, a CPU-specific variant as the function they
// all are: "0x4852100: __memset_avx2_unaligned_erms (memset-vec-unaligned-
// erms.S:328)" -> "__memset_* (CPU-specific variants)", whatever the source
// line (each variant is its own assembly of the same file).
function joinFrame(frame) {
  var f = stripAddress(frame);
  // the function's name: up to " (" (no regular expression over the whole
  // frame: a frame may be any string, of any length)
  var cut = f.indexOf(' (');
  var name = cut < 0 ? f : f.slice(0, cut);
  var m = name.length <= 200 ? VARIANT.exec(name) : null;
  return m ? m[1] + '_* (CPU-specific variants)' : f;
}

// A function known by several names: glibc's read is also __read and
// __libc_read, write __write, and Valgrind's symbol reader and addr2line
// may each pick another (python3's reads of its .pyc files: "read
// (read.c:26)" simulated, "__read (read.c:26)" measured, 143 and 140
// faults in two rows). Where the frame has a source line, the name less
// its leading underscores joins them; the row shows the first side's own.
var SOURCE_LINE = / \([^()]*:[0-9]+\)$/;
function aliasKey(f) {
  return f.charAt(0) === '_' && /^_+[A-Za-z]/.test(f) && SOURCE_LINE.test(f)
    ? f.replace(/^_+/, '') : f;
}

function isMain(frame) {
  return /^main(\s|\(|$)/.test(stripAddress(frame));
}

// The frames of a stack without addresses, up to and including the first
// frame in main (the simulated stacks may go on below main).
function stackFrames(stack) {
  var out = [];
  for (var i = 0; i < stack.length; i++) {
    out.push(stripAddress(stack[i]));
    if (isMain(stack[i])) break;
  }
  return out;
}

function locationOf(stack) {
  return stack.length ? joinFrame(stack[0]) : '(no stack)';
}

function locationKey(stack) {
  return aliasKey(locationOf(stack));
}

// The whole-stack key: the frames as joinFrame has them, cut after main.
function stackKey(stack) {
  return stackFrames(stack).map(function (f) { return aliasKey(joinFrame(f)); }).join('\n');
}

// Fault sites of the simulated run that are faults (minor or major class:
// invalid accesses are not in the fault totals), over all its files.
function simSites(run) {
  var out = [];
  run.images.forEach(function (d) {
    if (!Array.isArray(d.fault_sites)) return;
    var kinds = {};
    M.faultClasses(d).forEach(function (c) { kinds[c.name] = c.kind; });
    d.fault_sites.forEach(function (s) {
      var k = kinds[s['class']];
      if (s['class'] === 'invalid' || (k !== 'minor' && k !== 'major')) return;
      out.push(s);
    });
  });
  return out;
}

function natSites(nat) {
  return nat.fault_sites.filter(
      function (s) { return s['class'] === 'minor' || s['class'] === 'major'; });
}

// Rows keyed by keyOf(stack): {key, label, sim, measured, diff, sim_stack,
// nat_stack} where the stacks are the most frequent stack (addresses
// removed) of each side under that key, and label is labelOf(stack) of the
// first stack under it (the simulated side's, if it has one).
function joinSites(run, nat, keyOf, labelOf) {
  var by = {};
  var order = [];
  function add(s, side) {
    var key = keyOf(s.stack);
    if (!Object.prototype.hasOwnProperty.call(by, key)) {
      by[key] = { key: key, label: labelOf ? labelOf(s.stack) : key, sim: 0, measured: 0,
          sim_best: -1, nat_best: -1, sim_stack: [], nat_stack: [] };
      order.push(key);
    }
    var r = by[key];
    if (side === 'sim') {
      r.sim += s.count;
      if (s.count > r.sim_best) { r.sim_best = s.count; r.sim_stack = stackFrames(s.stack); }
    } else {
      r.measured += s.count;
      if (s.count > r.nat_best) { r.nat_best = s.count; r.nat_stack = stackFrames(s.stack); }
    }
  }
  simSites(run).forEach(function (s) { add(s, 'sim'); });
  natSites(nat).forEach(function (s) { add(s, 'nat'); });
  var rows = order.map(function (k) {
    var r = by[k];
    delete r.sim_best;
    delete r.nat_best;
    r.diff = r.measured - r.sim;
    return r;
  });
  // what the recorder lost is no difference of the model's: its own row
  var lost = unrecorded(nat);
  if (lost) {
    rows.push({ key: LOST_KEY, label: LOST_KEY, sim: null, measured: lost, diff: null,
        sim_stack: [], nat_stack: [], lost: true });
  }
  rows.sort(function (a, b) {
    return Math.max(b.sim, b.measured) - Math.max(a.sim, a.measured) ||
        (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  });
  rows.forEach(function (r, i) { r.rank = i + 1; });
  return rows;
}

var LOST_KEY = '(samples the recorder lost: where, unknown)';

function siteRowsByLocation(run, nat) {
  return joinSites(run, nat, locationKey, locationOf);
}

function siteRowsByStack(run, nat) {
  var rows = joinSites(run, nat, stackKey);
  return rows.map(function (r) {
    r.stack = r.sim_stack.length ? r.sim_stack : r.nat_stack;
    return r;
  });
}

var STACK_COL = function (key, title) {
  return { key: key, title: title, num: false, stack: true, fmt:
      function (v) { return (v || []).join('\n'); } };
};

var LOCATION_NOTE = 'Joined by the innermost frame without its address; simulated: minor and ' +
  'major classes (not invalid accesses). Each side lists at most 100 stacks per class, so these ' +
  'are the faults of the stacks listed. The stacks are each side\'s most frequent one at that ' +
  'location. glibc\'s CPU-specific variants of a function (__memset_avx2_… under Valgrind, ' +
  '__memset_avx512_… natively) are one row, NAME_* (CPU-specific variants); the stacks show ' +
  'each side\'s own; so is a function known by names that differ only by leading underscores ' +
  '(read and __read) at one source line. Samples the native recorder lost are a row of their ' +
  'own, not a difference.';

function siteLocationTable(run, nat) {
  return {
    id: 'cmp-sites', title: 'Fault sites by source location: simulated vs measured',
    note: LOCATION_NOTE,
    columns: [
      num('rank', '#'),
      { key: 'label', title: 'location', num: false },
      num('sim', 'simulated'), num('measured', 'measured'),
      num('diff', 'difference', signed, 'measured − simulated'),
      STACK_COL('sim_stack', 'simulated stack'), STACK_COL('nat_stack', 'measured stack')
    ],
    rows: siteRowsByLocation(run, nat)
  };
}

function siteStackTable(run, nat) {
  return {
    id: 'cmp-stacks', title: 'Fault sites by whole stack: simulated vs measured',
    note: 'Joined by the whole stack without addresses, up to the first frame in main, ' +
        'glibc\'s CPU-specific variants of a function as one.',
    columns: [
      num('rank', '#'),
      num('sim', 'simulated'), num('measured', 'measured'),
      num('diff', 'difference', signed, 'measured − simulated'),
      STACK_COL('stack', 'stack')
    ],
    rows: siteRowsByStack(run, nat)
  };
}

// ---- progress ------------------------------------------------------------------------

// Faults (minor and major classes) of sample i of a simulated timeline.
function faultClassNames(d) {
  return M.faultClasses(d)
    .filter(function (c) { return c.kind === 'minor' || c.kind === 'major'; })
    .map(function (c) { return c.name; });
}
function sampleFaults(tl, names, i) {
  var s = 0;
  names.forEach(function (c) { if (tl.faults && tl.faults[c]) s += tl.faults[c][i] || 0; });
  return s;
}
function sampleRss(tl, i) {
  var s = 0;
  if (tl.rss) Object.keys(tl.rss).forEach(function (k) { s += tl.rss[k][i] || 0; });
  return s;
}

// The simulated run as step functions of progress (0–100 %):
// faults: [[p, cumulative faults]], rss: [[p, resident pages]].
// One file: its own instruction clock (t / last t). Several (a tree, or
// exec images): the wall clock from the first start to the last end, the
// resident pages of the images alive added up (each holds its last
// sample's value until its end). Files without a timeline are left out
// (listed in `missing`).
function simProgress(run, files) {
  var missing = [];
  var withTl = [];
  run.nodes.forEach(function (n) {
    n.images.forEach(function (i) {
      var d = files[i].data;
      var tl = d.timeline;
      if (tl && Array.isArray(tl.t) && tl.t.length) withTl.push({ d: d, name: files[i].name });
      else missing.push(files[i].name);
    });
  });
  if (!withTl.length) return { clock: null, faults: [], rss: [], missing: missing };
  if (run.images.length === 1) {
    var d = withTl[0].d;
    var tl = d.timeline;
    var last = tl.t[tl.t.length - 1];
    var names = faultClassNames(d);
    var faults = [[0, 0]];
    var rss = [];
    var cum = 0;
    for (var i = 0; i < tl.t.length; i++) {
      var p = last > 0 ? (tl.t[i] / last) * 100 : 100;
      cum += sampleFaults(tl, names, i);
      faults.push([p, cum]);
      rss.push([p, sampleRss(tl, i)]);
    }
    return { clock: 'instructions', faults: faults, rss: rss, missing: missing };
  }
  // Wall clock: events (ms, image, faults, rss) and the images' ends.
  var ev = [];
  var t0 = null;
  var t1 = null;
  var noWall = [];
  withTl.forEach(function (x, g) {
    var tl = x.d.timeline;
    if (!Array.isArray(tl.wall_ms) || tl.wall_ms.length !== tl.t.length) {
        noWall.push(x.name); return; }
    var names = faultClassNames(x.d);
    var start = F.isNum(x.d.run.start_time) ? Math.round(x.d.run.start_time * 1000) : null;
    var firstW = null;
    var lastW = null;
    for (var i = 0; i < tl.t.length; i++) {
      var w = tl.wall_ms[i];
      if (!F.isNum(w)) continue;
      ev.push({ t: w, g: g, end: false, f: sampleFaults(tl, names, i), r: sampleRss(tl, i) });
      firstW = firstW === null ? w : Math.min(firstW, w);
      lastW = lastW === null ? w : Math.max(lastW, w);
    }
    if (lastW === null) return;
    var end = F.isNum(x.d.run.end_time) ?
        Math.max(Math.round(x.d.run.end_time * 1000), lastW) : lastW;
    ev.push({ t: end, g: g, end: true, f: 0, r: 0 });
    var first = start !== null ? Math.min(start, firstW) : firstW;
    if (t0 === null || first < t0) t0 = first;
    if (t1 === null || end > t1) t1 = end;
  });
  missing = missing.concat(noWall);
  if (!ev.length) return { clock: null, faults: [], rss: [], missing: missing };
  // samples before ends at the same moment: an image's last sample counts
  ev.sort(function (a, b) { return a.t - b.t || (a.end ? 1 : 0) - (b.end ? 1 : 0) || a.g - b.g; });
  var cur = {};
  var cumW = 0;
  var fw = [[0, 0]];
  var rw = [];
  var span = t1 - t0;
  var total = function () {
    var tot = 0;
    Object.keys(cur).forEach(function (k) { tot += cur[k]; });
    return tot;
  };
  // At each moment: its samples, then (if images end then) a point with
  // them still counted, then the ends. Two points at one x: align() keeps
  // the larger resident figure, so an image's last sample is not lost.
  for (var e = 0; e < ev.length;) {
    var t = ev[e].t;
    var pw = span > 0 ? ((t - t0) / span) * 100 : 100;
    for (; e < ev.length && ev[e].t === t && !ev[e].end; e++) {
      cur[ev[e].g] = ev[e].r;
      cumW += ev[e].f;
    }
    fw.push([pw, cumW]);
    rw.push([pw, total()]);
    if (e < ev.length && ev[e].t === t && ev[e].end) {
      for (; e < ev.length && ev[e].t === t; e++) delete cur[ev[e].g];
      // (when the last images end, the curve stops at their last value)
      if (Object.keys(cur).length) rw.push([pw, total()]);
    }
  }
  return { clock: 'wall', faults: fw, rss: rw, missing: missing };
}

function nativeProgress(nat) {
  var tl = nat.timeline;
  var n = tl.t_ms.length;
  var last = n ? tl.t_ms[n - 1] : 0;
  var faults = [[0, 0]];
  var rss = [];
  var cum = 0;
  for (var i = 0; i < n; i++) {
    var p = last > 0 ? (tl.t_ms[i] / last) * 100 : 100;
    cum += (tl.faults.minor[i] || 0) + (tl.faults.major[i] || 0);
    faults.push([p, cum]);
    rss.push([p, tl.rss[i]]);
  }
  return { faults: faults, rss: rss };
}

// A step function's value at x: that of its last point at or before x
// (null before the first).
function valueAt(points, x) {
  var v = null;
  for (var i = 0; i < points.length && points[i][0] <= x; i++) v = points[i][1];
  return v;
}

// Several step functions on one x: the union of their points, or, past
// maxPoints, an even grid. Each column holds a series' last value at or
// before it, or with `max` the largest of its points since the previous
// column (so that no peak is lost, even when two points share one x).
var MAX_POINTS = 4000;
function align(list, maxPoints) {
  maxPoints = maxPoints || MAX_POINTS;
  var xs = [];
  list.forEach(function (s) { s.points.forEach(function (p) { xs.push(p[0]); }); });
  xs.sort(function (a, b) { return a - b; });
  var x = [];
  xs.forEach(function (v) { if (!x.length || x[x.length - 1] !== v) x.push(v); });
  var grid = x.length > maxPoints;
  if (grid) {
    var n = Math.floor(maxPoints / 2);
    x = [];
    for (var i = 0; i <= n; i++) x.push((i * 100) / n);
  }
  var out = list.map(function (s) {
    var pts = s.points;
    var vals = [];
    var j = 0;
    var v = null;
    for (var k = 0; k < x.length; k++) {
      var m = null;
      while (j < pts.length && pts[j][0] <= x[k]) {
        v = pts[j][1];
        if (m === null || v > m) m = v;
        j++;
      }
      vals.push(s.max && m !== null ? m : v);
    }
    return vals;
  });
  return { x: x, values: out };
}

// Both runs against progress: {clock, missing, faults: {x, sim, nat},
// rss: {x, sim, nat}, simPeakRss}; x in percent, sim null without a
// simulated timeline.
function progress(run, nat) {
  var s = simProgress(run, run.files);
  var n = nativeProgress(nat);
  var f = align([{ points: s.faults }, { points: n.faults }]);
  var r = align([{ points: s.rss, max: true }, { points: n.rss, max: true }]);
  var simPeakRss = null;
  s.rss.forEach(function (p) { if (simPeakRss === null || p[1] > simPeakRss) simPeakRss = p[1]; });
  return {
    clock: s.clock, missing: s.missing,
    faults: { x: f.x, sim: s.faults.length ? f.values[0] : null, nat: f.values[1] },
    rss: { x: r.x, sim: s.rss.length ? r.values[0] : null, nat: r.values[1] },
    simPeakRss: simPeakRss
  };
}

// For --text: the two runs at 0, 10, …, 100 % (each value the last sample
// at or before that point).
function progressTable(run, nat) {
  var s = simProgress(run, run.files);
  var n = nativeProgress(nat);
  var ps = run.rootData.page_size || 4096;
  var rows = [];
  for (var p = 0; p <= 100; p += 10) {
    rows.push({
      p: p,
      sim_faults: s.faults.length ? valueAt(s.faults, p) : null,
      nat_faults: valueAt(n.faults, p),
      sim_rss: s.rss.length ? valueAt(s.rss, p) : null,
      nat_rss: valueAt(n.rss, p)
    });
  }
  var pages = function (v) { return v === null || v === undefined ? '–' : F.pages(v, ps); };
  return {
    id: 'cmp-progress', title: 'Progress: simulated vs measured',
    note: progressNote(s.clock, s.missing),
    columns: [
      num('p', 'progress', function (v) { return v + '%'; }),
      num('sim_faults', 'sim faults', null, 'cumulative'),
          num('nat_faults', 'measured faults', null, 'cumulative'),
      num('sim_rss', 'sim resident', pages), num('nat_rss', 'measured resident', pages)
    ],
    rows: rows
  };
}

function progressNote(clock, missing) {
  var s = 'Each run from its start (0 %) to its end (100 %): measured on its wall clock (t_ms), ' +
          'simulated on ' +
    (clock === 'wall' ? 'the wall clock of its processes (resident: the processes alive added up)' :
      clock === 'instructions' ? 'its instruction clock' : 'nothing (no timeline)') +
          '. Faults are cumulative.';
  if (missing && missing.length) s += ' Without a timeline, left out of the simulated curves: ' +
      missing.join(', ') + '.';
  return s;
}

// Everything the comparison view shows.
function compare(files, nat) {
  var run = simRun(files);
  var pr = progress(run, nat);
  return {
    run: run,
    programs: programs(run, nat),
    endings: endings(run, nat),
    summary: summaryTable(run, nat, pr),
    mappings: mappingTable(run, nat),
    sites: siteLocationTable(run, nat),
    stacks: siteStackTable(run, nat),
    progress: pr,
    progressTable: progressTable(run, nat)
  };
}

module.exports = {
  simRun: simRun, programs: programs, endings: endings, summaryRows: summaryRows,
  summaryTable: summaryTable,
  mappingRows: mappingRows, mappingTable: mappingTable,
  stripAddress: stripAddress, stackFrames: stackFrames, locationOf: locationOf,
  joinFrame: joinFrame, aliasKey: aliasKey, unrecorded: unrecorded,
  siteRowsByLocation: siteRowsByLocation, siteRowsByStack: siteRowsByStack,
  siteLocationTable: siteLocationTable, siteStackTable: siteStackTable,
  simProgress: simProgress, nativeProgress: nativeProgress, align: align, valueAt: valueAt,
  progress: progress, progressTable: progressTable, progressNote: progressNote,
  compare: compare
};
