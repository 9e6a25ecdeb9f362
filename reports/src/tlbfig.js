'use strict';
// The TLB figures (--tlb=yes) of mappings, phases, labels and label phases:
// the `tlb` object beside `faults` ({dtlb_misses, itlb_misses, dtlb_walks,
// itlb_walks}) as table columns, and the by-mapping and by-phase breakdowns
// of the TLB view as bar charts (bars.js draws them). A file without --tlb
// has no `tlb` object anywhere: no column, no chart.

var F = require('./format');

var KEYS = ['dtlb_misses', 'dtlb_walks', 'itlb_misses', 'itlb_walks'];

// Colours of the time chart's series (views/tlb.js), so a side reads the
// same everywhere.
var COLORS = { dtlb_misses: '#4e79a7', itlb_misses: '#59a14f', dtlb_walks: '#e15759',
  itlb_walks: '#f28e2b' };

function has(o) {
  return !!o && typeof o.tlb === 'object' && o.tlb !== null;
}

// Copies the tlb object of o onto the row as tlb_KEY (nothing if o has none).
function flatten(row, o) {
  if (!has(o)) return row;
  KEYS.forEach(function (k) { row['tlb_' + k] = o.tlb[k]; });
  return row;
}

// The columns for rows made from objs (mappings, phases, ...): none when no
// object has tlb figures; the data side's when any has; the fetch side's
// only when some object had a fetch miss (labels, of data, never do).
function columns(objs) {
  var with_ = objs.filter(has);
  if (!with_.length) return [];
  var fetch = with_.some(function (o) { return o.tlb.itlb_misses > 0 || o.tlb.itlb_walks > 0; });
  var col = function (k, title, tip) {
    return { key: 'tlb_' + k, title: title, num: true, tip: tip,
      fmt: function (v) { return v === null || v === undefined ? '' : F.int(v); } };
  };
  var cols = [
    col('dtlb_misses', 'dTLB misses', 'first-level data TLB misses (loads and stores)'),
    col('dtlb_walks', 'dTLB walks', 'page walks of data references: first-level misses the ' +
        'second level did not serve')
  ];
  if (fetch) cols.push(
      col('itlb_misses', 'iTLB misses', 'first-level instruction TLB misses (fetches)'),
      col('itlb_walks', 'iTLB walks', 'page walks of instruction fetches'));
  return cols;
}

function misses(t) {
  return t.dtlb_misses + t.itlb_misses;
}

// A bar of the chart: one row's first-level misses (data, then fetch,
// stacked) and, under it, its walks (the same).
function barRow(label, tip, id, t) {
  return {
    label: label, tip: tip, id: id,
    bars: [
      { what: 'misses', text: F.count(misses(t), 'miss', 'misses'), segs: [
        { key: 'dtlb_misses', value: t.dtlb_misses }, { key: 'itlb_misses', value: t.itlb_misses }
      ] },
      { what: 'walks', text: F.count(t.dtlb_walks + t.itlb_walks, 'walk'), segs: [
        { key: 'dtlb_walks', value: t.dtlb_walks }, { key: 'itlb_walks', value: t.itlb_walks }
      ] }
    ],
    tlb: t
  };
}

function zero() {
  return { dtlb_misses: 0, itlb_misses: 0, dtlb_walks: 0, itlb_walks: 0 };
}

function add(a, t) {
  KEYS.forEach(function (k) { a[k] += t[k]; });
  return a;
}

var LEGEND = [
  { key: 'dtlb_misses', label: 'data misses' }, { key: 'itlb_misses', label: 'fetch misses' },
  { key: 'dtlb_walks', label: 'data walks' }, { key: 'itlb_walks', label: 'fetch walks' }
];

// Round axis: the smallest 1, 2 or 5 x 10^k step with at most 5 steps up to
// max, and its ticks from 0 to the first multiple at or above max.
function axis(max) {
  if (!(max > 0)) return { max: 1, step: 1, ticks: [0, 1] };
  var step = 1;
  while (max / step > 5) {
    var s = String(step).charAt(0);
    step = s === '1' ? step * 2 : s === '2' ? (step / 2) * 5 : step * 2;
  }
  var top = Math.ceil(max / step) * step;
  var ticks = [];
  for (var v = 0; v <= top; v += step) ticks.push(v);
  return { max: top, step: step, ticks: ticks };
}

