'use strict';
// The address × time heatmap, on a plain canvas. Rows are address ranges
// (top: lowest address), columns time buckets of t_step instructions; a
// cell's colour is the number of distinct pages of the row referenced in
// the bucket, on a log scale. The pure helpers are tested under node; the
// view draws, zooms by dragging across time (linked to the time charts)
// and shows the cell under the pointer.

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

function maxCount(hm) {
  var m = 0;
  for (var i = 0; i < hm.counts.length; i++) if (hm.counts[i] > m) m = hm.counts[i];
  return m;
}

// 0..1 on a log scale; 0 stays 0, any reference is visible.
function intensity(count, max) {
  if (!(count > 0) || !(max > 0)) return 0;
  if (max <= 1) return 1;
  return 0.15 + 0.85 * (Math.log(count) / Math.log(max));
}

// Buckets that hold the run: up to run.instructions, at most hm.buckets.
function usedBuckets(hm, instructions) {
  if (!(instructions > 0)) return hm.buckets;
  return Math.max(1, Math.min(hm.buckets, Math.ceil(instructions / hm.t_step)));
}

// The buckets [b0, b1) covering time [tmin, tmax].
function bucketRange(hm, tmin, tmax, nb) {
  nb = nb || hm.buckets;
  var b0 = Math.max(0, Math.floor(tmin / hm.t_step));
  var b1 = Math.min(nb, Math.ceil(tmax / hm.t_step));
  if (b1 <= b0) b1 = Math.min(nb, b0 + 1);
  if (b1 <= b0) b0 = Math.max(0, b1 - 1);
  return [b0, b1];
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
    var name = m ? (m.name || (m.file && m.file.path) || '[' + m.kind + ']') : '';
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

// RGBA pixels of the buckets [b0, b1): width b1 - b0, one pixel per row.
function pixels(hm, b0, b1, max) {
  var w = b1 - b0;
  var rows = hm.rows.length;
  var px = new Uint8ClampedArray(w * rows * 4);
  for (var r = 0; r < rows; r++) {
    for (var b = b0; b < b1; b++) {
      var c = colorOf(intensity(hm.counts[r * hm.buckets + b], max));
      var o = (r * w + (b - b0)) * 4;
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

var GUTTER = 190;
var AXIS = 26;

function HeatmapView(doc, container, hm, data, opts) {
  opts = opts || {};
  this.doc = doc;
  this.hm = hm;
  this.data = data;
  this.max = maxCount(hm);
  this.nb = usedBuckets(hm, data.run.instructions);
  this.groups = rowGroups(hm, data.mappings);
  this.onZoom = opts.onZoom || function () {};
  this.range = [0, this.nb * hm.t_step];
  this.layout = layoutRows(this.groups, 600);
  this.plotH = Math.max(this.layout.height, 40);
  this.width = opts.width || 900;
  this.height = this.plotH + AXIS;
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

HeatmapView.prototype.setRange = function (min, max) {
  if (!(max > min)) return;
  this.range = [min, max];
  this.draw();
};

HeatmapView.prototype.fullRange = function () {
  return [0, this.nb * this.hm.t_step];
};

HeatmapView.prototype.draw = function () {
  var hm = this.hm;
  var ctx = this.canvas.getContext('2d');
  var dpr = this.dpr;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, this.width, this.height);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, this.width, this.height);
  var br = bucketRange(hm, this.range[0], this.range[1], this.nb);
  this.br = br;
  var plotW = this.width - GUTTER - 8;
  this.plotW = plotW;
  var rows = hm.rows.length;
  if (rows && br[1] > br[0]) {
    var w = br[1] - br[0];
    var img = this.doc.createElement('canvas');
    img.width = w;
    img.height = rows;
    var ictx = img.getContext('2d');
    var id = ictx.createImageData(w, rows);
    id.data.set(pixels(hm, br[0], br[1], this.max));
    ictx.putImageData(id, 0, 0);
    ctx.imageSmoothingEnabled = false;
    var lay = this.layout;
    lay.bands.forEach(function (b) {
      ctx.drawImage(img, 0, b.first, w, b.last - b.first + 1, GUTTER, b.y, plotW, b.h);
    });
  }
  // Mapping boundaries and names in the gutter (canvas text: never markup).
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  var self = this;
  this.groups.forEach(function (g, gi) {
    var band = self.layout.bands[gi];
    var y0 = band.y;
    var y1 = band.y + band.h;
    // A boundary above each mapping tall enough for one not to hide it.
    if (y1 - y0 >= 4 && g.first > 0) {
      ctx.strokeStyle = '#ccc';
      ctx.beginPath();
      ctx.moveTo(GUTTER - 4, Math.round(y0) + 0.5);
      ctx.lineTo(GUTTER + plotW, Math.round(y0) + 0.5);
      ctx.stroke();
    }
    if (y1 - y0 >= 11) {
      ctx.fillStyle = '#333';
      ctx.textAlign = 'right';
      ctx.fillText(shorten(g.name || '[' + g.kind + ']', 28), GUTTER - 8, (y0 + y1) / 2);
    }
  });
  // Time axis.
  ctx.fillStyle = '#333';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  var t0 = br[0] * hm.t_step;
  var t1 = br[1] * hm.t_step;
  var ticks = 6;
  for (var k = 0; k <= ticks; k++) {
    var x = GUTTER + (plotW * k) / ticks;
    var t = t0 + ((t1 - t0) * k) / ticks;
    ctx.fillRect(Math.round(x), this.plotH, 1, 4);
    ctx.textAlign = k === 0 ? 'left' : k === ticks ? 'right' : 'center';
    ctx.fillText(F.si(t), x, this.plotH + 6);
  }
  ctx.textAlign = 'right';
  ctx.fillText('instructions', GUTTER - 8, this.plotH + 6);
};

// Cell under a point of the canvas (CSS pixels), or null.
HeatmapView.prototype.cellAt = function (x, y) {
  if (x < GUTTER || x >= GUTTER + this.plotW || y < 0 || y >= this.plotH) return null;
  var w = this.br[1] - this.br[0];
  var b = this.br[0] + Math.floor(((x - GUTTER) / this.plotW) * w);
  var r = rowAt(this.layout, y);
  if (r < 0 || r >= this.hm.rows.length) return null;
  return { row: r, bucket: b, count: this.hm.counts[r * this.hm.buckets + b] };
};

HeatmapView.prototype.timeAt = function (x) {
  var t0 = this.br[0] * this.hm.t_step;
  var t1 = this.br[1] * this.hm.t_step;
  var f = Math.max(0, Math.min(1, (x - GUTTER) / this.plotW));
  return t0 + f * (t1 - t0);
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
    if (p.x < GUTTER) return;
    drag = { x0: p.x, x1: p.x };
    e.preventDefault();
  });
  c.addEventListener('mousemove', function (e) {
    var p = pos(e);
    if (drag) {
      drag.x1 = Math.max(GUTTER, Math.min(GUTTER + self.plotW, p.x));
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
    // textContent only: names come from the run.
    self.tip.textContent = (g && g.name ? g.name + '\n' : '') + F.range(row.start, row.end) + '\n' +
      'instructions ' + F.int(cell.bucket * self.hm.t_step) + '–' +
          F.int((cell.bucket + 1) * self.hm.t_step) + '\n' +
      F.int(cell.count) + ' pages referenced';
    self.tip.style.display = '';
    self.tip.style.left = Math.min(p.x + 12, self.width - 220) + 'px';
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
  colorOf: colorOf, intensity: intensity, maxCount: maxCount, usedBuckets: usedBuckets,
  bucketRange: bucketRange, rowGroups: rowGroups, pixels: pixels, shorten: shorten,
  layoutRows: layoutRows, rowAt: rowAt,
  HeatmapView: HeatmapView
};
