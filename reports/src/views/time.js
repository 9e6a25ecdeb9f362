'use strict';
// Over time (the page): resident pages, working sets and faults as charts,
// and the address × time heatmap, their time zoom linked. --text has the
// timeline view instead.

var F = require('../format');
var charts = require('../charts');
var heatmap = require('../heatmap');
var DS = require('../downsample');
var M = require('../model');

function when(d) {
  return charts.timeSpecs(d).length > 0 || !!d.heat;
}

function html(p, d) {
  var specs = charts.timeSpecs(d);
  var linker = new charts.Linker();
  var merged = DS.note(d.timeline, F);
  var sec = p.section('time', 'Over time',
    'Drag across a chart or the heatmap to zoom in time (all follow); double-click to zoom out.' +
    (merged ? ' ' + merged : ''));
  var made = [];
  p.charts(sec, specs, function (el, spec, width) {
    var plot = charts.makeTimeChart(el, spec, p.ps, p.uPlot, linker, width);
    p.plots.push(plot);
    made.push(plot);
    if (p.win) p.win.__vmtraceTimePlots.push(plot);
  });
  var tl = d.timeline;
  var end = tl && tl.t && tl.t.length ? tl.t[tl.t.length - 1] : 0;
  if (d.heat && d.heat.columns) end = Math.max(end, heatmap.shownEnd(d.heat, d.run));
  var full = end > 0 ? [0, end] : null;
  // (a run that never collected has no heat: no empty map as if measured)
  if (d.heat && !M.neverCollected(d)) heatmapChart(p, sec, d, linker, full, made);
  charts.resetToFullRange(linker, full);
}

function heatmapChart(p, sec, d, linker, full, made) {
  var h = p.h;
  var hm = d.heat;
  sec.appendChild(h('h3', null, 'Heatmap: address × time'));
  var rows = hm.rows.length;
  sec.appendChild(h('p', { class: 'note' }, F.count(rows, 'address range') + ' of ' +
    F.count(hm.chunk_pages, 'page') +
    ' (gaps between mappings collapsed; lowest address at the top) over time. Colour: the heat, ' +
    'the mean number of the range\'s pages referenced per ' + F.count(hm.epoch, 'instruction') +
    ' (log scale, up to ' + F.dec(heatmap.maxHeat(hm, heatmap.dense(hm))) +
    '); it does not depend on the sampling interval. The columns (' + F.int(hm.columns) +
    ' of ' + F.count(hm.epoch * hm.column_epochs, 'instruction') + ') are re-binned to the ' +
    'pixels of the time shown.' + (hm.report_merged ? ' ' + DS.heatNote(hm, F) : '')));
  var el = h('div', { class: 'chart', id: 'chart-heatmap' });
  sec.appendChild(el);
  // Under the time charts' plot areas, so that a time is at one x in all.
  var area = null;
  var dpr = (p.doc.defaultView && p.doc.defaultView.devicePixelRatio) || 1;
  for (var i = 0; i < made.length && !area; i++) area = charts.plotArea(made[i], dpr);
  var view = new heatmap.HeatmapView(p.doc, el, hm, d, {
    width: p.width(sec) - 20,
    left: area ? area.left : undefined,
    plotWidth: area ? area.width : undefined,
    fullRange: full || undefined,
    onZoom: function (a, b) { linker.set(member, a, b); }
  });
  var member = {
    setRange: function (a, b) {
      if (a === null) {
        var r = view.fullRange();
        view.setRange(r[0], r[1]);
      } else view.setRange(a, b);
    }
  };
  linker.add(member);
  if (made.length && made[0].hooks) {
    made[0].hooks.setSize = (made[0].hooks.setSize || []).concat([function (u) {
      view.fit(charts.plotArea(u, dpr), p.width(sec) - 20);
    }]);
  }
  p.viewer.heat = view;
  if (p.win) p.win.__vmtraceHeat = view; // for the browser test: its bins and range
}

module.exports = { id: 'time', when: when, html: html };
