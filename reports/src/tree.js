'use strict';
// Joins several output files into process trees. A file is a child of the
// file whose run.pid is its run.ppid (or the file named by run.parent_file).
// Files with the same pid where all but the last ended in execve are one
// process (one node) with several images. Files whose parent is not among
// them are roots: one root per run, so several runs of one program give
// several trees.
//
// files: [{name, data}] -> {nodes, roots}; node = {id, pid, ppid, images:
// [file index], parent, children, depth, self, total} where self and total
// are figures (see processFigures) of the process and of its subtree.

var F = require('./format');

// What follows the last "/" (trailing ones dropped) of the first line. In
// linear time: /\/+$/ takes quadratic time on a long run of slashes.
function basename(p) {
  var s = String(p);
  var end = s.length;
  while (end > 0 && s.charAt(end - 1) === '/') end--;
  s = s.slice(0, end);
  var stop = s.search(/[\n\r\u2028\u2029]/);
  var slash = s.lastIndexOf('/', (stop < 0 ? s.length : stop) - 1);
  return slash >= 0 && (stop < 0 || slash < stop) ? s.slice(slash + 1) : s;
}

function startOf(d) {
  return F.isNum(d.run.start_time) ? d.run.start_time : 0;
}

function emptyFigures() {
  return { processes: 0, instructions: 0, faults: 0, minor: 0, major: 0, invalid: 0, touched: 0,
      peak_resident: 0, page_tables_peak: 0 };
}

function addFigures(a, b) {
  Object.keys(a).forEach(function (k) { a[k] += b[k] || 0; });
  return a;
}

// One process's figures over its images (successive address spaces).
function processFigures(files, images) {
  var f = emptyFigures();
  f.processes = 1;
  images.forEach(function (i) {
    var d = files[i].data;
    var t = d.totals;
    f.instructions += d.run.instructions;
    f.faults += t.faults.total;
    f.minor += t.faults.minor;
    f.major += t.faults.major;
    f.invalid += t.faults.invalid || 0;
    f.touched += t.pages_touched;
    f.peak_resident = Math.max(f.peak_resident, t.peak_resident_pages);
    var pk = t.page_tables.peak || t.page_tables;
    f.page_tables_peak = Math.max(f.page_tables_peak, pk.pgd + pk.pud + pk.pmd + pk.pte);
  });
  return f;
}

function build(files) {
  // Group files into processes: same pid, chained by exec.
  var byPid = {};
  var pids = [];
  files.forEach(function (f, i) {
    var pid = f.data.run.pid;
    if (!byPid[pid]) { byPid[pid] = []; pids.push(pid); }
    byPid[pid].push(i);
  });
  var nodes = [];
  pids.forEach(function (pid) {
    var idx = byPid[pid].slice().sort(function (a, b) {
      var d = startOf(files[a].data) - startOf(files[b].data);
      if (d) return d;
      // exec images come before the image that replaced them
      var ea = files[a].data.run.exit.status === 'exec' ? 0 : 1;
      var eb = files[b].data.run.exit.status === 'exec' ? 0 : 1;
      return ea - eb || a - b;
    });
    var cur = null;
    idx.forEach(function (i) {
      if (!cur) {
        cur = { pid: pid, ppid: files[i].data.run.ppid, images: [], parent: null, children: [] };
        nodes.push(cur);
      }
      cur.images.push(i);
      if (files[i].data.run.exit.status !== 'exec') cur = null;
    });
  });
  // Stable order: by start time of the first image, then file order.
  nodes.sort(function (a, b) {
    return startOf(files[a.images[0]].data) - startOf(files[b.images[0]].data) ||
      a.images[0] - b.images[0];
  });
  nodes.forEach(function (n, i) { n.id = i; });
  var nodeOfFile = {};
  nodes.forEach(function (n) { n.images.forEach(function (i) { nodeOfFile[i] = n; }); });
  var byName = {};
  files.forEach(function (f, i) { byName[basename(f.name)] = i; });

  function findParent(n) {
    var d = files[n.images[0]].data;
    var pf = d.run.parent_file;
    if (typeof pf === 'string' && byName[basename(pf)] !== undefined) {
      var p = nodeOfFile[byName[basename(pf)]];
      if (p !== n) return p;
    }
    var cands = nodes.filter(function (m) { return m !== n && m.pid === d.run.ppid; });
    if (!cands.length) return null;
    if (cands.length === 1) return cands[0];
    // pid reused: the latest one that started before this one
    var s = startOf(d);
    var best = null;
    cands.forEach(function (m) {
      var ms = startOf(files[m.images[0]].data);
      if (ms <= s && (!best || ms >= startOf(files[best.images[0]].data))) best = m;
    });
    return best || cands[0];
  }

  nodes.forEach(function (n) {
    var p = findParent(n);
    // Refuse a parent that would close a cycle.
    for (var q = p; q; q = q.parent) {
      if (q === n) { p = null; break; }
    }
    if (p) {
      n.parent = p;
      p.children.push(n);
    }
  });
  var roots = nodes.filter(function (n) { return !n.parent; });

  function forkTime(n) {
    var ft = files[n.images[0]].data.run.fork_time;
    return F.isNum(ft) ? ft : Infinity;
  }
  function visit(n, depth) {
    n.depth = depth;
    n.children.sort(function (a, b) { return forkTime(a) - forkTime(b) || a.id - b.id; });
    n.self = processFigures(files, n.images);
    n.total = addFigures(emptyFigures(), n.self);
    n.children.forEach(function (c) {
      visit(c, depth + 1);
      addFigures(n.total, c.total);
    });
  }
  roots.forEach(function (r) { visit(r, 0); });

  return { nodes: nodes, roots: roots };
}

