'use strict';
// Faults by class: one row a fault class, then the minor, major and total sums.

var M = require('../model');
var plain = require('../plain');

function html(p, d) {
  var t = M.faultClassTable(d);
  p.section('classes', t.title, 'Totals by fault class, as Linux\'s fault handler would take them.',
    { side: true }).appendChild(p.table(t, { nosort: true }));
}

function text(d) {
  return plain.tableSection(M.faultClassTable(d));
}

module.exports = { id: 'classes', counted: true, html: html, text: text };
