'use strict';
// Charts: specs built from a file's planned sections (pure, testable), and
// the glue that turns a spec into a uPlot chart with linked time zoom.
//
// spec = {id, title, note, x: [...], xLabel, xLog, yUnit: 'pages'|'count',
//         series: [{label, values, raw, color, stacked, dash}], bands: [...]}
// `values` are what is drawn (cumulative for stacked series), `raw` what the
// legend shows.

var F = require('./format');
var M = require('./model');
var tree = require('./tree');

var KIND_COLORS = {
  text: '#4e79a7', data: '#f28e2b', bss: '#edc948', heap: '#e15759', stack: '#76b7b2',
  anon: '#59a14f', file: '#b07aa1', shm: '#9c755f'
};
var CLASS_COLORS = {
  anon: '#59a14f', zero: '#a0cbe8', file_read: '#b07aa1', file_cow: '#ff9da7',
      file_shared: '#9c755f',
  wp_copy: '#e15759', wp_reuse: '#f28e2b', wp_shared: '#edc948', thp: '#bcbd22',
      thp_zero: '#dbdb8d', thp_wp_zero: '#8c564b', thp_wp_reuse: '#c49c94',
      swap_in: '#4e79a7', file_major: '#17becf',
  invalid: '#000000'
};
var PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1',
  '#ff9da7', '#9c755f', '#bab0ac', '#17becf', '#bcbd22'];

function color(map, key, i) {
  return map[key] || PALETTE[i % PALETTE.length];
}

function sum(a) {
  var s = 0;
  for (var i = 0; i < a.length; i++) s += a[i] || 0;
  return s;
}

// Cumulative sums, bottom to top: stack([[1,2],[3,4]]) -> [[1,2],[4,6]].
function stack(arrays) {
  var out = [];
  var acc = null;
  arrays.forEach(function (a) {
    var s = a.map(function (v, i) { return (acc ? acc[i] : 0) + (v || 0); });
    out.push(s);
    acc = s;
  });
  return out;
}

// Marks consecutive stacked series with cumulative values and the bands
// (uPlot series indices: x is 0) that fill between them.
function applyStack(series) {
  var idx = [];
  series.forEach(function (s, i) { if (s.stacked) idx.push(i); });
  var cum = stack(idx.map(function (i) { return series[i].raw; }));
  var bands = [];
  idx.forEach(function (si, k) {
    series[si].values = cum[k];
    if (k > 0) bands.push({ series: [si + 1, idx[k - 1] + 1], fill: fade(series[si].color) });
    else series[si].fill = fade(series[si].color);
  });
  series.forEach(function (s) { if (!s.values) s.values = s.raw; });
  return bands;
}

function fade(hex) {
  return hex + '99';
}

function memorySpec(d) {
  var tl = d.timeline;
  if (!tl || !tl.t || !tl.t.length) return null;
  var series = [];
  M.rssKinds(tl).forEach(function (k, i) {
    if (sum(tl.rss[k]) === 0) return;
    series.push({ label: 'resident ' + k, raw: tl.rss[k], color: color(KIND_COLORS, k, i),
        stacked: true });
  });
  if (Array.isArray(tl.touched) && !M.neverCollected(d)) series.push(
      { label: 'touched', raw: tl.touched, color: '#333333', dash: [6, 4] });
  // Proportional and unique set sizes, when the file has them (processes
  // sharing pages after fork): PSS in thousandths of a page.
  if (Array.isArray(tl.pss_x1000) && tl.pss_x1000.length === tl.t.length) {
    series.push({ label: 'PSS', raw:
        tl.pss_x1000.map(function (v) { return v === null ? null : v / 1000; }), color: '#8c564b',
            dash: [2, 3] });
  }
  if (Array.isArray(tl.uss) && tl.uss.length === tl.t.length) {
    series.push({ label: 'USS', raw: tl.uss, color: '#7f7f7f', dash: [10, 3, 2, 3] });
  }
  if (!series.length) return null;
  var bands = applyStack(series);
  // The run's peak (totals.peak_resident_pages, first reached at
  // totals.peak_resident_at): a sample counts resident pages at its end, so
  // a peak that comes and goes within a sample is in no sample; the marker
  // shows it where it happened, and the y axis reaches it.
  var tot = d.totals || {};
  var marker = F.isNum(tot.peak_resident_pages) && tot.peak_resident_pages > 0 &&
      F.isNum(tot.peak_resident_at) ? { x: tot.peak_resident_at, y: tot.peak_resident_pages,
        label: 'peak resident ' + F.count(tot.peak_resident_pages, 'page') } : null;
  var touched = series.some(function (x) { return x.label === 'touched'; });
  return withPauses(d, {
    id: 'chart-memory',
    title: 'Resident pages by kind' + (touched ? ', and pages touched' : ''),
    note: 'Resident pages per mapping kind at the end of each sample, stacked' +
        (touched ? '; dashed: distinct pages touched so far.' : '.') +
        (marker ? ' Red: the run\'s peak resident set, where it was first reached (a peak ' +
        'inside a sample can be above every sample).' : ''),
    x: tl.t, xLabel: 'instructions', yUnit: 'pages', series: series, bands: bands,
    marker: marker
  });
}

// A time chart of file d, with the stretches while collection was paused
// shaded (run.collection): nothing was counted there.
function withPauses(d, spec) {
  var paused = M.pausedIntervals(d);
  if (!paused || !paused.length) return spec;
  spec.paused = paused;
  spec.note += ' Grey: collection paused (nothing counted; the memory followed the program).';
  return spec;
}

