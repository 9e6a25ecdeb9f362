'use strict';
// The viewer: runs in the report page, reads the inlined data and builds
// every view with dom.h (text nodes only, never innerHTML).

var dom = require('./dom');
var F = require('./format');
var T = require('./table');
var treerun = require('./treerun');
var tree = require('./tree');
var charts = require('./charts');
var V = require('./validate');
var C = require('./compare');
var views = require('./views');

function start(doc, win) {
  var app = doc.getElementById('app');
  try {
    var payload = JSON.parse(doc.getElementById('vmtrace-data').textContent);
    new Viewer(doc, win, app, payload).render();
  } catch (e) {
    dom.clear(app);
    app.appendChild(
        dom.h(doc, 'p', { class: 'error' }, 'vmtrace-report: the report could not be shown: ' +
            (e && e.message)));
    throw e;
  }
}

function Viewer(doc, win, app, payload) {
  this.doc = doc;
  this.win = win;
  this.app = app;
  this.payload = payload;
  // The simulated run's files (vmtrace-out) and the vmtrace-native one.
  this.files = payload.files.filter(function (f) { return V.isOut(f.data); });
  // The vmtrace-sim result files, whose exact curves the miss-ratio view
  // of each process draws if they are that process's (model.curvesFor).
  this.simResults = payload.files.filter(function (f) { return V.isSimResult(f.data); });
  this.natives = payload.files.filter(function (f) { return V.isNative(f.data); });
  // vmtrace-sim --tree results: a part of their own (renderTreeRun).
  this.treeRuns = payload.files.filter(function (f) { return V.isTreeResult(f.data); });
  this.plots = [];
  this.treePlots = [];
  this.fixedPlots = [];
  this.uPlot = win.uPlot;
}

Viewer.prototype.h = function (tag, attrs, children) {
  return dom.h(this.doc, tag, attrs, children);
};

Viewer.prototype.render = function () {
  var h = this.h.bind(this);
  var self = this;
  dom.clear(this.app);
  var files = this.files;
  var nat = this.natives.length ? this.natives[0] : null;
  var gen = this.payload.generator || {};
  var what = files.length === 1 ? F.command(files[0].data.run.command) : files.length ?
      files.length + ' output files' : '';
  if (nat) what = files.length ? what + ' · simulated vs measured (' + nat.name + ')' :
      F.command(nat.data.command) + ' · measured by vmtrace-native';
  if (!what && this.treeRuns.length) {
    what = this.treeRuns.map(function (f) { return f.name; }).join(', ') +
        ' · a process tree in one memory (vmtrace-sim --tree)';
  }
  this.app.appendChild(h('header', { class: 'top' }, [
    h('h1', null, 'vmtrace report'),
    h('p', { class: 'sub' },
        [what, ' · generated ' + (this.payload.generated || '') + ' by vmtrace-report ' +
            (gen.version || '')])
  ]));
  this.select = null;
  if (nat && files.length) this.renderCompare(nat);
  if (files.length) {
    if (nat) this.app.appendChild(h('h2', { class: 'part' }, 'The simulated run (vmtrace)'));
    if (files.length > 1) this.renderTree();
    this.details = h('div', { id: 'details' });
    this.app.appendChild(this.details);
    this.showFile(this.initialFile());
  }
  if (nat) {
    if (files.length) this.app.appendChild(
        h('h2', { class: 'part' }, 'The measured run (vmtrace-native)'));
    this.renderNative(nat);
  }
  this.treeRuns.forEach(function (f, i) { self.renderTreeRun(f, i); });
  if (this.win && this.win.addEventListener) {
    this.win.addEventListener('resize', function () { self.resize(); });
  }
};

// The first file of the first root: the run's main process.
Viewer.prototype.initialFile = function () {
  if (!this.tree || !this.tree.roots.length) return 0;
  return this.tree.roots[0].images[0];
};

