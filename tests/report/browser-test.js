#!/usr/bin/env node
'use strict';
// Opens reports made by vmtrace-report in headless Chromium (Debian's
// /usr/bin/chromium, driven over --remote-debugging-pipe) and checks them:
// no console errors or exceptions, no dialog (alert) ever opens, no network
// request, every chart canvas has drawn pixels, the markup-looking names of
// the synthetic file show as text, and the interactive parts respond.
// Prints TAP-style lines "ok N - name" / "not ok N - name" with "#"
// diagnostics; writes screenshots to the output folder.
//
//   node tests/report/browser-test.js [--out DIR] [--start N] [--real FILE]... [--real-tree DIR]...
//                                     [--real-compare SIM NATIVE]...
// --start N numbers the first case N (tests/report/run passes its count);
// --real FILE adds a report of a real vmtrace output file, --real-tree DIR
// one of all the vmtrace.out.* (or out.*) files in DIR (a real process tree,
// with its tree memory chart checked: drawn, peak marked, legend live),
// --real-compare SIM NATIVE one of a real simulated run against a real
// vmtrace-native file.

var child_process = require('child_process');
var fs = require('fs');
var os = require('os');
var path = require('path');
var cdp = require('./cdp');
var fixtures = require('./fixtures');
var V = require('../../reports/src/validate');
var C = require('../../reports/src/charts');
var FL = require('../../reports/src/flame');
var treeMod = require('../../reports/src/tree');
var tlbView = require('../../reports/src/views/tlb');

var root = path.resolve(__dirname, '..', '..');
var report = path.join(root, 'reports', 'vmtrace-report');

var args = process.argv.slice(2);
var outDir = null;
var n = 1;
var reals = [];
var realTrees = [];
var realCompares = [];
var realEvictions = [];
var realCut = [];
var realThp = [];
var realTlb = [];
var realSpike = [];
for (var i = 0; i < args.length; i++) {
  if (args[i] === '--out') outDir = args[++i];
  else if (args[i] === '--start') n = Number(args[++i]);
  else if (args[i] === '--real') reals.push(args[++i]);
  else if (args[i] === '--real-tree') realTrees.push(args[++i]);
  else if (args[i] === '--real-evictions') realEvictions.push(args[++i]);
  else if (args[i] === '--real-cut') realCut.push(args[++i]);
  else if (args[i] === '--real-thpcompare') realThp.push(args[++i]);
  else if (args[i] === '--real-tlb') realTlb.push(args[++i]);
  else if (args[i] === '--real-spike') realSpike.push(args[++i]);
  else if (args[i] === '--real-compare') { realCompares.push([args[i + 1], args[i + 2]]); i += 2; }
  else { process.stderr.write('unknown argument ' + args[i] + '\n'); process.exit(2); }
}
var tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vmtrace-report-browser-'));
outDir = path.resolve(outDir || tmp);
fs.mkdirSync(outDir, { recursive: true });

var failures = 0;
function result(ok, name, diag) {
  process.stdout.write((ok ? 'ok ' : 'not ok ') + (n++) + ' - ' + name + '\n');
  if (!ok) failures++;
  (diag || []).forEach(function (d) {
    String(d).split('\n').forEach(function (l) { process.stdout.write('# ' + l + '\n'); });
  });
}

// What the viewer should show for a file: charts and sections follow the
// planned keys the file has, so real runs keep passing as the tool grows.
function expectFor(file, base) {
  var d = V.parse(fs.readFileSync(file, 'utf8'));
  var charts = C.timeSpecs(d).map(function (s) { return s.id; });
  if (d.heat) charts.push('chart-heatmap');
  if (C.policySpec(d)) charts.push('chart-policies', 'chart-policies-major');
  if (C.relativeSpec(d)) charts.push('chart-policies-relative');
  if (d.fault_sites && d.fault_sites.length) charts.push('chart-flame');
  if (d.simulations && C.simSeries(d, C.defaultSim(d))) {
    charts.push('chart-sim-memory', 'chart-sim-activity');
  }
  var sections = base.sections.slice();
  var absent = (base.absent || []).slice();
  // --tlb: the TLB view and its chart; without, no TLB figure anywhere
  var absentText = (base.absentText || []).slice();
  if (d.tlb) {
    sections.push('sec-tlb');
    if (tlbView.tlbSpec(d)) charts.push('chart-tlb');
  } else {
    absent.push('sec-tlb');
    absentText.push('dTLB misses', 'TLB misses by');
  }
  [['sec-time', charts.length > 0], ['sec-faultsites', !!d.fault_sites],
      ['sec-simulations', !!d.simulations],
    ['sec-invalid', d.invalid_accesses.length > 0]].forEach(function (x) {
    (x[1] ? sections : absent).push(x[0]);
  });
  return Object.assign({}, base, { charts: charts, sections: sections, absent: absent,
    absentText: absentText });
}

// The tree memory charts a set of files gets (one per run of several
// processes).
function treeChartIds(loaded) {
  return C.treeMemorySpecs(loaded, treeMod.build(loaded)).map(function (s) { return s.id; });
}

