'use strict';
// The report's views, in the order the page and --text show them: one list
// for a vmtrace-out file (one process image), one for a vmtrace-native file.
// A view is a module of views/ exporting
//   id           its section's id (sec-ID on the page)
//   needs        a key file d must have (not null) for the view to show
//   when(d)      whether file d has it otherwise (absent: always)
//   counted      it shows only figures counted while collecting (faults,
//                pages touched, TLB misses): not shown for a file whose
//                collection never started (run.collection.started false),
//                whose every such figure is a 0 that was never measured
//   html(p, d)   builds its sections on the page (p: viewer.js's Part)
//   text(d)      its --text sections, one string
// A view may have only one of html and text: the page's charts (time) and the
// text's sampled timeline (timeline) show the same series each its own way.
// Adding a view: one module and one entry here.

var FILE = [
  require('./views/summary'),
  require('./views/classes'),
  require('./views/pagetables'),
  require('./views/tlb'),
  require('./views/thpcompare'),
  require('./views/time'),
  require('./views/mappings'),
  require('./views/labels'),
  require('./views/labelphases'),
  require('./views/phases'),
  require('./views/timeline'),
  require('./views/invalid'),
  require('./views/faultsites'),
  require('./views/simulations')
];

var NATIVE = [
  require('./views/native_summary'),
  require('./views/native_time'),
  require('./views/native_processes'),
  require('./views/native_timeline'),
  require('./views/native_mappings'),
  require('./views/native_faultsites')
];

// The views of `list` that file d has and that render to `how` ("html" or
// "text").
function shown(list, d, how) {
  var none = d.run && d.run.collection && d.run.collection.started === false;
  return list.filter(function (v) {
    return v[how] && (!v.needs || (d[v.needs] !== undefined && d[v.needs] !== null)) &&
      (!v.when || v.when(d)) && !(none && v.counted);
  });
}

// The --text sections of file d.
// ctx: what else was given ({simResults: the vmtrace-sim files}).
function text(list, d, ctx) {
  return shown(list, d, 'text').map(function (v) { return v.text(d, ctx || {}); })
    .filter(function (s) { return s !== ''; }).join('\n\n');
}

module.exports = { FILE: FILE, NATIVE: NATIVE, shown: shown, text: text };
