'use strict';
// The viewer: runs in the report page, reads the inlined data and builds
// every view with dom.h (text nodes only, never innerHTML).

var dom = require('./dom');
var F = require('./format');
var M = require('./model');
var T = require('./table');
var tree = require('./tree');
var charts = require('./charts');
var heatmap = require('./heatmap');
var V = require('./validate');
var N = require('./native');
var C = require('./compare');

// A table under a search box (name or kind): the rows whose text(row)
// contains what is typed, redrawn as it is typed.
function filterableTable(viewer, section, table, text, label, opts) {
  var h = viewer.h.bind(viewer);
  var filter = h('input', { type: 'search', placeholder: 'filter by name or kind', class: 'filter', 'aria-label': label });
  section.appendChild(filter);
  var holder = h('div');
  section.appendChild(holder);
  var draw = function () {
    var q = filter.value.toLowerCase();
    var spec = Object.assign({}, table, {
      rows: q ? table.rows.filter(function (r) { return text(r).toLowerCase().indexOf(q) >= 0; }) : table.rows
    });
    dom.clear(holder).appendChild(T.render(viewer.doc, spec, opts));
  };
  filter.addEventListener('input', draw);
  draw();
}

// Charts reset by a double-click report their full range (null): each
// linked chart then shows its whole time axis.
function resetToFullRange(linker) {
  linker.members.forEach(function (m) {
    if (!m.plot) return;
    var inner = m.setRange;
    m.setRange = function (a, b) {
      if (a === null || b === null) {
        var x = m.plot.data[0];
        inner(x[0], x[x.length - 1]);
      } else inner(a, b);
    };
  });
}

function start(doc, win) {
  var app = doc.getElementById('app');
  try {
    var payload = JSON.parse(doc.getElementById('vmtrace-data').textContent);
    new Viewer(doc, win, app, payload).render();
  } catch (e) {
    dom.clear(app);
    app.appendChild(dom.h(doc, 'p', { class: 'error' }, 'vmtrace-report: the report could not be shown: ' + (e && e.message)));
    throw e;
  }
}

