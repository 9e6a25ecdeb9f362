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

function basename(p) {
  return String(p).replace(/\/+$/, '').replace(/^.*\//, '');
}

function startOf(d) {
  return F.isNum(d.run.start_time) ? d.run.start_time : 0;
}

function emptyFigures() {
  return { processes: 0, instructions: 0, faults: 0, minor: 0, major: 0, invalid: 0, touched: 0, peak_resident: 0, page_tables_peak: 0 };
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
    return startOf(files[a.images[0]].data) - startOf(files[b.images[0]].data) || a.images[0] - b.images[0];
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
function treeTable(files, t) {
  var rows = flatten(t.roots).map(function (n) {
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
      peak: n.self.peak_resident,
      t_processes: n.total.processes,
      t_faults: n.total.faults,
      t_touched: n.total.touched,
      t_peak: n.total.peak_resident,
      node: n.id
    };
  });
  var num = function (key, title, tip) {
    return { key: key, title: title, num: true, tip: tip, fmt: function (v) { return v === null || v === undefined ? '' : F.int(v); } };
  };
  var sub = function (key, title, tip) {
    return { key: key, title: title, num: true, tip: tip, fmt: function (v, r) { return r.t_processes > 1 ? F.int(v) : ''; } };
  };
  return {
    id: 'tree', title: 'Processes',
    note: 'Joined by parent pid. Σ columns are the subtree totals (Σ peak adds the processes\' peaks: an upper bound).',
    columns: [
      { key: 'pid', title: 'pid', num: false, pre: true, fmt: function (v, r) { return new Array(r.depth + 1).join('  ') + (r.depth ? '└ ' : '') + v; } },
      { key: 'command', title: 'command', num: false, fmt: function (v, r) { return v + (r.images > 1 ? ' (' + r.images + ' images, exec)' : ''); } },
      { key: 'exit', title: 'exit', num: false },
      num('fork_time', 'forked at', 'parent\'s instruction count at fork'),
      num('instructions', 'instructions'),
      num('faults', 'faults'),
      num('major', 'major'),
      num('invalid', 'invalid'),
      num('touched', 'touched'),
      num('peak', 'peak resident'),
      sub('t_processes', 'Σ processes'),
      sub('t_faults', 'Σ faults'),
      sub('t_touched', 'Σ touched'),
      sub('t_peak', 'Σ peak')
    ],
    rows: rows
  };
}

module.exports = {
  build: build, flatten: flatten, runGroups: runGroups, processFigures: processFigures,
  basename: basename, treeTable: treeTable
};