// Nodes depth-first, as the tree view lists them.
function flatten(roots) {
  var out = [];
  (function walk(list) {
    list.forEach(function (n) {
      out.push(n);
      walk(n.children);
    });
  })(roots);
  return out;
}

// Roots grouped by command line: several runs of the same program.
function runGroups(files, roots) {
  var groups = {};
  var order = [];
  roots.forEach(function (r) {
    var key = F.command(files[r.images[0]].data.run.command);
    if (!groups[key]) { groups[key] = []; order.push(key); }
    groups[key].push(r);
  });
  return order.map(function (k) { return { command: k, roots: groups[k] }; });
}

// The tree as a table (model.js spec): one row per process, depth-first,
// with its own figures and, for processes with children, its subtree's.
// The widest a command line is shown in --text's process tables (the
// whole line heads each process's own sections): a linker's runs to a
// thousand columns, which pushed every figure of every row off the screen.
var COMMAND_TEXT_MAX = 60;

function treeTable(files, t) {
  var mem = {};
  memories(files, t).forEach(function (m) {
    m.processes.forEach(function (p) { mem[p.node.id] = { p: p, m: m }; });
  });
  var rows = flatten(t.roots).map(function (n) {
    var pm = mem[n.id];
    var d = files[n.images[n.images.length - 1]].data;
    var first = files[n.images[0]].data;
    return {
      depth: n.depth,
      pid: n.pid,
      ppid: n.ppid,
      command: F.command(d.run.command),
      images: n.images.length,
      file: n.images.map(function (i) { return files[i].name; }).join(', '),
      exit: F.exit(d.run.exit),
      fork_time: F.isNum(first.run.fork_time) ? first.run.fork_time : null,
      instructions: n.self.instructions,
      faults: n.self.faults,
      major: n.self.major,
      invalid: n.self.invalid,
      touched: n.self.touched,
      peak: pm.p.rss_peak,
      pss_peak: pm.p.pss_peak,
      uss_peak: pm.p.uss_peak,
      at_peak: pm.m.processes.length > 1 ? pm.p.at_peak : null,
      approx: pm.p.approx.length > 0,
      t_processes: n.total.processes,
      t_faults: n.total.faults,
      t_touched: n.total.touched,
      t_peak: n.total.peak_resident,
      node: n.id
    };
  });
  var num = function (key, title, tip) {
    return { key: key, title: title, num: true, tip: tip, fmt:
        function (v) { return v === null || v === undefined ? '' : F.int(v); } };
  };
  var pnum = function (key, title, tip) {
    return { key: key, title: title, num: true, tip: tip, fmt: function (v, r) {
      return v === null || v === undefined ? '' : (r.approx ? '~' : '') + F.dec(v);
    } };
  };
  var sub = function (key, title, tip) {
    return { key: key, title: title, num: true, tip: tip, fmt:
        function (v, r) { return r.t_processes > 1 ? F.int(v) : ''; } };
  };
  return {
    id: 'tree', title: 'Processes',
    note: 'Joined by parent pid. Peak RSS, PSS and USS in pages (~: from the PSS at exit, no ' +
          'timeline). Σ columns are the subtree totals (Σ peak adds the processes\' peak RSS: ' +
          'what the tree would need if no page were shared and all peaked together).',
    columns: [
      { key: 'pid', title: 'pid', num: false, pre: true, fmt:
          function (v, r) { return new Array(r.depth + 1).join('  ') +
              (r.depth ? '└ ' : '') + v; } },
      { key: 'command', title: 'command', num: false, textMax: COMMAND_TEXT_MAX, fmt:
          function (v, r) { return v +
              (r.images > 1 ? ' (' + r.images + ' images, exec)' : ''); } },
      { key: 'exit', title: 'exit', num: false },
      num('fork_time', 'forked at', 'parent\'s instruction count at fork'),
      num('instructions', 'instructions'),
      num('faults', 'faults'),
      num('major', 'major'),
      num('invalid', 'invalid'),
      num('touched', 'touched'),
      num('peak', 'peak RSS', 'largest resident set (pages)'),
      pnum('pss_peak', 'peak PSS',
          'largest proportional set size: a page shared by n processes counts 1/n (~ = from the ' +
          'PSS at exit, no timeline)'),
      pnum('uss_peak', 'peak USS', 'largest unique set size: pages no other process maps'),
      pnum('at_peak', 'PSS at tree peak',
          'this process\'s PSS when the tree\'s memory (Σ PSS) peaked; the column adds up to the ' +
          'tree peak'),
      sub('t_processes', 'Σ processes'),
      sub('t_faults', 'Σ faults'),
      sub('t_touched', 'Σ touched'),
      sub('t_peak', 'Σ peak')
    ],
    rows: rows
  };
}

