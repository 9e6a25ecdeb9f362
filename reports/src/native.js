'use strict';
// A vmtrace-native file (docs/output-format.md, "vmtrace-native output file
// format") as the report's tables: the measured run's summary, processes,
// mappings, fault sites and a downsampled timeline. Same table specs as
// model.js, so the HTML viewer and --text render them alike.

var F = require('./format');
var T = require('./table');
var M = require('./model');
var DS = require('./downsample');

var num = T.num;

// A process id is a name, not a count: 18702, as ps and the simulated
// tree's table print it (until 2026-12-06 "18,702").
function pidFmt(v) {
  return v === null || v === undefined ? '' : String(v);
}
var text = T.text;

function pageSize(d) {
  return d.page_size || 4096;
}

// How /proc/PID/maps names a mapping; anonymous memory ("") by its kind.
function mappingName(m) {
  return m.name !== '' ? m.name : '[' + (m.kind || 'anon') + ']';
}

function pagesFaulted(d) {
  var n = 0;
  d.processes.forEach(function (p) {
    p.mappings.forEach(function (m) { n += m.pages_faulted; });
  });
  return n;
}

// Processes whose recording the kernel stopped at a set-ID exec (their
// `unrecorded`; files before it have none).
function stoppedProcesses(d) {
  return d.processes.filter(function (p) { return p.unrecorded; });
}

function unrecorded(d) {
  var stopped = stoppedProcesses(d);
  if (!stopped.length) return null;
  var unknown = stopped.filter(function (p) { return p.unrecorded.faults === null; }).length;
  var known = stopped.reduce(function (s, p) { return s + (p.unrecorded.faults || 0); }, 0);
  var started = stopped.reduce(function (s, p) { return s + (p.unrecorded.descendants || 0); }, 0);
  return ['unrecorded', (unknown === stopped.length ? 'an unknown number of faults' :
      F.count(known, 'fault') + (unknown ? ' and an unknown number' : '')) + ' in ' +
      F.count(stopped.length, 'process', 'processes') + ' the kernel stopped recording at the ' +
      'exec of a set-ID program' + (started ? ' and ' + F.count(started, 'process', 'processes') +
      ' they started after' : '') + ' (not in the figures above)'];
}

function summary(d) {
  var t = d.totals;
  var ps = pageSize(d);
  var f = t.faults;
  var items = [
    ['command', F.command(d.command)],
    ['exit', F.exit(d.exit)],
    ['started', F.date(d.start_time) + ' (' + F.seconds(d.end_time - d.start_time) + ' natively)'],
    ['faults', F.int(f.total) + ' (' + F.int(f.minor) + ' minor, ' + F.int(f.major) + ' major)'],
    ['recorded', F.int(t.recorded) + ' of ' + F.count(f.total, 'fault') + ' with a sample' +
      (t.lost ? '; ' + F.count(t.lost, 'sample') + ' lost' :
          '; none lost')],
    unrecorded(d),
    ['peak resident', F.pages(t.peak_resident_pages, ps) + ', the tree\'s processes added up'],
    ['pages faulted', F.pages(pagesFaulted(d), ps)],
    ['rusage', 'minflt ' + F.int(t.rusage.minflt) + ', majflt ' + F.int(t.rusage.majflt) +
        ', maxrss ' + F.int(t.rusage.maxrss_kib) + ' KiB'],
    ['processes', F.int(d.processes.length)]
  ].filter(Boolean);
  var tool = d.tool || {};
  var kernel = tool.kernel ? 'Linux ' + String(tool.kernel) : '';
  items = items.concat(M.setup(d, 'vmtrace-native', kernel));
  return { id: 'native-summary', title: 'Measured run', items: items };
}