function wssSpec(d) {
  var tl = d.timeline;
  if (!tl || !tl.t || !Array.isArray(tl.wss) || !tl.wss.length) return null;
  var series = [];
  tl.wss.forEach(function (w, i) {
    var n = tl.t.length;
    var code = w.code || new Array(n).fill(0);
    var data = w.data || new Array(n).fill(0);
    var total = w.total || code.map(function (v, j) { return (v || 0) + (data[j] || 0); });
    var c = PALETTE[i % PALETTE.length];
    var tau = 'τ=' + F.si(w.tau);
    series.push({ label: 'WSS ' + tau, raw: total, color: c, width: 2 });
    if (w.code) series.push({ label: 'code ' + tau, raw: code, color: c, dash: [2, 3], width: 1 });
    if (w.data) series.push({ label: 'data ' + tau, raw: data, color: c, dash: [8, 4], width: 1 });
  });
  applyStack(series);
  return withPauses(d, {
    id: 'chart-wss', title: 'Working set WS(t, τ)',
    note: 'Distinct pages referenced in the last τ instructions (Denning), ' +
      'split into code and data.',
    x: tl.t, xLabel: 'instructions', yUnit: 'pages', series: series, bands: []
  });
}

function faultSpec(d) {
  var tl = d.timeline;
  if (!tl || !tl.t || !tl.faults) return null;
  var series = [];
  var names = M.faultClasses(d).map(function (c) { return c.name; });
  Object.keys(tl.faults).forEach(function (k) {
    if (names.indexOf(k) < 0 && ['total', 'minor', 'major'].indexOf(k) < 0) names.push(k);
  });
  names.forEach(function (k, i) {
    var a = tl.faults[k];
    if (!a || sum(a) === 0) return;
    series.push({ label: k, raw: a, color: color(CLASS_COLORS, k, i), stacked: k !== 'invalid',
        stepped: true, during: true });
  });
  if (!series.length) return null;
  var bands = applyStack(series);
  return withPauses(d, {
    id: 'chart-faults', title: 'Faults per interval by class',
    note: 'Faults taken during each sample of ' + F.count(tl.interval, 'instruction') +
        ', stacked by class.',
    x: tl.t, xLabel: 'instructions', yUnit: 'count', series: series, bands: bands
  });
}

// ---- the miss-ratio view: faults against RAM, per policy ----------------------

// The misses of an exact curve (vmtrace-sim --mrc: steps, sizes[0] = 1)
// at c pages: misses[k] for the largest k with sizes[k] <= c; the cold
// misses at or beyond the last size.
function curveAt(curve, c) {
  var s = curve.sizes;
  if (!s.length || c < s[0]) return null;
  if (c >= s[s.length - 1]) return curve.misses[s.length - 1];
  var lo = 0;
  var hi = s.length - 1;
  while (lo < hi) {
    var mid = (lo + hi + 1) >> 1;
    if (s[mid] <= c) lo = mid; else hi = mid - 1;
  }
  return curve.misses[lo];
}

// Sizes for drawing a curve: every simulated size and `n` sizes spread
// evenly on a log scale between the smallest and the largest, rounded to
// whole pages.
function curveSizes(sizes, n) {
  var lo = sizes[0];
  var hi = sizes[sizes.length - 1];
  var out = sizes.slice();
  if (hi > lo) {
    for (var i = 0; i <= n; i++) out.push(Math.round(lo * Math.pow(hi / lo, i / n)));
  }
  out.sort(function (a, b) { return a - b; });
  return out.filter(function (v, i) { return i === 0 || v !== out[i - 1]; });
}

// The figure `key` ('total' or 'major' faults) of a policy at a size.
function simAt(sims, policy, size, key) {
  var hit = null;
  sims.forEach(function (s) {
    if (s.policy === policy && s.ram_pages === size) hit = s.faults[key];
  });
  return hit;
}

var OPT_COLOR = '#222222';

// Faults (key 'total') or major faults (key 'major') against RAM, one line
// per policy, log scales on both axes (a zero cannot be drawn on a log
// scale: it is left out); OPT is the floor, shaded below; the exact LRU
// and OPT curves of `curves` (vmtrace-sim --mrc) as steps; the unlimited
// run's peak RSS marked on the RAM axis.
// A simulation stopped out of memory has figures up to then only: no point.
// Nor has one that ran out of memory and went on (--oom=continue): its
// references that found no frame are OOM events, not faults (a program
// writing its 64 pages 20 times, without swap: under 16 pages 422 faults
// and 493,401 OOM events, under 32 pages 1,296 faults, so drawn the
// smallest RAM faulted least); the charts' notes name them (leftOut).
function comparable(d) {
  return Array.isArray(d.simulations) ? d.simulations.filter(function (s) {
    return !M.simStopped(s) && !M.simOomContinued(s);
  }) : [];
}

// The note on what a chart against RAM leaves out: the simulations that ran
// out of memory and went on, each with its faults and OOM events.
function leftOut(d, ps) {
  var cont = (d.simulations || []).filter(M.simOomContinued);
  if (!cont.length) return '';
  var each = cont.slice(0, 6).map(function (s) {
    return s.policy + ' at ' + F.bytes(s.ram_pages * ps) + ': ' + F.count(s.faults.total,
        'fault') + ', ' + F.count(M.simOomCount(s), 'OOM event');
  }).join('; ') + (cont.length > 6 ? '; and ' + F.int(cont.length - 6) + ' more' : '');
  return ' Left out: ' + F.count(cont.length, 'simulation') + ' that ran out of memory and ' +
      'went on (--oom=continue), whose references that found no frame are OOM events, not ' +
      'faults, so that their faults do not compare (' + each + ').';
}

// The RAM sizes (ascending, in pages) and the policies (in the file's order)
// of the comparable simulations.
function simGrid(sims) {
  var sizes = [];
  var policies = [];
  sims.forEach(function (s) {
    if (s.ram_pages > 0 && sizes.indexOf(s.ram_pages) < 0) sizes.push(s.ram_pages);
    if (policies.indexOf(s.policy) < 0) policies.push(s.policy);
  });
  sizes.sort(function (a, b) { return a - b; });
  return { sizes: sizes, policies: policies };
}

