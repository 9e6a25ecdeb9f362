'use strict';
// Labels: the ranges labelled with VMTRACE_LABEL and their figures.

var M = require('../model');
var plain = require('../plain');

function html(p, d) {
  var t = M.labelTable(d);
  p.section('labels', t.title, t.note)
    .appendChild(p.table(t, { empty: 'no labels (VMTRACE_LABEL was not used)' }));
}

function text(d) {
  return plain.tableSection(M.labelTable(d));
}

module.exports = { id: 'labels', counted: true, html: html, text: text };
