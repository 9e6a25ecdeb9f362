'use strict';
// Timelines longer than vmtrace keeps (4,096 samples) are merged as vmtrace
// merges its own: neighbours in pairs, the second's state, the pair's counts
// added up, the interval doubled, until 4,096 or fewer are left. The
// figures below are worked by hand from that rule.
const test = require('node:test');
const assert = require('node:assert');
const child_process = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const DS = require('../../../reports/src/downsample');
const fx = require('../fixtures');

const cmd = path.join(__dirname, '..', '..', '..', 'reports', 'vmtrace-report');

const nine = (f) => [1, 2, 3, 4, 5, 6, 7, 8, 9].map(f);

test('9 samples into at most 4: two merges, 9 -> 5 -> 3', () => {
  const d = {
    format: 'vmtrace-out',
    timeline: {
      interval: 10, t: nine((i) => i * 10), wall_ms: nine((i) => 1000 + i),
      rss: { anon: nine((i) => i * 100), file: nine(() => 7) }, touched: nine((i) => i),
      pss_x1000: nine((i) => i * 1500), uss: nine((i) => i + 1), dup: nine((i) => i % 2),
      faults: { anon: nine((i) => i), file_read: [0, 0, null, 0, 0, 0, 0, 0, 5] },
      tlb: { dtlb_misses: nine((i) => 2 * i) },
      wss: [{ tau: 100, code: nine((i) => i), data: nine((i) => 10 * i) }],
      simulations: [{ resident: nine((i) => i), anon: nine(() => 1), swap_used: nine(() => 0),
        minor: nine(() => 1), swap_in: nine((i) => i), file_major: nine(() => 0),
        swap_out: nine(() => 2), evictions: nine(() => 3) },
      { resident: [], anon: [], swap_used: [], minor: [], swap_in: [], file_major: [],
        swap_out: [], evictions: [] }]
    },
    thp_compare: { timeline: { resident_pages: nine((i) => i), page_tables: nine((i) => 20 + i),
      faults: nine(() => 1), primary_page_tables: nine((i) => 30 + i) } }
  };
  DS.downsample(d, 4);
  const tl = d.timeline;
  // first merge: (1,2) (3,4) (5,6) (7,8) (9); second: (2,4) (6,8) (9)
  assert.deepStrictEqual(tl.t, [40, 80, 90]);
  assert.strictEqual(tl.interval, 40);
  assert.deepStrictEqual(tl.report_merged, { samples: 9, merges: 2 });
  assert.deepStrictEqual(tl.wall_ms, [1004, 1008, 1009]);
  assert.deepStrictEqual(tl.rss, { anon: [400, 800, 900], file: [7, 7, 7] });
  assert.deepStrictEqual(tl.touched, [4, 8, 9]);
  assert.deepStrictEqual(tl.pss_x1000, [6000, 12000, 13500]);
  assert.deepStrictEqual(tl.uss, [5, 9, 10]);
  assert.deepStrictEqual(tl.dup, [0, 0, 1]);
  // 1+2+3+4, 5+6+7+8, 9: the counts still add up to 45
  assert.deepStrictEqual(tl.faults.anon, [10, 26, 9]);
  // a count unknown in one sample is unknown in the sample it merges into
  assert.deepStrictEqual(tl.faults.file_read, [null, 0, 5]);
  assert.deepStrictEqual(tl.tlb.dtlb_misses, [20, 52, 18]);
  assert.deepStrictEqual(tl.wss[0], { tau: 100, code: [4, 8, 9], data: [40, 80, 90] });
  assert.deepStrictEqual(tl.simulations[0], { resident: [4, 8, 9], anon: [1, 1, 1],
    swap_used: [0, 0, 0], minor: [4, 4, 1], swap_in: [10, 26, 9], file_major: [0, 0, 0],
    swap_out: [8, 8, 2], evictions: [12, 12, 3] });
  assert.deepStrictEqual(tl.simulations[1].resident, []);
  assert.deepStrictEqual(d.thp_compare.timeline, { resident_pages: [4, 8, 9],
    page_tables: [24, 28, 29], faults: [4, 4, 1], primary_page_tables: [34, 38, 39] });
});