Viewer.prototype.renderTree = function () {
  var h = this.h.bind(this);
  var self = this;
  var files = this.files;
  var t = tree.build(files);
  this.tree = t;
  var spec = tree.treeTable(files, t);
  var sec = this.section('processes', 'Processes', spec.note);
  var groups = tree.runGroups(files, t.roots);
  var lines = [];
  groups.forEach(function (g) {
    var n = g.roots.length;
    var procs = g.roots.reduce(function (s, r) { return s + r.total.processes; }, 0);
    lines.push(h('li', null, [
      n > 1 ? n + ' runs of ' : '1 run of ',
      h('code', null, g.command),
      ' (' + F.count(procs, 'process', 'processes') + ')'
    ]));
  });
  sec.appendChild(h('ul', { class: 'runs' }, lines));
  var table = T.render(this.doc, spec, { nosort: true });
  sec.appendChild(table);
  // Rows pick the process whose details are shown; so does the select.
  var trs = table.querySelectorAll('tbody tr');
  var flat = tree.flatten(t.roots);
  Array.prototype.forEach.call(trs, function (tr, i) {
    tr.classList.add('pick');
    tr.setAttribute('tabindex', '0');
    tr.addEventListener('click', function () { self.showFile(flat[i].images[0]); });
    tr.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') self.showFile(flat[i].images[0]);
    });
  });
  this.treeRows = Array.prototype.map.call(trs, function (tr, i) {
    return { tr: tr, node: flat[i] };
  });
  this.renderTreeMemory(sec, t);
  var sel = h('select', { id: 'file-select', 'aria-label': 'process' });
  flat.forEach(function (n) {
    n.images.forEach(function (fi, k) {
      var d = files[fi].data;
      var label = new Array(n.depth + 1).join('  ') + 'pid ' + d.run.pid +
        (n.images.length > 1 ? ' image ' + (k + 1) : '') + ': ' + F.command(d.run.command) + '  [' +
            files[fi].name + ']';
      var o = h('option', { value: String(fi) }, label);
      sel.appendChild(o);
    });
  });
  sel.addEventListener('change', function () { self.showFile(Number(sel.value)); });
  this.select = sel;
  this.app.appendChild(
      h('div', { class: 'picker' }, [h('label', { for: 'file-select' }, 'Details of '), sel]));
};

// Below the process table: the memory of each run's tree over wall-clock
// time, each shared page counted once.
Viewer.prototype.renderTreeMemory = function (sec, t) {
  var h = this.h.bind(this);
  var self = this;
  var files = this.files;
  var specs = charts.treeMemorySpecs(files, t);
  var uPlot = this.uPlot;
  specs.forEach(function (spec) {
    var m = spec.memory;
    var r = files[spec.root.images[0]].data.run;
    var ps = files[spec.root.images[0]].data.page_size || 4096;
    var when = m.peak.index >= 0 ? F.seconds((m.peak.ms - m.t0) / 1000) + ' after the start' : '';
    sec.appendChild(
        h('h3', null, spec.title +
            (specs.length > 1 || t.roots.length > 1 ? ': pid ' + r.pid + ' ' +
                F.command(r.command) : '')));
    sec.appendChild(h('p', { class: 'note' }, spec.note));
    sec.appendChild(h('div', { class: 'figures tree-figures' }, [
      self.figure('tree peak (Σ PSS)', F.bytes(m.peak.pages * ps),
          F.count(m.peak.pages, 'page', null, F.dec) + ', ' + when),
      self.figure('naive sum (Σ peak RSS)', F.bytes(m.naive * ps), F.count(m.naive, 'page') +
          ': shared pages counted in every process'),
      self.figure('processes', F.int(m.processes.length), m.approximate ? 'approximate: ' +
          m.notes.length + ' without a full timeline' : 'all with a PSS timeline')
    ]));
    var el = h('div', { class: 'chart', id: spec.id });
    sec.appendChild(el);
    if (!uPlot) { el.appendChild(h('p', { class: 'error' }, 'charting library missing')); return; }
    self.treePlots.push(charts.makeChart(el, spec, ps, uPlot, self.width(sec) - 20));
  });
  if (charts.MAX_TREE_CHARTS <
      t.roots.filter(function (r) { return r.total.processes > 1; }).length) {
    sec.appendChild(
        h('p', { class: 'note' }, 'The first ' + charts.MAX_TREE_CHARTS +
            ' runs have a tree memory chart; vmtrace-report --text gives the figures of all.'));
  }
};

// A vmtrace-sim --tree result: per simulation, its processes (faults, peak
// RSS, the OOM killer's victims: when, with what badness), then the exact
// curves of the merged stream.
Viewer.prototype.renderTreeRun = function (f, i) {
  var h = this.h.bind(this);
  var self = this;
  this.app.appendChild(h('h2', { class: 'part' }, 'One memory for a process tree ' +
      '(vmtrace-sim --tree): ' + f.name));
  treerun.treeRunTables(f.data).forEach(function (t) {
    var sec = self.section(t.id + (i ? '-' + i : ''), t.title, t.note);
    sec.appendChild(T.render(self.doc, t));
  });
  var c = treerun.treeCurveTable(f.data);
  if (c) {
    var sec = self.section(c.id + (i ? '-' + i : ''), c.title, c.note);
    sec.appendChild(T.render(self.doc, c));
  }
};

