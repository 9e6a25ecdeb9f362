'use strict';
// The address × time heatmap ("heat" in the file), on a plain canvas. Rows
// are address ranges (top: lowest address); time is the file's columns of
// epochs of `epoch` instructions. A row's cell holds page-epochs: summed
// over the column's epochs, the row's pages referenced in each epoch. The
// heat drawn is page-epochs / epochs: the mean number of the row's pages
// referenced per epoch, which does not depend on the sampling interval.
// The view re-bins the columns to its pixels for the time range shown
// (each bin the exact mean over the time it covers), draws a colour scale,
// keeps its plot area under the time charts' plot areas, and zooms with
// them. The pure helpers are tested under node.

var F = require('./format');

// Colour ramp: white for nothing, then yellow -> green -> blue -> purple.
var RAMP = [[255, 255, 255], [253, 231, 37], [33, 145, 140], [59, 82, 139], [68, 1, 84]];

function colorOf(x) {
  if (!(x > 0)) return RAMP[0];
  if (x >= 1) return RAMP[RAMP.length - 1];
  var pos = x * (RAMP.length - 2) + 1; // 0 < x: skip the white stop
  var i = Math.min(Math.floor(pos), RAMP.length - 2);
  var f = pos - i;
  var a = RAMP[i];
  var b = RAMP[i + 1];
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f),
      Math.round(a[2] + (b[2] - a[2]) * f)];
}

// The epochs of column c (the last holds last_epochs).
function colEpochs(hm, c) {
  if (c < 0 || c >= hm.columns) return 0;
  return c === hm.columns - 1 ? hm.last_epochs : hm.column_epochs;
}

// Instructions of one column, and the time the columns end.
function colSpan(hm) { return hm.epoch * hm.column_epochs; }
function endTime(hm) {
  return hm.columns ? ((hm.columns - 1) * hm.column_epochs + hm.last_epochs) * hm.epoch : 0;
}

// Where the heatmap's time ends when shown: the run's end. Its last epoch
// is one begun, which the exit may cut short (a forked child of 743
// instructions has one epoch of 4096); the time after the exit is no part
// of the run. A file without run.instructions: the epochs' end.
function shownEnd(hm, run) {
  var end = endTime(hm);
  var ran = run && run.instructions;
  return ran > 0 && ran < end ? ran : end;
}

// Each row's page-epochs per column, from its runs of cells.
function dense(hm) {
  return hm.rows.map(function (r) {
    var a = new Float64Array(hm.columns);
    (r.cells || []).forEach(function (run) {
      for (var k = 1; k < run.length; k++) {
        if (run[0] + k - 1 < hm.columns) a[run[0] + k - 1] = run[k];
      }
    });
    return a;
  });
}

// The heat of a row over time [t0, t1): page-epochs over epochs, each
// column weighted by the part of it inside the range (a column's heat is
// taken as even across it). 0 where the range holds no epoch.
function heatOver(hm, row, t0, t1) {
  var span = colSpan(hm);
  var c0 = Math.max(0, Math.floor(t0 / span));
  var c1 = Math.min(hm.columns - 1, Math.ceil(t1 / span));
  var pe = 0;
  var ep = 0;
  for (var c = c0; c <= c1; c++) {
    var e = colEpochs(hm, c);
    if (!e) continue;
    var a = c * span;
    var b = a + e * hm.epoch;
    var lo = Math.max(a, t0);
    var hi = Math.min(b, t1);
    if (hi <= lo) continue;
    var w = (hi - lo) / (b - a);
    pe += w * row[c];
    ep += w * e;
  }
  return ep > 0 ? pe / ep : 0;
}

// The bins for [t0, t1): as many as the pixels, but no finer than an
// epoch. Returns {n, t0, t1, heat: [rows][n]} and its largest heat.
function rebin(hm, rows, t0, t1, pixels) {
  var n = Math.max(1, Math.min(Math.floor(pixels), Math.ceil((t1 - t0) / hm.epoch)));
  var heat = [];
  var max = 0;
  for (var r = 0; r < rows.length; r++) {
    var a = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      a[i] = heatOver(hm, rows[r], t0 + ((t1 - t0) * i) / n, t0 + ((t1 - t0) * (i + 1)) / n);
      if (a[i] > max) max = a[i];
    }
    heat.push(a);
  }
  return { n: n, t0: t0, t1: t1, heat: heat, max: max };
}