test('a native timeline: t_ms, wall_ms and rss the second\'s, faults added up', () => {
  const d = { format: 'vmtrace-native',
    timeline: { interval_ms: 1, t_ms: nine((i) => i), wall_ms: nine((i) => 5000 + i),
    rss: nine((i) => 10 * i), faults: { minor: nine(() => 3), major: nine((i) => i) } } };
  DS.downsample(d, 5);
  assert.deepStrictEqual(d.timeline, { interval_ms: 2, t_ms: [2, 4, 6, 8, 9],
    wall_ms: [5002, 5004, 5006, 5008, 5009], rss: [20, 40, 60, 80, 90],
    faults: { minor: [6, 6, 6, 6, 3], major: [3, 7, 11, 15, 9] },
    report_merged: { samples: 9, merges: 1 } });
  // the format decides, not the keys: a vmtrace-out timeline with a stray
  // t_ms is merged by its t, its faults with it
  const o = { format: 'vmtrace-out', timeline: { interval: 1, t: nine((i) => i),
    t_ms: [1, 2], faults: { anon: nine(() => 1) } } };
  DS.downsample(o, 5);
  assert.deepStrictEqual(o.timeline.t, [2, 4, 6, 8, 9]);
  assert.deepStrictEqual(o.timeline.faults.anon, [2, 2, 2, 2, 1]);
  // another format's timeline (none has one) is left alone
  const x = { format: 'vmtrace-sim', timeline: { t: nine((i) => i) } };
  DS.downsample(x, 5);
  assert.strictEqual(x.timeline.t.length, 9);
});

test('vmtrace\'s own limit: 4,096 samples stay as they are, 4,097 merge once into 2,049', () => {
  const a = fx.makeLongTimeline(4096, 5, 1);
  DS.downsample(a);
  assert.strictEqual(a.timeline.t.length, 4096);
  assert.strictEqual(a.timeline.report_merged, undefined);
  const b = fx.makeLongTimeline(4097, 5, 1);
  DS.downsample(b);
  assert.strictEqual(b.timeline.t.length, 2049);
  assert.strictEqual(b.timeline.t[2048], 4097000);
  assert.deepStrictEqual(b.timeline.report_merged, { samples: 4097, merges: 1 });
});