function policySpec(d, key, curves) {
  key = key || 'total';
  var sims = comparable(d);
  if (!sims.length) return null;
  var grid = simGrid(sims);
  var sizes = grid.sizes;
  var policies = grid.policies;
  if (!sizes.length) return null;
  var exact = key === 'total' ? (curves || []).filter(function (c) { return c.exact; }) : [];
  var x = exact.length ? curveSizes(sizes, 200) : sizes;
  var pos = function (v) { return v > 0 ? v : null; };
  var series = policies.map(function (p, i) {
    var vals = x.map(function (sz) { return sizes.indexOf(sz) >= 0 ? pos(simAt(sims, p, sz, key)) :
        null; });
    var isOpt = p === 'opt';
    return { label: isOpt ? 'opt (floor)' : p, raw: vals, values: vals, policy: p,
      color: isOpt ? OPT_COLOR : PALETTE[i % PALETTE.length], points: true,
      width: isOpt ? 2.5 : 1.5,
      fill: isOpt ? '#22222218' : undefined };
  });
  // An exact curve is dashed in its policy's colour: that of the policy's
  // simulations, else one no simulated policy has (a colour names a policy).
  var used = series.map(function (s) { return s.color; });
  exact.forEach(function (c) {
    var vals = x.map(function (sz) { return pos(curveAt(c, sz)); });
    var sim = series.filter(function (s) { return s.policy === c.policy; })[0];
    var col = c.policy === 'opt' ? OPT_COLOR : sim ? sim.color :
        PALETTE.filter(function (p) { return used.indexOf(p) < 0; })[0] || PALETTE[0];
    used.push(col);
    series.push({ label: c.policy + ' exact', raw: vals, values: vals, exactOf: c.policy,
      color: col, dash: [5, 3], width: 1.5, stepped: true });
  });
  var peak = d.totals && d.totals.peak_resident_pages;
  var what = key === 'major' ? 'Major faults' : 'Faults';
  return {
    id: key === 'major' ? 'chart-policies-major' : 'chart-policies',
    title: what + ' versus RAM size, per policy',
    note: 'Each point is one simulation: the policy given that many page frames. Both axes ' +
        'are logarithmic' + (key === 'major' ? ' (a size with no major fault is left out)' : '') +
        '. ' + (policies.indexOf('opt') >= 0 ? 'OPT (Belady\'s MIN, which knows the future) is ' +
        'the floor: no policy faults less; the shade under it is out of reach. ' : '') +
        (exact.length ? 'Dashed steps: the exact ' + exact.map(function (c) {
          return c.policy.toUpperCase();
        }).join(' and ') + ' curves at every size, from vmtrace-sim --mrc. ' : '') +
        (peak ? 'The red line: the unlimited run\'s peak resident set, the RAM beyond which ' +
        'nothing is evicted.' : '') + leftOut(d, M.pageSize(d)),
    x: x, xLabel: 'RAM', xLog: true, xUnit: 'pages', yUnit: 'count', yLog: true,
    series: series, bands: [],
    marker: peak ? { x: peak, y: null, label: 'peak RSS ' + F.count(peak, 'page') } : null
  };
}

// Each policy's faults divided by LRU's at the same size (LRU's simulation,
// or the exact LRU curve), so that one bad policy does not flatten the rest.
function relativeSpec(d, curves) {
  var sims = comparable(d);
  if (!sims.length) return null;
  var grid = simGrid(sims);
  var sizes = grid.sizes;
  var policies = grid.policies;
  var lruCurve = (curves || []).filter(function (c) { return c.exact && c.policy === 'lru'; })[0];
  var lru = sizes.map(function (sz) {
    var v = simAt(sims, 'lru', sz, 'total');
    return v !== null ? v : lruCurve ? curveAt(lruCurve, sz) : null;
  });
  if (!lru.some(function (v) { return v > 0; }) || sizes.length < 1) return null;
  var series = policies.map(function (p, i) {
    var vals = sizes.map(function (sz, k) {
      var v = simAt(sims, p, sz, 'total');
      return v !== null && lru[k] > 0 ? v / lru[k] : null;
    });
    return { label: p === 'opt' ? 'opt (floor)' : p, raw: vals, values: vals, policy: p,
      color: p === 'opt' ? OPT_COLOR : PALETTE[i % PALETTE.length], points: true,
      width: p === 'opt' ? 2.5 : 1.5 };
  });
  var peak = d.totals && d.totals.peak_resident_pages;
  return {
    id: 'chart-policies-relative', title: 'Faults relative to LRU, per policy',
    note: 'Each policy\'s faults divided by LRU\'s at the same RAM size' +
        (lruCurve && policies.indexOf('lru') < 0 ? ' (the exact LRU curve)' : '') +
        ': below 1, fewer faults than LRU.' + leftOut(d, M.pageSize(d)),
    x: sizes, xLabel: 'RAM', xLog: true, xUnit: 'pages', yUnit: 'ratio', series: series,
    bands: [], marker: peak ? { x: peak, y: null, label: 'peak RSS ' + F.count(peak, 'page') } :
        null
  };
}

// ---- one simulation over time (timeline.simulations[i]) ---------------------

function simSeries(d, i) {
  var tl = d.timeline;
  var ss = tl && Array.isArray(tl.simulations) ? tl.simulations[i] : null;
  if (!ss || !tl.t || !tl.t.length || !ss.resident || ss.resident.length !== tl.t.length) {
    return null;
  }
  return ss;
}

// A simulation that stopped out of memory (--oom=stop) is frozen from then
// on: the tool keeps writing its last state to every later sample (its RAM
// full of used pages, no paging), which drawn to the end of the run read as
// a simulation that held its RAM and did nothing for the rest of it (xz's
// 64-page simulations stopped at 556,313 of 4.4 G instructions). Its
// charts end with the sample that holds the stop (the next one if it
// stopped at a sample's end), and so does their time axis: {at: the
// stop's time, last: that sample's index, split: whether the stop falls
// inside it}, or null for a simulation that ran to the end.
function simStop(d, i) {
  var sim = d.simulations[i];
  if (!M.simStopped(sim)) return null;
  var at = M.simStopTime(sim);
  var t = d.timeline.t;
  var last = t.length - 1;
  if (at !== null) {
    for (var k = 0; k < t.length; k++) if (t[k] > at) { last = k; break; }
  }
  return { at: at, last: last, split: at !== null && at > 0 && at < t[last] &&
      (last === 0 || t[last - 1] < at) };
}

