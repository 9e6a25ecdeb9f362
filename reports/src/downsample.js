'use strict';
// Timelines of more than 4,096 samples merged as vmtrace and vmtrace-native
// merge their own (vmtrace/core/wset.c's merge, vt_thpcmp.c's vt_cmp_merge):
// neighbours in pairs (0 and 1, 2 and 3, …; an odd last sample stays alone),
// the interval doubled, until 4,096 or fewer are left. Neither tool writes
// more, but a hand-made file or another producer's can: a million samples
// made a page of over 100 MiB that Chromium would not open. A merged sample is the
// pair's second: it closes when that one did, a state sampled at its end
// (resident pages, pages touched, PSS, USS, the working sets, a simulation's
// memory) is the second's, and a count of events during it (faults, TLB
// misses, a simulation's paging) is the two added up (unknown, null, if
// either is). So every count still adds up to the run's, and every state
// drawn is one the file holds at the time it is drawn at. The timeline gets
// `report_merged` ({samples: as many as the file had, merges}), which the
// views name in their notes.
//
// The heatmap's columns likewise (vmtrace/core/wset.c's heat_merge): beyond
// 2,048, neighbours merge, their page-epochs added up, `column_epochs`
// doubles and the last column holds the epochs of the columns it took;
// `heat.report_merged` is {columns, merges}. A heat is page-epochs over
// epochs, so a stretch of whole columns has the same heat merged or not.

var MAX_SAMPLES = 4096;
var MAX_COLUMNS = 2048;

// a[2i] and a[2i + 1] made one: the second (a state) or their sum (a count).
function pairs(a, sum) {
  if (!Array.isArray(a) || a.length < 2) return a;
  var out = new Array(Math.ceil(a.length / 2));
  for (var i = 0, k = 0; i < a.length; i += 2, k++) {
    if (i + 1 === a.length) out[k] = a[i];
    else if (!sum) out[k] = a[i + 1];
    else out[k] = a[i] === null || a[i + 1] === null ? null : a[i] + a[i + 1];
  }
  return out;
}

function eachKey(o, sum) {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return;
  Object.keys(o).forEach(function (k) { o[k] = pairs(o[k], sum); });
}

function set(o, k, sum) {
  if (o && Object.prototype.hasOwnProperty.call(o, k)) o[k] = pairs(o[k], sum);
}

var SIM_EVENTS = { minor: true, swap_in: true, file_major: true, swap_out: true,
  evictions: true };

// One merge of a vmtrace-out file's timeline (and its --thp-compare samples).
function mergeOut(d) {
  var tl = d.timeline;
  ['t', 'wall_ms', 'touched', 'pss_x1000', 'uss', 'dup'].forEach(function (k) {
    set(tl, k, false);
  });
  eachKey(tl.rss, false);
  eachKey(tl.faults, true);
  eachKey(tl.tlb, true);
  (Array.isArray(tl.wss) ? tl.wss : []).forEach(function (w) {
    ['code', 'data', 'total'].forEach(function (k) { set(w, k, false); });
  });
  (Array.isArray(tl.simulations) ? tl.simulations : []).forEach(function (s) {
    Object.keys(s).forEach(function (k) { s[k] = pairs(s[k], !!SIM_EVENTS[k]); });
  });
  var c = d.thp_compare && d.thp_compare.timeline;
  if (c) {
    ['resident_pages', 'page_tables', 'primary_page_tables'].forEach(function (k) {
      set(c, k, false);
    });
    set(c, 'faults', true);
  }
  tl.interval *= 2;
}

// One merge of a vmtrace-native file's timeline.
function mergeNative(d) {
  var tl = d.timeline;
  ['t_ms', 'wall_ms', 'rss'].forEach(function (k) { set(tl, k, false); });
  eachKey(tl.faults, true);
  tl.interval_ms *= 2;
}

