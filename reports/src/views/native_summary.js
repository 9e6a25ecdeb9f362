'use strict';
// Measured run: what vmtrace-native ran, how it ended and its headline figures.

var F = require('../format');
var N = require('../native');
var plain = require('../plain');

function html(p, d) {
  var t = d.totals;
  var ps = p.ps;
  var sec = p.section('native-summary', 'Measured run');
  sec.firstChild.appendChild(p.doc.createTextNode(': ' + p.file.name));
  p.overview(sec, N.summary(d).items, [
    ['faults', F.int(t.faults.total),
      F.int(t.faults.minor) + ' minor, ' + F.int(t.faults.major) + ' major'],
    ['peak resident', F.bytes(t.peak_resident_pages * ps),
      F.count(t.peak_resident_pages, 'page')],
    ['wall time', F.seconds(d.end_time - d.start_time), 'natively'],
    ['processes', F.int(d.processes.length), F.count(N.pagesFaulted(d), 'page') + ' faulted']
  ]);
}

function text(d) {
  return plain.summarySection(N.summary(d));
}

module.exports = { id: 'native-summary', html: html, text: text };
