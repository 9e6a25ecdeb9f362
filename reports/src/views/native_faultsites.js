'use strict';
// Top fault sites of a measured run: its stacks, most frequent first.

var N = require('../native');
var plain = require('../plain');

function html(p, d) {
  var t = N.faultSiteTable(d);
  p.section('native-faultsites', 'Top fault sites', t.note + ' Open a row for its whole stack.')
    .appendChild(p.table(t, { limit: 50, empty: 'no fault sites recorded (call_graph none?)' }));
}

function text(d) {
  return plain.tableSection(N.faultSiteTable(d), { limit: 20 });
}

module.exports = { id: 'native-faultsites', html: html, text: text };