// The largest heat of any column: the top of the colour scale for the
// whole run, so that zooming does not change what a colour means.
function maxHeat(hm, rows) {
  var m = 0;
  rows.forEach(function (a) {
    for (var c = 0; c < a.length; c++) {
      var e = colEpochs(hm, c);
      if (e && a[c] / e > m) m = a[c] / e;
    }
  });
  return m;
}

// The smallest non-zero heat a column can show: one page in one epoch of
// a full column.
function minHeat(hm) {
  return 1 / Math.max(1, hm.column_epochs);
}

// 0..1 on a log scale between lo and max; 0 stays 0, any reference is visible.
function intensity(v, max, lo) {
  lo = lo || 1;
  if (!(v > 0) || !(max > 0)) return 0;
  if (max <= lo) return 1;
  var x = Math.log(Math.max(v, lo) / lo) / Math.log(max / lo);
  return Math.min(1, 0.15 + 0.85 * x);
}

// Round values for the colour scale's ticks: 1, 2, 5 × powers of ten from
// lo to max (powers of ten alone when those are too many).
function scaleTicks(lo, max) {
  var out = [];
  if (!(max > 0)) return out;
  for (var p = Math.floor(Math.log10(lo)) - 1; p <= Math.ceil(Math.log10(max)); p++) {
    [1, 2, 5].forEach(function (m) {
      var v = m * Math.pow(10, p);
      if (v >= lo * 0.999 && v <= max * 1.001) out.push(Number(v.toPrecision(3)));
    });
  }
  // More than 8: the powers of ten only, so that the labels do not overlap.
  if (out.length > 8) {
    out = out.filter(function (v) { return /^1(0*|\.0*)$|^0\.0*1$/.test(String(v)); });
  }
  return out;
}

// Round times for the time axis' ticks: the multiples of a step of 1, 2 or 5
// × 10^k in [t0, t1], the step the smallest that keeps at least `space`
// pixels between ticks on a plot `width` pixels wide. Until 2026-12-06 the
// axis had seven ticks at sixths of the time shown (0, 725.8M, 1.45G, … for
// xz), none where the charts above it have theirs.
function timeTicks(t0, t1, width, space) {
  var span = t1 - t0;
  if (!(span > 0) || !(width > 0)) return [];
  var want = span * (space || 90) / width;
  var step = Math.pow(10, Math.floor(Math.log10(want)));
  for (var i = 0; step * [1, 2, 5, 10][i] < want; i++) { /* the first large enough */ }
  step *= [1, 2, 5, 10][i];
  var out = [];
  for (var k = Math.ceil(t0 / step); k * step <= t1; k++) out.push(k * step);
  return { step: step, ticks: out };
}

// Runs of consecutive rows belonging to the same mapping, for the labels.
function rowGroups(hm, mappings) {
  var byId = {};
  (mappings || []).forEach(function (m) { byId[m.id] = m; });
  var groups = [];
  hm.rows.forEach(function (r, i) {
    var last = groups[groups.length - 1];
    if (last && last.mapping === r.mapping && r.mapping !== undefined) {
      last.last = i;
      last.end = r.end;
      return;
    }
    var m = byId[r.mapping];
    var name = m ? (m.name || (m.file && m.file.path) || '[' + m.kind + ']') :
        r.mapping === null ? 'other mappings' : '';
    groups.push({ first: i, last: i, mapping: r.mapping, start: r.start, end: r.end, name: name,
        kind: m ? m.kind : '' });
  });
  return groups;
}

// Vertical layout: each mapping's rows share a band whose height follows
// its row count, but is at least minH pixels (so that small mappings stay
// visible and get their name), the whole at most about maxTotal pixels.
// Returns [{first, last, y, h}] (groups in order) and the total height.
function layoutRows(groups, maxTotal) {
  maxTotal = maxTotal || 600;
  var nrows = groups.reduce(function (s, g) { return s + g.last - g.first + 1; }, 0);
  if (!nrows) return { bands: [], height: 0 };
  var minH = Math.max(1, Math.min(12, Math.floor(maxTotal / 2 / groups.length)));
  var base = 14;
  var total;
  var heights;
  for (;;) {
    heights = groups.map(function (g) { return Math.max(minH, (g.last - g.first + 1) * base); });
    total = heights.reduce(function (s, h) { return s + h; }, 0);
    if (total <= maxTotal || base < 0.01) break;
    base *= 0.8;
  }
  var y = 0;
  var bands = groups.map(function (g, i) {
    var b = { first: g.first, last: g.last, y: y, h: heights[i] };
    y += heights[i];
    return b;
  });
  return { bands: bands, height: y };
}