Viewer.prototype.section = function (id, title, note, parent) {
  var h = this.h.bind(this);
  var sec = h('section', { id: 'sec-' + id, class: 'card' }, [h('h2', null, title)]);
  if (note) sec.appendChild(h('p', { class: 'note' }, note));
  (parent || this.app).appendChild(sec);
  return sec;
};

Viewer.prototype.width = function (el) {
  var w = (el && el.clientWidth) || (this.doc.documentElement.clientWidth - 60);
  return Math.max(420, Math.min(w - 4, 1600));
};

// A tile: a big figure, its title and a line under it.
Viewer.prototype.figure = function (title, big, small) {
  var h = this.h.bind(this);
  return h('div', { class: 'figure' },
    [h('div', { class: 'big' }, big), h('div', { class: 'ftitle' }, title),
        h('div', { class: 'small' }, small)]);
};

// Each chart spec under its title and note, drawn by make(el, spec, width).
Viewer.prototype.charts = function (sec, specs, make) {
  var h = this.h.bind(this);
  var self = this;
  specs.forEach(function (spec) {
    sec.appendChild(h('h3', null, spec.title));
    sec.appendChild(h('p', { class: 'note' }, spec.note));
    var el = h('div', { class: 'chart', id: spec.id });
    sec.appendChild(el);
    if (!self.uPlot) {
      el.appendChild(h('p', { class: 'error' }, 'charting library missing'));
      return;
    }
    make(el, spec, self.width(sec) - 20);
  });
};

// The details of one simulated file: its views (views.FILE).
Viewer.prototype.showFile = function (fi) {
  var file = this.files[fi];
  this.current = fi;
  if (this.select) this.select.value = String(fi);
  (this.treeRows || []).forEach(function (x) {
    x.tr.classList.toggle('current', x.node.images.indexOf(fi) >= 0);
  });
  this.plots.forEach(function (p) { p.destroy(); });
  this.plots = [];
  this.heat = null;
  // For the browser test: the time charts (views/time.js), to read their zoom.
  if (this.win) this.win.__vmtraceTimePlots = [];
  var part = new Part(this, dom.clear(this.details), file, this.plots);
  views.shown(views.FILE, file.data, 'html').forEach(function (v) { v.html(part, file.data); });
};

// "Simulated vs measured" (compare.js): the programs, the summary, the
// progress charts, faults by mapping and the fault sites joined.
Viewer.prototype.renderCompare = function (nat) {
  var h = this.h.bind(this);
  var self = this;
  var cmp = C.compare(this.files, nat.data);
  var ps = cmp.run.rootData.page_size || 4096;
  var sec = this.section('compare', 'Simulated vs measured');
  var r = cmp.run.rootData.run;
  sec.appendChild(h('p', { class: 'note' }, [
    'Simulated: ' + F.command(r.command) + ' (pid ' + r.pid + ', ' +
        F.count(cmp.run.root.total.processes, 'process', 'processes') + ', ' +
        F.count(this.files.length, 'file') + '). ',
    'Measured: ' + F.command(nat.data.command) + ' (' + nat.name + ', ' +
        F.count(nat.data.processes.length, 'process', 'processes') + '). ',
    'Natively the kernel tells only minor from major faults, not the classes.'
  ]));
  if (cmp.programs.differ) {
    sec.appendChild(
        h('p', { class: 'warn' }, 'The programs differ: ' + cmp.programs.sim + ' was simulated, ' +
            cmp.programs.native + ' measured.'));
  }
  if (cmp.endings.differ) {
    sec.appendChild(
        h('p', { class: 'warn' }, 'The runs ended differently: ' + cmp.endings.sim +
            ' simulated, ' + cmp.endings.native + ' measured.'));
  }
  sec.appendChild(T.render(this.doc, cmp.summary, { nosort: true }));
  var specs = charts.compareSpecs(cmp.progress);
  if (specs.length) sec.appendChild(
      h('p', { class: 'note' }, C.progressNote(cmp.progress.clock, cmp.progress.missing)));
  this.charts(sec, specs, function (el, spec, width) {
    self.fixedPlots.push(charts.makeChart(el, spec, ps, self.uPlot, width));
  });
  var ms = this.section('cmp-mappings', cmp.mappings.title, cmp.mappings.note +
      ' Click a column to sort.');
  ms.appendChild(
      T.render(this.doc, cmp.mappings, { limit: 300, empty: 'no faults in any mapping' }));
  var ss = this.section('cmp-sites', 'Fault sites: simulated vs measured', cmp.sites.note +
      ' Open a stack to see all its frames.');
  ss.appendChild(h('h3', null, 'By source location'));
  ss.appendChild(
      T.render(this.doc, cmp.sites, { limit: 50, empty: 'no fault sites in either file' }));
  ss.appendChild(h('h3', null, 'By whole stack'));
  ss.appendChild(h('p', { class: 'note' }, cmp.stacks.note));
  ss.appendChild(
      T.render(this.doc, cmp.stacks, { limit: 50, empty: 'no fault sites in either file' }));
};

