'use strict';
// --text: the report's sections for a terminal.

var F = require('./format');
var M = require('./model');
var T = require('./table');
var tree = require('./tree');
var heatmap = require('./heatmap');
var V = require('./validate');
var N = require('./native');
var C = require('./compare');

var SHADES = ' .:-=+*#%@';

function indent(s, n) {
  var pad = new Array(n + 1).join(' ');
  return s.split('\n').map(function (l) { return l ? pad + l : l; }).join('\n');
}

function heading(title) {
  return '== ' + F.printable(title) + ' ==';
}

function tableSection(spec, opts) {
  var out = [heading(spec.title)];
  if (spec.note) out.push(indent(F.printable(spec.note), 2));
  if (!spec.rows.length) out.push('  (none)');
  else {
    out.push(indent(T.toText(spec, opts), 2));
    if (opts && opts.limit && spec.rows.length > opts.limit) {
      out.push('  (' + (spec.rows.length - opts.limit) + ' more rows in the HTML report)');
    }
  }
  return out.join('\n');
}

function summarySection(s) {
  var w = s.items.reduce(function (m, it) { return Math.max(m, it[0].length); }, 0);
  var out = [heading(s.title)];
  s.items.forEach(function (it) {
    out.push('  ' + it[0] + new Array(w - it[0].length + 3).join(' ') + F.printable(it[1]));
  });
  return out.join('\n');
}

// The heatmap as characters: at most `rows` lines of `cols` characters,
// each the busiest cell of the block it covers.
function heatmapText(d, cols, maxRows) {
  var hm = d.heatmap;
  cols = cols || 64;
  maxRows = maxRows || 32;
  var nb = heatmap.usedBuckets(hm, d.run.instructions);
  var nr = hm.rows.length;
  var out = [heading('Heatmap: address × time')];
  out.push('  ' + nr + ' address ranges × ' + nb + ' buckets of ' + F.int(hm.t_step) + ' instructions; ' +
    'darker = more distinct pages referenced (log scale, max ' + F.int(heatmap.maxCount(hm)) + ')');
  if (!nr || !nb) { out.push('  (empty)'); return out.join('\n'); }
  var groups = heatmap.rowGroups(hm, d.mappings);
  var max = heatmap.maxCount(hm);
  var lines = Math.min(maxRows, nr);
  var width = Math.min(cols, nb);
  var labels = [];
  for (var l = 0; l < lines; l++) {
    var r0 = Math.floor((l * nr) / lines);
    var r1 = Math.max(r0 + 1, Math.floor(((l + 1) * nr) / lines));
    var s = '';
    for (var c = 0; c < width; c++) {
      var b0 = Math.floor((c * nb) / width);
      var b1 = Math.max(b0 + 1, Math.floor(((c + 1) * nb) / width));
      var m = 0;
      for (var r = r0; r < r1; r++) {
        for (var b = b0; b < b1; b++) m = Math.max(m, hm.counts[r * hm.buckets + b]);
      }
      var x = heatmap.intensity(m, max);
      s += m > 0 ? SHADES.charAt(Math.max(1, Math.min(SHADES.length - 1, Math.round(x * (SHADES.length - 1))))) : ' ';
    }
    var g = null;
    groups.forEach(function (gg) { if (r0 >= gg.first && r0 <= gg.last) g = gg; });
    var name = g ? (g.first >= r0 && g.first < r1) || l === 0 ? heatmap.shorten(g.name || '[' + g.kind + ']', 24) : '' : '';
    labels.push([F.hex(hm.rows[r0].start) + ' ' + F.printable(name), s]);
  }
  var lw = labels.reduce(function (a, x) { return Math.max(a, Array.from(x[0]).length); }, 0);
  labels.forEach(function (x) {
    out.push('  ' + x[0] + new Array(lw - Array.from(x[0]).length + 2).join(' ') + '|' + x[1] + '|');
  });
  var axisL = '0';
  var axisR = F.si(nb * hm.t_step) + ' instructions';
  var gap = Math.max(1, width - axisL.length - axisR.length);
  out.push('  ' + new Array(lw + 2).join(' ') + ' ' + axisL + new Array(gap + 1).join(' ') + axisR);
  return out.join('\n');
}