// One merge of the heat's columns: column c of the result holds the file's
// 2c and 2c + 1; the rows' runs of non-zero cells rebuilt.
function mergeHeat(hm) {
  var n = hm.columns;
  var half = Math.ceil(n / 2);
  hm.rows.forEach(function (r) {
    var sums = {};
    (r.cells || []).forEach(function (run) {
      for (var k = 1; k < run.length; k++) {
        var c = run[0] + k - 1;
        if (c >= n) break;
        var m = Math.floor(c / 2);
        sums[m] = (sums[m] || 0) + run[k];
      }
    });
    var cols = Object.keys(sums).map(Number).filter(function (c) { return sums[c] > 0; })
      .sort(function (a, b) { return a - b; });
    var runs = [];
    var cur = null;
    cols.forEach(function (c) {
      if (cur && cur[0] + cur.length - 1 === c) cur.push(sums[c]);
      else { cur = [c, sums[c]]; runs.push(cur); }
    });
    r.cells = runs;
  });
  // an even count: the last column takes a full one and the old last
  if (n % 2 === 0) hm.last_epochs += hm.column_epochs;
  hm.column_epochs *= 2;
  hm.columns = half;
}

// Merges the heat's columns down to at most max (MAX_COLUMNS).
function downsampleHeat(hm, max) {
  max = max || MAX_COLUMNS;
  if (!hm || typeof hm !== 'object' || !(hm.columns > max) || !Array.isArray(hm.rows)) return;
  var columns = hm.columns;
  var merges = 0;
  while (hm.columns > max) {
    mergeHeat(hm);
    merges++;
  }
  hm.report_merged = { columns: columns, merges: merges };
}

// Merges d's timeline (a validated vmtrace-out or vmtrace-native file) down
// to at most max samples (MAX_SAMPLES), and its heat to MAX_COLUMNS
// columns (maxColumns); returns d.
function downsample(d, max, maxColumns) {
  max = max || MAX_SAMPLES;
  if (d && d.heat) downsampleHeat(d.heat, maxColumns);
  var tl = d && d.timeline;
  if (!tl || typeof tl !== 'object') return d;
  // by the file's format, not by its keys: an extra t_ms in a vmtrace-out
  // timeline is no native one
  var native = d.format === 'vmtrace-native';
  if (!native && d.format !== 'vmtrace-out') return d;
  var times = native ? 't_ms' : 't';
  if (!Array.isArray(tl[times]) || tl[times].length <= max) return d;
  var samples = tl[times].length;
  var merges = 0;
  while (tl[times].length > max) {
    if (native) mergeNative(d); else mergeOut(d);
    merges++;
  }
  tl.report_merged = { samples: samples, merges: merges };
  return d;
}

// "1,000,000 samples in the file, merged in pairs 8 times as vmtrace merges
// its own beyond 4,096: …", or '' for a timeline the report shows as is.
function note(tl, F) {
  var m = tl && tl.report_merged;
  if (!m) return '';
  return 'The file has ' + F.count(m.samples, 'sample') + ': more than the ' +
      F.int(MAX_SAMPLES) + ' vmtrace keeps, so the report merged neighbouring samples in ' +
      'pairs, as vmtrace does, ' + (m.merges === 1 ? 'once' : m.merges + ' times') +
      ' (states at a merged sample\'s end, counts added up).';
}

// The heatmap's note, or ''.
function heatNote(hm, F) {
  var m = hm && hm.report_merged;
  if (!m) return '';
  return 'The file has ' + F.count(m.columns, 'column') + ': more than the ' +
      F.int(MAX_COLUMNS) + ' vmtrace keeps, so the report merged neighbouring columns, as ' +
      'vmtrace does, ' + (m.merges === 1 ? 'once' : m.merges + ' times') + '.';
}

module.exports = { downsample: downsample, note: note, heatNote: heatNote,
  MAX_SAMPLES: MAX_SAMPLES, MAX_COLUMNS: MAX_COLUMNS };
