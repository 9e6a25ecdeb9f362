'use strict';
// Policy comparison: faults against RAM size per replacement policy, each
// simulation over time (its memory as free shows it, its faults and paging
// as vmstat does) and the mappings that lost pages to it, and every figure
// of every simulation (files with simulations).

var F = require('../format');
var M = require('../model');
var charts = require('../charts');
var plain = require('../plain');

function html(p, d) {
  var h = p.h;
  var t = M.simulationTable(d);
  var sec = p.section('simulations', t.title, t.note);
  // The miss-ratio view: faults and major faults against RAM (log, log),
  // and faults relative to LRU; the exact curves of vmtrace-sim files given
  // with this one drawn over them.
  var matched = M.curvesFor(d, (p.viewer && p.viewer.simResults) || []);
  var curves = matched.curves;
  matched.notes.forEach(function (n) {
    sec.appendChild(h('p', { class: 'note curves-refused' }, n));
  });
  var specs = [charts.policySpec(d, 'total', curves), charts.policySpec(d, 'major', curves),
    charts.relativeSpec(d, curves)].filter(Boolean);
  if (p.win) p.win.__vmtracePolicyCharts = [];
  if (p.uPlot) {
    specs.forEach(function (spec) {
      sec.appendChild(h('h3', null, spec.title));
      sec.appendChild(h('p', { class: 'note' }, spec.note));
      var el = h('div', { class: 'chart', id: spec.id });
      sec.appendChild(el);
      var u = charts.makeChart(el, spec, p.ps, p.uPlot, p.width(sec) - 20);
      p.plots.push(u);
      if (p.win) p.win.__vmtracePolicyCharts.push({ id: spec.id, spec: spec, plot: u });
    });
  }
  var series = p.uPlot && charts.simSeries(d, charts.defaultSim(d));
  if (series || d.simulations.some(function (s) { return s.evictions_by_mapping; })) {
    perSimulation(p, sec, d, !!series);
  }
  sec.appendChild(p.table(t));
  var st = M.stoppedTable(d);
  if (st) {
    sec.appendChild(h('h3', null, st.title));
    sec.appendChild(h('p', { class: 'note' }, st.note));
    sec.appendChild(p.table(st));
  }
}

// One simulation at a time, picked in a list (first: the one with the most
// major faults): its charts over time (if the file has its series) and its
// evictions by mapping.
function perSimulation(p, sec, d, withCharts) {
  var h = p.h;
  sec.appendChild(h('h3', null, withCharts ? 'Each simulation over time' : 'Each simulation'));
  var select = h('select', { 'aria-label': 'simulation', id: 'sim-select' },
    d.simulations.map(function (s, i) {
      return h('option', { value: String(i) }, M.simName(s, p.ps));
    }));
  select.value = String(charts.defaultSim(d));
  sec.appendChild(h('label', { class: 'filter' }, ['simulation ', select]));
  var holder = h('div');
  sec.appendChild(holder);
  var mine = [];
  var draw = function () {
    mine.forEach(function (u) {
      var k = p.plots.indexOf(u);
      if (k >= 0) p.plots.splice(k, 1);
      u.destroy();
    });
    mine = [];
    p.clear(holder);
    var i = Number(select.value);
    var specs = withCharts ? [charts.simMemorySpec(d, i), charts.simActivitySpec(d, i)]
      .filter(Boolean) : [];
    var linker = new charts.Linker();
    if (p.win) p.win.__vmtraceSimCharts = [];
    specs.forEach(function (s) {
      holder.appendChild(h('h3', null, s.title));
      holder.appendChild(h('p', { class: 'note' }, s.note));
      var el = h('div', { class: 'chart', id: s.id });
      holder.appendChild(el);
      var u = charts.makeTimeChart(el, s, p.ps, p.uPlot, linker, p.width(sec) - 20, 'vmtrace-sim');
      mine.push(u);
      p.plots.push(u);
      if (p.win) p.win.__vmtraceSimCharts.push({ sim: i, id: s.id, raw: s.raw, plot: u });
    });
    if (withCharts && !specs.length) {
      holder.appendChild(h('p', { class: 'note' }, 'no series for this one'));
    }
    charts.resetToFullRange(linker);
    var ev = M.simEvictionTable(d, i);
    if (ev) {
      holder.appendChild(h('h3', null, ev.title));
      holder.appendChild(h('p', { class: 'note' }, ev.note));
      holder.appendChild(ev.rows.length ? p.table(ev)
        : h('p', { class: 'note' }, 'It evicted nothing.'));
    }
  };
  select.addEventListener('change', draw);
  draw();
}

// The exact curves of vmtrace-sim results given with the file (this
// process's, as the page draws them) at each simulated RAM size, beside
// the simulations' faults; null without any. Curves not drawn are named.
function exactTable(d, simResults) {
  if (!simResults || !simResults.length) return null;
  var m = M.curvesFor(d, simResults);
  var ps = d.page_size || 4096;
  var sims = (d.simulations || []).filter(function (s) { return !M.simStopped(s); });
  var sizes = [];
  sims.forEach(function (s) { if (sizes.indexOf(s.ram_pages) < 0) sizes.push(s.ram_pages); });
  sizes.sort(function (a, b) { return a - b; });
  var cols = [{ key: 'ram', title: 'RAM pages', num: true,
    fmt: function (v) { return F.int(v) + ' (' + F.bytes(v * ps) + ')'; } }];
  m.curves.forEach(function (c, i) {
    cols.push({ key: 'c' + i, title: 'exact ' + c.policy, num: true,
      fmt: function (v) { return v === null ? '' : F.int(v); } });
  });
  var rows = m.curves.length ? sizes.map(function (sz) {
    var r = { ram: sz };
    m.curves.forEach(function (c, i) { r['c' + i] = charts.curveAt(c, sz); });
    return r;
  }) : [];
  return {
    id: 'simexact', title: 'Exact curves (vmtrace-sim --mrc)',
    note: (m.curves.length ? ['Faults of the exact ' + m.curves.map(function (c) {
      return c.policy.toUpperCase();
    }).join(' and ') + ' curves of this process\'s page trace at each simulated RAM size ' +
        '(the page draws them as dashed steps over Faults versus RAM size).'] : [])
        .concat(m.notes).join(' '),
    columns: cols, rows: rows
  };
}

// The tables, then each simulation's evictions by mapping (the 5 mappings
// that lost the most).
function text(d, ctx) {
  var st = M.stoppedTable(d);
  var out = [plain.tableSection(M.simulationTable(d))];
  var ex = exactTable(d, ctx && ctx.simResults);
  if (ex) out.push(plain.tableSection(ex));
  if (st) out.push(plain.tableSection(st));
  d.simulations.forEach(function (s, i) {
    var ev = M.simEvictionTable(d, i);
    if (ev && ev.rows.length) out.push(plain.tableSection(ev, { limit: 5 }));
  });
  return out.join('\n\n');
}

module.exports = { id: 'simulations', needs: 'simulations', html: html, text: text,
  exactTable: exactTable };
