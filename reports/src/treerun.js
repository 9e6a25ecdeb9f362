'use strict';
// vmtrace-sim --tree result files (docs/output-format.md, "vmtrace-sim --tree
// result file"): a process tree replayed into one simulated memory per
// (policy, size), with Linux's OOM killer. For each simulation, a table of
// its processes (faults, peak RSS, how each ended: killed by the OOM killer
// when, with what badness) and the memory's figures; the exact curves of the
// merged stream (--mrc) as their miss ratio at the run's curve sizes.

var F = require('./format');
var T = require('./table');

var num = T.num;
var text = T.text;

var PAGE = 4096;

function swapText(s) {
  return s === null || s === undefined ? 'unlimited' : s === 0 ? 'none' :
      F.count(s, 'page') + ' (' + F.bytes(s * PAGE) + ')';
}

// "4,038 = rss 2,026 + swap 0 + page tables 12 + 2,000 (oom_score_adj 500)":
// the adjustment, oom_score_adj x (totalpages / 1000), is what the terms
// leave of the badness.
function badnessText(k) {
  var adj = k.badness - k.rss - k.swap - k.page_tables;
  return F.int(k.badness) + ' = rss ' + F.int(k.rss) + ' + swap ' + F.int(k.swap) +
      ' + page tables ' + F.int(k.page_tables) + (k.oom_score_adj || adj ? (adj < 0 ? ' - ' +
      F.int(-adj) : ' + ' + F.int(adj)) + ' (oom_score_adj ' + k.oom_score_adj + ')' : '');
}

// One table per simulation: {id, title, note, columns, rows, kills}. rows:
// one per process in the file's order; a victim's row (the image the
// kill ended, not the images of its pid before an exec) says when it was
// killed (seconds from the tree's first clock, the tree's reference count)
// and its badness then.
function treeRunTables(d) {
  return (d.simulations || []).map(function (s, si) {
    var kills = s.oom_kills || [];
    var rows = (s.processes || []).map(function (q) {
      // the kill is the image that ended by it: the images of a pid
      // before its exec (end 'exec') were not killed
      var k = null;
      if (q.end === 'oom-killed')
        kills.forEach(function (x) { if (x.pid === q.pid) k = x; });
      return {
        pid: q.pid, ppid: q.ppid === null || q.ppid === undefined ? null : q.ppid,
        adj: q.oom_score_adj, references: q.references,
        faults: q.minor + q.major, minor: q.minor, major: q.major,
        rss_peak: F.isNum(q.rss_peak) ? q.rss_peak : null, end: q.end,
        killed_s: k ? k.seconds : null, killed_ref: k ? k.tree_reference : null,
        badness: k ? k.badness : null, by: k ? k.by_pid : null
      };
    });
    var sizeFmt = function (v) {
      return v === null || v === undefined ? '' : F.int(v) + ' (' + F.bytes(v * PAGE) + ')';
    };
    var killLines = kills.map(function (k, i) {
      return 'OOM kill ' + (i + 1) + ': pid ' + k.pid + ' at +' + k.seconds.toFixed(6) +
          ' s (reference ' + F.int(k.tree_reference) + ' of the tree; pid ' + k.by_pid +
          ' found no memory), badness ' + badnessText(k) + '.';
    });
    return {
      id: 'treerun-' + si,
      title: 'One memory for the tree: ' + s.policy + ', ' + F.count(s.pages, 'page') + ' (' +
          F.bytes(s.pages * PAGE) + '), swap ' + swapText(s.swap),
      note: F.count(s.references, 'reference') + ' of the tree, ' +
          F.count(s.evictions, 'eviction') + ', ' + F.count(s.swap_outs, 'swap-out') + ', peak ' +
          F.count(s.peak_resident, 'page') + ' resident; ' +
          (kills.length ? F.count(kills.length, 'OOM kill') : 'no OOM kill') +
          (s.out_of_memory_unkillable ? '; out of memory with nothing to kill: the replay ' +
          'stopped there' : '') + '.' + (killLines.length ? ' ' + killLines.join(' ') : ''),
      columns: [
        num('pid', 'pid', function (v) { return String(v); }),
        num('ppid', 'ppid', function (v) { return v === null ? '' : String(v); }),
        num('adj', 'oom_score_adj', function (v) { return String(v); }),
        num('references', 'references'), num('faults', 'faults'), num('minor', 'minor'),
        num('major', 'major'),
        num('rss_peak', 'peak RSS', sizeFmt, 'its pages in the memory at most (a page ' +
            'shared copy-on-write counts in each process that maps it)'),
        text('end', 'end'),
        num('killed_s', 'killed at', function (v) {
          return v === null ? '' : '+' + v.toFixed(6) + ' s';
        }, 'when the OOM killer chose it: the wall clock from the tree\'s first'),
        num('killed_ref', 'tree reference', null, 'the tree\'s reference count at the kill'),
        num('badness', 'badness', null, 'oom_badness: rss + swap + page tables, adjusted by ' +
            'oom_score_adj')
      ],
      rows: rows, kills: kills, sort: { key: 'pid', desc: false }
    };
  });
}

// The exact curves (--mrc) as a table: miss ratio by size, one column per
// curve; null if the file has none.
function treeCurveTable(d) {
  var curves = d.curves || [];
  if (!curves.length) return null;
  var sizes = (d.run && d.run.curve_sizes) || [];
  var at = function (c, size) {
    var m = null;
    for (var i = 0; i < c.sizes.length && c.sizes[i] <= size; i++) m = c.misses[i];
    return m;
  };
  var rows = sizes.map(function (size) {
    var r = { pages: size };
    curves.forEach(function (c) {
      var m = at(c, size);
      r[c.policy] = m === null || !c.references ? null : m / c.references;
    });
    return r;
  });
  var st = d.stream || {};
  return {
    id: 'treecurves', title: 'Miss-ratio curves of the tree\'s merged stream',
    note: 'Exact ' + curves.map(function (c) { return c.policy; }).join(' and ') +
        ' curves over the references of every process in the order they were replayed (' +
        F.count(st.references || 0, 'reference') + ' to ' + F.count(st.frames || 0, 'frame') +
        '), as one memory holds them' + (curves.some(function (c) {
          return c.method === 'exact-sampled';
        }) ? ', from a spatial sample at rate ' + d.run.sample : '') + '.',
    columns: [num('pages', 'pages')].concat(curves.map(function (c) {
      return num(c.policy, c.policy + ' miss ratio', function (v) {
        return v === null || v === undefined ? '' : v.toFixed(4);
      });
    })),
    rows: rows, sort: { key: 'pages', desc: false }
  };
}

module.exports = { treeRunTables: treeRunTables, treeCurveTable: treeCurveTable,
  badnessText: badnessText };
