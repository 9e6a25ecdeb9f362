'use strict';
// Over time (the page, a measured run): resident pages and faults on the wall
// clock, zoom linked. --text has the native timeline view instead.

var charts = require('../charts');
var DS = require('../downsample');
var F = require('../format');

function when(d) {
  return charts.nativeSpecs(d).length > 0;
}

function html(p, d) {
  var linker = new charts.Linker();
  var merged = DS.note(d.timeline, F);
  var sec = p.section('native-time', 'Over time', 'Wall clock from the start. Drag across a ' +
    'chart to zoom in time (both follow); double-click to zoom out.' +
    (merged ? ' ' + merged : ''));
  p.charts(sec, charts.nativeSpecs(d), function (el, spec, width) {
    p.plots.push(charts.makeTimeChart(el, spec, p.ps, p.uPlot, linker, width,
      'vmtrace-native-time'));
  });
  charts.resetToFullRange(linker);
}

module.exports = { id: 'native-time', when: when, html: html };