// The row at height y of a layout, or -1.
function rowAt(layout, y) {
  for (var i = 0; i < layout.bands.length; i++) {
    var b = layout.bands[i];
    if (y >= b.y && y < b.y + b.h) {
      var n = b.last - b.first + 1;
      return b.first + Math.min(n - 1, Math.floor(((y - b.y) / b.h) * n));
    }
  }
  return -1;
}

// RGBA pixels of a rebin() result: width bins.n, one pixel per row.
function pixels(bins, max, lo) {
  var w = bins.n;
  var rows = bins.heat.length;
  var px = new Uint8ClampedArray(w * rows * 4);
  for (var r = 0; r < rows; r++) {
    for (var b = 0; b < w; b++) {
      var c = colorOf(intensity(bins.heat[r][b], max, lo));
      var o = (r * w + b) * 4;
      px[o] = c[0];
      px[o + 1] = c[1];
      px[o + 2] = c[2];
      px[o + 3] = 255;
    }
  }
  return px;
}

function shorten(name, max) {
  name = String(name);
  if (name.length <= max) return name;
  var base = name.replace(/^.*\//, '');
  if (base.length + 2 <= max) return '…/' + base;
  return '…' + name.slice(-(max - 1));
}

// ---- the view (browser) ----------------------------------------------------

var AXIS = 26;
var SCALE_H = 34;

// opts: width (CSS pixels), left and plotWidth (the time charts' plot area,
// so that a time is at the same x in every chart), fullRange ([t0, t1]: the
// time charts' whole axis), onZoom(a, b).
function HeatmapView(doc, container, hm, data, opts) {
  opts = opts || {};
  this.doc = doc;
  this.hm = hm;
  this.data = data;
  this.rows = dense(hm);
  this.max = maxHeat(hm, this.rows);
  this.lo = Math.min(minHeat(hm), this.max || 1);
  this.groups = rowGroups(hm, data.mappings);
  this.onZoom = opts.onZoom || function () {};
  this.full = opts.fullRange || [0, endTime(hm)];
  this.range = this.full.slice();
  this.layout = layoutRows(this.groups, 600);
  this.plotH = Math.max(this.layout.height, 40);
  this.width = opts.width || 900;
  this.left = opts.left || 190;
  this.plotW = opts.plotWidth || this.width - this.left - 8;
  this.height = this.plotH + AXIS + SCALE_H;
  var canvas = doc.createElement('canvas');
  canvas.className = 'heatmap';
  var dpr = (doc.defaultView && doc.defaultView.devicePixelRatio) || 1;
  this.dpr = dpr;
  canvas.width = Math.round(this.width * dpr);
  canvas.height = Math.round(this.height * dpr);
  canvas.style.width = this.width + 'px';
  canvas.style.height = this.height + 'px';
  this.canvas = canvas;
  var wrap = doc.createElement('div');
  wrap.className = 'heatmap-wrap';
  wrap.appendChild(canvas);
  this.tip = doc.createElement('div');
  this.tip.className = 'heatmap-tip';
  this.tip.style.display = 'none';
  wrap.appendChild(this.tip);
  this.sel = doc.createElement('div');
  this.sel.className = 'heatmap-sel';
  this.sel.style.display = 'none';
  wrap.appendChild(this.sel);
  container.appendChild(wrap);
  this.bindMouse();
  this.draw();
}

// The time charts were resized: keep under their plot area.
HeatmapView.prototype.fit = function (area, width) {
  if (!area) return;
  this.left = area.left;
  this.plotW = area.width;
  if (width) this.width = Math.max(width, area.left + area.width + 8);
  this.canvas.width = Math.round(this.width * this.dpr);
  this.canvas.style.width = this.width + 'px';
  this.draw();
};

HeatmapView.prototype.setRange = function (min, max) {
  if (!(max > min)) return;
  this.range = [min, max];
  this.draw();
};

HeatmapView.prototype.fullRange = function () {
  return this.full.slice();
};

HeatmapView.prototype.draw = function () {
  var hm = this.hm;
  var ctx = this.canvas.getContext('2d');
  var dpr = this.dpr;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, this.width, this.height);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, this.width, this.height);
  var L = this.left;
  var plotW = this.plotW;
  // One bin a device pixel at most: the file's columns re-binned to what
  // the range shows.
  var bins = rebin(hm, this.rows, this.range[0], this.range[1], plotW * dpr);
  this.bins = bins;
  var nrows = hm.rows.length;
  if (nrows) {
    var img = this.doc.createElement('canvas');
    img.width = bins.n;
    img.height = nrows;
    var ictx = img.getContext('2d');
    var id = ictx.createImageData(bins.n, nrows);
    id.data.set(pixels(bins, this.max, this.lo));
    ictx.putImageData(id, 0, 0);
    ctx.imageSmoothingEnabled = false;
    this.layout.bands.forEach(function (b) {
      ctx.drawImage(img, 0, b.first, bins.n, b.last - b.first + 1, L, b.y, plotW, b.h);
    });
  }
  // Mapping boundaries and names in the gutter (canvas text: never markup).
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  var self = this;
  var maxChars = Math.max(6, Math.floor((L - 12) / 6.2));
  this.groups.forEach(function (g, gi) {
    var band = self.layout.bands[gi];
    var y0 = band.y;
    var y1 = band.y + band.h;
    if (y1 - y0 >= 4 && g.first > 0) {
      ctx.strokeStyle = '#ccc';
      ctx.beginPath();
      ctx.moveTo(Math.max(0, L - 40), Math.round(y0) + 0.5);
      ctx.lineTo(L + plotW, Math.round(y0) + 0.5);
      ctx.stroke();
    }
    if (y1 - y0 >= 10) {
      ctx.fillStyle = '#333';
      ctx.textAlign = 'right';
      ctx.fillText(shorten(g.name || '[' + g.kind + ']', maxChars), L - 6, (y0 + y1) / 2);
    }
  });
  // Time axis.
  ctx.fillStyle = '#333';
  ctx.textBaseline = 'top';
  var t0 = this.range[0];
  var t1 = this.range[1];
  var tt = timeTicks(t0, t1, plotW);
  this.timeTicks = [];
  (tt.ticks || []).forEach(function (t) {
    var x = L + (plotW * (t - t0)) / (t1 - t0);
    ctx.fillRect(Math.round(x), this.plotH, 1, 4);
    // a label at either end stays inside the canvas
    var label = F.siTick(t, tt.step);
    var half = ctx.measureText(label).width / 2;
    ctx.textAlign = x - half < 0 ? 'left' : x + half > this.width ? 'right' : 'center';
    ctx.fillText(label, x, this.plotH + 6);
    this.timeTicks.push([t, x - L]);
  }, this);
  ctx.textAlign = 'right';
  ctx.fillText('instructions', L - 6, this.plotH + 6);
  this.drawScale(ctx);
};