function makeReport(files, out) {
  var r = child_process.spawnSync(process.execPath, [report].concat(files).concat(['-o', out]),
      { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('vmtrace-report failed (' + r.status + '): ' + r.stderr);
  return out;
}

// Evaluated in the page: facts about what is drawn.
var INSPECT = '(' + function () {
  function drawn(c) {
    if (!c.width || !c.height) return false;
    try {
      var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      var first = [d[0], d[1], d[2], d[3]];
      for (var i = 0; i < d.length; i += 4) {
        if (d[i + 3] !== 0 &&
            (d[i] !== first[0] || d[i + 1] !== first[1] || d[i + 2] !== first[2] || d[i + 3] !==
                first[3])) return true;
      }
      return false;
    } catch (e) { return 'error: ' + e.message; }
  }
  var canvases = Array.prototype.map.call(document.querySelectorAll('canvas'), function (c) {
    var holder = c.closest('.chart');
    return { chart: holder ? holder.id : '(none)', width: c.width, height: c.height,
        drawn: drawn(c) };
  });
  var imgs = Array.prototype.map.call(
      document.querySelectorAll('img, svg[onload], [onerror], [onload]'),
          function (e) { return e.outerHTML.slice(0, 120); });
  var scripts = document.querySelectorAll('script').length;
  return {
    title: document.title,
    text: document.body.innerText,
    canvases: canvases,
    charts: Array.prototype.map.call(document.querySelectorAll('.chart'),
        function (e) { return e.id; }),
    sections: Array.prototype.map.call(document.querySelectorAll('section'),
        function (s) { return s.id; }),
    injected: imgs,
    scripts: scripts,
    alerted: window.__alerts || 0,
    tables: document.querySelectorAll('table.data').length,
    errorsShown: Array.prototype.map.call(document.querySelectorAll('.error'),
        function (e) { return e.textContent; })
  };
}.toString() + ')()';

async function check(browser, name, file, expect) {
  var page = await browser.newPage(1400, 1000);
  var diag = [];
  var info = null;
  try {
    await page.send('Network.enable');
    page.browser.on(function (msg) {
      if (msg.sessionId === page.sessionId && msg.method === 'Network.requestWillBeSent') {
        var u = msg.params.request.url;
        if (!/^(file:|data:|about:)/.test(u)) page.requests.push(u);
      }
    });
    // Any alert() the page could be tricked into is counted, even if the
    // dialog event were missed.
    await page.send('Page.addScriptToEvaluateOnNewDocument', {
      source: 'window.__alerts = 0; ["alert","confirm","prompt"].forEach(function (k) { var o = ' +
              'window[k]; window[k] = function () { window.__alerts++; return o.apply(window, ' +
              'arguments); }; });'
    });
    // Every uPlot chart the page makes, kept for checks of what is drawn.
    await page.send('Page.addScriptToEvaluateOnNewDocument', { source: '(' + function () {
      window.__vmtraceAllPlots = [];
      var real;
      Object.defineProperty(window, 'uPlot', { configurable: true,
        get: function () { return real; },
        set: function (U) {
          real = function (opts, data, el) {
            var u = new U(opts, data, el);
            window.__vmtraceAllPlots.push(u);
            return u;
          };
          Object.assign(real, U);
          real.prototype = U.prototype;
        } });
    }.toString() + ')()' });
    await page.goto('file://' + file);
    await new Promise(function (r) { setTimeout(r, 700); });
    info = await page.evaluate(INSPECT);
    // A chart of counts per sample draws the first sample's over the time
    // since 0: its time axis starts there, or that step is off the plot.
    var starts = await page.evaluate('(' + function () {
      return window.__vmtraceAllPlots.map(function (u) {
        var h = u.root.closest('.chart');
        return { id: h ? h.id : '?', min: u.scales.x.min, x0: u.data[0][0],
          series: u.series.slice(1).map(function (x) {
            return { label: x.label, look: String(x._stroke || x.stroke) + ' ' +
                JSON.stringify(x.dash || null) };
          }) };
      });
    }.toString() + ')()');
    // In a chart, a colour and dash name one series: two series that look
    // alike would be read as one.
    var alike = [];
    starts.forEach(function (c) {
      var seen = {};
      c.series.forEach(function (x) {
        if (seen[x.look] !== undefined && seen[x.look] !== x.label) {
          alike.push(c.id + ': "' + seen[x.look] + '" and "' + x.label + '" both ' + x.look);
        }
        seen[x.look] = x.label;
      });
    });
    result(alike.length === 0, 'browser ' + name + ': in each of the ' + starts.length +
        ' charts every series has a colour and dash of its own', alike);
    var perSample = /^chart-(faults|tlb|thp-faults|sim-activity|native-faults)$/;
    var late = starts.filter(function (c) { return perSample.test(c.id) && !(c.min <= 0); });
    result(late.length === 0, 'browser ' + name + ': the charts of counts per sample (' +
        starts.filter(function (c) { return perSample.test(c.id); }).map(function (c) {
          return c.id;
        }).join(', ') + ') show time from 0, the first sample\'s step included',
        late.map(function (c) { return c.id + ' starts at ' + c.min + ' (first sample ' + c.x0 +
            ')'; }));
    if (expect.interact) await expect.interact(page, diag);
    await new Promise(function (r) { setTimeout(r, 200); });
    var shot = path.join(outDir, name.replace(/[^a-z0-9]+/gi, '-') + '.png');
    var size = await page.screenshot(shot, 9000);
    diag.push('screenshot ' + shot + ' (' + size.width + 'x' + size.height + ')');
  } catch (e) {
    result(false, 'browser ' + name + ': page loads', [e.message].concat(page.errors));
    return;
  }
  var errs = page.errors.slice();
  result(errs.length === 0, 'browser ' + name + ': no console errors or exceptions', errs);
  result(page.dialogs.length === 0 && !info.alerted, 'browser ' + name +
      ': no alert or other dialog',
          page.dialogs.concat(info.alerted ?
              ['window.alert called ' + info.alerted + ' times'] : []));
  result(page.requests.length === 0, 'browser ' + name + ': no network requests', page.requests);
  var bad = info.canvases.filter(function (c) { return c.drawn !== true; });
  var charts = info.charts.slice().sort();
  var want = (expect.charts || []).slice().sort();
  var missing = want.filter(function (c) { return charts.indexOf(c) < 0; });
  var extra = charts.filter(function (c) { return want.indexOf(c) < 0; });
  result(bad.length === 0 && missing.length === 0 && extra.length === 0 && info.canvases.length >=
      want.length,
    'browser ' + name + ': charts drawn (' + want.length + ': ' +
        (want.join(', ') || 'none expected') + ')',
    bad.map(function (c) { return 'empty canvas in ' + c.chart + ' ' + c.width + 'x' + c.height +
        ': ' + c.drawn; })
      .concat(missing.map(function (c) { return 'missing chart ' + c; }))
      .concat(extra.map(function (c) { return 'unexpected chart ' + c; })));
  var missingText = (expect.text || []).filter(function (t) { return info.text.indexOf(t) < 0; });
  var extraText = (expect.absentText || []).filter(
      function (t) { return info.text.indexOf(t) >= 0; });
  result(missingText.length === 0 && extraText.length === 0 && info.injected.length === 0 &&
      info.scripts === 3,
    'browser ' + name + ': run strings shown as text, nothing injected',
    missingText.map(function (t) { return 'text not shown: ' + t; })
      .concat(extraText.map(function (t) { return 'text that should be absent: ' + t; }))
      .concat(info.injected.map(function (e) { return 'element from a run string: ' + e; }))
      .concat(info.scripts !== 3 ? ['expected 3 script elements, found ' + info.scripts] : []));
  var missingSec =
      (expect.sections || []).filter(function (s) { return info.sections.indexOf(s) < 0; });
  var extraSec =
      (expect.absent || []).filter(function (s) { return info.sections.indexOf(s) >= 0; });
  result(missingSec.length === 0 && extraSec.length === 0 && info.errorsShown.length === 0,
    'browser ' + name + ': views present (' + info.sections.length + ' sections, ' +
        info.tables + ' tables)',
    missingSec.map(function (s) { return 'missing section ' + s; })
      .concat(extraSec.map(function (s) { return 'section should be absent: ' + s; }))
      .concat(info.errorsShown).concat(diag));
}

// The heatmap's figures against the synthetic file, computed here
// independently: each column's page-epochs spread evenly over its epochs,
// the heat of a time span the page-epochs of the epochs it covers (a part
// of an epoch counted by its part) over those epochs.
function expectedHeat(hm, row, t0, t1) {
  var perEpoch = [];
  for (var c = 0; c < hm.columns; c++) {
    var e = c === hm.columns - 1 ? hm.last_epochs : hm.column_epochs;
    var v = 0;
    hm.rows[row].cells.forEach(function (run) {
      if (c >= run[0] && c < run[0] + run.length - 1) v = run[c - run[0] + 1];
    });
    for (var k = 0; k < e; k++) perEpoch.push(v / e);
  }
  var pe = 0;
  var ep = 0;
  perEpoch.forEach(function (v, i) {
    var a = Math.max(t0, i * hm.epoch);
    var b = Math.min(t1, (i + 1) * hm.epoch);
    if (b > a) { pe += v * (b - a) / hm.epoch; ep += (b - a) / hm.epoch; }
  });
  return ep ? pe / ep : 0;
}

function checkHeat(r, diag) {
  var hm = fixtures.makeFile({}).heat;
  var H = require('../../reports/src/heatmap');
  diag.push('heatmap plot area left/width ' + JSON.stringify(r.align) + '; before zoom ' +
      r.before.bins + ' bins over ' + JSON.stringify(r.before.range) + ', after ' + r.after.bins +
          ' over ' + JSON.stringify(r.after.range) + '; scale ticks ' + JSON.stringify(r.scale));
  if (Math.abs(r.align[0] - r.align[1]) > 1 || Math.abs(r.align[2] - r.align[3]) > 1) {
    throw new Error('the heatmap\'s plot area is not under the time charts\': ' +
        JSON.stringify(r.align));
  }
  [r.before, r.after].forEach(function (p, k) {
    var c = p.cell;
    var want = expectedHeat(hm, r.row, c.t0, c.t1);
    var shown = Number(/heat ([0-9.]+) pages/.exec(p.tip)[1]);
    var t = /instructions ([0-9,]+)–([0-9,]+)/.exec(p.tip);
    var span = [Number(t[1].replace(/,/g, '')), Number(t[2].replace(/,/g, ''))];
    diag.push((k ? 'after' : 'before') + ' zoom: bin ' + JSON.stringify(span) + ' heat shown ' +
        shown + ', expected ' + want.toFixed(4) + '; pixel ' + JSON.stringify(p.px));
    if (Math.abs(shown - want) > 0.0005 + 1e-9) {
      throw new Error('heat ' + shown + ' shown, expected ' + want);
    }
    var colour = H.colorOf(H.intensity(want, r.max, r.lo));
    if (p.px.some(function (v, i) { return Math.abs(v - colour[i]) > 2; })) {
      throw new Error('pixel ' + JSON.stringify(p.px) + ' is not the colour of heat ' + want +
          ' (' + JSON.stringify(colour) + ')');
    }
  });
  // 1744 columns: the whole run is averaged into the plot's pixels; a
  // quarter of it is re-binned finer.
  var w0 = (r.before.range[1] - r.before.range[0]) / r.before.bins;
  var w1 = (r.after.range[1] - r.after.range[0]) / r.after.bins;
  if (!(r.before.bins < hm.columns && w1 < w0 / 3)) {
    throw new Error('not re-binned on zoom: ' + w0 + ' then ' + w1 + ' instructions a bin');
  }
  if (!(r.max > 0) || !r.scale.length ||
      r.scale.some(function (v) { return !/^[125]$/.test(String(v[0]).replace(/0|\./g, '')); })) {
    throw new Error('the colour scale has no round ticks: ' + JSON.stringify(r.scale));
  }
}

// Interactions on the synthetic report: sort the mappings by faults, zoom
// the heatmap by a drag and see the time charts follow, filter the fault
// sites, open a stack.
async function interactSynthetic(page, diag) {
  var r = await page.evaluate('(' + function () {
    var out = {};
    var table = document.querySelector('[data-table="mappings"] table');
    var th = Array.prototype.filter.call(table.querySelectorAll('th'),
        function (t) { return t.textContent === 'faults'; })[0];
    th.click();
    var col = Array.prototype.indexOf.call(th.parentNode.children, th);
    var vals = Array.prototype.map.call(
        document.querySelectorAll('[data-table="mappings"] tbody tr'), function (tr) {
      return Number(tr.children[col].textContent.replace(/,/g, ''));
    });
    out.sortedDesc = vals.every(function (v, i) { return i === 0 || vals[i - 1] >= v; });
    out.sortAttr = th.getAttribute('aria-sort');
    // the heatmap: its plot area under the time charts', a cell's heat
    // under the pointer, then a drag across the middle (zoom: re-binned)
    var view = window.__vmtraceHeat;
    var c = document.querySelector('#chart-heatmap canvas');
    var rect = c.getBoundingClientRect();
    var plot0 = (window.__vmtraceTimePlots || [])[0];
    var over = plot0.over.getBoundingClientRect();
    out.align = [rect.left + view.left, over.left, view.plotW, over.width];
    // the middle of the band of the first row with cells
    var band = view.layout.bands[0];
    var y = rect.top + band.y + 1;
    function ev(type, x) {
      var e = new MouseEvent(type, { clientX: x, clientY: y, bubbles: true });
      (type === 'mouseup' ? document : c).dispatchEvent(e);
    }
    function probe(f) {
      var x = rect.left + view.left + view.plotW * f;
      ev('mousemove', x);
      var cell = view.cellAt(x - rect.left, y - rect.top);
      var dpr = window.devicePixelRatio || 1;
      var px = c.getContext('2d').getImageData(Math.round((x - rect.left) * dpr),
          Math.round((y - rect.top) * dpr), 1, 1).data;
      return { tip: document.querySelector('.heatmap-tip').textContent, cell: cell,
        bins: view.bins.n, range: view.range.slice(), px: [px[0], px[1], px[2]] };
    }
    out.before = probe(0.3);
    var x0 = rect.left + view.left + view.plotW * 0.25;
    var x1 = rect.left + view.left + view.plotW * 0.5;
    ev('mousedown', x0); ev('mousemove', (x0 + x1) / 2); ev('mousemove', x1); ev('mouseup', x1);
    out.after = probe(0.3);
    out.scale = view.scaleTicks;
    out.max = view.max;
    out.lo = view.lo;
    out.row = band.first;
    out.tip = out.after.tip;
    // fault-site class filter
    var sel = document.querySelector('#sec-faultsites select');
    sel.value = 'swap_in';
    sel.dispatchEvent(new Event('change'));
    var classes =
        Array.prototype.map.call(document.querySelectorAll('[data-table="faultsites"] tbody tr'),
            function (tr) { return tr.children[1].textContent; });
    out.filtered = classes.length > 0 && classes.every(function (c) { return c === 'swap_in'; });
    var det = document.querySelector('[data-table="faultsites"] details');
    if (det) det.open = true;
    return out;
  }.toString() + ')()');
  diag.push('sorted by faults: ' + r.sortedDesc + ' (' + r.sortAttr + '); class filter: ' +
      r.filtered + '; tooltip: ' + JSON.stringify(r.tip));
  if (!r.sortedDesc || r.sortAttr !== 'descending') throw new Error(
      'sorting the mappings by faults did not work');
  if (!r.filtered) throw new Error('the fault-site class filter did not work');
  if (!/pages referenced per 4,096 instructions/.test(r.tip)) {
    throw new Error('the heatmap tooltip did not show');
  }
  checkHeat(r, diag);
  // round ticks (a multiple of one step of 1, 2 or 5 x 10^k) at the x the
  // time charts give their times, to a pixel; before 2026-12-06 the axis
  // was cut in sixths of the range, ticks at no round time
  // the heatmap's time ticks after the zoom: each where the time charts
  // above put its time (their plot areas are aligned), once they followed
  var tt = await page.evaluate('(' + function () {
    return new Promise(function (done) {
      setTimeout(function () {
        var view = window.__vmtraceHeat;
        var rect = document.querySelector('#chart-heatmap canvas').getBoundingClientRect();
        var plot0 = window.__vmtraceTimePlots[0];
        var over = plot0.over.getBoundingClientRect();
        done((view.timeTicks || []).map(function (k) {
          return [k[0], rect.left + view.left + k[1], over.left + plot0.valToPos(k[0], 'x')];
        }));
      }, 300);
    });
  }.toString() + ')()');
  diag.push('heatmap time ticks after the zoom [time, x, the charts\' x]: ' + JSON.stringify(tt));
  var step = tt.length > 1 ? tt[1][0] - tt[0][0] : 0;
  var mant = step > 0 ? step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9)) : 0;
  if (tt.length < 3 || [1, 2, 5].indexOf(Math.round(mant * 1000) / 1000) < 0 ||
      tt.some(function (k, i) {
        return Math.abs(k[0] - (tt[0][0] + i * step)) > 1e-6 * step ||
            Math.abs(k[0] / step - Math.round(k[0] / step)) > 1e-6 || Math.abs(k[1] - k[2]) > 1;
      })) {
    throw new Error('the heatmap\'s time ticks are not round steps at the charts\' x: ' +
        JSON.stringify(tt));
  }
  var zoom = await page.evaluate(
      '(function () { var p = window.__vmtraceTimePlots || []; return p.map(function (u) { ' +
      'return [u.scales.x.min, u.scales.x.max, u.data[0][0], u.data[0][u.data[0].length - 1]]; ' +
      '}); })()');
  diag.push('time chart x ranges after the heatmap drag: ' + JSON.stringify(zoom));
  var zoomed = zoom.filter(function (z) { return z[0] > z[2] && z[1] < z[3]; });
  if (zoom.length < 3 || zoomed.length !== 3) throw new Error(
      'the time charts did not follow the heatmap zoom');
}

// Each simulation over time: the one with the most major faults first;
// the free view's stack tops out at the RAM at every sample, its lines and
// the vmstat view's per-sample figures are the synthetic file's (computed
// here from its timeline.simulations), and the per-sample swap-ins, file
// majors and swap-outs add up to the simulation's totals. Then another
// simulation is picked in the list, and the charts follow.
async function interactSims(page, diag) {
  var d = fixtures.makeFile({});
  var read = '(' + function () {
    return (window.__vmtraceSimCharts || []).map(function (c) {
      return { sim: c.sim, id: c.id, data: c.plot.data, series: c.plot.series.map(
          function (x) { return x.label; }) };
    });
  }.toString() + ')()';
  var best = 0;
  d.simulations.forEach(function (s, i) {
    if (s.faults.major > d.simulations[best].faults.major) best = i;
  });
  function check(got, i) {
    var ss = d.timeline.simulations[i];
    var sim = d.simulations[i];
    var ram = sim.ram_pages;
    if (got.length !== 2 || got[0].sim !== i) {
      throw new Error('simulation charts for ' + JSON.stringify(got.map(function (g) {
        return [g.sim, g.id];
      })) + ', expected two for simulation ' + i);
    }
    var mem = got[0].data;
    var act = got[1].data;
    var eq = function (a, b, what) {
      for (var k = 0; k < b.length; k++) {
        if (Math.abs(a[k] - b[k]) > 1e-9) {
          throw new Error(what + ' at sample ' + k + ': ' + a[k] + ', expected ' + b[k]);
        }
      }
    };
    eq(mem[1], ss.anon, 'used');
    eq(mem[2], ss.resident, 'used + buff/cache');
    eq(mem[3], ss.resident.map(function () { return ram; }), 'used + buff/cache + free');
    eq(mem[4], ss.anon.map(function (v) { return ram - v; }), 'available');
    eq(mem[5], ss.swap_used, 'swap used');
    eq(act[1], ss.minor, 'minor faults');
    var sum = function (a) { return a.reduce(function (x, y) { return x + y; }, 0); };
    [[2, sim.faults.swap_in, 'swap-ins'], [3, sim.faults.file_major, 'file majors'],
      [4, sim.swap_outs, 'swap-outs']].forEach(function (x) {
      if (sum(act[x[0]]) !== x[1]) {
        throw new Error(x[2] + ' per sample add up to ' + sum(act[x[0]]) + ', not ' + x[1]);
      }
    });
    diag.push('simulation ' + i + ' (' + sim.policy + ', ' + ram + ' pages): free view and ' +
        'vmstat view match the file; ' + sim.faults.swap_in + ' swap-ins, ' + sim.swap_outs +
            ' swap-outs');
  }
  check(await page.evaluate(read), best);
  var other = best === 0 ? 1 : 0;
  await page.evaluate('(function () { var s = document.getElementById("sim-select"); ' +
      's.value = "' + other + '"; s.dispatchEvent(new Event("change")); })()');
  check(await page.evaluate(read), other);
}

