'use strict';
// Horizontal bar charts in plain elements (no canvas): one row per item,
// its label, one or more bars of stacked segments and their figure, over a
// linear axis from 0 to spec.axis.max whose ticks are labelled below. A
// segment is value / axis.max of the track's width, so a bar's length is
// its figure on the axis (tests/report/browser-test.js measures them).
// spec: {id, axis: {max, ticks}, unit, legend: [{label, color}], colors:
// {key: colour}, rows: [{label, tip, id, bars: [{what, text, segs: [{key,
// value}]}]}]}.

var dom = require('./dom');
var F = require('./format');

function pct(v, max) {
  return (100 * v) / max + '%';
}

function render(doc, spec) {
  var h = function (t, a, c) { return dom.h(doc, t, a, c); };
  var max = spec.axis.max;
  var root = h('div', { class: 'barchart', id: spec.id, 'data-max': String(max) });
  root.appendChild(h('div', { class: 'bar-legend' }, spec.legend.map(function (l) {
    var sw = h('span', { class: 'bar-swatch' });
    sw.style.background = l.color;
    return h('span', { class: 'bar-key' }, [sw, l.label]);
  })));
  spec.rows.forEach(function (r) {
    var bars = r.bars.map(function (b, bi) {
      var track = h('div', { class: 'bar-track' + (bi ? ' bar-thin' : ''), 'data-what': b.what });
      var left = 0;
      b.segs.forEach(function (s) {
        if (!(s.value > 0)) return;
        var seg = h('span', { class: 'bar-seg', 'data-key': s.key, 'data-value': String(s.value),
          title: F.int(s.value) + ' ' + s.key.replace('_', ' ') });
        seg.style.left = pct(left, max);
        seg.style.width = pct(s.value, max);
        seg.style.background = spec.colors[s.key];
        left += s.value;
        track.appendChild(seg);
      });
      return h('div', { class: 'bar-line' }, [track, h('span', { class: 'bar-text' }, b.text)]);
    });
    root.appendChild(h('div', { class: 'bar-row', 'data-id': r.id },
      [h('div', { class: 'bar-label', title: r.tip }, r.label), h('div', { class: 'bar-bars' },
        bars)]));
  });
  var ticks = h('div', { class: 'bar-track bar-axis' });
  spec.axis.ticks.forEach(function (t) {
    var tk = h('span', { class: 'bar-tick', 'data-value': String(t) }, F.int(t));
    tk.style.left = pct(t, max);
    ticks.appendChild(tk);
  });
  root.appendChild(h('div', { class: 'bar-row bar-axis-row' }, [
    h('div', { class: 'bar-label' }),
    h('div', { class: 'bar-bars' }, [h('div', { class: 'bar-line' }, [ticks,
      h('span', { class: 'bar-text' })]), h('div', { class: 'bar-unit' }, spec.unit)])
  ]));
  return root;
}

module.exports = { render: render };