function processTable(d) {
  var ps = pageSize(d);
  var rows = d.processes.map(function (p) {
    var faulted = p.mappings.reduce(function (s, m) { return s + m.pages_faulted; }, 0);
    return {
      pid: p.pid, ppid: p.ppid, comm: p.comm, execs: p.execs,
      started: p.start_time - d.start_time,
      lived: p.end_time === null ? null : p.end_time - p.start_time,
      minor: p.faults.minor, major: p.faults.major, total: p.faults.total,
      peak: p.peak_resident_pages, mappings: p.mappings.length, faulted: faulted,
      stopped: !!p.unrecorded, unrecorded: p.unrecorded ? p.unrecorded.faults : null
    };
  });
  var extra = stoppedProcesses(d).length ? [
    num('unrecorded', 'unrecorded', function (v, r) {
      return !r.stopped ? '' : v === null ? 'unknown' : F.int(v);
    }, 'faults the kernel counted after it stopped recording the process at a set-ID exec')
  ] : [];
  return {
    id: 'native-processes', title: 'Processes',
    note: 'In order of creation; started is the time after the run started, lived how long the ' +
          'process ran (empty: no exit seen).' + (d.processes.some(function (p) {
            return p.ppid === null;
          }) ? ' ppid unknown: the kernel dropped the record of its fork (lost samples); it is ' +
          'known by its faults alone, from its first, and has no name unless it exec\'d.' : ''),
    columns: [
      num('pid', 'pid', pidFmt), num('ppid', 'ppid', function (v) {
        return v === null ? 'unknown' : pidFmt(v);
      }, 'the process that forked it; unknown: its fork record was lost, its faults are real'),
          text('comm', 'comm', null, 'the kernel\'s command name (15 characters at most)'),
      num('execs', 'execs', null, 'successful execve calls'),
      num('started', 'started', function (v) { return F.seconds(v); }),
      num('lived', 'lived', function (v) { return v === null ? '' : F.seconds(v); }),
      num('minor', 'minor'), num('major', 'major'), num('total', 'faults')
    ].concat(extra, [
      num('peak', 'peak RSS', function (v) { return F.pages(v, ps); },
          'largest resident set seen in /proc/PID/statm'),
      num('mappings', 'mappings', null, 'mappings with faults'),
      num('faulted', 'pages faulted')
    ]),
    rows: rows
  };
}

function mappingTable(d) {
  var several = d.processes.length > 1;
  var rows = [];
  d.processes.forEach(function (p) {
    p.mappings.forEach(function (m) {
      rows.push({
        pid: p.pid, name: mappingName(m), kind: m.kind, start: m.start, end: m.end, size:
            m.end - m.start,
        minor: m.faults.minor, major: m.faults.major, total: m.faults.total, faulted:
            m.pages_faulted
      });
    });
  });
  var cols = several ? [num('pid', 'pid', pidFmt)] : [];
  cols = cols.concat([
    text('name', 'name'),
    num('start', 'range', function (v, r) { return F.range(r.start, r.end); }),
    num('size', 'size', function (v) { return F.bytes(v); }),
    text('kind', 'kind'),
    num('faulted', 'pages faulted', null, 'distinct pages that faulted'),
    num('total', 'faults'), num('minor', 'minor'), num('major', 'major')
  ]);
  return {
    id: 'native-mappings', title: 'Mappings',
    note: 'Faults by mapping as /proc/PID/maps names it' + (several ? ', per process' : '') +
      '; mappings without faults are not in the file. [unknown]: addresses no recorded mapping ' +
      'covers.',
    columns: cols, rows: rows
  };
}

function faultSiteTable(d) {
  var t = M.faultSiteTable(d);
  t.id = 'native-faultsites';
  t.note = 'Faults per (minor or major, stack), most frequent first; addresses are those of the ' +
           'native run.';
  return t;
}

// The timeline downsampled to at most n rows, for the text output: a row
// stands for the samples since the previous row, its resident pages the
// largest of theirs (a short peak between two rows shows), its faults their
// sum.
function timelineTable(d, n) {
  var tl = d.timeline;
  var len = tl.t_ms.length;
  if (!len) return null;
  var ps = pageSize(d);
  n = Math.min(n || 20, len);
  var rows = [];
  var prev = -1;
  for (var k = 0; k < n; k++) {
    var i = n === 1 ? len - 1 : Math.round((k * (len - 1)) / (n - 1));
    var row = { t: tl.t_ms[i], rss: 0, minor: 0, major: 0 };
    for (var j = prev + 1; j <= i; j++) {
      row.rss = Math.max(row.rss, tl.rss[j] || 0);
      row.minor += tl.faults.minor[j] || 0;
      row.major += tl.faults.major[j] || 0;
    }
    prev = i;
    rows.push(row);
  }
  return {
    id: 'native-timeline', title: 'Timeline',
    note: F.count(len, 'sample') + ' of ' + F.int(tl.interval_ms) + ' ms' +
        (len > n ? ', ' + n + ' shown' : '') + '; each row stands for the samples since the ' +
        'previous row: the peak of resident pages in them, faults added up' +
        (tl.report_merged ? '. ' + DS.note(tl, F) : ''),
    columns: [
      num('t', 'ms'),
      num('rss', 'peak resident', function (v) { return F.pages(v, ps); },
          'the most resident pages of the live processes added up since the previous row'),
      num('minor', 'minor'), num('major', 'major')
    ],
    rows: rows
  };
}

module.exports = {
  mappingName: mappingName, pagesFaulted: pagesFaulted,
  summary: summary, processTable: processTable, mappingTable: mappingTable,
  faultSiteTable: faultSiteTable, timelineTable: timelineTable
};
