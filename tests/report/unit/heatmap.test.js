'use strict';
const test = require('node:test');
const assert = require('node:assert');
const H = require('../../../reports/src/heatmap');
const fx = require('../fixtures');

const hm = {
  t_step: 100, buckets: 4,
  rows: [{ start: 0, end: 8192, mapping: 1 }, { start: 8192, end: 16384, mapping: 1 },
      { start: 65536, end: 69632, mapping: 2 }],
  counts: [0, 1, 2, 0, 0, 0, 0, 0, 1, 1, 1, 1]
};

test('bucketRange clamps and always covers one bucket', () => {
  assert.deepStrictEqual(H.bucketRange(hm, 0, 400), [0, 4]);
  assert.deepStrictEqual(H.bucketRange(hm, 150, 250), [1, 3]);
  assert.deepStrictEqual(H.bucketRange(hm, -50, 9999), [0, 4]);
  assert.deepStrictEqual(H.bucketRange(hm, 120, 120), [1, 2]);
  assert.deepStrictEqual(H.bucketRange(hm, 500, 600), [3, 4]);
});

test('usedBuckets stops at the end of the run', () => {
  assert.strictEqual(H.usedBuckets(hm, 250), 3);
  assert.strictEqual(H.usedBuckets(hm, 10000), 4);
  assert.strictEqual(H.usedBuckets(hm, 0), 4);
});

test('intensity is 0 for nothing, log-scaled, 1 at the max', () => {
  assert.strictEqual(H.intensity(0, 100), 0);
  assert.strictEqual(H.intensity(100, 100), 1);
  assert.ok(H.intensity(1, 100) > 0);
  assert.ok(H.intensity(10, 100) > H.intensity(1, 100));
  assert.strictEqual(H.intensity(1, 1), 1);
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
});

test('pixels: one RGBA pixel per (row, bucket) of the range', () => {
  const px = H.pixels(hm, 1, 3, 2);
  assert.strictEqual(px.length, 3 * 2 * 4);
  assert.deepStrictEqual(Array.from(px.slice(0, 4)), H.colorOf(H.intensity(1, 2)).concat([255]));
  assert.deepStrictEqual(Array.from(px.slice(8, 12)), [255, 255, 255, 255]);
});

test('shorten keeps the file name', () => {
  assert.strictEqual(H.shorten('/usr/lib/x86_64-linux-gnu/libc.so.6', 16), '…/libc.so.6');
  assert.strictEqual(H.shorten('short', 16), 'short');
  assert.strictEqual(H.shorten('x'.repeat(40), 10).length, 10);
});

test('the synthetic heatmap has consistent dimensions', () => {
  const d = fx.makeFile({});
  assert.strictEqual(d.heatmap.counts.length, d.heatmap.rows.length * d.heatmap.buckets);
  assert.ok(H.maxCount(d.heatmap) > 0);
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
