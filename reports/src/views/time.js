'use strict';
// Over time (the page): resident pages, working sets and faults as charts,
// and the address × time heatmap, their time zoom linked. --text has the
// timeline view instead.

var F = require('../format');
var charts = require('../charts');
var heatmap = require('../heatmap');

function when(d) {
  return charts.timeSpecs(d).length > 0 || !!d.heatmap;
}

function html(p, d) {
  var specs = charts.timeSpecs(d);
  var linker = new charts.Linker();
  var sec = p.section('time', 'Over time',
    'Drag across a chart or the heatmap to zoom in time (all follow); double-click to zoom out.');
  p.charts(sec, specs, function (el, spec, width) {
    var plot = charts.makeTimeChart(el, spec, p.ps, p.uPlot, linker, width);
    p.plots.push(plot);
    if (p.win) p.win.__vmtraceTimePlots.push(plot);
  });
  if (d.heatmap) heatmapChart(p, sec, d, linker);
  charts.resetToFullRange(linker);
}

function heatmapChart(p, sec, d, linker) {
  var h = p.h;
  var hm = d.heatmap;
  sec.appendChild(h('h3', null, 'Heatmap: address × time'));
  sec.appendChild(h('p', { class: 'note' }, hm.rows.length + ' address ranges (gaps between ' +
    'mappings collapsed; lowest address at the top) × time buckets of ' + F.int(hm.t_step) +
    ' instructions; colour: distinct pages referenced (log scale, max ' +
    F.int(heatmap.maxCount(hm)) + ').'));
  var el = h('div', { class: 'chart', id: 'chart-heatmap' });
  sec.appendChild(el);
  var view = new heatmap.HeatmapView(p.doc, el, hm, d, {
    width: p.width(sec) - 20,
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
  p.viewer.heat = view;
}

module.exports = { id: 'time', when: when, html: html };