function msDate(msEpoch) {
  return new Date(msEpoch).toISOString().replace('T', ' ').replace(/Z$/, ' UTC');
}

function kib(pages, ps) {
  return F.dec(pages * ps / 1024) + ' KiB';
}

// The memory of one run's tree (tree.treeMemory): its peak with each page
// counted once, when, and the naive sum of the processes' peak RSS.
function treeMemoryText(files, m) {
  var nd = m.processes[0].node;
  var d = files[nd.images[0]].data;
  var ps = d.page_size || 4096;
  var out = [heading('Tree memory: pid ' + d.run.pid + ' ' + F.command(d.run.command) + ', ' + m.processes.length + ' processes')];
  out.push('  Σ PSS of the processes alive at each moment (wall clock): a page shared');
  out.push('  copy-on-write by n processes counts 1/n in each, so once in the tree.');
  var rows = [['tree peak', F.dec(m.peak.pages) + ' pages (' + kib(m.peak.pages, ps) + ')']];
  if (m.peak.index >= 0) {
    rows.push(['when', F.seconds((m.peak.ms - m.t0) / 1000) + ' after the tree started (' + msDate(m.peak.ms) + ')']);
  }
  rows.push(['naive sum', F.int(m.naive) + ' pages (' + kib(m.naive, ps) + '): the processes\' peak RSS added up']);
  if (m.peak.pages > 0) rows.push(['ratio', (m.naive / m.peak.pages).toFixed(2) + ' (naive sum / tree peak)']);
  var w = rows.reduce(function (a, r) { return Math.max(a, r[0].length); }, 0);
  rows.forEach(function (r) { out.push('  ' + r[0] + new Array(w - r[0].length + 3).join(' ') + F.printable(r[1])); });
  if (m.approximate) {
    out.push('  approximate: ' + m.notes.length + (m.notes.length === 1 ? ' file lacks' : ' files lack') + ' a PSS timeline:');
    m.notes.forEach(function (n) { out.push('    ' + F.printable(n)); });
  }
  var spec = {
    id: 'treememory', title: 'Tree memory',
    columns: [
      { key: 'pid', title: 'pid', num: false, pre: true, fmt: function (v, r) { return new Array(r.depth + 1).join('  ') + v; } },
      { key: 'command', title: 'command', num: false },
      { key: 'at_peak', title: 'PSS at peak', num: true, fmt: function (v) { return F.dec(v); } },
      { key: 'rss', title: 'peak RSS', num: true, fmt: function (v) { return F.int(v); } },
      { key: 'pss', title: 'peak PSS', num: true, fmt: function (v, r) { return (r.approx ? '~' : '') + F.dec(v); } },
      { key: 'uss', title: 'peak USS', num: true, fmt: function (v, r) { return v === null ? '' : (r.approx ? '~' : '') + F.dec(v); } }
    ],
    rows: m.processes.map(function (p) {
      return { pid: p.pid, depth: p.node.depth - nd.depth, command: p.command, at_peak: p.at_peak, rss: p.rss_peak, pss: p.pss_peak, uss: p.uss_peak, approx: p.approx.length > 0 };
    })
  };
  out.push('');
  out.push(indent(T.toText(spec), 2));
  if (m.approximate) out.push('  (pages; ~ = from the PSS at exit, no timeline)');
  else out.push('  (pages)');
  return out.join('\n');
}

function fileSections(d) {
  var out = [];
  M.sections(d).forEach(function (s) {
    if (s.items) out.push(summarySection(s));
    else if (s.id === 'faultsites') out.push(tableSection(s, { limit: 20 }));
    else out.push(tableSection(s));
    if (s.id === 'phases') {
      var tt = M.timelineTable(d, 20);
      if (tt) out.push(tableSection(tt));
      if (d.heatmap) out.push(heatmapText(d));
    }
  });
  return out.join('\n\n');
}

