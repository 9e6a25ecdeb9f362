'use strict';
// Over time (--text): the timeline downsampled to 20 rows, and the heatmap
// as characters. The page has the time view's charts instead.

var F = require('../format');
var M = require('../model');
var heatmap = require('../heatmap');
var plain = require('../plain');

var SHADES = ' .:-=+*#%@';

// The heatmap as characters: at most `rows` lines of `cols` characters,
// each the hottest cell of the block it covers (heat: the mean pages
// referenced per epoch, over the time the character covers).
function heatmapText(d, cols, maxRows) {
  var hm = d.heat;
  cols = cols || 64;
  maxRows = maxRows || 32;
  var nr = hm.rows.length;
  var end = heatmap.endTime(hm);
  var dense = heatmap.dense(hm);
  var max = heatmap.maxHeat(hm, dense);
  var lo = Math.min(heatmap.minHeat(hm), max || 1);
  var out = [plain.heading('Heatmap: address × time')];
  out.push('  ' + nr + ' address ranges of ' + F.int(hm.chunk_pages) + ' pages × ' +
    F.si(end) + ' instructions; darker = hotter: pages referenced per ' + F.int(hm.epoch) +
    ' instructions (log scale, max ' + F.dec(max) + ')');
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
    // The line is named by what is in it: the mapping of its rows with the
    // most page-epochs, and how many others share the line.
    var inLine = groups.filter(function (gg) { return gg.last >= r0 && gg.first < r1; });
    var g = null;
    var gHeat = -1;
    inLine.forEach(function (gg) {
      var sum = 0;
      for (var rr = Math.max(gg.first, r0); rr <= Math.min(gg.last, r1 - 1); rr++) {
        for (var k = 0; k < dense[rr].length; k++) sum += dense[rr][k];
      }
      if (sum > gHeat) { gHeat = sum; g = gg; }
    });
    var name = g ? heatmap.shorten(g.name || '[' + g.kind + ']', 24) : '';
    if (inLine.length > 1) name += ' +' + (inLine.length - 1);
    labels.push([F.hex(hm.rows[r0].start) + ' ' + F.printable(name), s]);
  }
  var lw = labels.reduce(function (a, x) { return Math.max(a, Array.from(x[0]).length); }, 0);
  labels.forEach(function (x) {
    out.push('  ' + x[0] + new Array(lw - Array.from(x[0]).length + 2).join(' ') +
      '|' + x[1] + '|');
  });
  var axisL = '0';
  var axisR = F.si(end) + ' instructions';
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
  if (d.heat) out.push(heatmapText(d));
  return out.join('\n\n');
}

module.exports = { id: 'timeline', when: when, text: text, heatmapText: heatmapText };