// The samples of a stopped simulation up to its stop; returns the times.
// Cut at its last sample, the stopped state (a state holds from its sample
// to the next) was drawn zero wide at the axis' end, and the steps before
// it ran on to there: the chart never showed the RAM the simulation
// stopped with. A stop inside a sample splits that sample at the stop,
// into what it did up to the stop (a state: the one before; a count: all
// of the sample's, none of which can come later) and the frozen rest (the
// stopped state; no event), so the stopped state is drawn from the stop
// to the axis' end.
function cutAtStop(series, stop, t) {
  if (!stop) return t;
  var n = stop.last + 1;
  series.forEach(function (s) {
    var cut = function (a) {
      a = a.slice(0, n);
      if (stop.split) a.push(s.during ? 0 : a[n - 1]);
      return a;
    };
    s.values = cut(s.values);
    s.raw = cut(s.raw);
  });
  var x = t.slice(0, n);
  if (stop.split) x.splice(n - 1, 0, stop.at);
  return x;
}

function stopNote(stop, t) {
  if (!stop) return '';
  var end = F.int(t[stop.last]);
  return ' It stopped out of memory' + (stop.at !== null ? ' at ' +
      F.count(stop.at, 'instruction') : '') + ' (--oom=stop): ' + (stop.split ? 'drawn to the ' +
      'end of the sample that holds the stop (' + end + '), where its charts end, the state it ' +
      'stopped with from the stop on.' : stop.at !== null && stop.last > 0 &&
      t[stop.last - 1] === stop.at ? 'drawn to the end of the sample after the stop (' + end +
      '), where its charts end, the state it stopped with over that sample.' :
      'drawn to the end of the run (' + end + ').');
}

// Swap in use above the RAM gets an axis of its own (at the right): drawn on
// the RAM's, 32 MiB of swap flattened a 512 KiB RAM's stack to a line
// (sqlite3 under 128 pages).
function swapOwnAxis(ss, ram) {
  return (ss.swap_used || []).some(function (v) { return v > ram; });
}

// The simulation's memory as `free` shows a machine's: used (swap-backed
// pages: anonymous and shared memory), buff/cache (the page cache's file
// pages), free (frames unused), stacked up to the RAM; available (free plus
// the page cache, which can be dropped: MemAvailable's idea) and swap used
// as lines.
function simMemorySpec(d, i) {
  var ss = simSeries(d, i);
  var sim = d.simulations[i];
  if (!ss) return null;
  var ram = sim.ram_pages;
  var used = ss.anon;
  var cache = ss.resident.map(function (v, k) { return v - ss.anon[k]; });
  var free = ss.resident.map(function (v) { return Math.max(0, ram - v); });
  var avail = ss.anon.map(function (v) { return Math.max(0, ram - v); });
  var series = [
    { label: 'used', raw: used, color: '#e15759', stacked: true, stepped: true },
    { label: 'buff/cache', raw: cache, color: '#b07aa1', stacked: true, stepped: true },
    { label: 'free', raw: free, color: '#bab0ac', stacked: true, stepped: true },
    { label: 'available', raw: avail, color: '#59a14f', dash: [6, 3], width: 2, stepped: true },
    { label: 'swap used', raw: ss.swap_used, color: '#4e79a7', width: 2, stepped: true,
      axis2: swapOwnAxis(ss, ram) }
  ];
  var bands = applyStack(series);
  var stop = simStop(d, i);
  var x = cutAtStop(series, stop, d.timeline.t);
  return {
    id: 'chart-sim-memory', title: 'Memory of ' + sim.policy + ' with ' +
        F.count(ram, 'page') + ' of RAM, as free shows it',
    note: 'At the end of each sample: used (swap-backed pages: anonymous and shared memory), ' +
        'buff/cache (file pages of the page cache) and free frames, stacked up to the RAM; ' +
        'available (free plus the page cache, which can be dropped) and swap used as lines' +
        (series[4].axis2 ? ', swap used on its own axis at the right (it exceeds the RAM)' : '') +
        '.' + stopNote(stop, d.timeline.t),
    x: x, xLabel: 'instructions', yUnit: 'pages', series: series, bands: bands,
    raw: { used: series[0].raw, cache: series[1].raw, free: series[2].raw,
      available: series[3].raw, swap_used: series[4].raw }
  };
}

// Its faults and paging per sample, as vmstat shows them: minor faults,
// the major ones (swap-ins, file reads), pages swapped out, evictions.
function simActivitySpec(d, i) {
  var ss = simSeries(d, i);
  var sim = d.simulations[i];
  if (!ss) return null;
  var series = [
    { label: 'minor faults', raw: ss.minor, color: '#59a14f', stepped: true,
      during: true },
    { label: 'swap-in (si)', raw: ss.swap_in, color: '#4e79a7', width: 2, stepped: true,
      during: true },
    { label: 'file major', raw: ss.file_major, color: '#17becf', width: 2, stepped: true,
      during: true },
    { label: 'swap-out (so)', raw: ss.swap_out, color: '#e15759', dash: [6, 3], stepped: true,
      during: true },
    { label: 'evictions', raw: ss.evictions, color: '#9c755f', dash: [2, 3], stepped: true,
      during: true }
  ];
  applyStack(series);
  var stop = simStop(d, i);
  var x = cutAtStop(series, stop, d.timeline.t);
  return {
    id: 'chart-sim-activity', title: 'Faults and paging of ' + sim.policy + ' with ' +
        F.count(sim.ram_pages, 'page') + ' of RAM, as vmstat shows them',
    note: 'During each sample of up to ' + F.count(d.timeline.interval, 'instruction') + ': ' +
        'minor faults, the major ones (swap-ins and file reads), pages swapped out and pages ' +
        'evicted (file pages dropped included). Thrashing starts where the major faults rise.' +
        stopNote(stop, d.timeline.t),
    x: x, xLabel: 'instructions', yUnit: 'count', series: series, bands: [],
    axis2Gap: swapOwnAxis(ss, sim.ram_pages),
    raw: { minor: series[0].raw, swap_in: series[1].raw, file_major: series[2].raw,
      swap_out: series[3].raw, evictions: series[4].raw }
  };
}