// Evictions by mapping, on a real run of tests/memsim/scan.c's hotcold
// (tests/report/run: H hot and C cold anonymous pages written K times in the
// cycle cold[j], hot[j mod H], --ram of R frames, --policy=lru,fifo,
// --fault-around=4096). The figures the view must show come from models of
// LRU and FIFO written here from their definitions, as tests/memsim/run's
// (whose comment says why they hold: LRU of R - 1 frames, the loop's code
// page never the victim; FIFO of R frames with the code page fetched before
// every write): each simulation is picked in the list, and its table's rows
// for the two mappings must read the models' evictions and refaults (a
// mapping that lost nothing has no row).
var HOTCOLD = { H: 16, C: 200, K: 3, R: 101 };
function hotcoldModels() {
  var refs = [];
  for (var pass = 0; pass < HOTCOLD.K; pass++) {
    for (var j = 0; j < HOTCOLD.C; j++) refs.push('cold:' + j, 'hot:' + (j % HOTCOLD.H));
  }
  function run(frames, withCode) {
    var q = withCode ? ['code:0'] : [];
    var gone = {};
    var ev = { hot: 0, cold: 0, code: 0 };
    var rf = { hot: 0, cold: 0, code: 0 };
    refs.forEach(function (d) {
      (withCode ? ['code:0', d] : [d]).forEach(function (r) {
        var at = q.indexOf(r);
        var m = r.split(':')[0];
        if (at >= 0) {
          if (!withCode) q.push(q.splice(at, 1)[0]);  // LRU: most recent last
          return;
        }
        if (gone[r]) { delete gone[r]; rf[m]++; }
        if (q.length === frames) {
          var v = q.shift();
          gone[v] = true;
          ev[v.split(':')[0]]++;
        }
        q.push(r);
      });
    });
    return { ev: ev, rf: rf };
  }
  return { lru: run(HOTCOLD.R - 1, false), fifo: run(HOTCOLD.R, true) };
}

// THP against without, on a real run of tests/clients/thp write (64 MiB,
// 2 MiB-aligned, MADV_HUGEPAGE, one byte written every 4 KiB) under
// --thp=madvise --thp-compare=never: the table must show the region's
// difference, 32 huge faults against 16,384 4 KiB ones (thp -32, anon
// +16,384), and the same peak RSS.
async function interactThpCompare(page) {
  var rows = await page.evaluate('(' + function () {
    var out = {};
    document.querySelectorAll('[data-table="thpcompare"] tbody tr').forEach(function (tr) {
      var c = tr.children;
      out[c[0].textContent.trim()] = c[c.length - 1].textContent.replace(/[,+]/g, '');
    });
    return out;
  }.toString() + ')()');
  var want = { thp: '-32', anon: '16384', 'resident pages, peak': '0' };
  Object.keys(want).forEach(function (k) {
    if (rows[k] !== want[k]) {
      throw new Error('thpcompare ' + k + ': difference shown ' + rows[k] + ', expected ' +
          want[k]);
    }
  });
}

function interactEvictions(file) {
  return async function (page, diag) {
    var d = V.parse(fs.readFileSync(file, 'utf8'));
    var want = hotcoldModels();
    var ids = {};
    d.labels.forEach(function (l) {
      d.mappings.forEach(function (m) {
        if (m.start === l.ranges[0][0] && m.end === l.ranges[0][1]) ids[l.name] = String(m.id);
      });
    });
    if (!ids.hot || !ids.cold) throw new Error('no mappings of the labels hot and cold');
    var read = '(' + function () {
      var rows = document.querySelectorAll('[data-table="simevictions"] tbody tr');
      var head = Array.prototype.map.call(
          document.querySelectorAll('[data-table="simevictions"] thead th'),
          function (th) { return th.textContent.replace(/[▲▼\s]+$/, ''); });
      return { head: head, rows: Array.prototype.map.call(rows, function (tr) {
        return Array.prototype.map.call(tr.children, function (td) { return td.textContent; });
      }) };
    }.toString() + ')()';
    for (var i = 0; i < d.simulations.length; i++) {
      var s = d.simulations[i];
      await page.evaluate('(function () { var e = document.getElementById("sim-select"); ' +
          'e.value = "' + i + '"; e.dispatchEvent(new Event("change")); })()');
      var got = await page.evaluate(read);
      var col = function (name) {
        var k = got.head.indexOf(name);
        if (k < 0) throw new Error('no column ' + name + ' in ' + JSON.stringify(got.head));
        return k;
      };
      var ci = col('id'), ce = col('evicted'), cr = col('refaulted');
      ['hot', 'cold'].forEach(function (nm) {
        var w = want[s.policy];
        var row = got.rows.filter(function (r) { return r[ci] === ids[nm]; })[0];
        var shown = row ? [row[ce].replace(/,/g, ''), row[cr].replace(/,/g, '')] : null;
        var expect = w.ev[nm] ? [String(w.ev[nm]), String(w.rf[nm])] : null;
        if (JSON.stringify(shown) !== JSON.stringify(expect)) {
          throw new Error(s.policy + ' ' + nm + ' (mapping ' + ids[nm] + '): shown ' +
              JSON.stringify(shown) + ', the model ' + JSON.stringify(expect));
        }
      });
      diag.push(s.policy + ': the view shows hot ' + want[s.policy].ev.hot + ' evicted / ' +
          want[s.policy].rf.hot + ' refaulted, cold ' + want[s.policy].ev.cold + ' / ' +
          want[s.policy].rf.cold + ', as the model');
    }
  };
}

// TLB figures per mapping (tests/report/tlbmaps.c, run with --tlb=yes
// --tlb-l1d=64:64 --tlb-l2=none): mapping A (label a, 96 pages) and B
// (label b, 48) written a page at a time ("fill"), the whole TLB flushed,
// A read 3 times over and B 5 times ("walk"); the 64-page scratch mapping
// written first and unmapped for the flush. Their misses come from an LRU
// model of a 64-entry fully associative TLB run here on each mapping's
// reference string (the pages are new in the fill, and the walk starts
// after a full flush with nothing else referenced in its loop); with no
// second level every miss is a walk. The view must show them in the
// tables and the bar chart, each bar as long as its figure on the axis.
var TLBMAPS = { a: { pages: 96, rounds: 3 }, b: { pages: 48, rounds: 5 }, scratch: 64,
  ENTRIES: 64 };
function lruMisses(refs, entries) {
  var q = [];
  var miss = 0;
  refs.forEach(function (p) {
    var at = q.indexOf(p);
    if (at >= 0) { q.splice(at, 1); q.push(p); return; }
    miss++;
    if (q.length === entries) q.shift();
    q.push(p);
  });
  return miss;
}
function tlbMapsModel() {
  var out = {};
  ['a', 'b'].forEach(function (nm) {
    var m = TLBMAPS[nm];
    var pages = [];
    for (var i = 0; i < m.pages; i++) pages.push(i);
    var walk = [];
    for (var r = 0; r < m.rounds; r++) walk = walk.concat(pages);
    // the fill: every page new (a miss each); the walk: an empty TLB
    out[nm] = { fill: lruMisses(pages, TLBMAPS.ENTRIES), walk: lruMisses(walk, TLBMAPS.ENTRIES) };
    out[nm].total = out[nm].fill + out[nm].walk;
  });
  var s = [];
  for (var j = 0; j < TLBMAPS.scratch; j++) s.push(j);
  out.scratch = { total: lruMisses(s, TLBMAPS.ENTRIES) };
  return out;
}