// ---- tree memory: each page counted once ------------------------------------
//
// Per image (one output file), its memory over wall-clock time: the
// timeline's samples at wall_ms, RSS summed over the mapping kinds, PSS
// (pss_x1000 / 1000) and USS, each a step function from the image's first
// sample to its end (run.end_time). For a tree, memory(t) is the sum of the
// PSS of the images alive at t: a page shared copy-on-write by n processes
// counts 1/n in each, so once in all. PSS is kept in thousandths of a page
// (integers) so that the sums are exact.

function ms(sec) {
  return F.isNum(sec) ? Math.round(sec * 1000) : null;
}

function rssAt(tl, kinds, i) {
  var s = 0;
  kinds.forEach(function (k) { s += tl.rss[k][i] || 0; });
  return s;
}

function maxOf(a) {
  var m = null;
  a.forEach(function (v) { if (F.isNum(v) && (m === null || v > m)) m = v; });
  return m;
}

// One image's segment: {from, until, x: [ms], pss: [x1000], rss, uss, peaks,
// approx: reason or null}, or null when it has no place on the wall clock.
function imageMemory(d) {
  var t = d.totals;
  var start = ms(d.run.start_time);
  var end = ms(d.run.end_time);
  var tl = d.timeline;
  var n = tl && Array.isArray(tl.t) ? tl.t.length : 0;
  var seg = { x: [], pss: [], rss: [], uss: [], approx: null };
  var exitPss = F.isNum(t.pss_pages) ? t.pss_pages : null;
  var timed = n > 0 && Array.isArray(tl.wall_ms) && tl.wall_ms.length === n;
  if (timed) {
    var kinds = tl.rss ? Object.keys(tl.rss) : [];
    var hasPss = Array.isArray(tl.pss_x1000) && tl.pss_x1000.length === n;
    var hasUss = Array.isArray(tl.uss) && tl.uss.length === n;
    for (var i = 0; i < n; i++) {
      var w = tl.wall_ms[i];
      if (!F.isNum(w) || (seg.x.length && w < seg.x[seg.x.length - 1])) continue;
      var r = rssAt(tl, kinds, i);
      var p = hasPss && F.isNum(tl.pss_x1000[i]) ? Math.round(tl.pss_x1000[i]) : r * 1000;
      seg.x.push(w);
      seg.rss.push(r);
      seg.pss.push(p);
      seg.uss.push(hasUss && F.isNum(tl.uss[i]) ? tl.uss[i] : null);
    }
    if (!hasPss) seg.approx =
        'its timeline has no PSS: its RSS is counted (shared pages more than once)';
  }
  if (seg.x.length) {
    seg.from = seg.x[0];
    seg.until = Math.max(end === null ? seg.x[seg.x.length - 1] : end, seg.x[seg.x.length - 1]);
  } else {
    // No timeline (an older run, or --timeline=no): the PSS at exit over the
    // whole lifetime.
    if (start === null || end === null) return null;
    var v = exitPss !== null ? exitPss : t.resident_pages;
    seg.x = [start];
    seg.pss = [Math.round(v * 1000)];
    seg.rss = [t.resident_pages];
    seg.uss = [F.isNum(t.uss_pages) ? t.uss_pages : null];
    seg.from = start;
    seg.until = Math.max(start, end);
    seg.approx = exitPss !== null ? 'no timeline: its PSS at exit counted over its lifetime'
      : 'no timeline and no PSS: its resident pages at exit counted over its lifetime';
  }
  seg.rssPeak = Math.max(t.peak_resident_pages, maxOf(seg.rss) || 0);
  seg.pssPeak = (maxOf(seg.pss) || 0) / 1000;
  seg.ussPeak = maxOf(seg.uss);
  if (seg.ussPeak === null && F.isNum(t.uss_pages)) seg.ussPeak = t.uss_pages;
  return seg;
}

