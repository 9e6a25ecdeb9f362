'use strict';
// Charts: specs built from a file's planned sections (pure, testable), and
// the glue that turns a spec into a uPlot chart with linked time zoom.
//
// spec = {id, title, note, x: [...], xLabel, xLog, yUnit: 'pages'|'count',
//         series: [{label, values, raw, color, stacked, dash}], bands: [...]}
// `values` are what is drawn (cumulative for stacked series), `raw` what the
// legend shows.

var F = require('./format');
var M = require('./model');
var tree = require('./tree');

var KIND_COLORS = {
  text: '#4e79a7', data: '#f28e2b', bss: '#edc948', heap: '#e15759', stack: '#76b7b2',
  anon: '#59a14f', file: '#b07aa1', shm: '#9c755f'
};
var CLASS_COLORS = {
  anon: '#59a14f', zero: '#a0cbe8', file_read: '#b07aa1', file_cow: '#ff9da7',
      file_shared: '#9c755f',
  wp_copy: '#e15759', wp_reuse: '#f28e2b', wp_shared: '#edc948', swap_in: '#4e79a7',
      file_major: '#17becf',
  invalid: '#000000'
};
var PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1',
  '#ff9da7', '#9c755f', '#bab0ac', '#17becf', '#bcbd22'];

function color(map, key, i) {
  return map[key] || PALETTE[i % PALETTE.length];
}

function sum(a) {
  var s = 0;
  for (var i = 0; i < a.length; i++) s += a[i] || 0;
  return s;
}

// Cumulative sums, bottom to top: stack([[1,2],[3,4]]) -> [[1,2],[4,6]].
function stack(arrays) {
  var out = [];
  var acc = null;
  arrays.forEach(function (a) {
    var s = a.map(function (v, i) { return (acc ? acc[i] : 0) + (v || 0); });
    out.push(s);
    acc = s;
  });
  return out;
}

// Marks consecutive stacked series with cumulative values and the bands
// (uPlot series indices: x is 0) that fill between them.
function applyStack(series) {
  var idx = [];
  series.forEach(function (s, i) { if (s.stacked) idx.push(i); });
  var cum = stack(idx.map(function (i) { return series[i].raw; }));
  var bands = [];
  idx.forEach(function (si, k) {
    series[si].values = cum[k];
    if (k > 0) bands.push({ series: [si + 1, idx[k - 1] + 1], fill: fade(series[si].color) });
    else series[si].fill = fade(series[si].color);
  });
  series.forEach(function (s) { if (!s.values) s.values = s.raw; });
  return bands;
}

function fade(hex) {
  return hex + '99';
}

function memorySpec(d) {
  var tl = d.timeline;
  if (!tl || !tl.t || !tl.t.length) return null;
  var series = [];
  M.rssKinds(tl).forEach(function (k, i) {
    if (sum(tl.rss[k]) === 0) return;
    series.push({ label: 'resident ' + k, raw: tl.rss[k], color: color(KIND_COLORS, k, i),
        stacked: true });
  });
  if (Array.isArray(tl.touched)) series.push(
      { label: 'touched', raw: tl.touched, color: '#333333', dash: [6, 4] });
  // Proportional and unique set sizes, when the file has them (processes
  // sharing pages after fork): PSS in thousandths of a page.
  if (Array.isArray(tl.pss_x1000) && tl.pss_x1000.length === tl.t.length) {
    series.push({ label: 'PSS', raw:
        tl.pss_x1000.map(function (v) { return v === null ? null : v / 1000; }), color: '#8c564b',
            dash: [2, 3] });
  }
  if (Array.isArray(tl.uss) && tl.uss.length === tl.t.length) {
    series.push({ label: 'USS', raw: tl.uss, color: '#7f7f7f', dash: [10, 3, 2, 3] });
  }
  if (!series.length) return null;
  var bands = applyStack(series);
  return {
    id: 'chart-memory', title: 'Resident pages by kind, and pages touched',
    note: 'Resident pages per mapping kind, stacked; dashed: distinct pages touched so far.',
    x: tl.t, xLabel: 'instructions', yUnit: 'pages', series: series, bands: bands
  };
}