function interactTlb(file) {
  return async function (page, diag) {
    var d = V.parse(fs.readFileSync(file, 'utf8'));
    var want = tlbMapsModel();
    var ids = {};
    d.labels.forEach(function (l) {
      d.mappings.forEach(function (m) {
        if (m.start === l.ranges[0][0] && m.end === l.ranges[0][1]) ids[l.name] = String(m.id);
      });
    });
    d.mappings.forEach(function (m) {
      if (m.kind === 'anon' && m.end - m.start === TLBMAPS.scratch * 4096 &&
          m.unmapped_at !== null && m.unmapped_at !== undefined) ids.scratch = String(m.id);
    });
    var got = await page.evaluate('(' + function () {
      function table(id) {
        var w = document.querySelector('[data-table="' + id + '"]');
        if (!w) return null;
        var head = Array.prototype.map.call(w.querySelectorAll('thead th'),
            function (th) { return th.textContent; });
        var rows = Array.prototype.map.call(w.querySelectorAll('tbody tr'), function (tr) {
          return Array.prototype.map.call(tr.children, function (td) { return td.textContent; });
        });
        return { head: head, rows: rows };
      }
      var out = { mappings: table('mappings'), labels: table('labels'),
        labelphases: table('labelphases'), phases: table('phases') };
      // the bar charts: each bar's figure, its segments' widths against
      // the track's, and where the axis puts its ticks
      out.bars = ['chart-tlb-mappings', 'chart-tlb-phases'].map(function (id) {
        var el = document.getElementById(id);
        if (!el) return null;
        var rows = Array.prototype.map.call(el.querySelectorAll('.bar-row[data-id]'), function (r) {
          return { id: r.getAttribute('data-id'),
            label: r.querySelector('.bar-label').textContent,
            bars: Array.prototype.map.call(r.querySelectorAll('.bar-line'), function (ln) {
              var tr = ln.querySelector('.bar-track').getBoundingClientRect();
              return { text: ln.querySelector('.bar-text').textContent, left: tr.left,
                width: tr.width, segs: Array.prototype.map.call(ln.querySelectorAll('.bar-seg'),
                    function (s) {
                  var b = s.getBoundingClientRect();
                  return { key: s.getAttribute('data-key'),
                    value: Number(s.getAttribute('data-value')), left: b.left, width: b.width };
                }) };
            }) };
        });
        var axis = el.querySelector('.bar-axis').getBoundingClientRect();
        var ticks = Array.prototype.map.call(el.querySelectorAll('.bar-tick'), function (t) {
          var b = t.getBoundingClientRect();
          return { text: t.textContent, center: b.left + b.width / 2 };
        });
        return { max: Number(el.getAttribute('data-max')), rows: rows, ticks: ticks,
          axis: { left: axis.left, width: axis.width },
          unit: el.querySelector('.bar-unit').textContent };
      });
      // sort the mappings by dTLB misses (a click on the header)
      var th = Array.prototype.filter.call(
          document.querySelectorAll('[data-table="mappings"] thead th'),
          function (h) { return h.textContent === 'dTLB misses'; })[0];
      if (th) th.click();
      out.sorted = table('mappings');
      return out;
    }.toString() + ')()');
    var num = function (s) { return Number(String(s).replace(/,/g, '')); };
    var cell = function (t, row, name) { return row[t.head.indexOf(name)]; };
    // 1. the mappings table
    var mt = got.mappings;
    var errs = [];
    var shown = {};
    ['a', 'b', 'scratch'].forEach(function (nm) {
      var row = mt.rows.filter(function (r) { return cell(mt, r, 'id') === ids[nm]; })[0];
      var w = want[nm].total;
      shown[nm] = row ? [num(cell(mt, row, 'dTLB misses')), num(cell(mt, row, 'dTLB walks'))] :
          null;
      if (!row || shown[nm][0] !== w || shown[nm][1] !== w) {
        errs.push('mapping ' + nm + ' (#' + ids[nm] + '): shown ' + JSON.stringify(shown[nm]) +
            ', the model ' + w + ' misses and walks');
      }
    });
    result(errs.length === 0 && !!ids.a && !!ids.b && !!ids.scratch,
        'browser real run: TLB per mapping (tlbmaps): Mappings shows A ' + want.a.total +
        ', B ' + want.b.total + ', scratch ' + want.scratch.total + ' dTLB misses and walks, ' +
        'as the LRU model', errs.concat([JSON.stringify(ids)]));
    // 2. sorted by dTLB misses: largest first, A on top
    var st = got.sorted;
    var col = st.rows.map(function (r) { return num(cell(st, r, 'dTLB misses')); });
    var desc = col.every(function (v, i) { return i === 0 || col[i - 1] >= v; });
    result(desc && cell(st, st.rows[0], 'id') === ids.a,
        'browser real run: TLB per mapping (tlbmaps): a click on dTLB misses sorts the mappings, ' +
        'A first', ['column after the click: ' + col.join(' ')]);
    // 3. labels and labels by phase
    var lt = got.labels;
    var lp = got.labelphases;
    var lerr = [];
    ['a', 'b'].forEach(function (nm) {
      var r = lt.rows.filter(function (x) { return cell(lt, x, 'label') === nm; })[0];
      if (!r || num(cell(lt, r, 'dTLB misses')) !== want[nm].total) {
        lerr.push('label ' + nm + ': ' + (r ? cell(lt, r, 'dTLB misses') : 'no row') + ', want ' +
            want[nm].total);
      }
      ['fill', 'walk'].forEach(function (ph) {
        var q = lp.rows.filter(function (x) {
          return cell(lp, x, 'label') === nm && cell(lp, x, 'phase') === ph;
        })[0];
        if (!q || num(cell(lp, q, 'dTLB misses')) !== want[nm][ph] ||
            num(cell(lp, q, 'dTLB walks')) !== want[nm][ph]) {
          lerr.push(nm + ' in ' + ph + ': ' + (q ? q.join(' | ') : 'no row') + ', want ' +
              want[nm][ph]);
        }
      });
      if (lt.head.indexOf('iTLB misses') >= 0) lerr.push('labels have fetch columns');
    });
    result(lerr.length === 0, 'browser real run: TLB per mapping (tlbmaps): Labels and Labels by ' +
        'phase show a fill ' + want.a.fill + ' / walk ' + want.a.walk + ', b fill ' + want.b.fill +
        ' / walk ' + want.b.walk, lerr);
    // 4. phases: what a and b took in each is part of it; the phases add
    // up to the totals
    var pt = got.phases;
    var perr = [];
    var sum = 0;
    pt.rows.forEach(function (r) {
      var v = num(cell(pt, r, 'dTLB misses'));
      sum += v;
      var ph = cell(pt, r, 'phase');
      if ((ph === 'fill' || ph === 'walk') && v < want.a[ph] + want.b[ph]) {
        perr.push(ph + ': ' + v + ' < ' + (want.a[ph] + want.b[ph]));
      }
    });
    if (sum !== d.totals.tlb.dtlb_misses) perr.push('phases sum to ' + sum);
    result(perr.length === 0 && pt.rows.length === d.phases.length,
        'browser real run: TLB per mapping (tlbmaps): Phases show at least a + b in fill and ' +
        'walk and add up to the total', perr);
    // 5. the bar chart by mapping: the figures and the lengths
    var bm = got.bars[0];
    var berr = [];
    if (!bm) berr.push('no chart-tlb-mappings');
    else {
      ['a', 'b', 'scratch'].forEach(function (nm) {
        var row = bm.rows.filter(function (r) { return r.id === ids[nm]; })[0];
        var w = want[nm].total;
        if (!row) { berr.push('no bar for ' + nm); return; }
        if (row.bars[0].text !== w + ' misses' || row.bars[1].text !== w + ' walks') {
          berr.push(nm + ': ' + row.bars[0].text + ' / ' + row.bars[1].text + ', want ' + w);
        }
        row.bars.forEach(function (b) {
          var total = b.segs.reduce(function (s, x) { return s + x.width; }, 0);
          if (Math.abs(total - (b.width * w) / bm.max) > 1) {
            berr.push(nm + ': bar ' + total.toFixed(1) + ' px of ' + b.width.toFixed(1) +
                ', want ' + ((b.width * w) / bm.max).toFixed(1) + ' (' + w + ' of ' + bm.max + ')');
          }
          if (b.segs.length && Math.abs(b.segs[0].left - b.left) > 1) berr.push(nm + ': not at 0');
        });
      });
      var first = bm.rows[0];
      if (first.id !== ids.a) berr.push('the first bar is #' + first.id + ', not A');
      var longest = Math.max.apply(null, bm.rows.map(function (r) {
        return r.bars[0].segs.reduce(function (s, x) { return s + x.value; }, 0);
      }));
      if (bm.max < longest || bm.max >= 2.5 * longest) berr.push('axis max ' + bm.max);
      bm.ticks.forEach(function (t) {
        var at = bm.axis.left + (bm.axis.width * num(t.text)) / bm.max;
        if (Math.abs(t.center - at) > 1.5) berr.push('tick ' + t.text + ' at ' + t.center);
      });
      if (!/TLB misses and page walks \(count\)/.test(bm.unit)) berr.push('unit ' + bm.unit);
      var barsum = bm.rows.reduce(function (s, r) {
        return s + r.bars[0].segs.reduce(function (t, x) { return t + x.value; }, 0);
      }, 0);
      if (barsum !== d.totals.tlb.dtlb_misses + d.totals.tlb.itlb_misses) {
        berr.push('the bars add up to ' + barsum);
      }
    }
    result(berr.length === 0, 'browser real run: TLB per mapping (tlbmaps): the bar chart by ' +
        'mapping shows A, B and scratch as the model, A first, bars as long as their figures ' +
        'on the axis, ticks where they say, bars adding up to the total', berr);
    // 6. by phase: one bar per phase, in order
    var bp = got.bars[1];
    result(!!bp && bp.rows.length === d.phases.length && bp.rows.every(function (r, i) {
      return r.label === (i + 1) + '. ' + d.phases[i].name &&
          r.bars[0].text === (d.phases[i].tlb.dtlb_misses + d.phases[i].tlb.itlb_misses) +
              ' misses';
    }), 'browser real run: TLB per mapping (tlbmaps): the bar chart by phase has each phase in ' +
        'order with its misses', bp ? bp.rows.map(function (r) {
      return r.label + ': ' + r.bars[0].text;
    }) : ['no chart-tlb-phases']);
    diag.push('model: a ' + JSON.stringify(want.a) + ', b ' + JSON.stringify(want.b) +
        ', scratch ' + want.scratch.total);
  };
}

// The note under the miss-ratio view for the curves of simother.json (named
// by its path: "The exact lru and opt curves of DIR/simother.json are not
// drawn: ..."): the
// synthetic process is pid 4242, its page trace 000000005eed1092; the
// curves are of pid 4343's (trace 000000005eed10f7).
var OTHER_CURVES = 'simother.json are not drawn: they are of another process (pid 4343, ' +
    'trace 000000005eed10f7; this one: pid 4242, trace 000000005eed1092).';

// The synthetic file with only another process's vmtrace-sim curves: the
// miss-ratio charts have the simulations and no exact curve (the note says
// why: OTHER_CURVES, checked as shown text).
async function interactOtherCurves(page, diag) {
  var r = await page.evaluate('(' + function () {
    return (window.__vmtracePolicyCharts || []).map(function (c) {
      return [c.id, c.plot.series.slice(1).map(function (s) { return s.label; })];
    });
  }.toString() + ')()');
  diag.push('miss-ratio series: ' + JSON.stringify(r));
  if (!r.length) throw new Error('no miss-ratio chart');
  r.forEach(function (c) {
    if (c[1].some(function (l) { return / exact$/.test(l); })) {
      throw new Error(c[0] + ' draws another process\'s exact curve: ' + JSON.stringify(c[1]));
    }
  });
}

// The miss-ratio view, against the synthetic file and its vmtrace-sim
// curves: log RAM axis ticked at powers of two, log fault axis; OPT's
// simulated points drawn as the floor; the exact curves read at every
// simulated size (looked up here in the curves' steps); FIFO relative to
// LRU; the peak RSS marked in red.
async function interactPolicies(page, diag) {
  var d = fixtures.makeFile({});
  var res = fixtures.makeSimResult();
  var r = await page.evaluate('(' + function () {
    return (window.__vmtracePolicyCharts || []).map(function (c) {
      var u = c.plot;
      var cv = u.root.querySelector('canvas');
      var px = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
      var red = 0;
      for (var i = 0; i < px.length; i += 4) {
        if (px[i + 3] > 200 && Math.abs(px[i] - 0xb3) < 12 && Math.abs(px[i + 1] - 0x26) < 12 &&
            Math.abs(px[i + 2] - 0x1e) < 12) red++;
      }
      return { id: c.id, x: u.data[0], data: u.data.slice(1), labels: u.series.slice(1).map(
          function (s) { return s.label; }), xd: u.scales.x.distr, yd: u.scales.y.distr,
        xmin: u.scales.x.min, xmax: u.scales.x.max, splits: u.axes[0]._splits || [], red: red };
    });
  }.toString() + ')()');
  var by = {};
  r.forEach(function (c) { by[c.id] = c; });
  var f = by['chart-policies'];
  var rel = by['chart-policies-relative'];
  if (!f || !rel || !by['chart-policies-major']) {
    throw new Error('miss-ratio charts missing: ' + Object.keys(by));
  }
  var pow2 = function (v) {
    return v > 0 && Math.abs(Math.log2(v) - Math.round(Math.log2(v))) < 1e-9;
  };
  diag.push('faults vs RAM: x ' + f.xmin + '..' + f.xmax + ' (distr ' + f.xd + '), y distr ' +
      f.yd +
      ', ticks ' + JSON.stringify(f.splits.filter(function (v) { return v !== null; })) + ', ' +
          f.red + ' marker pixels; series ' + JSON.stringify(f.labels));
  if (f.xd !== 3 || f.yd !== 3 || !pow2(f.xmin) || !pow2(f.xmax)) {
    throw new Error('not log-log with a power-of-two RAM range');
  }
  var ticks = f.splits.filter(function (v) { return v !== null; });
  if (!ticks.length || !ticks.every(pow2)) throw new Error('RAM ticks not round: ' + ticks);
  if (f.red < 20) throw new Error('the peak RSS is not marked');
  var stepAt = function (c, size) {
    var v = null;
    c.sizes.forEach(function (s, k) { if (s <= size) v = c.misses[k]; });
    return v;
  };
  var sizes = [];
  var continued = [];
  d.simulations.forEach(function (s) {
    if (sizes.indexOf(s.ram_pages) < 0) sizes.push(s.ram_pages);
  });
  sizes.forEach(function (sz) {
    var k = f.x.indexOf(sz);
    if (k < 0) throw new Error('RAM size ' + sz + ' not on the chart');
    res.curves.forEach(function (c) {
      var got = f.data[f.labels.indexOf(c.policy + ' exact')][k];
      if (got !== stepAt(c, sz)) {
        throw new Error(c.policy + ' exact at ' + sz + ' pages: ' + got + ', expected ' +
            stepAt(c, sz));
      }
    });
    d.simulations.forEach(function (s) {
      if (s.ram_pages !== sz) return;
      var label = s.policy === 'opt' ? 'opt (floor)' : s.policy;
      var got = f.data[f.labels.indexOf(label)][k];
      // one that ran out of memory and went on (fifo at 256 pages: one OOM
      // event) has no point: its faults do not compare
      if ((s.oom_count || (s.oom_events || []).length) > 0) {
        var rx = rel.data[rel.labels.indexOf(label)][rel.x.indexOf(sz)];
        if (got !== null || rx !== null) {
          throw new Error(s.policy + ' at ' + sz + ' ran out of memory: ' + got + ', ' + rx);
        }
        continued.push(s.policy + '@' + sz);
        return;
      }
      if (got !== s.faults.total) throw new Error(s.policy + ' at ' + sz + ': ' + got);
      var lru = d.simulations.filter(function (x) {
        return x.policy === 'lru' && x.ram_pages === sz;
      })[0];
      var rv = rel.data[rel.labels.indexOf(label)][rel.x.indexOf(sz)];
      if (Math.abs(rv - s.faults.total / lru.faults.total) > 1e-12) {
        throw new Error(s.policy + ' relative to LRU at ' + sz + ': ' + rv);
      }
    });
  });
  diag.push('exact LRU/OPT and every simulation at ' + sizes.length + ' sizes as in the files; ' +
      'relative to LRU ' + JSON.stringify(rel.data[rel.labels.indexOf('fifo')]) +
      '; left out (out of memory, went on): ' + continued.join(', '));
  // and the charts' notes say so, naming each
  var notes = await page.evaluate('(' + function () {
    return ['chart-policies', 'chart-policies-major', 'chart-policies-relative'].map(
        function (id) { return document.getElementById(id).previousElementSibling.textContent; });
  }.toString() + ')()');
  var want = 'Left out: 1 simulation that ran out of memory and went on (--oom=continue), ' +
      'whose references that found no frame are OOM events, not faults, so that their faults ' +
      'do not compare (fifo at 1 MiB: ';
  notes.forEach(function (t) {
    if (t.indexOf(want) < 0) throw new Error('chart note without the left-out simulation: ' + t);
  });
}

