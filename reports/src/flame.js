'use strict';
// The fault stacks (fault_sites) as a tree for an icicle: the outermost
// frame at the top, each frame's faults the sum over the stacks through
// it. Frames are named by function or by source line; a frame without
// debug information keeps the name of its object ("??? in liblzma.so.5")
// instead of one merged "???". The pure helpers are tested under node;
// flame-chart-js (bundled like uPlot) draws the result.

var F = require('./format');
var H = require('./heatmap');

// A frame as the tool writes it: "0xADDR: fn (file:line)",
// "0xADDR: fn (in /path/obj)", or "0xADDR: fn".
function parseFrame(frame) {
  var rest = String(frame).replace(/^0x[0-9A-Fa-f]+: /, '');
  var m = /^(.*) \(in (.*)\)$/.exec(rest);
  if (m) return { fn: m[1], obj: m[2].replace(/^.*\//, ''), file: null, line: null };
  m = /^(.*) \(([^()]*):(\d+)\)$/.exec(rest);
  if (m) return { fn: m[1], obj: null, file: m[2], line: Number(m[3]) };
  return { fn: rest, obj: null, file: null, line: null };
}

// The name of a frame in the tree: its function (byLine: and source line);
// an unknown function is named by its object.
function frameName(frame, byLine) {
  var f = parseFrame(frame);
  var fn = f.fn === '???' && f.obj ? '??? in ' + f.obj : f.fn;
  if (f.obj && f.fn !== '???') fn += ' in ' + f.obj;
  if (byLine && f.file) return fn + ' (' + f.file + ':' + f.line + ')';
  return fn;
}

// The faults the file counts of class `cls` (all classes if falsy: every
// fault and the invalid accesses, as fault_sites has them): the icicle's
// whole; null if the file has no totals.
function classTotal(d, cls) {
  var f = d && d.totals && d.totals.faults;
  if (!f) return null;
  var v = cls ? f[cls] : f.total + (f.invalid || 0);
  return typeof v === 'number' && isFinite(v) ? v : null;
}

var OTHER = 'other sites (not recorded)';

// The tree of sites of class `cls` (all classes if falsy): {name, value,
// self, children: [...]} with children sorted by value (most first), then
// name. The root is every fault of those sites; with `total` (classTotal),
// every fault of the run: the faults at the sites the file does not list
// (it keeps the most frequent 100 per class) are one more child of the
// root, OTHER, so that the picture's whole is the run's.
function build(sites, cls, byLine, total) {
  var root = { name: 'all faults', value: 0, self: 0, children: [], byName: {} };
  (sites || []).forEach(function (s) {
    if (cls && s['class'] !== cls) return;
    root.value += s.count;
    var node = root;
    for (var i = s.stack.length - 1; i >= 0; i--) {
      var name = frameName(s.stack[i], byLine);
      var child = node.byName[name];
      if (!child) {
        child = { name: name, value: 0, self: 0, children: [], byName: {} };
        node.byName[name] = child;
        node.children.push(child);
      }
      child.value += s.count;
      node = child;
    }
    node.self += s.count;
  });
  if (typeof total === 'number' && total > root.value) {
    var rest = total - root.value;
    root.children.push({ name: OTHER, value: rest, self: rest, children: [], byName: {} });
    root.value = total;
  }
  (function tidy(n) {
    delete n.byName;
    n.children.sort(function (a, b) {
      return b.value - a.value || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    });
    n.children.forEach(tidy);
  })(root);
  return root;
}

function depth(n) {
  return 1 + n.children.reduce(function (m, c) { return Math.max(m, depth(c)); }, 0);
}

// A frame's colour: warm for code with source lines, yellow for a named
// function without them, grey for an unknown one.
function colorOf(name) {
  if (/^\?\?\?/.test(name) || name === OTHER) return '#c8c8c8';
  if (/ \([^()]*:\d+\)$/.test(name) || !/ in /.test(name)) return '#f0a85a';
  return '#e6d36a';
}

// flame-chart-js's nodes: each child starts where its elder sibling ends,
// inside its parent; start and duration in faults.
function toNodes(tree) {
  function conv(n, start) {
    var out = { name: n.name, start: start, duration: n.value, color: colorOf(n.name),
      children: [] };
    var at = start;
    n.children.forEach(function (c) {
      out.children.push(conv(c, at));
      at += c.value;
    });
    return out;
  }
  return [conv(tree, 0)];
}

// The fault axis' ticks between t0 and t1 faults on `width` pixels: round
// numbers, as the time charts' and the heatmap's (heatmap.timeTicks: a step
// of 1, 2 or 5 x 10^k, at least `space` pixels apart), and whole faults.
// flame-chart-js's own were the view's width / (width / 85 pixels), halved
// per zoom step, from 0: for 4,340 faults on 1,326 pixels, 278 apart
// (835, 1113, 1391, ...).
function axisTicks(t0, t1, width, space) {
  var g = H.timeTicks(t0, t1, width, space || 85);
  if (!g.step || g.step >= 1) return g.step ? g : { step: 1, ticks: [] };
  var out = [];
  for (var v = Math.ceil(t0); v <= t1; v++) out.push(v);
  return { step: 1, ticks: out };
}

// Makes one of flame-chart-js's time grids (the chart's, the timeframe
// strip's) tick and label at axisTicks': its recalc() worked out its own
// step (see above), forEachTime() placed the lines and labels, and
// renderTimes() labelled them with toFixed(). Only these three are
// replaced; what they draw with (the render engine's timeToPosition,
// fillRect, fillText) is the library's.
function roundTimeGrid(grid) {
  grid.recalc = function () {
    var e = this.renderEngine;
    var view = e.getRealView();
    var g = axisTicks(e.positionX, e.positionX + view, e.width);
    this.delta = g.step;
    this.roundTicks = g.ticks;
    // the decimals a tick a fraction of a fault apart would need: the
    // library stops zooming in at 6, as with its own ticks
    var want = view * 85 / (e.width || 1);
    this.accuracy = want > 0 && want < 1 ? Math.ceil(-Math.log10(want)) : 0;
  };
  grid.forEachTime = function (cb) {
    var e = this.renderEngine;
    (this.roundTicks || []).forEach(function (v) { cb(e.timeToPosition(v), v); });
  };
  grid.renderTimes = function (engine) {
    var e = engine || this.renderEngine;
    var step = this.delta;
    var units = this.timeUnits;
    e.setCtxValue('fillStyle', e.styles.fontColor);
    e.setCtxFont(e.styles.font);
    this.forEachTime(function (px, v) {
      e.fillText(F.siTick(v, step) + units, px + e.blockPaddingLeftRight, e.charHeight);
    });
  };
  return grid;
}

module.exports = { axisTicks: axisTicks, roundTimeGrid: roundTimeGrid,
  parseFrame: parseFrame, frameName: frameName, build: build, depth: depth,
  toNodes: toNodes, colorOf: colorOf, classTotal: classTotal, OTHER: OTHER };
