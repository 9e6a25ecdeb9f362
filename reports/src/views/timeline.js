'use strict';
// Over time (--text): the timeline downsampled to 20 rows, and the heatmap
// as characters. The page has the time view's charts instead.

var F = require('../format');
var M = require('../model');
var heatmap = require('../heatmap');
var DS = require('../downsample');
var plain = require('../plain');

var SHADES = ' .:-=+*#%@';

// The name of a line that stands for rows r0..r1-1: what is in it.  One
// mapping: its name where its rows begin (or on the first line), blank on
// the lines that continue it.  Several: the one with the most heat in the
// line (its page-epochs; without heat, the most rows; then the first),
// with "+N" for the N others, so that a line holding a library's code is
// not named after a small file mapped just before it.  dense: each row's
// page-epochs per column (heatmap.dense).
function lineName(dense, groups, r0, r1, firstLine) {
  var inLine = [];
  groups.forEach(function (g) {
    var a = Math.max(g.first, r0);
    var b = Math.min(g.last + 1, r1);
    if (a >= b) return;
    var heat = 0;
    for (var r = a; r < b; r++) {
      for (var k = 0; k < dense[r].length; k++) heat += dense[r][k];
    }
    inLine.push({ g: g, heat: heat, rows: b - a });
  });
  if (!inLine.length) return '';
  var name = function (g) { return g.name || '[' + (g.kind || '?') + ']'; };
  if (inLine.length === 1) {
    var g = inLine[0].g;
    return g.first >= r0 || firstLine ? heatmap.shorten(name(g), 24) : '';
  }
  var best = inLine[0];
  inLine.forEach(function (x) {
    if (x.heat > best.heat || (x.heat === best.heat && x.rows > best.rows)) best = x;
  });
  var more = ' +' + (inLine.length - 1);
  return heatmap.shorten(name(best.g), 24 - more.length) + more;
}

// The heatmap as characters: at most `rows` lines of `cols` characters,
// each the hottest cell of the block it covers (heat: the mean pages
// referenced per epoch, over the time the character covers).
function heatmapText(d, cols, maxRows) {
  var hm = d.heat;
  cols = cols || 64;
  maxRows = maxRows || 32;
  var nr = hm.rows.length;
  var end = heatmap.shownEnd(hm, d.run);
  var dense = heatmap.dense(hm);
  var max = heatmap.maxHeat(hm, dense);
  var lo = Math.min(heatmap.minHeat(hm), max || 1);
  var out = [plain.heading('Heatmap: address × time')];
  out.push('  ' + F.count(nr, 'address range') + ' of ' + F.count(hm.chunk_pages, 'page') +
    ' × ' + F.count(end, 'instruction', null, F.si) + '; darker = hotter: pages referenced per ' +
    F.count(hm.epoch, 'instruction') + ' (log scale, max ' + F.dec(max) + ')');
  if (hm.report_merged) out.push('  ' + DS.heatNote(hm, F));
  if (!nr || !end) {
    out.push('  (empty)');
    return out.join('\n');
  }
  var groups = heatmap.rowGroups(hm, d.mappings);
  var lines = Math.min(maxRows, nr);
  var bins = heatmap.rebin(hm, dense, 0, end, cols);
  var width = bins.n;
  var labels = [];
  for (var l = 0; l < lines; l++) {
    var r0 = Math.floor((l * nr) / lines);
    var r1 = Math.max(r0 + 1, Math.floor(((l + 1) * nr) / lines));
    var s = '';
    for (var c = 0; c < width; c++) {
      var m = 0;
      for (var r = r0; r < r1; r++) m = Math.max(m, bins.heat[r][c]);
      var x = heatmap.intensity(m, max, lo);
      s += m > 0 ? SHADES.charAt(Math.max(1, Math.min(SHADES.length - 1,
        Math.round(x * (SHADES.length - 1))))) : ' ';
    }
    labels.push([F.hex(hm.rows[r0].start) + ' ' + F.printable(lineName(dense, groups, r0, r1,
        l === 0)), s]);
  }
  var lw = labels.reduce(function (a, x) { return Math.max(a, F.width(x[0])); }, 0);
  labels.forEach(function (x) {
    out.push('  ' + x[0] + new Array(lw - F.width(x[0]) + 2).join(' ') +
      '|' + x[1] + '|');
  });
  var axisL = '0';
  var axisR = F.count(end, 'instruction', null, F.si);
  var gap = Math.max(1, width - axisL.length - axisR.length);
  out.push('  ' + new Array(lw + 2).join(' ') + ' ' + axisL + new Array(gap + 1).join(' ') + axisR);
  return out.join('\n');
}

function when(d) {
  return M.timelineTable(d, 20) !== null || !!d.heat;
}

function text(d) {
  var out = [];
  var tt = M.timelineTable(d, 20);
  if (tt) out.push(plain.tableSection(tt));
  // (a run that never collected has no heat: not an empty map as if measured)
  if (d.heat && !M.neverCollected(d)) out.push(heatmapText(d));
  return out.join('\n\n');
}

module.exports = { id: 'timeline', when: when, text: text, heatmapText: heatmapText };
