'use strict';
// Phases: those marked with VMTRACE_PHASE, in order of first use.

var M = require('../model');
var plain = require('../plain');

function html(p, d) {
  var t = M.phaseTable(d);
  p.section('phases', t.title, t.note).appendChild(p.table(t));
}

function text(d) {
  return plain.tableSection(M.phaseTable(d));
}

module.exports = { id: 'phases', counted: true, html: html, text: text };