// The simulation to show first: the one with the most major faults (where
// thrashing is to be seen) of those that ran to the end, else of all (a
// stopped one's count ends at its stop: it does not compare), else the first.
function defaultSim(d) {
  var best = -1;
  var bi = 0;
  [true, false].forEach(function (whole) {
    if (best >= 0) return;
    (d.simulations || []).forEach(function (s, i) {
      if (whole && M.simStopped(s)) return;
      if (simSeries(d, i) && s.faults.major > best) { best = s.faults.major; bi = i; }
    });
  });
  return bi;
}

// The memory of a process tree over wall-clock time (tree.treeMemory):
// each process's PSS stacked, as steps, so the top is the tree's memory with
// every page shared copy-on-write counted once; the peak is marked. At most
// MAX_TREE_SERIES processes get their own band (those with the largest PSS
// at the tree's peak, then the largest peak PSS); the rest share one.
var MAX_TREE_SERIES = 11;
// The processes' colours: the palette with its grey last, so that the 11
// processes drawn beside the others' band (grey) take the 11 other colours,
// and only a twelfth process, drawn when there are no others, takes the grey.
var OTHERS_COLOR = '#bab0ac';
var TREE_PALETTE = PALETTE.filter(function (c) { return c !== OTHERS_COLOR; }).concat(
    [OTHERS_COLOR]);