// A simulation stopped out of memory halfway through sample 9 (RAM 256
// pages: 179 used before, all 256 when it stopped): picked in the list,
// its memory chart ends at sample 9's end, and the canvas between the stop
// and there, at 217 pages (between the two), is the colour of "used";
// just before the stop it is not (the 179 used pages then). Until
// 2026-12-06 the chart drew 179 used pages up to its end: the 256 it
// stopped with were a point of no width.
function interactStoppedSim(i, d, at) {
  return async function (page, diag) {
    var r = await page.evaluate('(' + function (i, at, y) {
      var sel = document.getElementById('sim-select');
      sel.value = String(i);
      sel.dispatchEvent(new Event('change'));
      return new Promise(function (done) {
        setTimeout(function () {
          var c = window.__vmtraceSimCharts.filter(function (x) {
            return x.id === 'chart-sim-memory';
          })[0];
          var u = c.plot;
          var xs = u.data[0];
          var end = xs[xs.length - 1];
          var px = function (v) {
            var X = Math.round(u.valToPos(v, 'x', true));
            var Y = Math.round(u.valToPos(y, 'y', true));
            return [X, Y].concat(Array.prototype.slice.call(
                u.ctx.getImageData(X, Y, 1, 1).data, 0, 3));
          };
          done({ end: end, sim: c.sim, after: px((at + end) / 2),
            before: px(at - (end - at) / 2), used: u.series[1].label });
        }, 300);
      });
    }.toString() + ')(' + i + ', ' + at + ', ' + 217 + ')');
    var t9 = d.timeline.t[9];
    diag.push('stopped simulation ' + r.sim + ': chart ends at ' + r.end + ' (sample 9 ends ' +
        t9 + '); at 217 pages, after the stop [x, y, r, g, b] ' + r.after + ', before it ' +
        r.before);
    // [x, y, r, g, b]; "used" is #e15759
    var red = function (c) { return c[2] - c[4] > 40; };
    if (r.sim !== i || r.end !== t9 || r.used !== 'used' || !red(r.after) || red(r.before)) {
      throw new Error('the stopped state not drawn from the stop to the chart\'s end: ' +
          JSON.stringify(r));
    }
  };
}

// The fault stacks as an icicle: drawn by flame-chart-js; its tree holds
// the synthetic file's sites merged from the outermost frame (summed here
// by the test), by function, by source line and for one class; clicking
// (the chart's select event) names a frame and its share.
async function interactFlame(page, diag) {
  var d = fixtures.makeFile({});
  var r = await page.evaluate('(' + function () {
    var out = {};
    function snap() {
      var f = window.__vmtraceFlame;
      var t = f.tree;
      return { value: t.value, top: t.children.map(function (c) { return [c.name, c.value]; }),
        second: t.children[0].children.map(function (c) { return [c.name, c.value]; }),
        canvas: [f.canvas.width, f.canvas.height] };
    }
    out.fn = snap();
    var by = document.getElementById('flame-by');
    by.value = 'line';
    by.dispatchEvent(new Event('change'));
    out.line = snap();
    var leaves = [];
    (function walk(n) {
      if (!n.children.length) leaves.push([n.name, n.value]);
      n.children.forEach(walk);
    })(window.__vmtraceFlame.tree);
    out.leaves = leaves;
    var cls = document.getElementById('flame-class');
    cls.value = 'swap_in';
    cls.dispatchEvent(new Event('change'));
    out.swapIn = snap();
    var f = window.__vmtraceFlame;
    f.chart.emit('select', { node: { source: { name: f.tree.children[0].name,
      duration: f.tree.children[0].value } } });
    out.info = document.getElementById('flame-info').textContent;
    return out;
  }.toString() + ')()');
  var sum = function (cls) {
    return d.fault_sites.reduce(function (a, s) {
      return a + (!cls || s['class'] === cls ? s.count : 0);
    }, 0);
  };
  var total = sum('');
  // the whole is the run's: every fault and invalid access of the file's
  // totals; what the listed sites do not hold is one grey "other sites".
  // (The synthetic file's sites of some classes count more than its totals,
  // which no run writes: there the whole is the sites'.)
  var all = Math.max(total, d.totals.faults.total + d.totals.faults.invalid);
  var swapAll = Math.max(sum('swap_in'), d.totals.faults.swap_in);
  diag.push('icicle: ' + r.fn.value + ' faults (totals ' + all + '), top ' +
      JSON.stringify(r.fn.top) + ', below ' + JSON.stringify(r.fn.second) + '; swap_in ' +
      r.swapIn.value + ' (totals ' + swapAll + '); click: ' + r.info);
  var wantTop = [['(below main)', total]];
  if (all > total) wantTop.push([FL.OTHER, all - total]);
  wantTop.sort(function (a, b) { return b[1] - a[1]; });
  if (r.fn.value !== all || JSON.stringify(r.fn.top) !== JSON.stringify(wantTop)) {
    throw new Error('icicle root: ' + JSON.stringify(r.fn) + ', expected ' + all + ': ' +
        JSON.stringify(wantTop));
  }
  // below it, by function: the frames under main summed over their stacks
  var want = {};
  d.fault_sites.forEach(function (s) {
    var name = s.stack[s.stack.length - 2].replace(/^0x[0-9A-F]+: /i, '')
      .replace(/ \([^()]*:\d+\)$/, '');
    want[name] = (want[name] || 0) + s.count;
  });
  r.fn.second.forEach(function (x) {
    if (want[x[0]] !== x[1]) throw new Error('frame ' + x[0] + ': ' + x[1] + ', expected ' +
        want[x[0]]);
  });
  if (r.fn.second.length !== Object.keys(want).length) throw new Error('frames under the root');
  // by line: every site is a leaf named by its innermost frame's line
  d.fault_sites.forEach(function (s) {
    var name = s.stack[0].replace(/^0x[0-9A-F]+: /i, '');
    if (!r.leaves.some(function (x) { return x[0] === name; })) {
      throw new Error('no leaf ' + name + ' by source line');
    }
  });
  if (r.swapIn.value !== swapAll) {
    throw new Error('swap_in icicle ' + r.swapIn.value + ', expected ' + swapAll);
  }
  var first = r.swapIn.top[0];
  var share = (100 * first[1] / swapAll).toFixed(1);
  if (r.info !== first[0] + ': ' + first[1].toLocaleString('en-US') + ' faults (' + share +
      ' % of ' + swapAll.toLocaleString('en-US') + ')') {
    throw new Error('clicked frame shown as ' + JSON.stringify(r.info));
  }
  // Its fault axis: the labels drawn (every canvas' fillText, recorded over
  // a render of all classes by function) are round numbers, 1, 2 or 5 x
  // 10^k apart, each where that many faults fall on the chart (the whole,
  // r.fn.value faults, across the canvas' width at the first zoom). Until
  // 2026-12-06 they read 835, 1113, 1391, ... faults (278 apart).
  var ax = await page.evaluate('(' + function () {
    var cls = document.getElementById('flame-class');
    var by = document.getElementById('flame-by');
    cls.value = '';
    cls.dispatchEvent(new Event('change'));
    by.value = 'fn';
    by.dispatchEvent(new Event('change'));
    var f = window.__vmtraceFlame;
    var seen = [];
    var proto = window.CanvasRenderingContext2D.prototype;
    var orig = proto.fillText;
    proto.fillText = function (t, x, y) {
      if (this.canvas === f.canvas || this.canvas.width === f.canvas.width) {
        seen.push([String(t), x, this.canvas === f.canvas]);
      }
      return orig.apply(this, arguments);
    };
    f.chart.render();
    return new Promise(function (done) {
      window.requestAnimationFrame(function () {
        window.requestAnimationFrame(function () {
          proto.fillText = orig;
          done({ seen: seen, width: f.canvas.width, pad: f.chart.renderEngine.blockPaddingLeftRight,
            total: f.tree.value });
        });
      });
    });
  }.toString() + ')()');
  var SI = { '': 1, k: 1e3, M: 1e6, G: 1e9 };
  // (drawn on the chart and again on the timeframe strip above it, both
  // the whole width at the first zoom: one list)
  var once = {};
  var labels = ax.seen.filter(function (x) {
    var k = x[0] + '@' + x[1];
    var first = !once[k];
    once[k] = true;
    return first && /^[0-9.]+[kMG]? faults$/.test(x[0]);
  }).map(function (x) {
    var m = /^([0-9.]+)([kMG]?) faults$/.exec(x[0]);
    return { text: x[0], v: Number(m[1]) * SI[m[2]], x: x[1] };
  });
  var vals = labels.map(function (l) { return l.v; });
  var step = vals.length > 1 ? vals[1] - vals[0] : 0;
  var round = /^[125]0*$/.test(String(step));
  var bad = labels.filter(function (l, k) {
    return !(l.v === vals[0] + k * step) ||
        Math.abs(l.x - ax.pad - l.v * ax.width / ax.total) > 1;
  });
  diag.push('icicle axis: ' + labels.map(function (l) {
    return l.text + ' at ' + l.x.toFixed(1);
  }).join(', ') + ' (' + ax.total + ' faults on ' + ax.width + ' pixels)');
  if (labels.length < 3 || !round || bad.length) {
    throw new Error('icicle axis labels not round or misplaced (step ' + step + '): ' +
        JSON.stringify(bad.length ? bad : labels));
  }
}

// The icicle of a real run whose sites the file cut at 100 per class
// (tests/report/run: python3 -c pass): for all classes and for each class,
// the root is the file's total (faults and invalid accesses, or the
// class's), and the "other sites" node holds what the listed sites do not.
function interactFlameTotals(file) {
  return async function (page, diag) {
    var d = V.parse(fs.readFileSync(file, 'utf8'));
    var per = {};
    d.fault_sites.forEach(function (s) {
      per[s['class']] = per[s['class']] || { n: 0, sum: 0 };
      per[s['class']].n++;
      per[s['class']].sum += s.count;
    });
    var cut = Object.keys(per).filter(function (c) { return per[c].n === 100; });
    if (!cut.length) throw new Error('no class has 100 sites: nothing was left out');
    var classes = [''].concat(Object.keys(per));
    var got = await page.evaluate('(' + function (list, otherName) {
      var sel = document.getElementById('flame-class');
      return list.map(function (c) {
        sel.value = c;
        sel.dispatchEvent(new Event('change'));
        var t = window.__vmtraceFlame.tree;
        var other = t.children.filter(function (x) { return x.name === otherName; })[0];
        return [c, t.value, other ? other.value : 0];
      });
    }.toString() + ')(' + JSON.stringify(classes) + ', ' + JSON.stringify(FL.OTHER) + ')');
    var f = d.totals.faults;
    got.forEach(function (g) {
      var want = g[0] ? f[g[0]] : f.total + f.invalid;
      var listed = g[0] ? per[g[0]].sum : d.fault_sites.reduce(function (a, s) {
        return a + s.count;
      }, 0);
      if (g[1] !== want || g[2] !== want - listed) {
        throw new Error('icicle of ' + (g[0] || 'all classes') + ': root ' + g[1] + ', other ' +
            g[2] + '; the totals: ' + want + ', listed sites ' + listed);
      }
    });
    diag.push('icicle roots equal the totals: ' + got.map(function (g) {
      return (g[0] || 'all') + ' ' + g[1] + ' (other ' + g[2] + ')';
    }).join(', ') + '; cut at 100 sites: ' + cut.join(', '));
  };
}