// The sections of a vmtrace-native file.
function nativeSections(d) {
  var out = [summarySection(N.summary(d))];
  out.push(tableSection(N.processTable(d)));
  var tt = N.timelineTable(d, 20);
  if (tt) out.push(tableSection(tt));
  out.push(tableSection(N.mappingTable(d)));
  out.push(tableSection(N.faultSiteTable(d), { limit: 20 }));
  return out.join('\n\n');
}

// "Simulated vs measured" (compare.js): files are the simulated run's.
function compareSections(files, nat) {
  var cmp = C.compare(files, nat.data);
  var r = cmp.run.rootData.run;
  var out = [];
  var head = [heading('Simulated vs measured')];
  head.push('  simulated  ' + F.printable(F.command(r.command)) + ' (pid ' + r.pid + ', ' + cmp.run.root.total.processes +
    (cmp.run.root.total.processes > 1 ? ' processes' : ' process') + ')');
  head.push('  measured   ' + F.printable(F.command(nat.data.command)) + ' (' + F.printable(nat.name) + ', ' + nat.data.processes.length +
    (nat.data.processes.length > 1 ? ' processes' : ' process') + ')');
  if (cmp.programs.differ) {
    head.push('  note: the programs differ: ' + F.printable(cmp.programs.sim) + ' was simulated, ' + F.printable(cmp.programs.native) + ' measured');
  }
  head.push('  Natively the kernel tells only minor from major faults. difference = measured − simulated, ratio = measured / simulated.');
  head.push('');
  head.push(indent(T.toText(cmp.summary), 2));
  out.push(head.join('\n'));
  out.push(tableSection(cmp.progressTable));
  out.push(tableSection(cmp.mappings));
  out.push(tableSection(cmp.sites, { limit: 20 }));
  out.push(tableSection(cmp.stacks, { limit: 20 }));
  return out.join('\n\n');
}

// The simulated run's sections (one file, or the tree and each process).
function simSections(files, out) {
  if (files.length > 1) {
    var t = tree.build(files);
    var spec = tree.treeTable(files, t);
    var runs = tree.runGroups(files, t.roots).map(function (g) {
      var n = g.roots.length;
      return '  ' + (n > 1 ? n + ' runs of ' : '1 run of ') + F.printable(g.command);
    });
    out.push(heading('Processes') + '\n' + runs.join('\n') + '\n' + indent(T.toText(spec), 2));
    tree.memories(files, t).forEach(function (m) {
      if (m.processes.length > 1) out.push(treeMemoryText(files, m));
    });
    tree.flatten(t.roots).forEach(function (n) {
      n.images.forEach(function (fi) {
        var d = files[fi].data;
        out.push('#### pid ' + d.run.pid + ': ' + F.printable(F.command(d.run.command)) + '  [' + F.printable(files[fi].name) + ']\n\n' + fileSections(d));
      });
    });
  } else {
    out.push('vmtrace report: ' + F.printable(files[0].name) + '\n\n' + fileSections(files[0].data));
  }
}

// files: [{name, data}] -> the whole text report. With a vmtrace-native
// file: the comparison first (when there are simulated files), then the
// simulated run, then the measured one.
function render(files) {
  var sims = files.filter(function (f) { return !V.isNative(f.data); });
  var nat = files.filter(function (f) { return V.isNative(f.data); })[0];
  var out = [];
  if (nat && sims.length) out.push(compareSections(sims, nat));
  if (sims.length) simSections(sims, out);
  if (nat) out.push('vmtrace-native report: ' + F.printable(nat.name) + '\n\n' + nativeSections(nat.data));
  return out.join('\n\n') + '\n';
}

module.exports = {
  render: render, heatmapText: heatmapText, fileSections: fileSections, treeMemoryText: treeMemoryText,
  nativeSections: nativeSections, compareSections: compareSections
};