function treeMemorySpec(mem, id) {
  if (!mem || !mem.x.length) return null;
  var x = mem.x.map(function (v) { return (v - mem.t0) / 1000; });
  var order = mem.processes.map(function (p, k) { return k; });
  order.sort(function (a, b) {
    var pa = mem.processes[a];
    var pb = mem.processes[b];
    return pb.at_peak - pa.at_peak || pb.pss_peak - pa.pss_peak || a - b;
  });
  var own = order.slice(0, order.length > MAX_TREE_SERIES + 1 ? MAX_TREE_SERIES : order.length);
  own.sort(function (a, b) { return a - b; });
  var series = own.map(function (k, i) {
    var p = mem.processes[k];
    var cmd = p.command.replace(/^\S*\//, '');
    if (cmd.length > 40) cmd = cmd.slice(0, 39) + '…';
    return { label: 'pid ' + p.pid + ' ' + cmd, raw: mem.values[k], color:
        TREE_PALETTE[i % TREE_PALETTE.length], stacked: true, stepped: true };
  });
  if (own.length < order.length) {
    var rest = order.filter(function (k) { return own.indexOf(k) < 0; });
    var sumRest = x.map(function (v, j) {
      return rest.reduce(function (s, k) { return s + mem.values[k][j]; }, 0);
    });
    series.push({ label: F.count(rest.length, 'other process', 'other processes'), raw: sumRest,
      color: OTHERS_COLOR, stacked: true, stepped: true });
  }
  var bands = applyStack(series);
  var pk = mem.peak;
  var marker = pk.index >= 0 ?
      { x: x[pk.index], y: pk.pages,
        label: 'tree peak ' + F.count(pk.pages, 'page', null, F.dec) } : null;
  series.push({ label: 'tree (Σ PSS)', raw: mem.total, values: mem.total, color: '#222222', width:
      1, stepped: true });
  return {
    id: id || 'chart-tree-memory', title: 'Tree memory: Σ PSS of the processes alive',
    note: 'Each process\'s proportional set size over wall-clock time, stacked: a page shared ' +
          'copy-on-write by n processes counts 1/n in each, so the top counts it once. ' +
      'Peak ' + F.count(pk.pages, 'page', null, F.dec) + ', against ' + F.int(mem.naive) +
          ' for the processes\' peak RSS added up.' +
      (mem.approximate ? ' Approximate: ' + F.count(mem.notes.length, 'file') +
              ' without a full timeline (their PSS at exit is counted over their lifetime).' : ''),
    x: x, xLabel: 'time', xUnit: 'seconds', yUnit: 'pages', series: series, bands: bands,
        marker: marker
  };
}

// The tree memory charts of a build() result: one per run (root) with
// more than one process, at most MAX_TREE_CHARTS.
var MAX_TREE_CHARTS = 10;
function treeMemorySpecs(files, t) {
  var out = [];
  tree.memories(files, t).forEach(function (m, i) {
    if (m.processes.length < 2 || out.length >= MAX_TREE_CHARTS) return;
    var spec = treeMemorySpec(m, 'chart-tree-memory' + (out.length ? '-' + (out.length + 1) : ''));
    if (!spec) return;
    spec.root = t.roots[i];
    spec.memory = m;
    out.push(spec);
  });
  return out;
}

function timeSpecs(d) {
  // A run that never collected counted no reference: its memory only.
  if (M.neverCollected(d)) return [memorySpec(d)].filter(Boolean);
  return [memorySpec(d), wssSpec(d), faultSpec(d)].filter(Boolean);
}

// ---- a vmtrace-native file: its wall-clock timeline --------------------------

function nativeRssSpec(d) {
  var tl = d.timeline;
  if (!tl.t_ms.length) return null;
  return {
    id: 'chart-native-rss', title: 'Resident pages',
    note: 'Resident pages of the live processes added up (/proc/PID/statm), ' +
      'at the end of each sample.',
    x: tl.t_ms, xLabel: 'time', xUnit: 'ms', yUnit: 'pages',
    series: [{ label: 'resident', raw: tl.rss, values: tl.rss, color: '#4e79a7', fill:
        fade('#4e79a7'), stepped: true }],
    bands: []
  };
}

function nativeFaultSpec(d) {
  var tl = d.timeline;
  if (!tl.t_ms.length) return null;
  var series = [
    { label: 'minor', raw: tl.faults.minor, color: '#59a14f', stacked: true, stepped: true,
      during: true },
    { label: 'major', raw: tl.faults.major, color: '#e15759', stacked: true, stepped: true,
      during: true }
  ];
  var bands = applyStack(series);
  return {
    id: 'chart-native-faults', title: 'Faults per interval',
    note: 'Faults the kernel counted during each sample of ' + F.int(tl.interval_ms) +
        ' ms, stacked: the kernel tells only minor from major.',
    x: tl.t_ms, xLabel: 'time', xUnit: 'ms', yUnit: 'count', series: series, bands: bands
  };
}

function nativeSpecs(d) {
  return [nativeRssSpec(d), nativeFaultSpec(d)].filter(Boolean);
}

// ---- simulated vs measured: both runs against progress (compare.js) ----------

var SIM_COLOR = '#4e79a7';
var NAT_COLOR = '#e15759';

function progressSpec(id, title, note, xy, yUnit, stepped) {
  var series = [];
  if (xy.sim) series.push(
      { label: 'simulated', raw: xy.sim, values: xy.sim, color: SIM_COLOR, width: 2,
          stepped: stepped });
  series.push({ label: 'measured', raw: xy.nat, values: xy.nat, color: NAT_COLOR, width: 2, dash:
      [6, 3], stepped: stepped });
  return { id: id, title: title, note: note, x: xy.x, xLabel: 'progress', xUnit: 'percent', yUnit:
      yUnit, series: series, bands: [] };
}

// pr: compare.progress(); the charts need at least one point.
function compareSpecs(pr) {
  if (!pr.faults.x.length) return [];
  return [
    progressSpec('chart-cmp-faults', 'Cumulative faults vs progress',
      'Minor and major faults so far, each run from its start (0 %) to its end (100 %).', pr.faults,
          'count', false),
    progressSpec('chart-cmp-rss', 'Resident pages vs progress',
      'Resident pages' +
          (pr.clock === 'wall' ? ' (simulated: the processes alive added up, on their wall clock)' :
              '') + '; measured: the tree\'s processes added up.', pr.rss, 'pages', true)
  ];
}

// ---- uPlot glue (browser) --------------------------------------------------

// A log x scale from a power of two at or below the smallest value to one
// at or above the largest (and the marker's), so that its ticks are round.
function logRange(spec) {
  return function (u, min, max) {
    if (spec.marker && spec.marker.x > 0) {
      min = Math.min(min, spec.marker.x);
      max = Math.max(max, spec.marker.x);
    }
    if (!(min > 0) || !(max > 0)) return [1, 2];
    var lo = Math.pow(2, Math.floor(Math.log2(min)));
    var hi = Math.pow(2, Math.ceil(Math.log2(max)));
    return [lo, hi > lo ? hi : lo * 2];
  };
}

// A stacked series' line drawn only where the series has a value: uPlot
// strokes a series along its cumulative values, so a class without faults
// in a sample drew its colour along the top of the classes under it, and
// at a sample a pixel or less wide the last class's line, up and down at
// every sample, painted the whole stack (sqlite3's faults chart was red,
// wp_copy's 28 faults, over 8,644 anonymous ones). Its band (the fill) is
// the path builder's; its outline is the sides and top of each sample's
// own share: for a count during a sample (s.during) over the sample's
// interval, for a state from its sample to the next, for a line between
// two samples of which one has a value.
function ownOutline(build, s) {
  return function (u, si, i0, i1) {
    var p = build(u, si, i0, i1);
    if (!p || typeof Path2D === 'undefined') return p;
    var xs = u.data[0];
    var cum = u.data[si];
    var raw = s.raw;
    var X = function (v) { return u.valToPos(v, 'x', true); };
    var Y = function (v) { return u.valToPos(v, 'y', true); };
    var path = new Path2D();
    var lo = Math.max(0, i0 - 1);
    var hi = Math.min(xs.length - 1, i1 + 1);
    for (var k = lo; k <= hi; k++) {
      if (s.stepped) {
        if (!(raw[k] > 0) || cum[k] === null) continue;
        var xa = s.during ? (k > 0 ? xs[k - 1] : Math.min(0, xs[0])) : xs[k];
        var xb = s.during ? xs[k] : k + 1 < xs.length ? xs[k + 1] : xs[k];
        var top = Y(cum[k]);
        var bottom = Y(cum[k] - raw[k]);
        path.moveTo(X(xa), bottom);
        path.lineTo(X(xa), top);
        path.lineTo(X(xb), top);
        path.lineTo(X(xb), bottom);
      } else if (k < hi && (raw[k] > 0 || raw[k + 1] > 0) && cum[k] !== null &&
          cum[k + 1] !== null) {
        path.moveTo(X(xs[k]), Y(cum[k]));
        path.lineTo(X(xs[k + 1]), Y(cum[k + 1]));
      }
    }
    p.stroke = path;
    return p;
  };
}

// Page-count ticks that are round sizes in bytes: 1, 2, 4 ... pages.
var POW2 = [];
for (var p2 = 1; p2 <= Math.pow(2, 40); p2 *= 2) POW2.push(p2);

function axisFormatter(unit, pageSize) {
  if (unit === 'pages') return function (v) { return F.bytes(v * pageSize); };
  return function (v) { return F.si(v); };
}

function toUplot(spec, width, height, pageSize, uPlot) {
  var yFmt = axisFormatter(spec.yUnit, pageSize);
  // A tick's label has the digits its axis' step (uPlot's increment) needs,
  // so that a zoom far from 0 does not label every tick alike.
  var xFmt = spec.xUnit === 'pages' ? function (v) { return F.bytes(v * pageSize); }
    : spec.xUnit === 'seconds' ? function (v, step) { return F.secondsTick(v, step); }
      : spec.xUnit === 'ms' ? function (v, step) { return F.secondsTick(v / 1000, step / 1000); }
        : spec.xUnit === 'percent' ? function (v, step) { return F.siTick(v, step) + '%'; } :
            function (v, step) { return F.siTick(v, step); };
  if (spec.yUnit === 'ratio') yFmt = function (v) { return v === null ? '' : F.dec(v); };
  var legendFmt = spec.yUnit === 'ratio'
    ? function (v) { return v === null || v === undefined ? '–' : v.toFixed(3); }
    : spec.yUnit === 'pages'
    ? function (v) { return v === null || v === undefined ? '–' : F.dec(v) + ' (' +
        F.bytes(v * pageSize) + ')'; }
    : function (v) { return v === null || v === undefined ? '–' : F.int(v); };
  var series = [{
    label: spec.xLabel,
    value: function (u, v) {
      if (v === null || v === undefined) return '–';
      return spec.xUnit === 'pages' ? F.pages(v, pageSize) : spec.xUnit === 'seconds' ?
          v.toFixed(3) + ' s'
        : spec.xUnit === 'ms' ? F.int(v) + ' ms' : spec.xUnit === 'percent' ? v.toFixed(2) +
            '%' : F.int(v);
    }
  }];
  spec.series.forEach(function (s, i) {
    var o = {
      label: s.label, stroke: s.color, width: s.width || 1.5,
      value: function (u, v, si, idx) { return idx === null || idx === undefined ? '–' :
          legendFmt(s.raw[idx]); },
      spanGaps: !!s.points
    };
    if (s.dash) o.dash = s.dash;
    if (s.fill) o.fill = s.fill;
    if (s.axis2) o.scale = 'y2';
    // A run of one sample has no line to draw between samples: its values
    // are shown as points, or a chart of them would look empty.
    o.points = s.points || spec.x.length === 1 ? { show: true, size: 6 } : { show: false };
    // A state sampled at x (resident pages) holds until the next sample:
    // the step comes after the point. A count of what happened during the
    // sample that ended at x (faults per interval, swap-ins, TLB misses)
    // covers the time since the previous sample: the step comes before.
    if (s.stepped && uPlot.paths && uPlot.paths.stepped) {
      // extend: the first sample's count spans it too, from the axis' 0
      // (the time charts start there) to its end.
      o.paths = uPlot.paths.stepped(s.during ? { align: -1, extend: true } : { align: 1 });
    }
    if (s.stacked && o.paths) o.paths = ownOutline(o.paths, s);
    else if (s.stacked && uPlot.paths && uPlot.paths.linear) {
      o.paths = ownOutline(uPlot.paths.linear(), s);
    }
    series.push(o);
    void i;
  });
  var opts = {
    width: width, height: height,
    series: series,
    bands: spec.bands || [],
    scales: {
      x: spec.xLog ? { time: false, distr: 3, log: 2, range: logRange(spec) } : { time: false },
      y: spec.yLog ? { distr: 3, log: 10 }
        : { range: function (u, min, max) {
          if (spec.marker && F.isNum(spec.marker.y)) max = Math.max(max, spec.marker.y);
          return [0, max > 0 ? max * 1.05 : 1];
        } }
    },
    axes: [
      { values: function (u, vals, axis, space, incr) {
        return vals.map(function (v) { return xFmt(v, incr); });
      } },
      spec.yUnit === 'pages'
        ? { size: 70, incrs: POW2, values: function (u, vals) { return vals.map(yFmt); } }
        : { size: 70, values: function (u, vals) { return vals.map(yFmt); } }
    ],
    legend: { live: true },
    cursor: { drag: { x: true, y: false } }
  };
  // A series on an axis of its own, at the right, in its colour (swap in use
  // many times the RAM would flatten the RAM's stack to a line); a chart
  // beside one (spec.axis2Gap) leaves the same room, so their times align.
  var y2 = spec.series.filter(function (s) { return s.axis2; })[0];
  if (y2) {
    opts.scales.y2 = { range: function (u, min, max) { return [0, max > 0 ? max * 1.05 : 1]; } };
    opts.axes.push({ scale: 'y2', side: 1, size: 70, stroke: y2.color, grid: { show: false },
      label: y2.label, labelSize: 20, incrs: spec.yUnit === 'pages' ? POW2 : undefined,
      values: function (u, vals) { return vals.map(yFmt); } });
  } else if (spec.axis2Gap) {
    opts.axes.push({ scale: 'y', side: 1, size: 90, grid: { show: false }, ticks: { show: false },
      values: function (u, vals) { return vals.map(function () { return ''; }); } });
  }
  if (spec.marker) opts.hooks = { draw: [function (u) { drawMarker(u, spec.marker, pageSize); }] };
  if (spec.paused) {
    opts.hooks = opts.hooks || {};
    opts.hooks.drawClear = [function (u) { drawPaused(u, spec.paused); }];
  }
  var idx = stepIndex(spec);
  if (idx) opts.cursor.dataIdx = function (u, si, closest, x) { return idx(spec.x, closest, x); };
  var data = [spec.x].concat(spec.series.map(function (s) { return s.values; }));
  return { opts: opts, data: data };
}

// The sample the legend shows at the pointer, on a chart of steps: the one
// whose step is under it. Counts per sample (every series `during`) are
// drawn over (x[i-1], x[i]]: the first sample ending at or after the
// pointer; states hold from x[i] to x[i+1]: the last one at or before it.
// Other charts keep uPlot's nearest point. Returns null for those.
function stepIndex(spec) {
  var s = spec.series;
  if (!s.length || !s.every(function (x) { return x.stepped; })) return null;
  var during = s.every(function (x) { return x.during; });
  if (!during && s.some(function (x) { return x.during; })) return null;
  return function (xs, closest, v) {
    if (v === null || v === undefined || !isFinite(v) || !xs.length) return closest;
    var lo = 0;
    var hi = xs.length; // the first index with xs[i] >= v (or > v for states)
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (during ? xs[mid] < v : xs[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    return during ? Math.min(lo, xs.length - 1) : Math.max(lo - 1, 0);
  };
}

// The stretches [from, to) of x while collection was paused, shaded grey
// under the series.
function drawPaused(u, paused) {
  var b = u.bbox;
  var ctx = u.ctx;
  ctx.save();
  ctx.fillStyle = 'rgba(0, 0, 0, 0.07)';
  paused.forEach(function (p) {
    var x0 = Math.max(b.left, u.valToPos(p[0], 'x', true));
    var x1 = Math.min(b.left + b.width, u.valToPos(p[1], 'x', true));
    if (isFinite(x0) && isFinite(x1) && x1 > x0) ctx.fillRect(x0, b.top, x1 - x0, b.height);
  });
  ctx.restore();
}

// A dashed vertical line at marker.x with a dot at marker.y and its label
// (canvas text, never markup).
function drawMarker(u, m, pageSize) {
  var cx = u.valToPos(m.x, 'x', true);
  var b = u.bbox;
  var cy = m.y === null || m.y === undefined ? b.top + 16 : u.valToPos(m.y, 'y', true);
  if (!isFinite(cx) || cx < b.left - 1 || cx > b.left + b.width + 1) return;
  var ctx = u.ctx;
  var dpr = (typeof devicePixelRatio === 'number' && devicePixelRatio) || 1;
  ctx.save();
  ctx.strokeStyle = '#b3261e';
  ctx.fillStyle = '#b3261e';
  ctx.lineWidth = 1.5 * dpr;
  ctx.setLineDash([5 * dpr, 4 * dpr]);
  ctx.beginPath();
  ctx.moveTo(cx, b.top);
  ctx.lineTo(cx, b.top + b.height);
  ctx.stroke();
  ctx.setLineDash([]);
  if (m.y !== null && m.y !== undefined) {
    ctx.beginPath();
    ctx.arc(cx, cy, 4 * dpr, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.font = (12 * dpr) + 'px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  var text = m.label + ' (' + F.bytes((m.y === null || m.y === undefined ? m.x : m.y) * pageSize) +
      ')';
  var w = ctx.measureText(text).width;
  var tx = cx + 6 * dpr + w > b.left + b.width ? cx - 6 * dpr - w : cx + 6 * dpr;
  ctx.fillText(text, tx, Math.max(b.top + 14 * dpr, cy - 6 * dpr));
  ctx.restore();
}

// Keeps the x range of several time charts (and the heatmap) the same:
// zooming one (drag) or resetting it (double-click) applies to all.
function Linker() {
  this.members = [];
  this.busy = false;
}
Linker.prototype.add = function (m) { this.members.push(m); };
Linker.prototype.set = function (from, min, max) {
  if (this.busy) return;
  this.busy = true;
  try {
    this.members.forEach(function (m) { if (m !== from) m.setRange(min, max); });
  } finally {
    this.busy = false;
  }
};

// Charts reset by a double-click report their full range (null): the
// linked charts then show `full` ([min, max]; the time view's: from 0, where
// the heatmap starts, to the end), by default from 0 to their last sample.
// From 0, not from the first sample: a count per sample (faults, TLB misses,
// swap-ins) is drawn over the time since the previous sample, the first
// sample's from 0, which a range from the first sample would leave out.
function resetToFullRange(linker, full) {
  if (!full) {
    var lo = Infinity;
    var hi = -Infinity;
    linker.members.forEach(function (m) {
      var x = m.plot && m.plot.data[0];
      if (!x || !x.length) return;
      lo = Math.min(lo, x[0]);
      hi = Math.max(hi, x[x.length - 1]);
    });
    if (hi > Math.min(0, lo)) full = [Math.min(0, lo), hi];
  }
  linker.members.forEach(function (m) {
    if (!m.plot) return;
    var inner = m.setRange;
    m.setRange = function (a, b) {
      if (a === null || b === null) {
        var x = m.plot.data[0];
        if (full) inner(full[0], full[1]);
        else inner(x[0], x[x.length - 1]);
      } else inner(a, b);
    };
  });
  if (full) linker.members.forEach(function (m) { if (m.plot) m.setRange(full[0], full[1]); });
}

var TIME_AXIS = 150;

// The plot area of a uPlot chart inside its holder (.chart), in CSS
// pixels: {left, width}, from the chart's own layout (its bbox, in canvas
// pixels), so it is known before the page lays the chart out.
function plotArea(plot, dpr) {
  var b = plot && plot.bbox;
  if (!b || !(b.width > 0)) return null;
  dpr = dpr || 1;
  return { left: b.left / dpr, width: b.width / dpr };
}

// Creates a uPlot in `el` for a time spec, joined to the linker.
// syncKey: the charts whose pointer moves together (default: the
// simulated file's time charts).
function makeTimeChart(el, spec, pageSize, uPlot, linker, width, syncKey) {
  var u = toUplot(spec, width, 220, pageSize, uPlot);
  // A wide y axis: the heatmap under the charts labels its rows there, and
  // its plot area starts where theirs do.
  u.opts.axes[1].size = TIME_AXIS;
  var member = null;
  u.opts.cursor.sync = { key: syncKey || 'vmtrace-time', setSeries: false };
  u.opts.hooks = Object.assign({}, u.opts.hooks, {
    setScale: [function (plot, key) {
      if (key !== 'x' || !member) return;
      linker.set(member, plot.scales.x.min, plot.scales.x.max);
    }]
  });
  var plot = new uPlot(u.opts, u.data, el);
  member = {
    plot: plot,
    setRange: function (min, max) { plot.setScale('x', { min: min, max: max }); }
  };
  linker.add(member);
  return plot;
}

function makeChart(el, spec, pageSize, uPlot, width) {
  var u = toUplot(spec, width, 260, pageSize, uPlot);
  return new uPlot(u.opts, u.data, el);
}

module.exports = {
  stack: stack, applyStack: applyStack,
  stepIndex: stepIndex, memorySpec: memorySpec, wssSpec: wssSpec, faultSpec: faultSpec,
  policySpec: policySpec,
  relativeSpec: relativeSpec, curveAt: curveAt, curveSizes: curveSizes,
  simMemorySpec: simMemorySpec, simActivitySpec: simActivitySpec, defaultSim: defaultSim,
  simSeries: simSeries, simStop: simStop,
  treeMemorySpec: treeMemorySpec, treeMemorySpecs: treeMemorySpecs, MAX_TREE_CHARTS:
      MAX_TREE_CHARTS,
  timeSpecs: timeSpecs, toUplot: toUplot, Linker: Linker, resetToFullRange: resetToFullRange,
  nativeRssSpec: nativeRssSpec, nativeFaultSpec: nativeFaultSpec, nativeSpecs: nativeSpecs,
      compareSpecs: compareSpecs,
  makeTimeChart: makeTimeChart, makeChart: makeChart, plotArea: plotArea,
  KIND_COLORS: KIND_COLORS, CLASS_COLORS: CLASS_COLORS
};
