'use strict';
// Top fault sites: the stacks at which faults happened, most frequent first,
// with a class filter on the page (files with fault_sites).

var M = require('../model');
var plain = require('../plain');
var flame = require('../flame');
var F = require('../format');

function html(p, d) {
  var h = p.h;
  var t = M.faultSiteTable(d);
  var sec = p.section('faultsites', 'Top fault sites', t.note + ' Open a row for its whole stack.');
  var classes = [];
  t.rows.forEach(function (r) { if (classes.indexOf(r.cls) < 0) classes.push(r.cls); });
  var select = h('select', { 'aria-label': 'fault class' },
    [h('option', { value: '' }, 'all classes')].concat(classes.map(function (c) {
      return h('option', { value: c }, c);
    })));
  sec.appendChild(h('label', { class: 'filter' }, ['class ', select]));
  var holder = h('div');
  sec.appendChild(holder);
  var draw = function () {
    var c = select.value;
    var spec = Object.assign({}, t,
      { rows: c ? t.rows.filter(function (r) { return r.cls === c; }) : t.rows });
    p.clear(holder).appendChild(p.table(spec, { limit: 50, empty: 'no fault sites recorded' }));
  };
  select.addEventListener('change', draw);
  draw();
  if (p.win && p.win.flameChartJs && d.fault_sites.length) icicle(p, sec, d);
}

// The stacks as an icicle (flame-chart-js): the outermost frames at the
// top, each frame as wide as the faults taken under it; by function or by
// source line, all classes or one. Clicking a frame names it below.
function icicle(p, sec, d) {
  var h = p.h;
  sec.appendChild(h('h3', null, 'Fault stacks as an icicle'));
  sec.appendChild(h('p', { class: 'note' }, 'The recorded stacks merged from the outermost ' +
    'frame (top) inwards: a frame is as wide as the faults taken in it and in what it called. ' +
    'The whole is every fault of the run (of the class): the faults at sites the file does ' +
    'not list (it keeps the 100 most frequent per class) are "' + flame.OTHER + '". ' +
    'Frames without debug information keep their object\'s name. Scroll to zoom, drag to ' +
    'move, click a frame for its figures.'));
  var classes = [];
  d.fault_sites.forEach(function (s) {
    if (classes.indexOf(s['class']) < 0) classes.push(s['class']);
  });
  var cls = h('select', { 'aria-label': 'icicle fault class', id: 'flame-class' },
    [h('option', { value: '' }, 'all classes')].concat(classes.map(function (c) {
      return h('option', { value: c }, c);
    })));
  var by = h('select', { 'aria-label': 'icicle frames', id: 'flame-by' },
    [h('option', { value: 'fn' }, 'by function'),
      h('option', { value: 'line' }, 'by source line')]);
  sec.appendChild(h('label', { class: 'filter' }, ['class ', cls, ' frames ', by]));
  var el = h('div', { class: 'chart', id: 'chart-flame' });
  sec.appendChild(el);
  var info = h('p', { class: 'note', id: 'flame-info' }, 'Click a frame.');
  sec.appendChild(info);
  var width = p.width(sec) - 20;
  var chart = null;
  var tree = null;
  var draw = function () {
    tree = flame.build(d.fault_sites, cls.value, by.value === 'line',
      flame.classTotal(d, cls.value));
    var rows = flame.depth(tree);
    var canvas = h('canvas');
    canvas.width = width;
    canvas.height = Math.min(720, 130 + rows * 17);
    p.clear(el).appendChild(canvas);
    chart = new p.win.flameChartJs.FlameChart({
      canvas: canvas,
      data: flame.toNodes(tree),
      settings: { options: { timeUnits: ' faults' } }
    });
    // round ticks (flame.roundTimeGrid) on the chart's axis and on the
    // timeframe strip's, which drew its picture once already: again
    flame.roundTimeGrid(chart.timeGrid);
    (chart.plugins || []).forEach(function (pl) {
      if (pl.timeGrid && pl.timeGrid !== chart.timeGrid) {
        flame.roundTimeGrid(pl.timeGrid);
        if (pl.offscreenRender) pl.offscreenRender();
      }
    });
    chart.render();
    chart.on('select', function (ev) {
      var node = ev && ev.node ? ev.node.source || ev.node : null;
      if (!node) { info.textContent = 'Click a frame.'; return; }
      info.textContent = node.name + ': ' + F.count(node.duration, 'fault') + ' (' +
        (tree.value ? (100 * node.duration / tree.value).toFixed(1) : '0') + ' % of ' +
        F.int(tree.value) + ')';
    });
    if (p.win) p.win.__vmtraceFlame = { tree: tree, chart: chart, canvas: canvas };
  };
  cls.addEventListener('change', draw);
  by.addEventListener('change', draw);
  draw();
}

function text(d) {
  return plain.tableSection(M.faultSiteTable(d), { limit: 20 });
}

module.exports = { id: 'faultsites', counted: true, needs: 'fault_sites', html: html,
  text: text };