async function interactTree(page, diag) {
  var r = await page.evaluate('(' + function () {
    var rows = document.querySelectorAll('#sec-processes [data-table="tree"] tbody tr');
    var before = document.querySelector('#sec-summary h2').textContent;
    rows[rows.length - 1].click();
    var after = document.querySelector('#sec-summary h2').textContent;
    return { rows: rows.length, before: before, after: after, select:
        document.getElementById('file-select').value };
  }.toString() + ')()');
  diag.push('process rows: ' + r.rows + '; picked: ' + r.before + ' -> ' + r.after);
  if (r.rows !== 5) throw new Error('expected 5 process rows, got ' + r.rows);
  if (r.before === r.after) throw new Error('clicking a process did not show it');
}

// The run's peak on the memory chart (tests/report/spike.c: 2048 pages
// written and unmapped within a sample or two, so no sample holds all of
// them): the y axis reaches totals.peak_resident_pages, and the marker's
// dot is drawn where that value and totals.peak_resident_at fall on the
// axes (its red pixels at that point of the canvas), above every sample.
function interactPeakMarker(file) {
  var d = V.parse(fs.readFileSync(file, 'utf8'));
  var peak = d.totals.peak_resident_pages;
  var at = d.totals.peak_resident_at;
  var tl = d.timeline;
  var most = Math.max.apply(null, tl.t.map(function (x, i) {
    return Object.keys(tl.rss).reduce(function (a, k) { return a + tl.rss[k][i]; }, 0);
  }));
  return async function (page, diag) {
    var r = await page.evaluate('(' + function (peak, at) {
      var u = (window.__vmtraceTimePlots || [])[0];
      if (!u || !u.root.closest('#chart-memory')) return { missing: true };
      var c = u.root.querySelector('canvas');
      var cx = Math.round(u.valToPos(at, 'x', true));
      var cy = Math.round(u.valToPos(peak, 'y', true));
      var px = c.getContext('2d').getImageData(cx - 2, cy - 2, 5, 5).data;
      var red = 0;
      for (var i = 0; i < px.length; i += 4) {
        if (px[i + 3] > 200 && Math.abs(px[i] - 0xb3) < 12 && Math.abs(px[i + 1] - 0x26) < 12 &&
            Math.abs(px[i + 2] - 0x1e) < 12) red++;
      }
      return { ymax: u.scales.y.max, cx: cx, cy: cy, red: red };
    }.toString() + ')(' + peak + ', ' + at + ')');
    diag.push('memory chart: peak ' + peak + ' pages at ' + at + ' (samples at most ' + most +
        '): ' + JSON.stringify(r));
    if (r.missing) throw new Error('no memory chart');
    if (!(peak > most)) throw new Error('the spike run\'s peak is in a sample: nothing to test');
    if (!(r.ymax >= peak)) throw new Error('the y axis stops at ' + r.ymax + ', below the peak');
    if (r.red < 20) throw new Error('no peak marker at (' + r.cx + ', ' + r.cy + ')');
  };
}

// The faults chart's steps: sample i's faults happened between t[i-1] and
// t[i], so that is where its step must be drawn. On the spike run, zoomed
// to the eight samples around the one with the most faults (q), the
// canvas must be filled at half its count over the middle of (t[q-1],
// t[q]) and not over the middle of the next sample's interval, whose
// faults are fewer than half (nor of the one before).
function interactFaultSteps(file, expected) {
  var tl = expected || V.parse(fs.readFileSync(file, 'utf8')).timeline;
  var per = tl.t.map(function (x, i) {
    return Object.keys(tl.faults).reduce(function (a, k) {
      return k === 'invalid' ? a : a + tl.faults[k][i];
    }, 0);
  });
  var q = per.indexOf(Math.max.apply(null, per));
  return async function (page, diag) {
    if (q < 2 || q + 2 >= per.length || per[q + 1] >= per[q] / 2 || per[q - 1] >= per[q] / 2) {
      throw new Error('no lone fault burst to test: ' + per.slice(q - 2, q + 3));
    }
    var r = await page.evaluate('(' + function (t, q, half, first) {
      var u = (window.__vmtraceTimePlots || []).filter(function (p) {
        return p.root.closest('#chart-faults');
      })[0];
      if (!u) return { missing: true };
      u.setScale('x', { min: t[q - 4], max: t[q + 4] });
      // uPlot redraws after the current task
      return new Promise(function (resolve) { setTimeout(resolve, 300); }).then(function () {
        var c = u.root.querySelector('canvas');
        var y = Math.round(u.valToPos(half, 'y', true));
        var alpha = function (x) {
          var cx = Math.round(u.valToPos(x, 'x', true));
          return c.getContext('2d').getImageData(cx, y, 1, 1).data[3];
        };
        var r = { y: y, before: alpha((t[q - 2] + t[q - 1]) / 2),
          own: alpha((t[q - 1] + t[q]) / 2), after: alpha((t[q] + t[q + 1]) / 2),
          xmin: u.scales.x.min, xmax: u.scales.x.max };
        // The pointer a quarter into sample q's interval (nearer t[q-1]):
        // the legend shows sample q, whose step is under it.
        var over = u.root.querySelector('.u-over');
        var rect = over.getBoundingClientRect();
        over.dispatchEvent(new MouseEvent('mousemove', { bubbles: true,
          clientX: rect.left + u.valToPos(t[q - 1] + (t[q] - t[q - 1]) / 4, 'x'),
          clientY: rect.top + rect.height / 2 }));
        r.legend = Array.prototype.map.call(u.root.querySelectorAll('.u-legend .u-series'),
            function (row) {
              var l = row.querySelector('.u-label');
              var v = row.querySelector('.u-value');
              return [l ? l.textContent : '', v ? v.textContent : ''];
            });
        // The first sample's faults, from 0 to t[0].
        u.setScale('x', { min: 0, max: t[3] });
        return new Promise(function (resolve) { setTimeout(resolve, 300); }).then(function () {
          y = Math.round(u.valToPos(first / 2, 'y', true));
          r.first = alpha(t[0] / 2);
          r.firstY = y;
          u.setScale('x', { min: 0, max: t[t.length - 1] });
          return r;
        });
      });
    }.toString() + ')(' + JSON.stringify(tl.t) + ', ' + q + ', ' + per[q] / 2 + ', ' + per[0] +
        ')');
    diag.push('faults chart: sample ' + q + ' (' + tl.t[q - 1] + '..' + tl.t[q] + ') took ' +
        per[q] + ' faults, the next ' + per[q + 1] + '; canvas alpha at half its height ' +
        'over the previous, its own and the next interval: ' + JSON.stringify(r));
    if (r.missing) throw new Error('no faults chart');
    if (!(r.own > 100)) throw new Error('sample ' + q + '\'s faults are not drawn over its own ' +
        'interval');
    if (r.after > 100 || r.before > 100) throw new Error('sample ' + q + '\'s faults are drawn ' +
        'over another sample\'s interval: ' + JSON.stringify(r));
    var shown = {};
    (r.legend || []).forEach(function (x) { shown[x[0]] = x[1]; });
    var want = {};
    Object.keys(tl.faults).forEach(function (k) {
      if (tl.faults[k][q] > 0) want[k] = String(tl.faults[k][q]).replace(/\B(?=(\d{3})+$)/g, ',');
    });
    Object.keys(want).forEach(function (k) {
      if (shown[k] !== want[k]) {
        throw new Error('the legend a quarter into sample ' + q + '\'s interval shows ' + k +
            ' ' + shown[k] + ', not its ' + want[k] + ': ' + JSON.stringify(r.legend));
      }
    });
    if (per[0] > 0 && !(r.first > 100)) throw new Error('the first sample\'s ' + per[0] +
        ' faults are not drawn from 0 to its end: ' + JSON.stringify(r));
  };
}

// A timeline of more samples than vmtrace keeps (4,096; the file is
// fixtures.makeLongTimeline's): the page shows it merged as vmtrace merges
// its own, each sample of the page standing for `group` of the file's (the
// least power of two that leaves 4,096 or fewer), worked out here from the
// file: a merged sample closes where its group's last sample did, its
// resident pages are that sample's and its faults the group's added up.
// The memory chart must draw those resident pages at those times, the
// faults chart the burst's merged sample over its own interval, with the
// legend reading the group's faults, and the note must say what was done.
function interactMergedTimeline(file) {
  var tl = V.parse(fs.readFileSync(file, 'utf8')).timeline;
  var n = tl.t.length;
  var group = 1;
  while (Math.ceil(n / group) > 4096) group *= 2;
  var merged = { t: [], faults: {}, rss: [] };
  Object.keys(tl.faults).forEach(function (k) { merged.faults[k] = []; });
  for (var j = 0; j * group < n; j++) {
    var last = Math.min(n, (j + 1) * group) - 1;
    merged.t.push(tl.t[last]);
    merged.rss.push(tl.rss.anon[last]);
    Object.keys(tl.faults).forEach(function (k) {
      var s = 0;
      for (var i = j * group; i <= last; i++) s += tl.faults[k][i];
      merged.faults[k].push(s);
    });
  }
  var steps = interactFaultSteps(null, merged);
  return async function (page, diag) {
    var r = await page.evaluate('(' + function () {
      var u = (window.__vmtraceTimePlots || []).filter(function (p) {
        return p.root.closest('#chart-memory');
      })[0];
      var note = document.querySelector('#sec-time .note');
      return u ? { x: Array.from(u.data[0]), y: Array.from(u.data[1]),
        label: u.series[1].label, note: note ? note.textContent : '' } : { missing: true };
    }.toString() + ')()');
    if (r.missing) throw new Error('no memory chart');
    diag.push('file: ' + n + ' samples; page: ' + r.x.length + ' (groups of ' + group + ')');
    if (r.label !== 'resident anon') throw new Error('the memory chart\'s first series is ' +
        r.label);
    if (JSON.stringify(r.x) !== JSON.stringify(merged.t)) throw new Error('the memory chart\'s ' +
        r.x.length + ' samples are not the file\'s groups of ' + group + ' (' + merged.t.length +
        ')');
    var bad = merged.rss.map(function (v, j) { return v === r.y[j] ? null : j; })
        .filter(function (j) { return j !== null; });
    if (bad.length) throw new Error('resident pages drawn at ' + bad.length + ' samples are ' +
        'not those of their group\'s last sample, first at sample ' + bad[0] + ': ' +
        r.y[bad[0]] + ', not ' + merged.rss[bad[0]]);
    var want = 'The file has ' + String(n).replace(/\B(?=(\d{3})+$)/g, ',') + ' samples';
    if (r.note.indexOf(want) < 0 || r.note.indexOf('merged neighbouring samples in pairs') < 0) {
      throw new Error('the time view does not say the samples were merged: ' + r.note);
    }
    await steps(page, diag);
  };
}

// Stacked counts are drawn as bands of their own colour. The file
// (fixtures.makeLongTimeline(4096, 2000, 3)) has an anonymous fault in
// every third sample and 3 file_read faults in sample 2,000 alone: 4,096
// samples of a quarter of a pixel, the anon band's top going 0, 0, 1 over
// and over. Along the height of half a fault, away from the burst, no
// pixel may be file_read's violet and a quarter at least must be anon's
// green (the others are paler: a band a third of a pixel wide): when each
// stacked series had a stroke, file_read's line followed the stack's top up
// and down at every sample and painted the anon band violet (sqlite3's
// 8,644 anon faults read as its 28 wp_copy faults, red).
async function interactStackColours(page, diag) {
  var r = await page.evaluate('(' + function () {
    var u = (window.__vmtraceTimePlots || []).filter(function (p) {
      return p.root.closest('#chart-faults');
    })[0];
    if (!u) return { missing: true };
    var c = u.root.querySelector('canvas');
    var dpr = window.devicePixelRatio || 1;
    var y = Math.round(u.valToPos(0.5, 'y', true));
    var burst = u.valToPos(2000 * 1000, 'x', true);
    var x0 = Math.round(u.valToPos(0, 'x', true));
    var x1 = Math.round(u.valToPos(4096 * 1000, 'x', true));
    var px = c.getContext('2d').getImageData(x0, y, x1 - x0, 1).data;
    var green = 0;
    var violet = 0;
    var other = 0;
    for (var i = 0; i < x1 - x0; i++) {
      if (Math.abs(x0 + i - burst) < 40 * dpr) continue;
      var p = [px[4 * i], px[4 * i + 1], px[4 * i + 2]];
      // anon #59a14f: green above red and blue; file_read #b07aa1: red and
      // blue above green
      if (p[1] > p[0] + 15 && p[1] > p[2] + 15) green++;
      else if (p[0] > p[1] + 15 && p[2] > p[1] + 15) violet++;
      else other++;
    }
    return { y: y, green: green, violet: violet, other: other,
      labels: u.series.map(function (s) { return s.label; }) };
  }.toString() + ')()');
  diag.push('faults chart, pixels at half a fault: ' + JSON.stringify(r));
  if (r.missing) throw new Error('no faults chart');
  if (r.violet > 0 || !(r.green >= 0.25 * (r.green + r.violet + r.other))) {
    throw new Error('the anonymous faults\' band is not drawn in anon\'s colour: ' +
        JSON.stringify(r));
  }
}