function wssSpec(d) {
  var tl = d.timeline;
  if (!tl || !tl.t || !Array.isArray(tl.wss) || !tl.wss.length) return null;
  var series = [];
  tl.wss.forEach(function (w, i) {
    var n = tl.t.length;
    var code = w.code || new Array(n).fill(0);
    var data = w.data || new Array(n).fill(0);
    var total = w.total || code.map(function (v, j) { return (v || 0) + (data[j] || 0); });
    var c = PALETTE[i % PALETTE.length];
    var tau = 'τ=' + F.si(w.tau);
    series.push({ label: 'WSS ' + tau, raw: total, color: c, width: 2 });
    if (w.code) series.push({ label: 'code ' + tau, raw: code, color: c, dash: [2, 3], width: 1 });
    if (w.data) series.push({ label: 'data ' + tau, raw: data, color: c, dash: [8, 4], width: 1 });
  });
  applyStack(series);
  return {
    id: 'chart-wss', title: 'Working set WS(t, τ)',
    note: 'Distinct pages referenced in the last τ instructions (Denning), ' +
      'split into code and data.',
    x: tl.t, xLabel: 'instructions', yUnit: 'pages', series: series, bands: []
  };
}

function faultSpec(d) {
  var tl = d.timeline;
  if (!tl || !tl.t || !tl.faults) return null;
  var series = [];
  var names = M.faultClasses(d).map(function (c) { return c.name; });
  Object.keys(tl.faults).forEach(function (k) {
    if (names.indexOf(k) < 0 && ['total', 'minor', 'major'].indexOf(k) < 0) names.push(k);
  });
  names.forEach(function (k, i) {
    var a = tl.faults[k];
    if (!a || sum(a) === 0) return;
    series.push({ label: k, raw: a, color: color(CLASS_COLORS, k, i), stacked: k !== 'invalid',
        stepped: true });
  });
  if (!series.length) return null;
  var bands = applyStack(series);
  return {
    id: 'chart-faults', title: 'Faults per interval by class',
    note: 'Faults taken during each sample of ' + F.int(tl.interval) +
        ' instructions, stacked by class.',
    x: tl.t, xLabel: 'instructions', yUnit: 'count', series: series, bands: bands
  };
}

// Faults versus RAM size, one line per policy (x: RAM pages, log scale).
function policySpec(d) {
  var sims = d.simulations;
  if (!Array.isArray(sims) || !sims.length) return null;
  var sizes = [];
  var policies = [];
  sims.forEach(function (s) {
    if (sizes.indexOf(s.ram_pages) < 0) sizes.push(s.ram_pages);
    if (policies.indexOf(s.policy) < 0) policies.push(s.policy);
  });
  sizes.sort(function (a, b) { return a - b; });
  var series = policies.map(function (p, i) {
    var vals = sizes.map(function (sz) {
      var hit = null;
      sims.forEach(function (s) {
        if (s.policy === p && s.ram_pages === sz) hit = s.faults.total;
      });
      return hit;
    });
    return { label: p, raw: vals, values: vals, color: PALETTE[i % PALETTE.length], points: true };
  });
  return {
    id: 'chart-policies', title: 'Faults versus RAM size, per policy',
    note: 'Each point is one simulation: the policy given that many page frames.',
    x: sizes, xLabel: 'RAM', xLog: sizes.length > 2 && sizes[0] > 0, xUnit: 'pages', yUnit: 'count',
    series: series, bands: []
  };
}

// The memory of a process tree over wall-clock time (tree.treeMemory):
// each process's PSS stacked, as steps, so the top is the tree's memory with
// every page shared copy-on-write counted once; the peak is marked. At most
// MAX_TREE_SERIES processes get their own band (those with the largest PSS
// at the tree's peak, then the largest peak PSS); the rest share one.
var MAX_TREE_SERIES = 11;