function chart(id, title, note, rows, unitLabel) {
  var max = 0;
  rows.forEach(function (r) {
    r.bars.forEach(function (b) {
      var sum = b.segs.reduce(function (s, x) { return s + x.value; }, 0);
      if (sum > max) max = sum;
    });
  });
  return { id: id, title: title, note: note, rows: rows, axis: axis(max), unit: unitLabel,
    legend: LEGEND.map(function (l) { return { label: l.label, color: COLORS[l.key] }; }),
    colors: COLORS };
}

var UNIT = 'first-level TLB misses and page walks (count)';

// The mappings with the most first-level misses (data + fetch), most first,
// at most n (default 10); those left make one bar, and the misses of no
// mapping listed (totals.tlb less the mappings' sum) another.
function byMapping(d, n, nameOf) {
  n = n || 10;
  var ms = (d.mappings || []).filter(has).filter(function (m) {
    return misses(m.tlb) > 0 || m.tlb.dtlb_walks + m.tlb.itlb_walks > 0;
  });
  ms.sort(function (a, b) { return misses(b.tlb) - misses(a.tlb) || a.id - b.id; });
  var rows = ms.slice(0, n).map(function (m) {
    var nm = nameOf(m) + (m.instances > 1 ? ' (×' + m.instances + ')' : '') +
        (m.unmapped_at !== null && m.unmapped_at !== undefined ? ' *' : '');
    return barRow('#' + m.id + ' ' + nm, nm + ' ' + F.range(m.start, m.end) + ', ' + m.kind,
        String(m.id), m.tlb);
  });
  var rest = ms.slice(n);
  if (rest.length) {
    rows.push(barRow(rest.length + ' other mapping' + (rest.length > 1 ? 's' : ''),
        'the mappings not listed above, added up', 'other',
        rest.reduce(function (a, m) { return add(a, m.tlb); }, zero())));
  }
  var all = (d.mappings || []).filter(has).reduce(function (a, m) { return add(a, m.tlb); },
      zero());
  var tot = d.totals && d.totals.tlb;
  if (tot) {
    var out = zero();
    KEYS.forEach(function (k) { out[k] = Math.max(0, tot[k] - all[k]); });
    if (misses(out) + out.dtlb_walks + out.itlb_walks > 0) {
      rows.push(barRow('in no mapping listed', 'totals.tlb less the sum over the mappings',
          'none', out));
    }
  }
  var share = tot && misses(tot) ? ' ' +
      F.count(misses(tot), 'first-level miss', 'first-level misses') + ' in all.' : '';
  return chart('chart-tlb-mappings', 'TLB misses by mapping',
      (Math.min(n, ms.length) === 1 ? 'The mapping' : 'The ' + Math.min(n, ms.length) +
          ' mappings') + ' with the most first-level TLB misses ' +
      '(data and fetch stacked), each with its page walks on the thinner bar under it; ' +
      '#id as in Mappings, * = unmapped before exit.' + share, rows, UNIT);
}

// Every phase in order of first use (at most n, default 30; those left
// make one bar): the phases partition the run, so the bars add up to the
// totals.
function byPhase(d, n) {
  n = n || 30;
  var ps = (d.phases || []).filter(has);
  if (!ps.length) return null;
  var rows = ps.slice(0, n).map(function (p, i) {
    return barRow((i + 1) + '. ' + p.name, p.name, p.name, p.tlb);
  });
  var rest = ps.slice(n);
  if (rest.length) {
    rows.push(barRow(rest.length + ' later phase' + (rest.length > 1 ? 's' : ''),
        'the phases not listed above, added up', 'other',
        rest.reduce(function (a, p) { return add(a, p.tlb); }, zero())));
  }
  return chart('chart-tlb-phases', 'TLB misses by phase',
      'Each phase (VMTRACE_PHASE, in order of first use; "main" is the time before the first) ' +
      'with its first-level misses (data and fetch stacked) and, under them, its page walks.',
      rows, UNIT);
}

// A bar chart as a table for --text: one row per bar.
function barTable(spec) {
  return {
    id: spec.id, title: spec.title, note: spec.note,
    columns: [
      { key: 'label', title: spec.id === 'chart-tlb-phases' ? 'phase' : 'mapping', num: false,
        fmt: function (v) { return String(v); } }
    ].concat(KEYS.map(function (k) {
      return { key: k, title: LEGEND.filter(function (l) { return l.key === k; })[0].label,
        num: true, fmt: function (v) { return F.int(v); } };
    })),
    rows: spec.rows.map(function (r) { return Object.assign({ label: r.label }, r.tlb); })
  };
}

module.exports = { KEYS: KEYS, COLORS: COLORS, has: has, flatten: flatten, columns: columns,
  axis: axis, byMapping: byMapping, byPhase: byPhase, barTable: barTable };
