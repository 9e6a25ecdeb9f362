'use strict';
const test = require('node:test');
const assert = require('node:assert');
const H = require('../../../reports/src/heatmap');
const fx = require('../fixtures');

// Two columns of 4 epochs of 100 instructions and a last one of 2 epochs
// (1000 instructions in all). Row 0 (2 pages): 8 page-epochs in column 0
// (both pages in every epoch: heat 2), 2 in column 1 (heat 0.5), none in
// column 2. Row 2 (1 page): 2 page-epochs in the last column (heat 1).
const hm = {
  epoch: 100, column_epochs: 4, columns: 3, last_epochs: 2, chunk_pages: 2,
  rows: [{ start: 0, end: 8192, mapping: 1, cells: [[0, 8, 2]] },
      { start: 8192, end: 16384, mapping: 1, cells: [] },
      { start: 65536, end: 69632, mapping: 2, cells: [[2, 2]] }]
};

test('dense: runs of cells become one value a column', () => {
  assert.deepStrictEqual(H.dense(hm).map((a) => Array.from(a)), [[8, 2, 0], [0, 0, 0], [0, 0, 2]]);
  assert.strictEqual(H.colEpochs(hm, 0), 4);
  assert.strictEqual(H.colEpochs(hm, 2), 2);
  assert.strictEqual(H.colEpochs(hm, 3), 0);
  assert.strictEqual(H.endTime(hm), 1000);
});

test('heatOver: page-epochs over epochs, a split column weighted by its part', () => {
  const rows = H.dense(hm);
  assert.strictEqual(H.heatOver(hm, rows[0], 0, 400), 2);
  assert.strictEqual(H.heatOver(hm, rows[0], 400, 800), 0.5);
  // all of column 0 and half of column 1: (8 + 1) / (4 + 2)
  assert.strictEqual(H.heatOver(hm, rows[0], 0, 600), 1.5);
  // inside one column: that column's heat
  assert.strictEqual(H.heatOver(hm, rows[0], 450, 470), 0.5);
  // the whole run: (8 + 2 + 0) / 10 epochs
  assert.strictEqual(H.heatOver(hm, rows[0], 0, 1000), 1);
  assert.strictEqual(H.heatOver(hm, rows[2], 800, 1000), 1);
  // beyond the end: no epoch, no heat
  assert.strictEqual(H.heatOver(hm, rows[2], 1000, 2000), 0);
});

test('rebin: as many bins as pixels, never finer than an epoch; the max for the scale', () => {
  const rows = H.dense(hm);
  const b = H.rebin(hm, rows, 0, 1000, 500);
  assert.strictEqual(b.n, 10);
  assert.deepStrictEqual(Array.from(b.heat[0]), [2, 2, 2, 2, 0.5, 0.5, 0.5, 0.5, 0, 0]);
  const c = H.rebin(hm, rows, 0, 1000, 2);
  assert.deepStrictEqual(Array.from(c.heat[0]), [(8 + 0.5) / 5, (1.5 + 0) / 5]);
  assert.strictEqual(H.maxHeat(hm, rows), 2);
  assert.strictEqual(H.minHeat(hm), 0.25);
});

test('the heat does not depend on how columns were merged', () => {
  // A row referencing 3 of its pages in every epoch, as 8 columns of 1
  // epoch or 2 columns of 4: the same heat everywhere.
  const fine = { epoch: 10, column_epochs: 1, columns: 8, last_epochs: 1, chunk_pages: 4,
    rows: [{ start: 0, end: 16384, mapping: 1, cells: [[0, 3, 3, 3, 3, 3, 3, 3, 3]] }] };
  const coarse = { epoch: 10, column_epochs: 4, columns: 2, last_epochs: 4, chunk_pages: 4,
    rows: [{ start: 0, end: 16384, mapping: 1, cells: [[0, 12, 12]] }] };
  const a = H.rebin(fine, H.dense(fine), 0, 80, 8);
  const b = H.rebin(coarse, H.dense(coarse), 0, 80, 8);
  assert.deepStrictEqual(Array.from(a.heat[0]), new Array(8).fill(3));
  assert.deepStrictEqual(Array.from(b.heat[0]), new Array(8).fill(3));
});