function Viewer(doc, win, app, payload) {
  this.doc = doc;
  this.win = win;
  this.app = app;
  this.payload = payload;
  // The simulated run's files (vmtrace-out) and the vmtrace-native one.
  this.files = payload.files.filter(function (f) { return !V.isNative(f.data); });
  this.natives = payload.files.filter(function (f) { return V.isNative(f.data); });
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
  var what = files.length === 1 ? F.command(files[0].data.run.command) : files.length ? files.length + ' output files' : '';
  if (nat) what = files.length ? what + ' · simulated vs measured (' + nat.name + ')' : F.command(nat.data.command) + ' · measured by vmtrace-native';
  this.app.appendChild(h('header', { class: 'top' }, [
    h('h1', null, 'vmtrace report'),
    h('p', { class: 'sub' }, [what, ' · generated ' + (this.payload.generated || '') + ' by vmtrace-report ' + (gen.version || '')])
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
    if (files.length) this.app.appendChild(h('h2', { class: 'part' }, 'The measured run (vmtrace-native)'));
    this.renderNative(nat);
  }
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
      ' (' + procs + (procs > 1 ? ' processes' : ' process') + ')'
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
  this.treeRows = Array.prototype.map.call(trs, function (tr, i) { return { tr: tr, node: flat[i] }; });
  this.renderTreeMemory(sec, t);
  var sel = h('select', { id: 'file-select', 'aria-label': 'process' });
  flat.forEach(function (n) {
    n.images.forEach(function (fi, k) {
      var d = files[fi].data;
      var label = new Array(n.depth + 1).join('  ') + 'pid ' + d.run.pid +
        (n.images.length > 1 ? ' image ' + (k + 1) : '') + ': ' + F.command(d.run.command) + '  [' + files[fi].name + ']';
      var o = h('option', { value: String(fi) }, label);
      sel.appendChild(o);
    });
  });
  sel.addEventListener('change', function () { self.showFile(Number(sel.value)); });
  this.select = sel;
  this.app.appendChild(h('div', { class: 'picker' }, [h('label', { for: 'file-select' }, 'Details of '), sel]));
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
    sec.appendChild(h('h3', null, spec.title + (specs.length > 1 || t.roots.length > 1 ? ': pid ' + r.pid + ' ' + F.command(r.command) : '')));
    sec.appendChild(h('p', { class: 'note' }, spec.note));
    sec.appendChild(h('div', { class: 'figures tree-figures' }, [
      treeFigure('tree peak (Σ PSS)', F.bytes(m.peak.pages * ps), F.dec(m.peak.pages) + ' pages, ' + when),
      treeFigure('naive sum (Σ peak RSS)', F.bytes(m.naive * ps), F.int(m.naive) + ' pages: shared pages counted in every process'),
      treeFigure('processes', F.int(m.processes.length), m.approximate ? 'approximate: ' + m.notes.length + ' without a full timeline' : 'all with a PSS timeline')
    ]));
    var el = h('div', { class: 'chart', id: spec.id });
    sec.appendChild(el);
    if (!uPlot) { el.appendChild(h('p', { class: 'error' }, 'charting library missing')); return; }
    self.treePlots.push(charts.makeChart(el, spec, ps, uPlot, self.width(sec) - 20));
  });
  if (charts.MAX_TREE_CHARTS < t.roots.filter(function (r) { return r.total.processes > 1; }).length) {
    sec.appendChild(h('p', { class: 'note' }, 'The first ' + charts.MAX_TREE_CHARTS + ' runs have a tree memory chart; vmtrace-report --text gives the figures of all.'));
  }
  function treeFigure(title, big, small) {
    return h('div', { class: 'figure' }, [h('div', { class: 'big' }, big), h('div', { class: 'ftitle' }, title), h('div', { class: 'small' }, small)]);
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

Viewer.prototype.showFile = function (fi) {
  var h = this.h.bind(this);
  var self = this;
  var file = this.files[fi];
  var d = file.data;
  this.current = fi;
  if (this.select) this.select.value = String(fi);
  (this.treeRows || []).forEach(function (x) {
    x.tr.classList.toggle('current', x.node.images.indexOf(fi) >= 0);
  });
  this.plots.forEach(function (p) { p.destroy(); });
  this.plots = [];
  this.heat = null;
  var root = dom.clear(this.details);
  var ps = d.page_size || 4096;

  var toc = h('nav', { class: 'toc' });
  root.appendChild(toc);
  var tocItems = [];
  var add = function (id, title, note) {
    tocItems.push([id, title]);
    return self.section(id, title, note, root);
  };

  // Summary, totals by class, page tables.
  var s = M.summary(d);
  var sum = add('summary', 'Run: pid ' + d.run.pid + (this.files.length > 1 ? ' (' + tree.basename(file.name) + ')' : ''));
  var dl = h('dl', { class: 'summary' });
  s.items.forEach(function (it) { dl.appendChild(h('dt', null, it[0])); dl.appendChild(h('dd', null, it[1])); });
  sum.appendChild(h('div', { class: 'cols' }, [
    dl,
    h('div', { class: 'figures' }, [
      figure('faults', F.int(d.totals.faults.total), F.int(d.totals.faults.minor) + ' minor, ' + F.int(d.totals.faults.major) + ' major'),
      figure('pages touched', F.bytes(d.totals.pages_touched * ps), F.int(d.totals.pages_touched) + ' pages'),
      figure('peak resident', F.bytes(d.totals.peak_resident_pages * ps), F.int(d.totals.peak_resident_pages) + ' pages'),
      figure('instructions', F.si(d.run.instructions), F.int(d.run.instructions))
    ])
  ]));
  function figure(title, big, small) {
    return h('div', { class: 'figure' }, [h('div', { class: 'big' }, big), h('div', { class: 'ftitle' }, title), h('div', { class: 'small' }, small)]);
  }
  var two = h('div', { class: 'two' });
  root.appendChild(two);
  var cls = M.faultClassTable(d);
  var c1 = this.section('classes', cls.title, 'Totals by fault class, as Linux\'s fault handler would take them.', two);
  tocItems.push(['classes', cls.title]);
  c1.appendChild(T.render(this.doc, cls, { nosort: true }));
  var ptab = M.pageTableTable(d);
  var c2 = this.section('pagetables', ptab.title, 'The simulated 4-level page table\'s own pages.', two);
  c2.appendChild(T.render(this.doc, ptab, { nosort: true }));

  // Time views: charts and heatmap, zoom linked.
  var specs = charts.timeSpecs(d);
  var linker = new charts.Linker();
  var timePlots = [];
  // For the browser test: the time charts, to read their zoom.
  if (this.win) this.win.__vmtraceTimePlots = timePlots;
  if (specs.length || d.heatmap) {
    var tv = add('time', 'Over time', 'Drag across a chart or the heatmap to zoom in time (all follow); double-click to zoom out.');
    var uPlot = this.uPlot;
    specs.forEach(function (spec) {
      tv.appendChild(h('h3', null, spec.title));
      tv.appendChild(h('p', { class: 'note' }, spec.note));
      var el = h('div', { class: 'chart', id: spec.id });
      tv.appendChild(el);
      if (!uPlot) { el.appendChild(h('p', { class: 'error' }, 'charting library missing')); return; }
      var plot = charts.makeTimeChart(el, spec, ps, uPlot, linker, self.width(tv) - 20);
      self.plots.push(plot);
      timePlots.push(plot);
    });
    if (d.heatmap) {
      var hm = d.heatmap;
      tv.appendChild(h('h3', null, 'Heatmap: address × time'));
      tv.appendChild(h('p', { class: 'note' }, hm.rows.length + ' address ranges (gaps between mappings collapsed; lowest address at the top) × time buckets of ' +
        F.int(hm.t_step) + ' instructions; colour: distinct pages referenced (log scale, max ' + F.int(heatmap.maxCount(hm)) + ').'));
      var hel = h('div', { class: 'chart', id: 'chart-heatmap' });
      tv.appendChild(hel);
      var view = new heatmap.HeatmapView(this.doc, hel, hm, d, {
        width: self.width(tv) - 20,
        onZoom: function (a, b) { linker.set(member, a, b); }
      });
      var member = { setRange: function (a, b) { if (a === null) { var r = view.fullRange(); view.setRange(r[0], r[1]); } else view.setRange(a, b); } };
      linker.add(member);
      this.heat = view;
    }
    resetToFullRange(linker);
  }

  // Mappings, filterable and sortable.
  var mt = M.mappingTable(d);
  var ms = add('mappings', mt.title + ' (' + mt.rows.length + ')', mt.note + ' Click a column to sort.');
  filterableTable(self, ms, mt, function (r) { return r.name + ' ' + r.kind + ' ' + r.perms; },
    'filter mappings', { limit: 300 });

  // Labels and phases.
  var lt = M.labelTable(d);
  add('labels', lt.title, lt.note).appendChild(T.render(this.doc, lt, { empty: 'no labels (VMTRACE_LABEL was not used)' }));
  if (d.labels.some(function (l) { return l.phases && Object.keys(l.phases).length; })) {
    var lp = M.labelPhaseTable(d);
    add('labelphases', lp.title, 'Each label\'s figures in each phase where it had any event.').appendChild(T.render(this.doc, lp));
  }
  var pt = M.phaseTable(d);
  add('phases', pt.title, pt.note).appendChild(T.render(this.doc, pt));

  // Fault sites with a class filter.
  if (d.fault_sites) {
    var ft = M.faultSiteTable(d);
    var fs = add('faultsites', 'Top fault sites', ft.note + ' Open a row for its whole stack.');
    var classes = [];
    ft.rows.forEach(function (r) { if (classes.indexOf(r.cls) < 0) classes.push(r.cls); });
    var csel = h('select', { 'aria-label': 'fault class' }, [h('option', { value: '' }, 'all classes')].concat(classes.map(function (c) {
      return h('option', { value: c }, c);
    })));
    fs.appendChild(h('label', { class: 'filter' }, ['class ', csel]));
    var fholder = h('div');
    fs.appendChild(fholder);
    var drawSites = function () {
      var c = csel.value;
      var spec = Object.assign({}, ft, { rows: c ? ft.rows.filter(function (r) { return r.cls === c; }) : ft.rows });
      dom.clear(fholder).appendChild(T.render(self.doc, spec, { limit: 50, empty: 'no fault sites recorded' }));
    };
    csel.addEventListener('change', drawSites);
    drawSites();
  }

  // Policy comparison.
  if (d.simulations) {
    var st = M.simulationTable(d);
    var ss = add('simulations', st.title, st.note);
    var pspec = charts.policySpec(d);
    if (pspec && this.uPlot) {
      ss.appendChild(h('h3', null, pspec.title));
      var pel = h('div', { class: 'chart', id: pspec.id });
      ss.appendChild(pel);
      this.plots.push(charts.makeChart(pel, pspec, ps, this.uPlot, self.width(ss) - 20));
    }
    ss.appendChild(T.render(this.doc, st));
  }

  if (d.invalid_accesses && d.invalid_accesses.length) {
    var it = M.invalidTable(d);
    add('invalid', it.title + ' (' + d.totals.faults.invalid + ')', it.note).appendChild(T.render(this.doc, it, { limit: 100 }));
  }

  tocItems.forEach(function (t) {
    toc.appendChild(h('a', { href: '#sec-' + t[0] }, t[1].replace(/ \(.*$/, '').replace(/^Run: .*/, 'Run')));
  });
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
    'Simulated: ' + F.command(r.command) + ' (pid ' + r.pid + ', ' + cmp.run.root.total.processes +
      (cmp.run.root.total.processes > 1 ? ' processes, ' : ' process, ') + this.files.length + (this.files.length > 1 ? ' files' : ' file') + '). ',
    'Measured: ' + F.command(nat.data.command) + ' (' + nat.name + ', ' + nat.data.processes.length +
      (nat.data.processes.length > 1 ? ' processes' : ' process') + '). ',
    'Natively the kernel tells only minor from major faults, not the classes.'
  ]));
  if (cmp.programs.differ) {
    sec.appendChild(h('p', { class: 'warn' }, 'The programs differ: ' + cmp.programs.sim + ' was simulated, ' + cmp.programs.native + ' measured.'));
  }
  sec.appendChild(T.render(this.doc, cmp.summary, { nosort: true }));
  var uPlot = this.uPlot;
  var specs = charts.compareSpecs(cmp.progress);
  if (specs.length) sec.appendChild(h('p', { class: 'note' }, C.progressNote(cmp.progress.clock, cmp.progress.missing)));
  specs.forEach(function (spec) {
    sec.appendChild(h('h3', null, spec.title));
    sec.appendChild(h('p', { class: 'note' }, spec.note));
    var el = h('div', { class: 'chart', id: spec.id });
    sec.appendChild(el);
    if (!uPlot) { el.appendChild(h('p', { class: 'error' }, 'charting library missing')); return; }
    self.fixedPlots.push(charts.makeChart(el, spec, ps, uPlot, self.width(sec) - 20));
  });
  var ms = this.section('cmp-mappings', cmp.mappings.title, cmp.mappings.note + ' Click a column to sort.');
  ms.appendChild(T.render(this.doc, cmp.mappings, { limit: 300, empty: 'no faults in any mapping' }));
  var ss = this.section('cmp-sites', 'Fault sites: simulated vs measured', cmp.sites.note + ' Open a stack to see all its frames.');
  ss.appendChild(h('h3', null, 'By source location'));
  ss.appendChild(T.render(this.doc, cmp.sites, { limit: 50, empty: 'no fault sites in either file' }));
  ss.appendChild(h('h3', null, 'By whole stack'));
  ss.appendChild(h('p', { class: 'note' }, cmp.stacks.note));
  ss.appendChild(T.render(this.doc, cmp.stacks, { limit: 50, empty: 'no fault sites in either file' }));
};