// Largest number of chart columns kept; more are thinned keeping, in each
// stretch, the column with the largest total (so the peak stays).
var MAX_COLUMNS = 3000;

// The memory of the tree under `root` (a node of build()):
//   {t0, processes: [{node, pid, command, images, rss_peak, pss_peak,
//     uss_peak, at_peak, approx: [reasons]}], x: [ms], values: [[pages] per
//     process], total: [pages], peak: {pages, ms, index}, naive,
//     approximate, notes: ["FILE: reason"]}
// x, values and total are columns of a step function: each holds until the
// next x. Within one millisecond, the samples of images that end then come
// first, then those ends, then the other samples (an exit and a sample of
// another process in the same millisecond never count a page twice).
function treeMemory(files, root) {
  var procs = flatten([root]);
  var imgs = [];
  var notes = [];
  var t0 = null;
  var processes = procs.map(function (nd, k) {
    var last = files[nd.images[nd.images.length - 1]].data;
    var pr = { node: nd, pid: nd.pid, command: F.command(last.run.command), images: [], rss_peak: 0,
        pss_peak: 0, uss_peak: null, at_peak: 0, approx: [] };
    var prev = null;
    nd.images.forEach(function (fi) {
      var d = files[fi].data;
      var s = ms(d.run.start_time);
      if (s !== null && (t0 === null || s < t0)) t0 = s;
      var seg = imageMemory(d);
      if (!seg) {
        pr.rss_peak = Math.max(pr.rss_peak, d.totals.peak_resident_pages);
        pr.approx.push('left out: no timeline and no start or end time');
        notes.push(files[fi].name + ': left out (no timeline and no start or end time)');
        return;
      }
      if (seg.from !== null && (t0 === null || seg.from < t0)) t0 = seg.from;
      seg.proc = k;
      seg.file = fi;
      // Images of one process follow each other: an image ends where the
      // next one's first sample is, at the latest.
      if (prev && prev.until > seg.from) prev.until = Math.max(prev.from, seg.from);
      prev = seg;
      imgs.push(seg);
      pr.images.push(seg);
      pr.rss_peak = Math.max(pr.rss_peak, seg.rssPeak);
      pr.pss_peak = Math.max(pr.pss_peak, seg.pssPeak);
      if (seg.ussPeak !== null) pr.uss_peak = Math.max(pr.uss_peak || 0, seg.ussPeak);
      if (seg.approx) {
        pr.approx.push(seg.approx);
        notes.push(files[fi].name + ': ' + seg.approx);
      }
    });
    return pr;
  });

  // The events: 0 = a sample of an image that ends at that time, 1 = an
  // end, 2 = any other sample.
  var ev = [];
  imgs.forEach(function (g, gi) {
    for (var i = 0; i < g.x.length && g.x[i] <= g.until; i++) {
      ev.push({ t: g.x[i], kind: g.x[i] === g.until ? 0 : 2, g: gi, v: g.pss[i] });
    }
    ev.push({ t: g.until, kind: 1, g: gi, v: 0 });
  });
  ev.sort(function (a, b) { return a.t - b.t || a.kind - b.kind || a.g - b.g; });
  var cur = imgs.map(function () { return 0; });
  var x = [];
  var cols = [];
  // the chart starts at the tree's start, with nothing sampled yet
  if (ev.length && t0 !== null && t0 < ev[0].t) column(t0);
  function column(at) {
    var per = processes.map(function () { return 0; });
    var tot = 0;
    imgs.forEach(function (g, gi) { per[g.proc] += cur[gi]; tot += cur[gi]; });
    x.push(at);
    cols.push({ per: per, total: tot });
  }
  for (var e = 0; e < ev.length;) {
    var t = ev[e].t;
    var j = e;
    while (j < ev.length && ev[j].t === t && ev[j].kind === 0) { cur[ev[j].g] = ev[j].v; j++; }
    var ends = j < ev.length && ev[j].t === t && ev[j].kind === 1;
    if (ends) column(t);
    while (j < ev.length && ev[j].t === t && ev[j].kind === 1) { cur[ev[j].g] = 0; j++; }
    while (j < ev.length && ev[j].t === t) { cur[ev[j].g] = ev[j].v; j++; }
    column(ends ? t + 0.01 : t);
    e = j;
  }
  // the peak: the largest total, the first time it is reached
  var pk = -1;
  cols.forEach(function (c, i) { if (pk < 0 || c.total > cols[pk].total) pk = i; });
  if (pk >= 0) processes.forEach(function (p, k) { p.at_peak = cols[pk].per[k] / 1000; });
  var peak = pk >= 0 ? { pages: cols[pk].total / 1000, ms: Math.floor(x[pk]), index: pk } :
      { pages: 0, ms: t0, index: -1 };
  // thin the columns, keeping the peak
  if (cols.length > MAX_COLUMNS) {
    var keep = [];
    var per = cols.length / MAX_COLUMNS;
    for (var b = 0; b < MAX_COLUMNS; b++) {
      var lo = Math.floor(b * per);
      var hi = Math.min(cols.length, Math.floor((b + 1) * per));
      var best = lo;
      for (var q = lo; q < hi; q++) if (q === pk ||
          (cols[q].total > cols[best].total && best !== pk)) best = q;
      keep.push(best);
    }
    if (keep[keep.length - 1] !== cols.length - 1) keep.push(cols.length - 1);
    x = keep.map(function (i) { return x[i]; });
    cols = keep.map(function (i) { return cols[i]; });
    peak.index = keep.indexOf(pk);
  }
  var naive = processes.reduce(function (s, p) { return s + p.rss_peak; }, 0);
  return {
    t0: t0 === null ? 0 : t0,
    processes: processes,
    x: x,
    values: processes.map(
        function (p, k) { return cols.map(function (c) { return c.per[k] / 1000; }); }),
    total: cols.map(function (c) { return c.total / 1000; }),
    peak: peak,
    naive: naive,
    approximate: notes.length > 0,
    notes: notes
  };
}

// Tree memory at wall-clock time `at` (ms), after everything that happened
// in that millisecond.
function memoryAt(mem, at) {
  var v = 0;
  for (var i = 0; i < mem.x.length && mem.x[i] < at + 0.5; i++) v = mem.total[i];
  return v;
}

// The memory of each root's tree, computed once per build() result.
function memories(files, t) {
  if (!t.memories) t.memories = t.roots.map(function (r) { return treeMemory(files, r); });
  return t.memories;
}

module.exports = {
  build: build, flatten: flatten, runGroups: runGroups, processFigures: processFigures,
  basename: basename, treeTable: treeTable, COMMAND_TEXT_MAX: COMMAND_TEXT_MAX,
  imageMemory: imageMemory, treeMemory: treeMemory, memoryAt: memoryAt, memories: memories
};