function treeMemorySpec(mem, id) {
  if (!mem || !mem.x.length) return null;
  var x = mem.x.map(function (v) { return (v - mem.t0) / 1000; });
  var order = mem.processes.map(function (p, k) { return k; });
  order.sort(function (a, b) {
    var pa = mem.processes[a];
    var pb = mem.processes[b];
    return pb.at_peak - pa.at_peak || pb.pss_peak - pa.pss_peak || a - b;
  });
  var own = order.slice(0, order.length > MAX_TREE_SERIES + 1 ? MAX_TREE_SERIES : order.length);
  own.sort(function (a, b) { return a - b; });
  var series = own.map(function (k, i) {
    var p = mem.processes[k];
    var cmd = p.command.replace(/^\S*\//, '');
    if (cmd.length > 40) cmd = cmd.slice(0, 39) + '…';
    return { label: 'pid ' + p.pid + ' ' + cmd, raw: mem.values[k], color:
        PALETTE[i % PALETTE.length], stacked: true, stepped: true };
  });
  if (own.length < order.length) {
    var rest = order.filter(function (k) { return own.indexOf(k) < 0; });
    var sumRest = x.map(function (v, j) {
      return rest.reduce(function (s, k) { return s + mem.values[k][j]; }, 0);
    });
    series.push({ label: rest.length + ' other processes', raw: sumRest, color: '#bab0ac', stacked:
        true, stepped: true });
  }
  var bands = applyStack(series);
  var pk = mem.peak;
  var marker = pk.index >= 0 ?
      { x: x[pk.index], y: pk.pages, label: 'tree peak ' + F.dec(pk.pages) + ' pages' } : null;
  series.push({ label: 'tree (Σ PSS)', raw: mem.total, values: mem.total, color: '#222222', width:
      1, stepped: true });
  return {
    id: id || 'chart-tree-memory', title: 'Tree memory: Σ PSS of the processes alive',
    note: 'Each process\'s proportional set size over wall-clock time, stacked: a page shared ' +
          'copy-on-write by n processes counts 1/n in each, so the top counts it once. ' +
      'Peak ' + F.dec(pk.pages) + ' pages, against ' + F.int(mem.naive) +
          ' for the processes\' peak RSS added up.' +
      (mem.approximate ? ' Approximate: ' + mem.notes.length +
          (mem.notes.length === 1 ? ' file' : ' files') +
              ' without a full timeline (their PSS at exit is counted over their lifetime).' : ''),
    x: x, xLabel: 'time', xUnit: 'seconds', yUnit: 'pages', series: series, bands: bands,
        marker: marker
  };
}

// The tree memory charts of a build() result: one per run (root) with
// more than one process, at most MAX_TREE_CHARTS.
var MAX_TREE_CHARTS = 10;
function treeMemorySpecs(files, t) {
  var out = [];
  tree.memories(files, t).forEach(function (m, i) {
    if (m.processes.length < 2 || out.length >= MAX_TREE_CHARTS) return;
    var spec = treeMemorySpec(m, 'chart-tree-memory' + (out.length ? '-' + (out.length + 1) : ''));
    if (!spec) return;
    spec.root = t.roots[i];
    spec.memory = m;
    out.push(spec);
  });
  return out;
}

function timeSpecs(d) {
  return [memorySpec(d), wssSpec(d), faultSpec(d)].filter(Boolean);
}

// ---- a vmtrace-native file: its wall-clock timeline --------------------------

function nativeRssSpec(d) {
  var tl = d.timeline;
  if (!tl.t_ms.length) return null;
  return {
    id: 'chart-native-rss', title: 'Resident pages',
    note: 'Resident pages of the live processes added up (/proc/PID/statm), ' +
      'at the end of each sample.',
    x: tl.t_ms, xLabel: 'time', xUnit: 'ms', yUnit: 'pages',
    series: [{ label: 'resident', raw: tl.rss, values: tl.rss, color: '#4e79a7', fill:
        fade('#4e79a7'), stepped: true }],
    bands: []
  };
}

function nativeFaultSpec(d) {
  var tl = d.timeline;
  if (!tl.t_ms.length) return null;
  var series = [
    { label: 'minor', raw: tl.faults.minor, color: '#59a14f', stacked: true, stepped: true },
    { label: 'major', raw: tl.faults.major, color: '#e15759', stacked: true, stepped: true }
  ];
  var bands = applyStack(series);
  return {
    id: 'chart-native-faults', title: 'Faults per interval',
    note: 'Faults the kernel counted during each sample of ' + F.int(tl.interval_ms) +
        ' ms, stacked: the kernel tells only minor from major.',
    x: tl.t_ms, xLabel: 'time', xUnit: 'ms', yUnit: 'count', series: series, bands: bands
  };
}

function nativeSpecs(d) {
  return [nativeRssSpec(d), nativeFaultSpec(d)].filter(Boolean);
}

// ---- simulated vs measured: both runs against progress (compare.js) ----------

var SIM_COLOR = '#4e79a7';
var NAT_COLOR = '#e15759';

function progressSpec(id, title, note, xy, yUnit, stepped) {
  var series = [];
  if (xy.sim) series.push(
      { label: 'simulated', raw: xy.sim, values: xy.sim, color: SIM_COLOR, width: 2,
          stepped: stepped });
  series.push({ label: 'measured', raw: xy.nat, values: xy.nat, color: NAT_COLOR, width: 2, dash:
      [6, 3], stepped: stepped });
  return { id: id, title: title, note: note, x: xy.x, xLabel: 'progress', xUnit: 'percent', yUnit:
      yUnit, series: series, bands: [] };
}

// pr: compare.progress(); the charts need at least one point.
function compareSpecs(pr) {
  if (!pr.faults.x.length) return [];
  return [
    progressSpec('chart-cmp-faults', 'Cumulative faults vs progress',
      'Minor and major faults so far, each run from its start (0 %) to its end (100 %).', pr.faults,
          'count', false),
    progressSpec('chart-cmp-rss', 'Resident pages vs progress',
      'Resident pages' +
          (pr.clock === 'wall' ? ' (simulated: the processes alive added up, on their wall clock)' :
              '') + '; measured: the tree\'s processes added up.', pr.rss, 'pages', true)
  ];
}

// ---- uPlot glue (browser) --------------------------------------------------

// Page-count ticks that are round sizes in bytes: 1, 2, 4 ... pages.
var POW2 = [];
for (var p2 = 1; p2 <= Math.pow(2, 40); p2 *= 2) POW2.push(p2);

function axisFormatter(unit, pageSize) {
  if (unit === 'pages') return function (v) { return F.bytes(v * pageSize); };
  return function (v) { return F.si(v); };
}

function toUplot(spec, width, height, pageSize, uPlot) {
  var yFmt = axisFormatter(spec.yUnit, pageSize);
  var xFmt = spec.xUnit === 'pages' ? function (v) { return F.bytes(v * pageSize); }
    : spec.xUnit === 'seconds' ? function (v) { return F.seconds(v); }
      : spec.xUnit === 'ms' ? function (v) { return F.seconds(v / 1000); }
        : spec.xUnit === 'percent' ? function (v) { return F.si(v) + '%'; } :
            function (v) { return F.si(v); };
  var legendFmt = spec.yUnit === 'pages'
    ? function (v) { return v === null || v === undefined ? '–' : F.dec(v) + ' (' +
        F.bytes(v * pageSize) + ')'; }
    : function (v) { return v === null || v === undefined ? '–' : F.int(v); };
  var series = [{
    label: spec.xLabel,
    value: function (u, v) {
      if (v === null || v === undefined) return '–';
      return spec.xUnit === 'pages' ? F.pages(v, pageSize) : spec.xUnit === 'seconds' ?
          v.toFixed(3) + ' s'
        : spec.xUnit === 'ms' ? F.int(v) + ' ms' : spec.xUnit === 'percent' ? v.toFixed(2) +
            '%' : F.int(v);
    }
  }];
  spec.series.forEach(function (s, i) {
    var o = {
      label: s.label, stroke: s.color, width: s.width || 1.5,
      value: function (u, v, si, idx) { return idx === null || idx === undefined ? '–' :
          legendFmt(s.raw[idx]); },
      spanGaps: !!s.points
    };
    if (s.dash) o.dash = s.dash;
    if (s.fill) o.fill = s.fill;
    o.points = s.points ? { show: true, size: 6 } : { show: false };
    if (s.stepped && uPlot.paths && uPlot.paths.stepped) {
      o.paths = uPlot.paths.stepped({ align: 1 });
    }
    series.push(o);
    void i;
  });
  var opts = {
    width: width, height: height,
    series: series,
    bands: spec.bands || [],
    scales: {
      x: spec.xLog ? { time: false, distr: 3, log: 2 } : { time: false },
      y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.05 : 1]; } }
    },
    axes: [
      { values: function (u, vals) { return vals.map(xFmt); } },
      spec.yUnit === 'pages'
        ? { size: 70, incrs: POW2, values: function (u, vals) { return vals.map(yFmt); } }
        : { size: 70, values: function (u, vals) { return vals.map(yFmt); } }
    ],
    legend: { live: true },
    cursor: { drag: { x: true, y: false } }
  };
  if (spec.marker) opts.hooks = { draw: [function (u) { drawMarker(u, spec.marker, pageSize); }] };
  var data = [spec.x].concat(spec.series.map(function (s) { return s.values; }));
  return { opts: opts, data: data };
}

