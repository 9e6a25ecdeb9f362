'use strict';
// The TLB (--tlb=yes): misses and walks per side, the instructions with the
// most misses (by source line), the misses per sample over time, and the
// misses and walks by mapping and by phase (bar charts, tlbfig.js).

var F = require('../format');
var charts = require('../charts');
var plain = require('../plain');
var M = require('../model');
var TF = require('../tlbfig');
var bars = require('../bars');

function num(key, title) {
  return { key: key, title: title, num: true, fmt: function (v) { return F.int(v); } };
}
function str(key, title) {
  return { key: key, title: title, num: false, fmt: function (v) { return String(v); } };
}

function sideTable(d) {
  var t = d.tlb;
  var rows = ['data', 'instruction'].map(function (k) {
    var s = t[k];
    return { side: k, l1: s.l1_misses, l2: s.l2_hits, walks: s.walks, w4k: s.walks_4k,
      w2m: s.walks_2m, levels: s.walk_levels };
  });
  return {
    id: 'tlb', title: 'TLB (' + t.cpu + ')',
    note: F.count(t.accesses, 'TLB access', 'TLB accesses') + '; flushes: ' +
      F.int(t.flushes.full) + ' full, ' +
      F.int(t.flushes.ranges) + ' page by page. A walk is 4 levels deep for a 4 KiB page, ' +
      '3 for a 2 MiB one.',
    columns: [str('side', 'side'), num('l1', 'L1 misses'), num('l2', 'L2 hits'),
      num('walks', 'walks'), num('w4k', 'walks 4K'), num('w2m', 'walks 2M'),
      num('levels', 'levels walked')],
    rows: rows
  };
}

function lineTable(d) {
  return {
    id: 'tlblines', title: 'TLB misses by instruction',
    note: 'The instructions with the most first-level TLB misses (data and fetch).',
    columns: [num('dtlb_misses', 'data misses'), num('dtlb_walks', 'data walks'),
      num('itlb_misses', 'fetch misses'), num('itlb_walks', 'fetch walks'),
      str('where', 'where')],
    rows: d.tlb.instructions || []
  };
}

// The misses per sample: timeline.tlb.
function tlbSpec(d) {
  var tl = d.timeline;
  if (!tl || !tl.t || !tl.tlb) return null;
  var series = [
    { label: 'data L1 misses', raw: tl.tlb.dtlb_misses, values: tl.tlb.dtlb_misses,
      color: '#4e79a7', stepped: true, during: true },
    { label: 'data walks', raw: tl.tlb.dtlb_walks, values: tl.tlb.dtlb_walks,
      color: '#e15759', stepped: true, during: true },
    { label: 'fetch L1 misses', raw: tl.tlb.itlb_misses, values: tl.tlb.itlb_misses,
      color: '#59a14f', stepped: true, during: true },
    { label: 'fetch walks', raw: tl.tlb.itlb_walks, values: tl.tlb.itlb_walks,
      color: '#f28e2b', stepped: true, during: true }
  ];
  return {
    id: 'chart-tlb', title: 'TLB misses per interval',
    note: 'First-level misses and page walks during each sample of up to ' +
      F.count(tl.interval, 'instruction') + '.',
    x: tl.t, xLabel: 'instructions', yUnit: 'count', series: series, bands: []
  };
}

function html(p, d) {
  var sec = p.section('tlb', sideTable(d).title, sideTable(d).note);
  sec.appendChild(p.table(sideTable(d), { nosort: true }));
  var spec = tlbSpec(d);
  if (spec) {
    var linker = new charts.Linker();
    p.charts(sec, [spec], function (el, s, width) {
      p.plots.push(charts.makeTimeChart(el, s, p.ps, p.uPlot, linker, width));
    });
    charts.resetToFullRange(linker);
  }
  [TF.byMapping(d, 10, M.mappingName), TF.byPhase(d)].forEach(function (b) {
    if (!b || !b.rows.length) return;
    sec.appendChild(p.h('h3', null, b.title));
    sec.appendChild(p.h('p', { class: 'note' }, b.note));
    sec.appendChild(bars.render(p.doc, b));
  });
  var lt = lineTable(d);
  sec.appendChild(p.h('h3', null, lt.title));
  sec.appendChild(p.table(lt));
}

function text(d) {
  var out = [plain.tableSection(sideTable(d))];
  [TF.byMapping(d, 10, M.mappingName), TF.byPhase(d)].forEach(function (b) {
    if (b && b.rows.length) out.push(plain.tableSection(TF.barTable(b)));
  });
  out.push(plain.tableSection(lineTable(d), { limit: 10 }));
  var tl = d.timeline;
  if (tl && tl.tlb) {
    var sum = function (a) { return a.reduce(function (x, y) { return x + y; }, 0); };
    var peak = 0;
    var at = 0;
    tl.tlb.dtlb_misses.forEach(function (v, i) {
      var all = v + tl.tlb.itlb_misses[i];
      if (all > peak) { peak = all; at = tl.t[i]; }
    });
    out.push('  over time: ' +
      F.count(sum(tl.tlb.dtlb_misses) + sum(tl.tlb.itlb_misses), 'L1 miss', 'L1 misses') +
      ' in ' + F.count(tl.t.length, 'sample') + ', at most ' + F.int(peak) +
      ' in the sample ending at ' + F.count(at, 'instruction'));
  }
  return out.join('\n\n');
}

module.exports = { id: 'tlb', counted: true, needs: 'tlb', html: html, text: text,
  tlbSpec: tlbSpec };
