'use strict';
// Over time (--text, a measured run): the timeline downsampled to 20 rows.

var N = require('../native');
var plain = require('../plain');

function when(d) {
  return N.timelineTable(d, 20) !== null;
}

function text(d) {
  return plain.tableSection(N.timelineTable(d, 20));
}

module.exports = { id: 'native-timeline', when: when, text: text };