// A dashed vertical line at marker.x with a dot at marker.y and its label
// (canvas text, never markup).
function drawMarker(u, m, pageSize) {
  var cx = u.valToPos(m.x, 'x', true);
  var cy = u.valToPos(m.y, 'y', true);
  var b = u.bbox;
  if (!isFinite(cx) || cx < b.left - 1 || cx > b.left + b.width + 1) return;
  var ctx = u.ctx;
  var dpr = (typeof devicePixelRatio === 'number' && devicePixelRatio) || 1;
  ctx.save();
  ctx.strokeStyle = '#b3261e';
  ctx.fillStyle = '#b3261e';
  ctx.lineWidth = 1.5 * dpr;
  ctx.setLineDash([5 * dpr, 4 * dpr]);
  ctx.beginPath();
  ctx.moveTo(cx, b.top);
  ctx.lineTo(cx, b.top + b.height);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.beginPath();
  ctx.arc(cx, cy, 4 * dpr, 0, 2 * Math.PI);
  ctx.fill();
  ctx.font = (12 * dpr) + 'px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  var text = m.label + ' (' + F.bytes(m.y * pageSize) + ')';
  var w = ctx.measureText(text).width;
  var tx = cx + 6 * dpr + w > b.left + b.width ? cx - 6 * dpr - w : cx + 6 * dpr;
  ctx.fillText(text, tx, Math.max(b.top + 14 * dpr, cy - 6 * dpr));
  ctx.restore();
}

