'use strict';
// Labels by phase: each label's figures in each phase where it had any event.

var M = require('../model');
var plain = require('../plain');

function when(d) {
  return d.labels.some(function (l) { return l.phases && Object.keys(l.phases).length; });
}

function html(p, d) {
  var t = M.labelPhaseTable(d);
  p.section('labelphases', t.title, 'Each label\'s figures in each phase where it had any event.')
    .appendChild(p.table(t));
}

function text(d) {
  return plain.tableSection(M.labelPhaseTable(d));
}

module.exports = { id: 'labelphases', counted: true, when: when, html: html, text: text };