// A vmtrace-native file: summary, wall-clock charts, processes, mappings
// and fault sites.
Viewer.prototype.renderNative = function (nat) {
  var h = this.h.bind(this);
  var self = this;
  var d = nat.data;
  var ps = d.page_size || 4096;
  var root = h('div', { id: 'native' });
  this.app.appendChild(root);
  var toc = h('nav', { class: 'toc' });
  root.appendChild(toc);
  var add = function (id, title, note) {
    toc.appendChild(h('a', { href: '#sec-' + id }, title));
    return self.section(id, title, note, root);
  };
  var s = N.summary(d);
  var sum = add('native-summary', 'Measured run');
  sum.firstChild.appendChild(this.doc.createTextNode(': ' + nat.name));
  var dl = h('dl', { class: 'summary' });
  s.items.forEach(function (it) { dl.appendChild(h('dt', null, it[0])); dl.appendChild(h('dd', null, it[1])); });
  var f = d.totals.faults;
  sum.appendChild(h('div', { class: 'cols' }, [
    dl,
    h('div', { class: 'figures' }, [
      figure('faults', F.int(f.total), F.int(f.minor) + ' minor, ' + F.int(f.major) + ' major'),
      figure('peak resident', F.bytes(d.totals.peak_resident_pages * ps), F.int(d.totals.peak_resident_pages) + ' pages'),
      figure('wall time', F.seconds(d.end_time - d.start_time), 'natively'),
      figure('processes', F.int(d.processes.length), F.int(N.pagesFaulted(d)) + ' pages faulted')
    ])
  ]));
  function figure(title, big, small) {
    return h('div', { class: 'figure' }, [h('div', { class: 'big' }, big), h('div', { class: 'ftitle' }, title), h('div', { class: 'small' }, small)]);
  }
  var specs = charts.nativeSpecs(d);
  if (specs.length) {
    var tv = add('native-time', 'Over time', 'Wall clock from the start. Drag across a chart to zoom in time (both follow); double-click to zoom out.');
    var linker = new charts.Linker();
    var uPlot = this.uPlot;
    specs.forEach(function (spec) {
      tv.appendChild(h('h3', null, spec.title));
      tv.appendChild(h('p', { class: 'note' }, spec.note));
      var el = h('div', { class: 'chart', id: spec.id });
      tv.appendChild(el);
      if (!uPlot) { el.appendChild(h('p', { class: 'error' }, 'charting library missing')); return; }
      self.fixedPlots.push(charts.makeTimeChart(el, spec, ps, uPlot, linker, self.width(tv) - 20, 'vmtrace-native-time'));
    });
    resetToFullRange(linker);
  }
  var pt = N.processTable(d);
  add('native-processes', pt.title + ' (' + pt.rows.length + ')', pt.note).appendChild(T.render(this.doc, pt, { limit: 300 }));
  var mt = N.mappingTable(d);
  var msec = add('native-mappings', mt.title + ' (' + mt.rows.length + ')', mt.note + ' Click a column to sort.');
  filterableTable(self, msec, mt, function (r) { return r.name + ' ' + r.kind; },
    'filter measured mappings', { limit: 300, empty: 'no faults recorded in any mapping' });
  var ft = N.faultSiteTable(d);
  add('native-faultsites', 'Top fault sites', ft.note + ' Open a row for its whole stack.')
    .appendChild(T.render(this.doc, ft, { limit: 50, empty: 'no fault sites recorded (call_graph none?)' }));
};

Viewer.prototype.resize = function () {
  var self = this;
  this.plots.concat(this.treePlots, this.fixedPlots).forEach(function (p) {
    var el = p.root && p.root.parentNode && p.root.parentNode.parentNode;
    if (el) p.setSize({ width: self.width(el) - 20, height: p.height });
  });
};

module.exports = { start: start, Viewer: Viewer };