// The tree memory chart: drawn, with the peak marked (the marker's red
// pixels) and the legend following the pointer.
async function interactTreeMemory(page, diag) {
  var r = await page.evaluate('(' + function () {
    var el = document.getElementById('chart-tree-memory');
    if (!el) return { missing: true };
    var c = el.querySelector('canvas');
    var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    var red = 0;
    var filled = 0;
    for (var i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 200 && Math.abs(d[i] - 0xb3) < 12 && Math.abs(d[i + 1] - 0x26) < 12 &&
          Math.abs(d[i + 2] - 0x1e) < 12) red++;
      if (d[i + 3] > 0) filled++;
    }
    var over = el.querySelector('.u-over');
    var rect = over.getBoundingClientRect();
    over.dispatchEvent(
        new MouseEvent('mousemove',
            { clientX: rect.left + rect.width * 0.5, clientY: rect.top + rect.height * 0.5,
                bubbles: true }));
    var legend = Array.prototype.map.call(el.querySelectorAll('.u-legend .u-value'),
        function (v) { return v.textContent; });
    var fig = el.parentNode.querySelector('.tree-figures');
    return { red: red, filled: filled, legend: legend, figures: fig ? fig.textContent : '' };
  }.toString() + ')()');
  diag.push('tree memory chart: ' +
      (r.missing ? 'missing' : r.filled + ' pixels drawn, ' + r.red + ' marker pixels; legend ' +
          JSON.stringify(r.legend) + '; figures ' + JSON.stringify(r.figures)));
  if (r.missing) throw new Error('no tree memory chart');
  if (r.red < 20) throw new Error('the tree memory chart has no peak marker');
  if (!/tree peak/.test(r.figures) || !/naive sum/.test(r.figures)) throw new Error(
      'the tree memory figures are missing');
  if (!r.legend.length || r.legend.every(function (v) { return v === '–'; })) throw new Error(
      'the tree memory legend does not follow the pointer');
}

// Zoomed to its last 10,000 instructions, each time chart labels its x
// ticks differently, each label the tick's own figure (read back as a
// number, it is the tick to the label's digits): a zoom far from 0 once
// labelled ten ticks "2.7M".
function interactZoomTicks(name) {
  return async function (page) {
    var r = await page.evaluate('(' + function () {
      var plots = window.__vmtraceTimePlots || [];
      if (!plots.length) return [];
      var x = plots[0].data[0];
      var hi = x[x.length - 1];
      plots[0].setScale('x', { min: hi - 10000, max: hi });
      return new Promise(function (done) {
        setTimeout(function () {
          done(plots.map(function (u) {
            return { id: u.root.closest('.chart').id, splits: u.axes[0]._splits,
              labels: u.axes[0]._values, min: u.scales.x.min, max: u.scales.x.max };
          }));
        }, 300);
      });
    }.toString() + ')()');
    var mult = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
    var bad = [];
    r.forEach(function (c) {
      if (!c.labels || c.labels.length < 3) {
        bad.push(c.id + ': ' + JSON.stringify(c.labels));
        return;
      }
      if (new Set(c.labels).size !== c.labels.length) bad.push(c.id + ': ' + c.labels.join(' '));
      c.labels.forEach(function (l, i) {
        var m = /^(-?[\d.]+)([kMGT]?)$/.exec(l);
        var digits = m && m[1].indexOf('.') >= 0 ? m[1].split('.')[1].length : 0;
        var tol = m ? 0.5 * Math.pow(10, -digits) * mult[m[2]] : 0;
        if (!m || Math.abs(Number(m[1]) * mult[m[2]] - c.splits[i]) > tol) {
          bad.push(c.id + ': tick ' + c.splits[i] + ' labelled ' + l);
        }
      });
    });
    result(r.length >= 3 && bad.length === 0, 'browser real run ' + name + ': zoomed to its ' +
        'last 10,000 instructions, the ' + r.length + ' time charts label each x tick with ' +
        'its own figure', bad.concat([JSON.stringify(r.map(function (c) {
          return [c.id, c.min, c.max, c.labels];
        }))]));
  };
}

// The last process of the table shown: its time charts and heatmap span
// its run, from 0 to its run.instructions (a short forked child once got an
// axis to the end of its heat's epoch: 743 instructions on one to 4,096).
function interactLastProcess(loaded) {
  return async function (page) {
    var r = await page.evaluate('(' + function () {
      var rows = document.querySelectorAll('#sec-processes [data-table="tree"] tbody tr');
      rows[rows.length - 1].click();
      return new Promise(function (done) {
        setTimeout(function () {
          var s = document.getElementById('file-select');
          done({ file: s.options[s.selectedIndex].textContent,
            plots: (window.__vmtraceTimePlots || []).map(function (u) {
              return [u.scales.x.min, u.scales.x.max];
            }),
            heat: window.__vmtraceHeat ? window.__vmtraceHeat.range : null });
        }, 300);
      });
    }.toString() + ')()');
    var f = loaded.filter(function (l) { return r.file.indexOf('[' + l.name + ']') >= 0; })[0] ||
        loaded.filter(function (l) { return r.file.indexOf(path.basename(l.name) + ']') >= 0; })[0];
    var end = f ? f.data.run.instructions : NaN;
    var spans = r.plots.concat(r.heat ? [r.heat] : []);
    var bad = spans.filter(function (x) { return x[0] !== 0 || x[1] !== end; });
    result(!!f && spans.length >= 2 && bad.length === 0, 'browser real tree: the last process (' +
        r.file.trim() + ') shows its time charts and heatmap from 0 to its ' + end +
        ' instructions', [JSON.stringify(r)]);
  };
}

// The native-only report: its mapping table sorts, the markup-like
// mapping name is one text cell.
async function interactNative(page, diag) {
  var r = await page.evaluate('(' + function () {
    var table = document.querySelector('[data-table="native-mappings"] table');
    var th = Array.prototype.filter.call(table.querySelectorAll('th'),
        function (t) { return t.textContent === 'faults'; })[0];
    th.click();
    var col = Array.prototype.indexOf.call(th.parentNode.children, th);
    var vals = Array.prototype.map.call(table.querySelectorAll('tbody tr'),
        function (tr) { return Number(tr.children[col].textContent.replace(/,/g, '')); });
    var names = Array.prototype.map.call(table.querySelectorAll('tbody td.long'),
        function (td) { return td.textContent; });
    return { sorted: vals.every(function (v, i) { return i === 0 || vals[i - 1] >= v; }), rows:
        vals.length, names: names };
  }.toString() + ')()');
  diag.push('measured mappings sorted by faults: ' + r.sorted + ' (' + r.rows + ' rows)');
  if (!r.sorted || r.rows < 2) throw new Error('sorting the measured mappings did not work');
  if (r.names.indexOf('<img src=x onerror=alert(1)>.so') < 0) throw new Error(
      'the markup-like mapping name is not a text cell: ' + JSON.stringify(r.names));
}

// The comparison: the summary table is there, the joined mapping table
// sorts by difference, the markup-like name is a text cell of it, and the
// progress charts have both series in their legends.
async function interactCompare(page, diag) {
  var r = await page.evaluate('(' + function () {
    var out = {};
    out.summary =
        Array.prototype.map.call(document.querySelectorAll('[data-table="cmp-summary"] tbody tr'),
            function (tr) { return tr.children[0].textContent; });
    var table = document.querySelector('[data-table="cmp-mappings"] table');
    var th = Array.prototype.filter.call(table.querySelectorAll('th'),
        function (t) { return t.textContent === 'difference'; })[0];
    th.click();
    var col = Array.prototype.indexOf.call(th.parentNode.children, th);
    var vals = Array.prototype.map.call(table.querySelectorAll('tbody tr'),
        function (tr) { return Number(tr.children[col].textContent.replace(/[,+]/g, '')); });
    out.sorted = vals.length > 1 &&
        vals.every(function (v, i) { return i === 0 || vals[i - 1] >= v; });
    out.names = Array.prototype.map.call(table.querySelectorAll('tbody tr'),
        function (tr) { return tr.children[0].textContent; });
    out.legends = ['chart-cmp-faults', 'chart-cmp-rss'].map(function (id) {
      return Array.prototype.map.call(document.querySelectorAll('#' + id + ' .u-legend .u-label'),
          function (l) { return l.textContent; });
    });
    return out;
  }.toString() + ')()');
  diag.push('comparison rows: ' + JSON.stringify(r.summary) + '; mappings sorted by difference: ' +
      r.sorted + '; legends ' + JSON.stringify(r.legends));
  ['minor faults', 'major faults', 'total faults', 'processes'].forEach(function (k) {
    if (r.summary.indexOf(k) < 0) throw new Error('comparison summary lacks the row ' + k);
  });
  if (!r.sorted) throw new Error('sorting the joined mappings by difference did not work');
  if (r.names.indexOf('<img src=x onerror=alert(1)>.so') < 0 && r.names.indexOf('[heap]') <
      0) throw new Error('joined mapping names missing: ' + JSON.stringify(r.names));
  r.legends.forEach(function (l) {
    if (l.indexOf('simulated') < 0 || l.indexOf('measured') < 0) throw new Error(
        'a progress chart lacks a series: ' + JSON.stringify(l));
  });
}

