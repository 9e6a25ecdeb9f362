'use strict';
// Invalid accesses: the first accesses outside any VMA or against its
// protection, with their stacks (when there were any).

var M = require('../model');
var plain = require('../plain');

function when(d) {
  return !!(d.invalid_accesses && d.invalid_accesses.length);
}

function html(p, d) {
  var t = M.invalidTable(d);
  p.section('invalid', t.title + ' (' + d.totals.faults.invalid + ')', t.note, { toc: t.title })
    .appendChild(p.table(t, { limit: 100 }));
}

function text(d) {
  return plain.tableSection(M.invalidTable(d));
}

module.exports = { id: 'invalid', when: when, html: html, text: text };