// Keeps the x range of several time charts (and the heatmap) the same:
// zooming one (drag) or resetting it (double-click) applies to all.
function Linker() {
  this.members = [];
  this.busy = false;
}
Linker.prototype.add = function (m) { this.members.push(m); };
Linker.prototype.set = function (from, min, max) {
  if (this.busy) return;
  this.busy = true;
  try {
    this.members.forEach(function (m) { if (m !== from) m.setRange(min, max); });
  } finally {
    this.busy = false;
  }
};

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

// Creates a uPlot in `el` for a time spec, joined to the linker.
// syncKey: the charts whose pointer moves together (default: the
// simulated file's time charts).
function makeTimeChart(el, spec, pageSize, uPlot, linker, width, syncKey) {
  var u = toUplot(spec, width, 220, pageSize, uPlot);
  var member = null;
  u.opts.cursor.sync = { key: syncKey || 'vmtrace-time', setSeries: false };
  u.opts.hooks = {
    setScale: [function (plot, key) {
      if (key !== 'x' || !member) return;
      linker.set(member, plot.scales.x.min, plot.scales.x.max);
    }]
  };
  var plot = new uPlot(u.opts, u.data, el);
  member = {
    plot: plot,
    setRange: function (min, max) { plot.setScale('x', { min: min, max: max }); }
  };
  linker.add(member);
  return plot;
}

function makeChart(el, spec, pageSize, uPlot, width) {
  var u = toUplot(spec, width, 260, pageSize, uPlot);
  return new uPlot(u.opts, u.data, el);
}

module.exports = {
  stack: stack, applyStack: applyStack,
  memorySpec: memorySpec, wssSpec: wssSpec, faultSpec: faultSpec, policySpec: policySpec,
  treeMemorySpec: treeMemorySpec, treeMemorySpecs: treeMemorySpecs, MAX_TREE_CHARTS:
      MAX_TREE_CHARTS,
  timeSpecs: timeSpecs, toUplot: toUplot, Linker: Linker, resetToFullRange: resetToFullRange,
  nativeRssSpec: nativeRssSpec, nativeFaultSpec: nativeFaultSpec, nativeSpecs: nativeSpecs,
      compareSpecs: compareSpecs,
  makeTimeChart: makeTimeChart, makeChart: makeChart,
  KIND_COLORS: KIND_COLORS, CLASS_COLORS: CLASS_COLORS
};
