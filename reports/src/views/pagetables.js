'use strict';
// Page tables: the simulated 4-level page table's own pages, at exit and at peak.

var M = require('../model');
var plain = require('../plain');

function html(p, d) {
  var t = M.pageTableTable(d);
  p.section('pagetables', t.title, 'The simulated 4-level page table\'s own pages.',
    { side: true, toc: false }).appendChild(p.table(t, { nosort: true }));
}

function text(d) {
  return plain.tableSection(M.pageTableTable(d));
}

module.exports = { id: 'pagetables', html: html, text: text };