// A vmtrace-native file: its views (views.NATIVE).
Viewer.prototype.renderNative = function (nat) {
  var root = this.h('div', { id: 'native' });
  this.app.appendChild(root);
  var part = new Part(this, root, nat, this.fixedPlots);
  views.shown(views.NATIVE, nat.data, 'html').forEach(function (v) { v.html(part, nat.data); });
};

Viewer.prototype.resize = function () {
  var self = this;
  this.plots.concat(this.treePlots, this.fixedPlots).forEach(function (p) {
    var el = p.root && p.root.parentNode && p.root.parentNode.parentNode;
    if (el) p.setSize({ width: self.width(el) - 20, height: p.height });
  });
};

// Where views build their sections: one file's part of the page, under a bar
// of links to its sections. Sections marked side by side share a row.
function Part(viewer, root, file, plots) {
  this.viewer = viewer;
  this.doc = viewer.doc;
  this.win = viewer.win;
  this.uPlot = viewer.uPlot;
  this.h = viewer.h.bind(viewer);
  this.root = root;
  this.file = file;
  this.ps = file.data.page_size || 4096;
  this.several = viewer.files.length > 1;
  this.plots = plots;  // where its charts go (resized with the window)
  this.toc = this.h('nav', { class: 'toc' });
  this.row = null;
  root.appendChild(this.toc);
}

// A section; opts.toc: its link's text (default: the title), false for none;
// opts.side: beside the previous section if that was a side one too.
Part.prototype.section = function (id, title, note, opts) {
  opts = opts || {};
  var parent = this.root;
  if (opts.side) {
    if (!this.row) {
      this.row = this.h('div', { class: 'two' });
      this.root.appendChild(this.row);
    }
    parent = this.row;
  } else this.row = null;
  if (opts.toc !== false) {
    this.toc.appendChild(this.h('a', { href: '#sec-' + id }, opts.toc || title));
  }
  return this.viewer.section(id, title, note, parent);
};

Part.prototype.table = function (spec, opts) {
  return T.render(this.doc, spec, opts);
};

Part.prototype.clear = function (el) {
  return dom.clear(el);
};

Part.prototype.width = function (el) {
  return this.viewer.width(el);
};

Part.prototype.charts = function (sec, specs, make) {
  this.viewer.charts(sec, specs, make);
};

// A summary list ([[name, value]]) beside tiles ([[title, big, small]]).
Part.prototype.overview = function (sec, items, tiles) {
  var h = this.h;
  var viewer = this.viewer;
  var dl = h('dl', { class: 'summary' });
  items.forEach(function (it) {
    dl.appendChild(h('dt', null, it[0]));
    dl.appendChild(h('dd', null, it[1]));
  });
  sec.appendChild(h('div', { class: 'cols' }, [dl, h('div', { class: 'figures' },
    tiles.map(function (t) { return viewer.figure(t[0], t[1], t[2]); }))]));
};

// A table under a search box: the rows whose text(row) contains what is
// typed, redrawn as it is typed.
Part.prototype.filterableTable = function (sec, table, text, label, opts) {
  var h = this.h;
  var doc = this.doc;
  var filter = h('input',
    { type: 'search', placeholder: 'filter by name or kind', class: 'filter',
        'aria-label': label });
  sec.appendChild(filter);
  var holder = h('div');
  sec.appendChild(holder);
  var draw = function () {
    var q = filter.value.toLowerCase();
    var rows = q ? table.rows.filter(function (r) { return text(r).toLowerCase().indexOf(q) >= 0; })
      : table.rows;
    dom.clear(holder).appendChild(T.render(doc, Object.assign({}, table, { rows: rows }), opts));
  };
  filter.addEventListener('input', draw);
  draw();
};

module.exports = { start: start, Viewer: Viewer, Part: Part };