test('a file of 1,000,000 samples makes a page of 3,907 samples, every fault kept', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vmtrace-report-ds-'));
  try {
    const n = 1000000;
    const f = path.join(tmp, 'long.json');
    fs.writeFileSync(f, JSON.stringify(fx.makeLongTimeline(n, 600001, 1000)));
    const out = path.join(tmp, 'long.html');
    const r = child_process.spawnSync(process.execPath, [cmd, f, '-o', out],
        { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    // 1,000,000 / 2^8 = 3,906.25: eight merges, the last sample alone
    const page = fs.readFileSync(out, 'utf8');
    assert.ok(page.length < 2 * 1024 * 1024, 'page of ' + page.length + ' bytes');
    const m = /<script type="application\/json" id="vmtrace-data">([^<]*)<\/script>/.exec(page);
    const tl = JSON.parse(m[1]).files[0].data.timeline;
    assert.strictEqual(tl.t.length, 3907);
    assert.strictEqual(tl.interval, 256000);
    // sample k stands for the file's 256k .. 256k + 255: it closes at
    // (256k + 256) x 1,000 instructions; the last for 999,936 .. 999,999
    assert.strictEqual(tl.t[0], 256000);
    assert.strictEqual(tl.t[3906], 1000000000);
    // resident pages at its end: sample 256k + 255's, 100 + 10 x ((256k + 255) mod 7)
    // + floor((256k + 255) / 10)
    [0, 1, 2343, 3905].forEach((k) => {
      const i = 256 * k + 255;
      assert.strictEqual(tl.rss.anon[k], 100 + 10 * (i % 7) + Math.floor(i / 10), 'sample ' + k);
    });
    assert.strictEqual(tl.rss.anon[3906], 100 + 10 * (999999 % 7) + 99999);
    // anonymous faults: one in each sample i with i mod 3 = 0, 333,334 in all;
    // the 1,000 file_read faults of sample 600,001 are in merged sample 2,343
    assert.strictEqual(tl.faults.anon.reduce((a, v) => a + v, 0), 333334);
    assert.strictEqual(tl.faults.file_read[2343], 1000);
    assert.strictEqual(tl.faults.file_read.reduce((a, v) => a + v, 0), 1000);
    const tx = child_process.spawnSync(process.execPath, [cmd, f, '--text'],
        { encoding: 'utf8', maxBuffer: 1 << 24 });
    assert.strictEqual(tx.status, 0, tx.stderr);
    assert.match(tx.stdout, /3,907 samples of 256,000 instructions, 20 shown;[^\n]*The file has /);
    assert.match(tx.stdout, /1,000,000 samples: more than the 4,096 vmtrace keeps, so the report /);
    assert.match(tx.stdout, /merged neighbouring samples in pairs, as vmtrace does, 8 times/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

// The heat: columns 2c and 2c + 1 make column c, their page-epochs added
// up; column_epochs doubles; the last column holds the epochs of those it
// took. 5 columns of 3 epochs, the last with 2 begun, into at most 2:
// (0 1) (2 3) (4), then ((0 1) (2 3)) (4): 2 columns of 12 epochs, the
// last with 2; 7 columns of 3 into at most 4: 4 columns of 6, the last
// alone with its 1; 6 into at most 4: 3 of 6, the last 3 + 1.
test('the heat\'s columns merge as vmtrace merges them', () => {
  const hm = { epoch: 4096, column_epochs: 3, columns: 5, last_epochs: 2, chunk_pages: 4,
    rows: [{ start: 0, end: 16384, cells: [[0, 1, 2], [3, 4, 5]] },
      { start: 16384, end: 32768, cells: [[2, 7]] }, { start: 32768, end: 49152, cells: [] }] };
  const d = { heat: hm };
  DS.downsample(d, 4096, 2);
  assert.deepStrictEqual(hm, { epoch: 4096, column_epochs: 12, columns: 2, last_epochs: 2,
    chunk_pages: 4, rows: [{ start: 0, end: 16384, cells: [[0, 7, 5]] },
      { start: 16384, end: 32768, cells: [[0, 7]] }, { start: 32768, end: 49152, cells: [] }],
    report_merged: { columns: 5, merges: 2 } });
  // its time: 4 x 3 + 2 epochs before, (1 x 12 + 2) after
  const seven = { epoch: 1, column_epochs: 3, columns: 7, last_epochs: 1, chunk_pages: 1,
    rows: [{ start: 0, end: 4096, cells: [[0, 1, 1, 1, 1, 1, 1, 1]] }] };
  DS.downsample({ heat: seven }, 4096, 4);
  assert.deepStrictEqual([seven.columns, seven.column_epochs, seven.last_epochs], [4, 6, 1]);
  assert.deepStrictEqual(seven.rows[0].cells, [[0, 2, 2, 2, 1]]);
  const six = { epoch: 1, column_epochs: 3, columns: 6, last_epochs: 1, chunk_pages: 1,
    rows: [{ start: 0, end: 4096, cells: [[4, 1, 1]] }] };
  DS.downsample({ heat: six }, 4096, 4);
  // 5 x 3 + 1 = 16 epochs either way: the last column 3 + 1
  assert.deepStrictEqual([six.columns, six.column_epochs, six.last_epochs], [3, 6, 4]);
  assert.deepStrictEqual(six.rows[0].cells, [[2, 2]]);
  // 2,048 columns stay
  const fx2 = fx.makeFile({});
  const cols = fx2.heat.columns;
  DS.downsample(fx2);
  assert.strictEqual(fx2.heat.columns, cols);
  assert.strictEqual(fx2.heat.report_merged, undefined);
});

// A heat of 100,000 columns of one epoch (a hand-made file): 6 merges,
// 1,563 columns of 64 epochs, the last of 100,000 - 1,562 x 64 = 32; each
// row's page-epochs and the heat's time the file's.
test('a heat of 100,000 columns makes a page of 1,563', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vmtrace-report-ds-'));
  try {
    const d = fx.makeFile({ xss: false });
    const n = 100000;
    const run = (r) => [0].concat(Array.from({ length: n }, (_, c) => (c + r) % 5 + 1));
    d.heat = { epoch: 1000, column_epochs: 1, columns: n, last_epochs: 1, chunk_pages: 8,
      rows: [0, 1, 2].map((r) => ({ start: 0x1000000 + r * 0x8000,
        end: 0x1008000 + r * 0x8000, mapping: 3, cells: [run(r)] })) };
    d.run.instructions = n * 1000;
    const f = path.join(tmp, 'heat.json');
    fs.writeFileSync(f, JSON.stringify(d));
    const out = path.join(tmp, 'heat.html');
    const r = child_process.spawnSync(process.execPath, [cmd, f, '-o', out], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    const page = fs.readFileSync(out, 'utf8');
    const m = /<script type="application\/json" id="vmtrace-data">([^<]*)<\/script>/.exec(page);
    const hm = JSON.parse(m[1]).files[0].data.heat;
    assert.deepStrictEqual([hm.columns, hm.column_epochs, hm.last_epochs], [1563, 64, 32]);
    // the values of each row: 1 to 5 in turn, 300,000 page-epochs over
    // 100,000 columns (20,000 each of 1..5), whatever the merging
    hm.rows.forEach((row) => {
      assert.strictEqual(row.cells.length, 1);
      assert.strictEqual(row.cells[0].length, 1 + 1563);
      assert.strictEqual(row.cells[0].slice(1).reduce((a, v) => a + v, 0), 300000);
    });
    // column 0 of row 0 holds the file's columns 0 to 63: 12 x (1+..+5) + 1 + 2 + 3 + 4
    assert.strictEqual(hm.rows[0].cells[0][1], 12 * 15 + 10);
    const tx = child_process.spawnSync(process.execPath, [cmd, f, '--text'],
        { encoding: 'utf8', maxBuffer: 1 << 24 });
    assert.match(tx.stdout, /The file has 100,000 columns: more than the 2,048 vmtrace keeps, so /);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