test('scaleTicks: round 1-2-5 values inside the range', () => {
  assert.deepStrictEqual(H.scaleTicks(0.25, 12), [0.5, 1, 2, 5, 10]);
  assert.deepStrictEqual(H.scaleTicks(1, 1), [1]);
  assert.deepStrictEqual(H.scaleTicks(0.1, 500), [0.1, 1, 10, 100]);
  assert.deepStrictEqual(H.scaleTicks(1, 0), []);
});

test('intensity is 0 for nothing, log-scaled from lo, 1 at the max', () => {
  assert.strictEqual(H.intensity(0, 100, 1), 0);
  assert.strictEqual(H.intensity(100, 100, 1), 1);
  assert.ok(Math.abs(H.intensity(1, 100, 1) - 0.15) < 1e-12);
  assert.ok(Math.abs(H.intensity(10, 100, 1) - 0.575) < 1e-12);
  assert.strictEqual(H.intensity(1, 1, 1), 1);
  assert.ok(Math.abs(H.intensity(0.5, 8, 0.5) - 0.15) < 1e-12);
});

test('colorOf: white for zero, distinct colours along the ramp', () => {
  assert.deepStrictEqual(H.colorOf(0), [255, 255, 255]);
  assert.notDeepStrictEqual(H.colorOf(0.2), H.colorOf(0.9));
  assert.deepStrictEqual(H.colorOf(1), H.colorOf(2));
});

test('rowGroups joins the rows of one mapping and names it', () => {
  const g = H.rowGroups(hm,
      [{ id: 1, name: '[heap]', kind: 'heap' }, { id: 2, name: '', kind: 'anon', file: null }]);
  assert.deepStrictEqual(g.map((x) => [x.first, x.last, x.name]),
      [[0, 1, '[heap]'], [2, 2, '[anon]']]);
  const o = H.rowGroups({ rows: [{ start: 0, end: 0, mapping: null, cells: [] }] }, []);
  assert.strictEqual(o[0].name, 'other mappings');
});

test('pixels: one RGBA pixel per (row, bin)', () => {
  const rows = H.dense(hm);
  const b = H.rebin(hm, rows, 0, 1000, 2);
  const px = H.pixels(b, 2, 0.25);
  assert.strictEqual(px.length, 3 * 2 * 4);
  assert.deepStrictEqual(Array.from(px.slice(0, 4)),
      H.colorOf(H.intensity(1.7, 2, 0.25)).concat([255]));
  assert.deepStrictEqual(Array.from(px.slice(8, 12)), [255, 255, 255, 255]);
});

test('shorten keeps the file name', () => {
  assert.strictEqual(H.shorten('/usr/lib/x86_64-linux-gnu/libc.so.6', 16), '…/libc.so.6');
  assert.strictEqual(H.shorten('short', 16), 'short');
  assert.strictEqual(H.shorten('x'.repeat(40), 10).length, 10);
});

test('the synthetic heat: values within pages × epochs, columns cover the run', () => {
  const d = fx.makeFile({});
  const h = d.heat;
  assert.ok(h.columns > 1000);
  assert.strictEqual(H.endTime(h), Math.ceil(d.run.instructions / 4096) * 4096);
  h.rows.forEach((r) => {
    const pages = (r.end - r.start) / 4096;
    H.dense(h)[h.rows.indexOf(r)].forEach((v, c) => assert.ok(v <= pages * H.colEpochs(h, c)));
  });
  assert.ok(H.maxHeat(h, H.dense(h)) > 0);
});

test('layoutRows gives small mappings a minimum band and fits the total', () => {
  const groups = [{ first: 0, last: 0 }, { first: 1, last: 128 }, { first: 129, last: 129 }];
  const l = H.layoutRows(groups, 600);
  assert.ok(l.height <= 600, 'height ' + l.height);
  assert.strictEqual(l.bands[0].y, 0);
  assert.ok(l.bands[0].h >= 12 && l.bands[2].h >= 12, 'small mappings stay visible');
  assert.ok(l.bands[1].h > l.bands[0].h);
  assert.strictEqual(l.bands[1].y, l.bands[0].h);
  assert.strictEqual(H.rowAt(l, 0), 0);
  assert.strictEqual(H.rowAt(l, l.bands[1].y), 1);
  assert.strictEqual(H.rowAt(l, l.bands[1].y + l.bands[1].h - 0.001), 128);
  assert.strictEqual(H.rowAt(l, l.height - 1), 129);
  assert.strictEqual(H.rowAt(l, l.height + 5), -1);
  assert.deepStrictEqual(H.layoutRows([], 600), { bands: [], height: 0 });
});

