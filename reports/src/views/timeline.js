'use strict';
// Over time (--text): the timeline downsampled to 20 rows, and the heatmap
// as characters. The page has the time view's charts instead.

var F = require('../format');
var M = require('../model');
var heatmap = require('../heatmap');
var plain = require('../plain');

var SHADES = ' .:-=+*#%@';

// The heatmap as characters: at most `rows` lines of `cols` characters,
// each the busiest cell of the block it covers.
function heatmapText(d, cols, maxRows) {
  var hm = d.heatmap;
  cols = cols || 64;
  maxRows = maxRows || 32;
  var nb = heatmap.usedBuckets(hm, d.run.instructions);
  var nr = hm.rows.length;
  var out = [plain.heading('Heatmap: address × time')];
  out.push('  ' + nr + ' address ranges × ' + nb + ' buckets of ' + F.int(hm.t_step) +
    ' instructions; darker = more distinct pages referenced (log scale, max ' +
    F.int(heatmap.maxCount(hm)) + ')');
  if (!nr || !nb) {
    out.push('  (empty)');
    return out.join('\n');
  }
  var groups = heatmap.rowGroups(hm, d.mappings);
  var max = heatmap.maxCount(hm);
  var lines = Math.min(maxRows, nr);
  var width = Math.min(cols, nb);
  var labels = [];
  for (var l = 0; l < lines; l++) {
    var r0 = Math.floor((l * nr) / lines);
    var r1 = Math.max(r0 + 1, Math.floor(((l + 1) * nr) / lines));
    var s = '';
    for (var c = 0; c < width; c++) {
      var b0 = Math.floor((c * nb) / width);
      var b1 = Math.max(b0 + 1, Math.floor(((c + 1) * nb) / width));
      var m = 0;
      for (var r = r0; r < r1; r++) {
        for (var b = b0; b < b1; b++) m = Math.max(m, hm.counts[r * hm.buckets + b]);
      }
      var x = heatmap.intensity(m, max);
      s += m > 0 ? SHADES.charAt(Math.max(1, Math.min(SHADES.length - 1,
        Math.round(x * (SHADES.length - 1))))) : ' ';
    }
    var g = null;
    groups.forEach(function (gg) { if (r0 >= gg.first && r0 <= gg.last) g = gg; });
    var first = g && ((g.first >= r0 && g.first < r1) || l === 0);
    var name = first ? heatmap.shorten(g.name || '[' + g.kind + ']', 24) : '';
    labels.push([F.hex(hm.rows[r0].start) + ' ' + F.printable(name), s]);
  }
  var lw = labels.reduce(function (a, x) { return Math.max(a, Array.from(x[0]).length); }, 0);
  labels.forEach(function (x) {
    out.push('  ' + x[0] + new Array(lw - Array.from(x[0]).length + 2).join(' ') +
      '|' + x[1] + '|');
  });
  var axisL = '0';
  var axisR = F.si(nb * hm.t_step) + ' instructions';
  var gap = Math.max(1, width - axisL.length - axisR.length);
  out.push('  ' + new Array(lw + 2).join(' ') + ' ' + axisL + new Array(gap + 1).join(' ') + axisR);
  return out.join('\n');
}

function when(d) {
  return M.timelineTable(d, 20) !== null || !!d.heatmap;
}

function text(d) {
  var out = [];
  var tt = M.timelineTable(d, 20);
  if (tt) out.push(plain.tableSection(tt));
  if (d.heatmap) out.push(heatmapText(d));
  return out.join('\n\n');
}

module.exports = { id: 'timeline', when: when, text: text, heatmapText: heatmapText };
