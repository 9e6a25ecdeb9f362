'use strict';
// Policy comparison: faults against RAM size per replacement policy, and every
// figure of every simulation (files with simulations).

var M = require('../model');
var charts = require('../charts');
var plain = require('../plain');

function html(p, d) {
  var h = p.h;
  var t = M.simulationTable(d);
  var sec = p.section('simulations', t.title, t.note);
  var spec = charts.policySpec(d);
  if (spec && p.uPlot) {
    sec.appendChild(h('h3', null, spec.title));
    var el = h('div', { class: 'chart', id: spec.id });
    sec.appendChild(el);
    p.plots.push(charts.makeChart(el, spec, p.ps, p.uPlot, p.width(sec) - 20));
  }
  sec.appendChild(p.table(t));
}

function text(d) {
  return plain.tableSection(M.simulationTable(d));
}

module.exports = { id: 'simulations', needs: 'simulations', html: html, text: text };
