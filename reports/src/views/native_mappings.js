'use strict';
// Mappings of a measured run: faults by mapping as /proc/PID/maps names it.

var N = require('../native');
var plain = require('../plain');

function html(p, d) {
  var t = N.mappingTable(d);
  var sec = p.section('native-mappings', t.title + ' (' + t.rows.length + ')',
    t.note + ' Click a column to sort.');
  p.filterableTable(sec, t, function (r) { return r.name + ' ' + r.kind; },
    'filter measured mappings', { limit: 300, empty: 'no faults recorded in any mapping' });
}

function text(d) {
  return plain.tableSection(N.mappingTable(d));
}

module.exports = { id: 'native-mappings', html: html, text: text };
