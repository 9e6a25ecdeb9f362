'use strict';
// Run: what ran, how it ended and the headline figures of one file.

var F = require('../format');
var M = require('../model');
var tree = require('../tree');
var plain = require('../plain');

function html(p, d) {
  var t = d.totals;
  var ps = p.ps;
  var sec = p.section('summary',
    'Run: pid ' + d.run.pid + (p.several ? ' (' + tree.basename(p.file.name) + ')' : ''), null,
    { toc: 'Run' });
  // A run that never collected counted nothing: no 0 as if measured.
  var none = M.neverCollected(d);
  p.overview(sec, M.summary(d).items, [
    none ? ['faults', 'not collected', 'collection never started']
      : ['faults', F.int(t.faults.total),
        F.int(t.faults.minor) + ' minor, ' + F.int(t.faults.major) + ' major'],
    none ? ['pages touched', 'not collected', 'collection never started']
      : ['pages touched', F.bytes(t.pages_touched * ps), F.count(t.pages_touched, 'page')],
    ['peak resident', F.bytes(t.peak_resident_pages * ps),
      F.count(t.peak_resident_pages, 'page')],
    ['instructions', F.si(d.run.instructions), F.int(d.run.instructions)]
  ]);
}

function text(d) {
  return plain.summarySection(M.summary(d));
}

module.exports = { id: 'summary', html: html, text: text };
