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
  const d = { timeline: { interval_ms: 1, t_ms: nine((i) => i), wall_ms: nine((i) => 5000 + i),
    rss: nine((i) => 10 * i), faults: { minor: nine(() => 3), major: nine((i) => i) } } };
  DS.downsample(d, 5);
  assert.deepStrictEqual(d.timeline, { interval_ms: 2, t_ms: [2, 4, 6, 8, 9],
    wall_ms: [5002, 5004, 5006, 5008, 5009], rss: [20, 40, 60, 80, 90],
    faults: { minor: [6, 6, 6, 6, 3], major: [3, 7, 11, 15, 9] },
    report_merged: { samples: 9, merges: 1 } });
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
