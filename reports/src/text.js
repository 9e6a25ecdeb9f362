'use strict';
// --text: the report's sections for a terminal.

var F = require('./format');
var T = require('./table');
var tree = require('./tree');
var V = require('./validate');
var C = require('./compare');
var plain = require('./plain');
var views = require('./views');
var timeline = require('./views/timeline');
var treerun = require('./treerun');

var heading = plain.heading;
var indent = plain.indent;
var tableSection = plain.tableSection;

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
  var out = [heading('Tree memory: pid ' + d.run.pid + ' ' + F.command(d.run.command) + ', ' +
      F.count(m.processes.length, 'process', 'processes'))];
  out.push('  Σ PSS of the processes alive at each moment (wall clock): a page shared');
  out.push('  copy-on-write by n processes counts 1/n in each, so once in the tree.');
  var rows = [['tree peak', F.count(m.peak.pages, 'page', null, F.dec) + ' (' +
      kib(m.peak.pages, ps) + ')']];
  if (m.peak.index >= 0) {
    rows.push(['when', F.seconds((m.peak.ms - m.t0) / 1000) + ' after the tree started (' +
        msDate(m.peak.ms) + ')']);
  }
  rows.push(['naive sum', F.count(m.naive, 'page') + ' (' + kib(m.naive, ps) +
      '): the processes\' peak RSS added up']);
  if (m.peak.pages > 0) rows.push(
      ['ratio', (m.naive / m.peak.pages).toFixed(2) + ' (naive sum / tree peak)']);
  out = out.concat(plain.items(rows));
  if (m.approximate) {
    out.push('  approximate: ' + m.notes.length +
        (m.notes.length === 1 ? ' file lacks' : ' files lack') + ' a PSS timeline:');
    m.notes.forEach(function (n) { out.push('    ' + F.printable(n)); });
  }
  var spec = {
    id: 'treememory', title: 'Tree memory',
    columns: [
      { key: 'pid', title: 'pid', num: false, pre: true, fmt:
          function (v, r) { return new Array(r.depth + 1).join('  ') + v; } },
      { key: 'command', title: 'command', num: false, textMax: tree.COMMAND_TEXT_MAX },
      { key: 'at_peak', title: 'PSS at peak', num: true, fmt: function (v) { return F.dec(v); } },
      { key: 'rss', title: 'peak RSS', num: true, fmt: function (v) { return F.int(v); } },
      { key: 'pss', title: 'peak PSS', num: true, fmt:
          function (v, r) { return (r.approx ? '~' : '') + F.dec(v); } },
      { key: 'uss', title: 'peak USS', num: true, fmt:
          function (v, r) { return v === null ? '' : (r.approx ? '~' : '') + F.dec(v); } }
    ],
    rows: m.processes.map(function (p) {
      return { pid: p.pid, depth: p.node.depth - nd.depth, command: p.command, at_peak: p.at_peak,
          rss: p.rss_peak, pss: p.pss_peak, uss: p.uss_peak, approx: p.approx.length > 0 };
    })
  };
  out.push('');
  out.push(indent(T.toText(spec), 2));
  if (m.approximate) out.push('  (pages; ~ = from the PSS at exit, no timeline)');
  else out.push('  (pages)');
  return out.join('\n');
}

// The sections of one vmtrace-out file (views.FILE).
function fileSections(d, ctx) {
  return views.text(views.FILE, d, ctx);
}

// The sections of a vmtrace-native file (views.NATIVE).
function nativeSections(d) {
  return views.text(views.NATIVE, d);
}

// "Simulated vs measured" (compare.js): files are the simulated run's.
function compareSections(files, nat) {
  var cmp = C.compare(files, nat.data);
  var r = cmp.run.rootData.run;
  var out = [];
  var head = [heading('Simulated vs measured')];
  head.push('  simulated  ' + F.printable(F.command(r.command)) + ' (pid ' + r.pid + ', ' +
      F.count(cmp.run.root.total.processes, 'process', 'processes') + ')');
  head.push('  measured   ' + F.printable(F.command(nat.data.command)) + ' (' +
      F.printable(nat.name) + ', ' + F.count(nat.data.processes.length, 'process', 'processes') +
      ')');
  if (cmp.programs.differ) {
    head.push('  note: the programs differ: ' + F.printable(cmp.programs.sim) + ' was simulated, ' +
        F.printable(cmp.programs.native) + ' measured');
  }
  if (cmp.endings.differ) {
    head.push('  note: the runs ended differently: ' + F.printable(cmp.endings.sim) +
        ' simulated, ' + F.printable(cmp.endings.native) + ' measured');
  }
  head.push('  Natively the kernel tells only minor from major faults. difference = measured − ' +
            'simulated, ratio = measured / simulated.');
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
function simSections(files, out, ctx) {
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
        out.push('#### pid ' + d.run.pid + ': ' + F.printable(F.command(d.run.command)) + '  [' +
            F.printable(files[fi].name) + ']\n\n' + fileSections(d, ctx));
      });
    });
  } else {
    out.push('vmtrace report: ' + F.printable(files[0].name) + '\n\n' +
        fileSections(files[0].data, ctx));
  }
}

// files: [{name, data}] -> the whole text report. With a vmtrace-native
// file: the comparison first (when there are simulated files), then the
// simulated run, then the measured one.
function render(files) {
  var sims = files.filter(function (f) { return V.isOut(f.data); });
  var nat = files.filter(function (f) { return V.isNative(f.data); })[0];
  var out = [];
  if (nat && sims.length) out.push(compareSections(sims, nat));
  var ctx = { simResults: files.filter(function (f) { return V.isSimResult(f.data); }) };
  if (sims.length) simSections(sims, out, ctx);
  if (nat) out.push('vmtrace-native report: ' + F.printable(nat.name) + '\n\n' +
      nativeSections(nat.data));
  files.filter(function (f) { return V.isTreeResult(f.data); }).forEach(function (f) {
    out.push(treeRunText(f));
  });
  return out.join('\n\n') + '\n';
}

// A vmtrace-sim --tree result: each simulation's processes, then the curves.
function treeRunText(f) {
  var parts = ['vmtrace-sim --tree: ' + F.printable(f.name)];
  treerun.treeRunTables(f.data).forEach(function (t) { parts.push(plain.tableSection(t)); });
  var c = treerun.treeCurveTable(f.data);
  if (c) parts.push(plain.tableSection(c));
  return parts.join('\n\n');
}

module.exports = {
  render: render, heatmapText: timeline.heatmapText, fileSections: fileSections, treeMemoryText:
      treeMemoryText,
  nativeSections: nativeSections, compareSections: compareSections
};