// The colour scale under the time axis: the ramp from the smallest heat a
// column can show to the largest, log, with round ticks.
HeatmapView.prototype.drawScale = function (ctx) {
  var y = this.plotH + AXIS;
  var L = this.left;
  var w = Math.min(320, this.plotW);
  var lo = this.lo;
  var max = this.max;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  ctx.fillStyle = '#333';
  ctx.fillText('heat', L - 6, y + 6);
  if (!(max > 0)) return;
  for (var i = 0; i < w; i++) {
    var v = max <= lo ? max : lo * Math.pow(max / lo, i / (w - 1));
    var c = colorOf(intensity(v, max, lo));
    ctx.fillStyle = 'rgb(' + c[0] + ',' + c[1] + ',' + c[2] + ')';
    ctx.fillRect(L + i, y, 1, 12);
  }
  ctx.fillStyle = '#333';
  ctx.textBaseline = 'top';
  ctx.textAlign = 'center';
  this.scaleTicks = [];
  var self = this;
  scaleTicks(lo, max).forEach(function (v) {
    var x = max <= lo ? L : L + (w - 1) * Math.log(v / lo) / Math.log(max / lo);
    ctx.fillRect(Math.round(x), y + 12, 1, 3);
    ctx.fillText(F.dec(v), x, y + 15);
    self.scaleTicks.push([v, x]);
  });
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText('pages referenced per ' + F.count(this.hm.epoch, 'instruction') + ' (log)',
      L + w + 10, y + 6);
};

