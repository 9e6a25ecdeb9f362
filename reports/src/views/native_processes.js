'use strict';
// Processes of a measured run, in order of creation.

var N = require('../native');
var plain = require('../plain');

function html(p, d) {
  var t = N.processTable(d);
  p.section('native-processes', t.title + ' (' + t.rows.length + ')', t.note)
    .appendChild(p.table(t, { limit: 300 }));
}

function text(d) {
  return plain.tableSection(N.processTable(d));
}

module.exports = { id: 'native-processes', html: html, text: text };
