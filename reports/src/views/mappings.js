'use strict';
// Mappings: one row a mapping of the file, sortable and filterable.

var M = require('../model');
var plain = require('../plain');

function html(p, d) {
  var t = M.mappingTable(d);
  var sec = p.section('mappings', t.title + ' (' + t.rows.length + ')',
    t.note + ' Click a column to sort.', { toc: t.title });
  p.filterableTable(sec, t, function (r) { return r.name + ' ' + r.kind + ' ' + r.perms; },
    'filter mappings', { limit: 300 });
}

function text(d) {
  return plain.tableSection(M.mappingTable(d));
}

module.exports = { id: 'mappings', html: html, text: text };