// Cell under a point of the canvas (CSS pixels), or null: its row, bin, the
// time the bin covers and its heat.
HeatmapView.prototype.cellAt = function (x, y) {
  var L = this.left;
  if (x < L || x >= L + this.plotW || y < 0 || y >= this.plotH || !this.bins) return null;
  var bins = this.bins;
  var b = Math.min(bins.n - 1, Math.floor(((x - L) / this.plotW) * bins.n));
  var r = rowAt(this.layout, y);
  if (r < 0 || r >= this.hm.rows.length) return null;
  var t0 = bins.t0 + ((bins.t1 - bins.t0) * b) / bins.n;
  var t1 = bins.t0 + ((bins.t1 - bins.t0) * (b + 1)) / bins.n;
  return { row: r, bin: b, t0: t0, t1: t1, heat: bins.heat[r][b] };
};

HeatmapView.prototype.timeAt = function (x) {
  var f = Math.max(0, Math.min(1, (x - this.left) / this.plotW));
  return this.range[0] + f * (this.range[1] - this.range[0]);
};

HeatmapView.prototype.bindMouse = function () {
  var self = this;
  var c = this.canvas;
  var drag = null;
  function pos(e) {
    var r = c.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }
  c.addEventListener('mousedown', function (e) {
    var p = pos(e);
    if (p.x < self.left || p.y >= self.plotH) return;
    drag = { x0: p.x, x1: p.x };
    e.preventDefault();
  });
  c.addEventListener('mousemove', function (e) {
    var p = pos(e);
    if (drag) {
      drag.x1 = Math.max(self.left, Math.min(self.left + self.plotW, p.x));
      var a = Math.min(drag.x0, drag.x1);
      self.sel.style.display = '';
      self.sel.style.left = a + 'px';
      self.sel.style.width = Math.abs(drag.x1 - drag.x0) + 'px';
      self.sel.style.height = self.plotH + 'px';
    }
    var cell = self.cellAt(p.x, p.y);
    if (!cell) { self.tip.style.display = 'none'; return; }
    var row = self.hm.rows[cell.row];
    var g = null;
    self.groups.forEach(function (gg) { if (cell.row >= gg.first && cell.row <= gg.last) g = gg; });
    var pages = row.end > row.start ? Math.round((row.end - row.start) / 4096) : 0;
    // textContent only: names come from the run.
    self.tip.textContent = (g && g.name ? g.name + '\n' : g ? '[' + g.kind + ']\n' : '') +
      F.range(row.start, row.end) + (pages ? ' (' + F.count(pages, 'page') + ')' : '') + '\n' +
      'instructions ' + F.int(Math.round(cell.t0)) + '–' + F.int(Math.round(cell.t1)) + '\n' +
      'heat ' + cell.heat.toFixed(3) + ' pages referenced per ' +
          F.count(self.hm.epoch, 'instruction');
    self.tip.style.display = '';
    self.tip.style.left = Math.min(p.x + 12, self.width - 260) + 'px';
    self.tip.style.top = (p.y + 12) + 'px';
  });
  c.addEventListener('mouseleave', function () { self.tip.style.display = 'none'; });
  self.doc.addEventListener('mouseup', function () {
    if (!drag) return;
    var d = drag;
    drag = null;
    self.sel.style.display = 'none';
    if (Math.abs(d.x1 - d.x0) < 4) return;
    var a = self.timeAt(Math.min(d.x0, d.x1));
    var b = self.timeAt(Math.max(d.x0, d.x1));
    self.setRange(a, b);
    self.onZoom(a, b);
  });
  c.addEventListener('dblclick', function () {
    var r = self.fullRange();
    self.setRange(r[0], r[1]);
    self.onZoom(null, null);
  });
};

module.exports = {
  colorOf: colorOf, intensity: intensity, colEpochs: colEpochs, endTime: endTime, dense: dense,
  heatOver: heatOver, rebin: rebin, maxHeat: maxHeat, minHeat: minHeat, scaleTicks: scaleTicks,
  timeTicks: timeTicks,
  rowGroups: rowGroups, pixels: pixels, shorten: shorten, layoutRows: layoutRows, rowAt: rowAt,
  shownEnd: shownEnd,
  HeatmapView: HeatmapView
};