async function main() {
  var exe = cdp.findChromium();
  if (!exe) {
    result(true, 'browser # SKIP chromium not installed');
    return;
  }
  var fx = fixtures.writeAll(path.join(tmp, 'fixtures'));
  var cases = [];
  reals.forEach(function (f, k) {
    var ex = expectFor(f,
        { sections: ['sec-summary', 'sec-classes', 'sec-pagetables', 'sec-mappings', 'sec-labels',
            'sec-phases'], absent: ['sec-processes'], text: ['Mappings'] });
    ex.interact = interactZoomTicks(path.basename(f));
    cases.push({
      name: 'real run ' + path.basename(f), file:
          makeReport([f], path.join(outDir, 'real-' + k + '.html')),
      expect: ex
    });
  });
  realCut.forEach(function (f, k) {
    var ex = expectFor(f, { sections: ['sec-summary', 'sec-mappings'], text: ['Fault stacks'] });
    ex.interact = interactFlameTotals(f);
    cases.push({ name: 'real run: icicle of sites cut at 100 per class (python3 -c pass)', file:
        makeReport([f], path.join(outDir, 'real-cut-' + k + '.html')), expect: ex });
  });
  realEvictions.forEach(function (f, k) {
    var ex = expectFor(f, { sections: ['sec-summary', 'sec-mappings', 'sec-simulations'],
      text: ['Evictions by mapping'] });
    ex.interact = interactEvictions(f);
    cases.push({ name: 'real run: evictions by mapping (hotcold, lru and fifo)', file:
        makeReport([f], path.join(outDir, 'real-evictions-' + k + '.html')), expect: ex });
  });
  realThp.forEach(function (f, k) {
    var ex = expectFor(f, { sections: ['sec-summary', 'sec-thpcompare'], text: ['against'] });
    ex.charts = ex.charts.concat(['chart-thp-rss', 'chart-thp-faults', 'chart-thp-pt']);
    ex.interact = interactThpCompare;
    cases.push({ name: 'real run: THP against without (tests/clients/thp write, --thp-compare)',
      file: makeReport([f], path.join(outDir, 'real-thpcompare-' + k + '.html')), expect: ex });
  });
  realTlb.forEach(function (f, k) {
    var ex = expectFor(f, { sections: ['sec-summary', 'sec-mappings', 'sec-labels',
      'sec-labelphases', 'sec-phases'], text: ['TLB misses by mapping', 'TLB misses by phase',
      'dTLB misses'] });
    ex.interact = interactTlb(f);
    cases.push({ name: 'real run: TLB per mapping (tlbmaps)', file:
        makeReport([f], path.join(outDir, 'real-tlb-' + k + '.html')), expect: ex });
  });
  realSpike.forEach(function (f, k) {
    var ex = expectFor(f, { sections: ['sec-summary', 'sec-mappings'], text: ['peak resident'] });
    var peakMarker = interactPeakMarker(f);
    var faultSteps = interactFaultSteps(f);
    ex.interact = async function (page, diag) {
      await peakMarker(page, diag);
      await faultSteps(page, diag);
    };
    cases.push({ name: 'real run: the peak inside a sample and the faults per interval (spike)',
      file: makeReport([f], path.join(outDir, 'real-spike-' + k + '.html')), expect: ex });
  });
  // 10,000 samples, a burst of 1,000 faults in sample 4,937: 2,500 on the
  // page (groups of 4), the burst in sample 1,234 with the group's one
  // anonymous fault (sample 4,938)
  var longFile = path.join(tmp, 'long-timeline.json');
  fs.writeFileSync(longFile, JSON.stringify(fixtures.makeLongTimeline(10000, 4937, 1000)));
  var exLong = expectFor(longFile, { sections: ['sec-summary', 'sec-mappings'],
    text: ['merged neighbouring samples in pairs'] });
  exLong.interact = interactMergedTimeline(longFile);
  cases.push({ name: 'a timeline of 10,000 samples, more than vmtrace keeps', file:
      makeReport([longFile], path.join(outDir, 'long-timeline.html')), expect: exLong });
  // A simulation stopped out of memory halfway through sample 9, its RAM
  // then full of used pages (as the tool freezes it: that state in every
  // later sample, no event).
  var stopFile = path.join(tmp, 'stopped-sim.json');
  var stopped = fixtures.makeFile({});
  var si = stopped.simulations.findIndex(function (s) {
    return s.policy === 'lru' && s.ram_pages === 256;
  });
  var st = stopped.timeline.t;
  var stopAt = Math.round((st[8] + st[9]) / 2);
  stopped.simulations[si].stopped_at = stopAt;
  stopped.simulations[si].stopped = { time: stopAt, rss_pages: 300, address: 4096, stack: [] };
  var sss = stopped.timeline.simulations[si];
  for (var k9 = 9; k9 < st.length; k9++) {
    sss.anon[k9] = sss.resident[k9] = 256;
    if (k9 > 9) {
      ['minor', 'swap_in', 'file_major', 'swap_out', 'evictions'].forEach(function (key) {
        sss[key][k9] = 0;
      });
      sss.swap_used[k9] = sss.swap_used[9];
    }
  }
  fs.writeFileSync(stopFile, JSON.stringify(stopped));
  var exStop = expectFor(stopFile, { sections: ['sec-summary', 'sec-simulations'] });
  exStop.interact = interactStoppedSim(si, stopped, stopAt);
  cases.push({ name: 'a simulation stopped out of memory: the state it stopped with drawn',
    file: makeReport([stopFile], path.join(outDir, 'stopped-sim.html')), expect: exStop });
  var stackFile = path.join(tmp, 'stack-colours.json');
  fs.writeFileSync(stackFile, JSON.stringify(fixtures.makeLongTimeline(4096, 2000, 3)));
  var exStack = expectFor(stackFile, { sections: ['sec-summary', 'sec-mappings'] });
  exStack.interact = interactStackColours;
  cases.push({ name: 'stacked counts drawn in their own colours (4,096 samples)', file:
      makeReport([stackFile], path.join(outDir, 'stack-colours.html')), expect: exStack });
  realTrees.forEach(function (dir, k) {
    var files = fs.readdirSync(dir).filter(
        function (f) { return /^(vmtrace\.)?out\./.test(f); }).sort().map(
            function (f) { return path.join(dir, f); });
    var loaded = files.map(
        function (f) { return { name: f, data: V.parse(fs.readFileSync(f, 'utf8')) }; });
    var first = loaded[treeMod.build(loaded).roots[0].images[0]].name;
    var ex = expectFor(first,
        { sections: ['sec-processes', 'sec-summary', 'sec-mappings', 'sec-phases'], text:
            ['Σ faults', 'peak PSS', 'tree peak'] });
    var tcharts = treeChartIds(loaded);
    ex.charts = ex.charts.concat(tcharts);
    var lastShown = interactLastProcess(loaded);
    ex.interact = async function (page, diag) {
      if (tcharts.length) await interactTreeMemory(page, diag);
      await lastShown(page, diag);
    };
    cases.push({
      name: 'real process tree ' + k + ' (' + files.length + ' files)', file:
          makeReport(files, path.join(outDir, 'real-tree-' + k + '.html')),
      expect: ex
    });
  });
  cases.push({
    name: 'synthetic, all sections', file:
        makeReport([fx.synthetic, fx.simresult, fx.simother],
            path.join(outDir, 'synthetic.html')),
    expect: {
      charts: ['chart-memory', 'chart-wss', 'chart-faults', 'chart-heatmap', 'chart-policies',
        'chart-policies-major', 'chart-policies-relative', 'chart-sim-memory', 'chart-sim-activity',
        'chart-flame'],
      sections: ['sec-summary', 'sec-classes', 'sec-pagetables', 'sec-time', 'sec-mappings',
          'sec-labels', 'sec-labelphases', 'sec-phases', 'sec-faultsites', 'sec-simulations',
              'sec-invalid'],
      absent: ['sec-processes'],
      text: [fixtures.XSS_SO, fixtures.XSS_LABEL, fixtures.XSS_PHASE, '<b>bold</b>',
        OTHER_CURVES],
      interact: async function (page, diag) {
        await interactSynthetic(page, diag);
        await interactSims(page, diag);
        await interactPolicies(page, diag);
        await interactFlame(page, diag);
      }
    }
  });
  cases.push({
    name: 'exact curves of another process', file:
        makeReport([fx.synthetic, fx.simother], path.join(outDir, 'curves-other.html')),
    expect: {
      charts: ['chart-memory', 'chart-wss', 'chart-faults', 'chart-heatmap', 'chart-policies',
        'chart-policies-major', 'chart-policies-relative', 'chart-sim-memory', 'chart-sim-activity',
        'chart-flame'],
      sections: ['sec-summary', 'sec-simulations'],
      text: [OTHER_CURVES],
      interact: interactOtherCurves
    }
  });
  cases.push({
    name: 'process tree', file: makeReport(fx.tree, path.join(outDir, 'tree.html')),
    expect: {
      charts: ['chart-memory', 'chart-wss', 'chart-faults', 'chart-heatmap', 'chart-policies',
        'chart-policies-major',
        'chart-policies-relative', 'chart-sim-memory', 'chart-sim-activity',
          'chart-tree-memory', 'chart-flame'],
      sections: ['sec-processes', 'sec-summary', 'sec-mappings'],
      text: ['2 runs of', 'Σ faults', '/bin/worker', 'peak PSS', 'PSS at tree peak', 'Tree memory',
          'shared pages counted in every process'],
      interact: async function (page, diag) {
        await interactTree(page, diag);
        await interactTreeMemory(page, diag);
      }
    }
  });
  // A vmtrace-sim --tree result alone (fixtures.makeTreeRun): the victim's
  // row as the page shows it, its figures chosen in the fixture.
  cases.push({
    name: 'vmtrace-sim --tree result', file:
        makeReport([fx.treerun], path.join(outDir, 'treerun.html')),
    expect: {
      charts: [],
      sections: ['sec-treerun-0', 'sec-treecurves'],
      absent: ['sec-summary', 'sec-processes', 'sec-simulations'],
      text: ['One memory for a process tree (vmtrace-sim --tree)', 'killed at',
          'badness 4,038 = rss 2,026 + swap 0 + page tables 12 + 2,000 (oom_score_adj 500)'],
      interact: async function (page, diag) {
        var rows = await page.evaluate('(' + function () {
          return Array.prototype.map.call(
              document.querySelectorAll('[data-table="treerun-0"] tbody tr'), function (tr) {
                return Array.prototype.map.call(tr.children, function (td) {
                  return td.textContent.trim();
                });
              });
        } + ')()');
        var child = (rows || []).filter(function (r) { return r[0] === '101'; })[0] || [];
        var want = ['101', '100', '500', '3,345', '1,119', '1,100', '19', '2,026 (7.91 MiB)',
          'oom-killed', '+1.250000 s', '11,000', '4,038'];
        result(JSON.stringify(child) === JSON.stringify(want), 'browser vmtrace-sim --tree ' +
            'result: the victim\'s row: faults 1,119, peak RSS 2,026, killed at +1.25 s, ' +
            'badness 4,038', [JSON.stringify(rows)].concat(diag));
      }
    }
  });
  // vmtrace-native: alone, against the synthetic file, and against the
  // first run of the synthetic tree (several processes: wall-clock progress).
  var nativeSections =
      ['sec-native-summary', 'sec-native-time', 'sec-native-processes', 'sec-native-mappings',
          'sec-native-faultsites'];
  cases.push({
    name: 'native only', file: makeReport([fx.native], path.join(outDir, 'native.html')),
    expect: {
      charts: ['chart-native-rss', 'chart-native-faults'],
      sections: nativeSections,
      absent: ['sec-summary', 'sec-processes', 'sec-compare', 'sec-cmp-mappings', 'sec-cmp-sites'],
      text: [fixtures.XSS_SO, '<b>synth</b>', '<b>bold</b>', 'Measured run', 'Top fault sites'],
      interact: interactNative
    }
  });
  cases.push({
    name: 'simulated vs measured', file:
        makeReport([fx.synthetic, fx.native], path.join(outDir, 'compare.html')),
    expect: {
      charts: ['chart-cmp-faults', 'chart-cmp-rss', 'chart-memory', 'chart-wss', 'chart-faults',
          'chart-heatmap', 'chart-policies', 'chart-policies-major',
        'chart-policies-relative', 'chart-sim-memory', 'chart-sim-activity',
        'chart-flame', 'chart-native-rss', 'chart-native-faults'],
      sections: ['sec-compare', 'sec-cmp-mappings', 'sec-cmp-sites', 'sec-summary', 'sec-mappings',
          'sec-faultsites'].concat(nativeSections),
      absent: ['sec-processes'],
      text: [fixtures.XSS_SO, fixtures.XSS_LABEL, '<b>bold</b>', 'Simulated vs measured',
          'measured minor', 'fill_0 (synthetic.c:40)', 'only_native (native.c:7)'],
      interact: interactCompare
    }
  });
  realCompares.forEach(function (c, k) {
    var ex = expectFor(c[0],
        { sections: ['sec-compare', 'sec-cmp-mappings', 'sec-cmp-sites', 'sec-summary',
            'sec-mappings'].concat(nativeSections), absent: ['sec-processes'], text:
                ['Simulated vs measured', 'main (phases.c:41)'] });
    ex.charts = ex.charts.concat(
        ['chart-cmp-faults', 'chart-cmp-rss', 'chart-native-rss', 'chart-native-faults']);
    ex.interact = interactCompare;
    cases.push({ name: 'real simulated vs measured ' + k, file:
        makeReport(c, path.join(outDir, 'real-compare-' + k + '.html')), expect: ex });
  });
  var firstRun = fx.tree.filter(function (f) { return !/tree\.200\.json$/.test(f); });
  cases.push({
    name: 'process tree vs measured', file:
        makeReport(firstRun.concat([fx.native]), path.join(outDir, 'compare-tree.html')),
    expect: {
      charts: ['chart-cmp-faults', 'chart-cmp-rss', 'chart-memory', 'chart-wss', 'chart-faults',
          'chart-heatmap', 'chart-policies', 'chart-policies-major',
        'chart-policies-relative', 'chart-sim-memory', 'chart-sim-activity',
        'chart-tree-memory', 'chart-flame', 'chart-native-rss', 'chart-native-faults'],
      sections: ['sec-compare', 'sec-cmp-mappings', 'sec-cmp-sites', 'sec-processes',
          'sec-summary'].concat(nativeSections),
      text: ['peak Σ RSS of the processes',
          'The programs differ: server was simulated, synthetic measured', 'wall clock'],
      interact: interactCompare
    }
  });
  var browser = cdp.launch(exe);
  try {
    for (var k = 0; k < cases.length; k++) {
      await check(browser, cases[k].name, cases[k].file, cases[k].expect);
    }
  } finally {
    await browser.close();
  }
}

function cleanup() {
  try {
    fs.rmSync(path.join(tmp, 'fixtures'), { recursive: true, force: true });
    if (outDir !== tmp) fs.rmSync(tmp, { recursive: true, force: true });
  } catch (e) { /* best effort */ }
}

main().then(function () {
  cleanup();
  process.stdout.write('# reports and screenshots in ' + outDir + '\n');
  process.exitCode = failures ? 1 : 0;
}, function (e) {
  cleanup();
  result(false, 'browser test harness', [e && e.stack || String(e)]);
  process.exitCode = 1;
});