test('layoutRows with many mappings still fits', () => {
  const groups = [];
  for (let i = 0; i < 400; i++) groups.push({ first: i * 3, last: i * 3 + 2 });
  const l = H.layoutRows(groups, 600);
  assert.ok(l.height <= 600, 'height ' + l.height);
  assert.ok(l.bands.every((b) => b.h >= 1));
});

// The heatmap's time axis, zoomed to 6,000 instructions at 2.7M (the time
// charts' zoom): its 7 ticks read differently (they read "2.7M" five times).
test('a zoomed heatmap labels its time ticks differently', () => {
  const { Document } = require('./fakedom');
  const doc = new Document();
  const texts = [];
  const root = doc.createElement('div');
  const canvasProto = Object.getPrototypeOf(root);
  const getContext = canvasProto.getContext;
  canvasProto.getContext = function () {
    const ctx = getContext.call(this);
    ctx.fillText = (t) => texts.push(String(t));
    return ctx;
  };
  try {
    const view = new H.HeatmapView(doc, root, hm, { mappings: [] }, { fullRange: [0, 3e6] });
    texts.length = 0;
    view.setRange(2700000, 2706000);
  } finally {
    canvasProto.getContext = getContext;
  }
  const ticks = texts.filter((t) => /^2\.7/.test(t));
  assert.deepStrictEqual(ticks,
      ['2.7M', '2.701M', '2.702M', '2.703M', '2.704M', '2.705M', '2.706M']);
});

// A forked child that ran 743 instructions has one heat column of one
// epoch of 4096 begun: the heatmap and the time charts end at 743, where
// the process ended, not at 4096 (82% of the axis after its exit).
test('the heatmap\'s time ends with the run, not with its last epoch', () => {
  const child = { epoch: 4096, column_epochs: 1, columns: 1, last_epochs: 1, chunk_pages: 1,
    rows: [{ start: 0, end: 4096, mapping: 1, cells: [[0, 1]] }] };
  assert.strictEqual(H.endTime(child), 4096);
  assert.strictEqual(H.shownEnd(child, { instructions: 743 }), 743);
  // a file without run.instructions, or a run that outlasts the heat: the heat's end
  assert.strictEqual(H.shownEnd(child, {}), 4096);
  assert.strictEqual(H.shownEnd(child, { instructions: 5000 }), 4096);
  assert.strictEqual(H.shownEnd(hm, { instructions: 1000 }), 1000);
  // the heat over the run's 743 instructions: the one page, in each of them
  assert.strictEqual(H.heatOver(child, H.dense(child)[0], 0, 743), 1);
});

// The time axis: round ticks, multiples of a 1, 2 or 5 x 10^k step, at
// least 90 pixels apart (xz's 4.36 G instructions over 1,151 pixels:
// every 500 M; a zoom to 10,000 instructions at 2.7 M: every 1,000).
test('the time axis ticks round times', () => {
  const a = H.timeTicks(0, 4355080644, 1151);
  assert.strictEqual(a.step, 500000000);
  assert.deepStrictEqual(a.ticks, [0, 5e8, 1e9, 1.5e9, 2e9, 2.5e9, 3e9, 3.5e9, 4e9]);
  const b = H.timeTicks(2700000, 2710000, 1000);
  assert.strictEqual(b.step, 1000);
  assert.strictEqual(b.ticks.length, 11);
  assert.strictEqual(b.ticks[1], 2701000);
  // 90 pixels at least between two ticks
  [[0, 743, 600], [12345, 98765, 300], [0, 1e12, 1500]].forEach(([t0, t1, w]) => {
    const c = H.timeTicks(t0, t1, w);
    assert.ok(c.step * w / (t1 - t0) >= 90, JSON.stringify(c));
    assert.ok(c.ticks.every((t) => t >= t0 && t <= t1 && Number.isInteger(t / c.step)));
  });
  assert.deepStrictEqual(H.timeTicks(5, 5, 100), []);
});
