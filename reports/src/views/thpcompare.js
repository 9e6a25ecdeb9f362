'use strict';
// THP against without (--thp-compare): the run's figures beside those of the
// same run under the second THP setting: faults by class, resident pages and
// page tables at exit and at peak, and resident pages, faults and page-table
// pages over time.

var F = require('../format');
var charts = require('../charts');
var plain = require('../plain');
var DS = require('../downsample');

function num(key, title) {
  return { key: key, title: title, num: true, fmt: function (v) { return F.int(v); } };
}
function str(key, title) {
  return { key: key, title: title, num: false, fmt: function (v) { return String(v); } };
}

// A side's name: "--thp=madvise" (its sizes below 2 MiB that are not
// "never" after it: "(64kB:always)").
function sideName(s) {
  var extra = Object.keys(s.thp_sizes || {}).filter(function (k) {
    return k !== '2048kB' && s.thp_sizes[k] !== 'never';
  }).map(function (k) { return k + ':' + s.thp_sizes[k]; });
  return '--thp=' + s.thp + (extra.length ? ' (' + extra.join(', ') + ')' : '') +
    (s.thp_disabled ? ' (disabled by prctl)' : '');
}

function ptSum(pt) {
  return pt.pgd + pt.pud + pt.pmd + pt.pte;
}

// The comparison table: one row per figure, the run's and the compared
// setting's values and their difference (compared minus run).
function table(d) {
  var c = d.thp_compare;
  var p = d.totals;
  var q = c.totals;
  var rows = [];
  function row(what, a, b) { rows.push({ what: what, a: a, b: b, diff: b - a }); }
  row('faults', p.faults.total, q.faults.total);
  Object.keys(q.faults).forEach(function (k) {
    if (k === 'total' || k === 'minor' || k === 'major') return;
    if (p.faults[k] || q.faults[k]) row('  ' + k, p.faults[k] || 0, q.faults[k]);
  });
  row('resident pages at exit', p.resident_pages, q.resident_pages);
  row('resident pages, peak', p.peak_resident_pages, q.peak_resident_pages);
  row('AnonHugePages at exit (pages)', p.anon_huge_pages || 0, q.anon_huge_pages);
  ['pgd', 'pud', 'pmd', 'pte'].forEach(function (k) {
    row('page tables: ' + k, p.page_tables[k], q.page_tables[k]);
  });
  if (p.page_tables.peak) {
    row('page tables, peak (per level, summed)', ptSum(p.page_tables.peak),
      ptSum(q.page_tables.peak));
  }
  return {
    id: 'thpcompare', title: 'THP: ' + sideName(c.primary) + ' against ' + sideName(c.compared),
    note: 'The same run simulated twice, under the run\'s THP setting and under the ' +
      'compared one (--thp-compare): the same references and system calls. A huge page ' +
      'counts 512 resident pages; Linux deposits a PTE table with each huge PMD and counts it, ' +
      'so page tables may be equal either way. Difference: ' + sideName(c.compared) +
      '\'s figure less ' + sideName(c.primary) + '\'s (+: more under ' + sideName(c.compared) +
      ').',
    columns: [str('what', 'figure'), num('a', sideName(c.primary)),
      num('b', sideName(c.compared)), { key: 'diff', title: 'difference', num: true,
        tip: sideName(c.compared) + ' less ' + sideName(c.primary),
        fmt: function (v) { return (v > 0 ? '+' : '') + F.int(v); } }],
    rows: rows
  };
}

function sumAt(cols, i) {
  var s = 0;
  Object.keys(cols).forEach(function (k) { s += cols[k][i] || 0; });
  return s;
}

// The charts: resident pages, faults per sample and page-table pages, the
// run's against the compared setting's, per sample of the timeline.
function specs(d) {
  var tl = d.timeline;
  var c = d.thp_compare;
  if (!tl || !tl.t || !c.timeline) return [];
  var n = tl.t.length;
  var a = sideName(c.primary);
  var b = sideName(c.compared);
  var idx = [];
  for (var i = 0; i < n; i++) idx.push(i);
  var rss = tl.rss ? idx.map(function (k) { return sumAt(tl.rss, k); }) : null;
  var flt = tl.faults ? idx.map(function (k) {
    var s = 0;
    Object.keys(tl.faults).forEach(function (cl) {
      if (cl !== 'invalid') s += tl.faults[cl][k] || 0;
    });
    return s;
  }) : null;
  function pair(id, title, note, unit, x, y, stepped) {
    return {
      id: id, title: title, note: note, x: tl.t, xLabel: 'instructions', yUnit: unit,
      series: [
        { label: a, raw: x, values: x, color: '#4e79a7', stepped: !!stepped, during: !!stepped },
        // dashed: where the settings agree (no huge page was possible) the
        // compared line lies on the run's, which shows between its dashes
        { label: b, raw: y, values: y, color: '#e15759', dash: [6, 4], stepped: !!stepped,
          during: !!stepped }
      ],
      bands: []
    };
  }
  var out = [];
  if (rss) {
    out.push(pair('chart-thp-rss', 'Resident pages: THP against without',
      'Resident pages at the end of each sample, under each setting.', 'pages', rss,
      c.timeline.resident_pages));
  }
  if (flt) {
    out.push(pair('chart-thp-faults', 'Faults per interval: THP against without',
      'Faults during each sample of up to ' + F.count(tl.interval, 'instruction') + '.', 'count',
      flt, c.timeline.faults, true));
  }
  out.push(pair('chart-thp-pt', 'Page-table pages: THP against without',
    'Pages of the 4-level page table at the end of each sample (deposited PTE tables ' +
    'included).', 'pages', c.timeline.primary_page_tables, c.timeline.page_tables));
  return out;
}

function html(p, d) {
  var t = table(d);
  var merged = DS.note(d.timeline, F);
  var sec = p.section('thpcompare', t.title, t.note + (merged ? ' ' + merged : ''));
  sec.appendChild(p.table(t, { nosort: true }));
  var s = specs(d);
  if (s.length) {
    var linker = new charts.Linker();
    p.charts(sec, s, function (el, spec, width) {
      p.plots.push(charts.makeTimeChart(el, spec, p.ps, p.uPlot, linker, width));
    });
    charts.resetToFullRange(linker);
  }
}

function text(d) {
  var out = [plain.tableSection(table(d))];
  var peak = function (v) {
    return v.reduce(function (m, x) { return Math.max(m, x || 0); }, 0);
  };
  specs(d).forEach(function (spec) {
    out.push('  ' + spec.title + ': at most ' + F.int(peak(spec.series[0].values)) + ' against ' +
      F.int(peak(spec.series[1].values)) + ' in one of ' + F.count(spec.x.length, 'sample'));
  });
  return out.join('\n\n');
}

module.exports = { id: 'thpcompare', needs: 'thp_compare', html: html, text: text,
  table: table, specs: specs };
