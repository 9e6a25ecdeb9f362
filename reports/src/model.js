'use strict';
// The report's sections as plain tables, built from one validated file.
// Both the HTML viewer and the --text output render these, so the two show
// the same figures. A table is
//   {id, title, note, columns: [{key, title, num, fmt(value, row), tip}],
//    rows: [{...raw values...}], sort: {key, desc}}
// Raw values stay numbers so that tables sort numerically; fmt makes text.
// A column's textMax (terminal columns) cuts its cells to that width with
// '…' (command lines), in --text and in the HTML, whose tooltip (title)
// has them whole.

var F = require('./format');
var T = require('./table');
var FC = require('./faultclasses');
var TLB = require('./tlbfig');
var DS = require('./downsample');

var KINDS = ['text', 'data', 'bss', 'heap', 'stack', 'anon', 'file', 'shm'];

// The file's fault classes in its order; what an entry leaves out (kind,
// kernel, description) comes from the shared list (faultclasses.js), and a
// file without any has the shared list's.
function faultClasses(d) {
  var fc = Array.isArray(d.fault_classes) && d.fault_classes.length ? d.fault_classes : FC.LIST;
  return fc.map(function (c) {
    var known = FC.byName(c.name) || {};
    return {
      name: c.name,
      kind: c.kind || known.kind || '',
      kernel: c.kernel || known.kernel || '',
      description: c.description || known.description || ''
    };
  });
}

// Fault classes (not invalid) that have any fault in one of the objects.
function activeClasses(d, faultObjects) {
  return faultClasses(d).filter(function (c) {
    if (c.name === 'invalid') return false;
    return faultObjects.some(function (f) { return f && f[c.name] > 0; });
  }).map(function (c) { return c.name; });
}

function anyInvalid(faultObjects) {
  return faultObjects.some(function (f) { return f && f.invalid > 0; });
}

var num = T.num;
var text = T.text;

// Columns for a faults object flattened into a row as f_CLASS keys.
function faultColumns(d, faultObjects) {
  var cls = faultClasses(d);
  var byName = {};
  cls.forEach(function (c) { byName[c.name] = c; });
  var cols = [num('f_total', 'faults', null, 'minor + major (what getrusage counts)')];
  var active = activeClasses(d, faultObjects);
  var kinds = {};
  active.forEach(function (n) { kinds[byName[n].kind] = true; });
  if (kinds.major) {
    cols.push(num('f_minor', 'minor'));
    cols.push(num('f_major', 'major'));
  }
  active.forEach(function (n) {
    var c = byName[n];
    cols.push(num('f_' + n, n, null, c.kind + ' fault, ' + c.kernel + ': ' + c.description));
  });
  if (anyInvalid(faultObjects)) cols.push(
      num('f_invalid', 'invalid', null, 'invalid accesses (SIGSEGV/EFAULT), not in the total'));
  return cols;
}

function flattenFaults(row, f, classes) {
  if (!f) return row;
  row.f_total = f.total;
  row.f_minor = f.minor;
  row.f_major = f.major;
  row.f_invalid = f.invalid;
  classes.forEach(function (c) { row['f_' + c.name] = f[c.name]; });
  return row;
}

function pageSize(d) {
  return d.page_size || 4096;
}

// ---- summary ---------------------------------------------------------------

// run.collection (docs/output-format.md) is there only when collection was
// paused at some time: whether it ever started, and its periods.
function neverCollected(d) {
  var c = d.run && d.run.collection;
  return !!c && c.started === false;
}

// The stretches of the run, [from, to) in instructions, while collection
// was paused (nothing counted), from run.collection's periods; null when it
// was on throughout.  Beyond the last period the file lists (it keeps the
// first 100) nothing is known: no stretch there.
function pausedIntervals(d) {
  var c = d.run && d.run.collection;
  if (!c || typeof c !== 'object' || !Array.isArray(c.periods)) return null;
  var end = d.run.instructions;
  var out = [];
  var at = 0;
  c.periods.forEach(function (p) {
    if (p[0] > at) out.push([at, p[0]]);
    at = p[1];
  });
  if (c.nr_periods === c.periods.length && F.isNum(end) && end > at) out.push([at, end]);
  return out;
}

// The summary's words for run.collection ('' when collection was on
// throughout).
function collectionText(r) {
  var c = r.collection;
  if (!c || typeof c !== 'object') return '';
  if (c.started === false) {
    return 'never started (--collect-atstart=no, no VMTRACE_START_COLLECTION): nothing was ' +
      'counted, so no fault, page touched, working set or heat is shown; resident pages and ' +
      'page tables follow the program regardless';
  }
  var n = c.nr_periods;
  var first = Array.isArray(c.periods) && c.periods.length ? c.periods[0][0] : null;
  return F.int(c.instructions) + ' of ' + F.int(r.instructions) + ' instructions, in ' +
    F.count(n, 'period') + (first !== null ? ' (first from ' + F.int(first) + ')' : '') +
    ': the figures count only those';
}

function summary(d) {
  var r = d.run;
  var t = d.totals;
  var ps = pageSize(d);
  var items = [
    ['command', F.command(r.command)],
    ['pid', String(r.pid) + (r.ppid !== undefined ? ' (parent ' + r.ppid + ')' : '')],
    ['exit', F.exit(r.exit)],
    ['instructions', F.int(r.instructions)]
  ];
  if (F.isNum(r.memory_references)) items.push(['memory references', F.int(r.memory_references)]);
  if (F.isNum(r.start_time)) {
    var wall = F.isNum(r.end_time) ? ' (' + F.seconds(r.end_time - r.start_time) +
        ' under vmtrace)' : '';
    items.push(['started', F.date(r.start_time) + wall]);
  }
  if (r.fork_time !== undefined && r.fork_time !== null) items.push(
      ['forked at', F.count(r.fork_time, 'instruction') + ' of the parent']);
  // What the model could not see (run.unmodelled, docs/output-format.md):
  // the figures below are not the kernel's where those were used.
  if (Array.isArray(r.unmodelled) && r.unmodelled.length) {
    items.push(['not modelled', r.unmodelled.map(String).join(', ') +
        ': the program used ' + (r.unmodelled.length === 1 ? 'it' : 'them') +
        ', so some figures are not the kernel\'s (docs/manual.md, Not modelled yet)']);
  }
  // When collection was on (run.collection): before the figures it qualifies.
  var col = collectionText(r);
  if (col) items.push(['collection', col]);
  if (neverCollected(d)) {
    items.push(['faults', 'not collected']);
    items.push(['pages touched', 'not collected']);
  } else {
    items.push(['faults', F.int(t.faults.total) + ' (' + F.int(t.faults.minor) + ' minor, ' +
        F.int(t.faults.major) + ' major)' +
      (t.faults.invalid ? ', ' +
          F.count(t.faults.invalid, 'invalid access', 'invalid accesses') : '')]);
    items.push(['pages touched', F.pages(t.pages_touched, ps)]);
  }
  items.push(['peak resident', F.pages(t.peak_resident_pages, ps)]);
  items.push(['resident at exit', F.pages(t.resident_pages, ps)]);
  var pt = t.page_tables;
  var ptNow = pt.pgd + pt.pud + pt.pmd + pt.pte;
  var peak = pt.peak || pt;
  var ptPeak = peak.pgd + peak.pud + peak.pmd + peak.pte;
  items.push(['page tables', F.pages(ptNow, ps) + ' at exit, peak ' + F.pages(ptPeak, ps)]);
  items.push(['mappings', F.int(d.mappings.length) + ' (' + F.count(d.vmas.length, 'VMA') +
      ' at exit)']);
  var tool = d.tool || {};
  var valgrind = tool.valgrind ? 'Valgrind ' + String(tool.valgrind) : '';
  items = items.concat(setup(d, 'vmtrace', valgrind));
  return { id: 'summary', title: 'Run', items: items };
}

// A summary's last items, for both formats: the options as KEY=VALUE, and the
// tool's name (`name` if the file has none) and version, `detail` after it.
function setup(d, name, detail) {
  var items = [];
  var o = d.options || {};
  function value(v) {
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    if (Array.isArray(v)) return v.map(value).join(',');
    if (v && typeof v === 'object') {   // thp_sizes: SIZE:MODE,... as --thp-size takes them
      return Object.keys(v).map(function (k) { return k + ':' + value(v[k]); }).join(',');
    }
    return String(v);
  }
  var opts = Object.keys(o).map(function (k) { return k + '=' + value(o[k]); });
  if (opts.length) items.push(['options', opts.join(', ')]);
  var tool = d.tool || {};
  items.push(['tool', String(tool.name || name) + ' ' + String(tool.version || '') +
    (detail ? ' (' + detail + ')' : '')]);
  return items;
}

// ---- totals by class -------------------------------------------------------

function faultClassTable(d) {
  var f = d.totals.faults;
  // Shares of the total; none when there is no fault to share.
  var of = function (n) { return f.total ? n / f.total : null; };
  var rows = faultClasses(d).map(function (c) {
    var share = c.name === 'invalid' ? null : of(f[c.name] || 0);
    return {
      name: c.name, kind: c.kind, kernel: c.kernel, count: f[c.name] || 0, share: share,
      description: c.description
    };
  });
  rows.push({ name: 'minor', kind: 'sum', kernel: '', count: f.minor, share: of(f.minor),
    description: 'sum of the minor classes' });
  rows.push({ name: 'major', kind: 'sum', kernel: '', count: f.major, share: of(f.major),
    description: 'sum of the major classes' });
  rows.push({ name: 'total', kind: 'sum', kernel: '', count: f.total, share: of(f.total),
    description: 'minor + major, what getrusage() counts' });
  return {
    id: 'classes', title: 'Faults by class',
    columns: [
      text('name', 'class'), text('kind', 'kind'), text('kernel', 'Linux'),
      num('count', 'faults'),
      num('share', 'share', function (v) { return v === null ? '' : F.percent(v, 1); }),
      Object.assign(text('description', 'when'), { wrap: true })
    ],
    rows: rows
  };
}

function pageTableTable(d) {
  var pt = d.totals.page_tables;
  var peak = pt.peak || pt;
  var ps = pageSize(d);
  var rows = ['pgd', 'pud', 'pmd', 'pte'].map(function (k) {
    return { level: k.toUpperCase(), exit: pt[k], peak: peak[k] };
  });
  rows.push({ level: 'total', exit: pt.pgd + pt.pud + pt.pmd + pt.pte, peak: peak.pgd + peak.pud +
      peak.pmd + peak.pte });
  return {
    id: 'pagetables', title: 'Page tables',
    columns: [
      text('level', 'level'),
      num('exit', 'pages at exit', function (v) { return F.pages(v, ps); }),
      num('peak', 'peak', function (v) { return F.pages(v, ps); })
    ],
    rows: rows
  };
}

// ---- mappings --------------------------------------------------------------

function mappingName(m) {
  if (m.name) return m.name;
  if (m.file && m.file.path) return m.file.path;
  return '[' + (m.kind || 'anon') + ']';
}

function mappingTable(d) {
  var ps = pageSize(d);
  var cls = faultClasses(d);
  var rows = d.mappings.map(function (m) {
    var row = {
      id: m.id,
      name: mappingName(m),
      start: m.start,
      end: m.end,
      size: m.end - m.start,
      perms: m.perms,
      kind: m.kind,
      instances: m.instances || 1,
      unmapped: m.unmapped_at !== null && m.unmapped_at !== undefined,
      created_at: m.created_at,
      unmapped_at: m.unmapped_at === undefined ? null : m.unmapped_at,
      touched: m.pages_touched,
      resident: m.resident_pages
    };
    return TLB.flatten(flattenFaults(row, m.faults, cls), m);
  });
  var fobjs = d.mappings.map(function (m) { return m.faults; });
  var cols = [
    num('id', 'id'),
    text('name', 'name', function (v, r) {
      return v + (r.instances > 1 ? ' (×' + r.instances + ')' : '') + (r.unmapped ? ' *' : '');
    }, '* = unmapped before exit; ×N = N folded mappings'),
    num('start', 'range', function (v, r) { return F.range(r.start, r.end); }),
    num('size', 'size', function (v) { return F.bytes(v); }),
    text('perms', 'perms'),
    text('kind', 'kind'),
    num('touched', 'touched', null, 'pages referenced'),
    num('resident', 'resident', null, 'pages resident at exit')
  ].concat(faultColumns(d, fobjs), TLB.columns(d.mappings));
  // Collection never started: the counted columns would be 0s never
  // measured; what is resident is the state's.
  var none = neverCollected(d);
  if (none) {
    cols = cols.filter(function (c) {
      return c.key !== 'touched' && c.key.indexOf('f_') !== 0 && c.key.indexOf('tlb_') !== 0;
    });
  }
  return {
    id: 'mappings', title: 'Mappings',
    note: 'Pages; * = unmapped before exit. ' + (none
      ? 'Collection never started: no fault or page touched was counted.'
      : 'Fault classes with no fault in any mapping are left out.'),
    columns: cols, rows: rows, sort: { key: 'start', desc: false }, pageSize: ps
  };
}

// ---- labels and phases -----------------------------------------------------

function labelTable(d) {
  var cls = faultClasses(d);
  var rows = d.labels.map(function (l) {
    var bytes = 0;
    (l.ranges || []).forEach(function (r) { if (Array.isArray(r)) bytes += r[1] - r[0]; });
    var row = {
      name: l.name,
      ranges: (l.ranges || []).map(
          function (r) { return Array.isArray(r) ? F.range(r[0], r[1]) : ''; }).join(' '),
      size: bytes,
      touched: l.pages_touched
    };
    return TLB.flatten(flattenFaults(row, l.faults, cls), l);
  });
  return {
    id: 'labels', title: 'Labels',
    note: 'Ranges labelled with VMTRACE_LABEL; figures for their pages only.',
    columns: [
      text('name', 'label'), Object.assign(text('ranges', 'ranges'), { wrap: true }),
      num('size', 'size', function (v) { return F.bytes(v); }),
      num('touched', 'touched')
    ].concat(faultColumns(d, d.labels.map(function (l) { return l.faults; })),
        TLB.columns(d.labels)),
    rows: rows
  };
}

function labelPhaseTable(d) {
  var cls = faultClasses(d);
  var rows = [];
  var fobjs = [];
  var tobjs = [];
  var order = {};
  d.phases.forEach(function (p, i) { order[p.name] = i; });
  d.labels.forEach(function (l) {
    var ph = l.phases || {};
    Object.keys(ph).sort(function (a, b) {
      return (order[a] === undefined ? 1e9 : order[a]) - (order[b] === undefined ? 1e9 : order[b]);
    }).forEach(function (name) {
      var e = ph[name] || {};
      fobjs.push(e.faults);
      tobjs.push(e);
      rows.push(TLB.flatten(flattenFaults({ label: l.name, phase: name, touched: e.pages_touched },
          e.faults, cls), e));
    });
  });
  return {
    id: 'labelphases', title: 'Labels by phase',
    columns: [text('label', 'label'), text('phase', 'phase'), num('touched', 'touched')].concat(
        faultColumns(d, fobjs), TLB.columns(tobjs)),
    rows: rows
  };
}

function phaseTable(d) {
  var cls = faultClasses(d);
  var rows = d.phases.map(function (p, i) {
    return TLB.flatten(flattenFaults({ order: i + 1, name: p.name, touched: p.pages_touched },
        p.faults, cls), p);
  });
  return {
    id: 'phases', title: 'Phases',
    note: 'Marked with VMTRACE_PHASE; ' +
      'a phase\'s touched pages are those first referenced during it.',
    columns: [num('order', '#'), text('name', 'phase'), num('touched', 'touched')].concat(
        faultColumns(d, d.phases.map(function (p) { return p.faults; })), TLB.columns(d.phases)),
    rows: rows
  };
}

function invalidTable(d) {
  var rows = (d.invalid_accesses || []).map(function (a, i) {
    return {
      n: i + 1, address: a.address, access: a.access || '', reason: a.reason || '',
      time: F.isNum(a.time) ? a.time : null,
      stack: Array.isArray(a.stack) ? a.stack.map(String) : []
    };
  });
  return {
    id: 'invalid', title: 'Invalid accesses',
    note: 'The first 100 accesses outside any VMA or against its protection.',
    columns: [
      num('n', '#'), num('address', 'address', function (v) { return F.hex(v); }),
      text('access', 'access'), text('reason', 'reason'), num('time', 'time'),
      { key: 'stack', title: 'stack', num: false, stack: true, fmt:
          function (v) { return (v || []).join('\n'); } }
    ],
    rows: rows
  };
}

// ---- planned sections -----------------------------------------------------

function faultSiteTable(d) {
  // Ranked by count over all classes (the file ranks within each class).
  var sites = (d.fault_sites || []).map(function (s, i) { return { s: s, i: i }; });
  sites.sort(function (a, b) { return b.s.count - a.s.count || a.i - b.i; });
  var rows = sites.map(function (x, i) {
    var st = x.s.stack.map(String);
    return { rank: i + 1, cls: x.s['class'], count: x.s.count, top: st.length ? st[0] : '',
        stack: st };
  });
  return {
    id: 'faultsites', title: 'Fault sites',
    note: 'Faults aggregated per (class, stack), most frequent first.',
    columns: [
      num('rank', '#'), text('cls', 'class'), num('count', 'faults'),
      { key: 'stack', title: 'stack', num: false, stack: true, fmt:
          function (v) { return (v || []).join('\n'); } }
    ],
    rows: rows
  };
}

// A simulation that ran out of memory and stopped (--oom=stop): its figures
// end there, so it is no comparable row.
function simStopped(s) {
  return !!(s.stopped || F.isNum(s.stopped_at));
}

// The out-of-memory events of a simulation: oom_count (every one), else
// the events the file keeps (the first 10, before oom_count existed), else
// null.
function simOomCount(s) {
  return F.isNum(s.oom_count) ? s.oom_count :
      Array.isArray(s.oom_events) ? s.oom_events.length : null;
}

// A simulation that ran out of memory and went on (--oom=continue): each
// reference that found no frame was an OOM event instead of a fault, so
// its faults do not compare with those of a simulation that had a frame
// for every page (a program writing its 64 pages 20 times, under 16 pages
// without swap: 422 faults and 493,401 OOM events; under 32 pages 1,296
// faults; under 256, 121: the smallest RAM read as faulting least).
function simOomContinued(s) {
  return !simStopped(s) && simOomCount(s) > 0;
}

// Swap pages as the row shows them: null for unlimited (swap_pages null, or
// 0 in a file written before `swap` existed, when 0 meant unlimited), 0
// for none (--swap=0).
function swapPages(s) {
  if (!F.isNum(s.swap_pages)) return null;
  if (s.swap_pages === 0 && typeof s.swap !== 'string') return null;
  return s.swap_pages;
}

function simulationTable(d) {
  var ps = pageSize(d);
  var sims = d.simulations || [];
  var stopped = sims.filter(simStopped).length;
  var continued = sims.filter(simOomContinued).length;
  var rows = sims.filter(function (s) { return !simStopped(s); }).map(function (s) {
    return {
      policy: s.policy, ram: s.ram_pages, swap: swapPages(s),
      faults: s.faults.total, major: s.faults.major, minor: s.faults.minor,
      swap_outs: numOrNull(s.swap_outs), swap_ins: numOrNull(s.swap_ins),
      writebacks: numOrNull(s.writebacks), refaults: numOrNull(s.refaults),
      evictions: numOrNull(s.evictions),
      // oom_count: every out-of-memory event; oom_events holds the first 10
      // only (a --oom=continue run of xz read 10 where it had 51,716,721)
      oom: simOomCount(s)
    };
  });
  var sizeFmt = function (v) { return v === null ? '' : F.int(v) + ' (' + F.bytes(v * ps) + ')'; };
  var swapFmt = function (v) { return v === null ? 'unlimited' : v === 0 ? 'none' : sizeFmt(v); };
  return {
    id: 'simulations', title: 'Policy comparison',
    note: 'One simulation per (replacement policy, RAM size), run side by side on the same ' +
          'references.' + (stopped ? ' ' + F.count(stopped, 'simulation') + ' stopped out of ' +
          'memory: listed apart, their figures end there.' : '') + (continued ? ' ' +
          F.count(continued, 'simulation') + ' ran out of memory and went on (--oom=continue, ' +
          'a row with OOM events): a reference that found no frame is an OOM event, not a ' +
          'fault, so their faults leave those references out and do not compare; the charts ' +
          'against RAM leave them out.' : ''),
    columns: [
      text('policy', 'policy'), num('ram', 'RAM pages', sizeFmt),
          num('swap', 'swap pages', swapFmt),
      num('faults', 'faults'), num('major', 'major'), num('evictions', 'evictions'),
      num('swap_outs', 'swap outs'), num('swap_ins', 'swap ins'), num('writebacks', 'writebacks'),
      num('refaults', 'refaults'), num('oom', 'OOM events', null, 'times no frame could be ' +
          'freed (oom_count; --oom=continue goes on after each)')
    ],
    rows: rows, sort: { key: 'ram', desc: false }
  };
}

// A simulation as the list of them names it: "lru, 256 pages (1 MiB), 312
// major faults", and for one stopped out of memory, whose counts end there,
// "…, stopped out of memory at 556,313 instructions, 35,869 major faults
// until then".
function simName(s, ps) {
  var at = simStopTime(s);
  return s.policy + ', ' + F.count(s.ram_pages, 'page') + ' (' + F.bytes(s.ram_pages * ps) +
      '), ' + (simStopped(s) ? 'stopped out of memory' + (at !== null ? ' at ' +
      F.count(at, 'instruction') : '') + ', ' + F.count(s.faults.major, 'major fault') +
      ' until then' : F.count(s.faults.major, 'major fault') + (simOomContinued(s) ? ', ' +
      F.count(simOomCount(s), 'OOM event') + ' (went on out of memory: does not compare)' : ''));
}

// When a stopped simulation stopped (instructions), or null.
function simStopTime(s) {
  var st = s.stopped || {};
  return F.isNum(st.time) ? st.time : numOrNull(s.stopped_at);
}

// Simulation i's evictions by mapping: which mappings lost pages under its
// RAM size, and how many of those pages it faulted back (refaults), most
// evicted first; null if the file does not say (written before the field).
function simEvictionTable(d, i) {
  var s = (d.simulations || [])[i];
  if (!s || !s.evictions_by_mapping) return null;
  var ev = s.evictions_by_mapping, rf = s.refaults_by_mapping || {};
  var byId = {};
  (d.mappings || []).forEach(function (m) { byId[String(m.id)] = m; });
  var ids = Object.keys(ev).concat(Object.keys(rf).filter(function (k) { return !(k in ev); }));
  var rows = ids.map(function (id) {
    var m = byId[id];
    return {
      id: Number(id), name: m ? mappingName(m) : '(mapping ' + id + ')',
      kind: m ? m.kind : '', start: m ? m.start : null, end: m ? m.end : null,
      evicted: ev[id] || 0, refaulted: s.refaults_by_mapping ? rf[id] || 0 : null
    };
  });
  rows.sort(function (a, b) { return b.evicted - a.evicted || a.id - b.id; });
  var total = numOrNull(s.evictions);
  return {
    id: 'simevictions',
    title: 'Evictions by mapping: ' + s.policy + ', ' + F.count(s.ram_pages, 'page') + ' of RAM' +
        (simStopped(s) ? ', until it stopped out of memory' : ''),
    note: (simStopped(s) ? 'It stopped out of memory' + (simStopTime(s) !== null ? ' at ' +
        F.count(simStopTime(s), 'instruction') : '') + ': these are its evictions until then. ' :
        '') + 'Which mappings lost pages to this simulation\'s evictions (' +
        (total === null ? '' : F.int(total) + ' in all; ') + 'a page counts to the mapping it ' +
        'came in through), and how many of them it faulted back: refaults, major faults of ' +
        'pages it had evicted.',
    columns: [
      num('id', 'id'), text('name', 'mapping'), text('kind', 'kind'),
      num('start', 'range', function (v, r) { return v === null ? '' : F.range(r.start, r.end); }),
      num('evicted', 'evicted', null, 'pages evicted'),
      num('refaulted', 'refaulted', null, 'major faults of pages it had evicted')
    ],
    rows: rows, sort: { key: 'evicted', desc: true }
  };
}

// The exact LRU/OPT curves of vmtrace-sim result files (`sims`: [{name,
// data}]) that belong to the process of file d: a curve is of the trace its
// result names (traces[curve.trace]), whose process (traces[].process: the
// trace header's pid and id) must be d's (run.trace_id, written when the
// run recorded its page trace); the first of each policy. A curve of
// another process, or of a trace whose process is not recorded, or drawn
// over a file that names no trace, is not used: `notes` says which and why.
function curvesFor(d, sims) {
  var run = d.run || {};
  var mine = run.trace_id;
  var use = [];
  var seen = {};
  var refused = {};
  var apart = {};
  (sims || []).forEach(function (f) {
    var traces = f.data.traces || [];
    (f.data.curves || []).forEach(function (c) {
      if (!c.exact) return;
      var tr = traces[c.trace] || {};
      var pr = tr.process;
      var why = !pr ? 'the result does not say which process its trace ' + (tr.name || '?') +
          ' recorded' : !mine ? 'this file names no page trace (run.trace_id: record ' +
          'it with --trace-out-file in the same run)' : pr.id !== mine ? 'they are of ' +
          'another process (pid ' + pr.pid + ', trace ' + pr.id + '; this one: pid ' + run.pid +
          ', trace ' + mine + ')' : null;
      if (why) {
        var key = f.name + '\u0000' + why;
        if (!refused[key]) refused[key] = { file: f.name, why: why, policies: [] };
        if (refused[key].policies.indexOf(c.policy) < 0) refused[key].policies.push(c.policy);
        return;
      }
      if (seen[c.policy]) return;
      seen[c.policy] = true;
      use.push(c);
      // what the trace's simulations saw that the curves' stream does not
      // hold (vmtrace-sim's traces[].replay): the curve and a simulation
      // at one size then measure different things
      var rp = tr.replay;
      var key2 = f.name + '\u0000' + c.trace;
      if (rp && typeof rp === 'object' && !apart[key2]) {
        var parts = [['prefaults', 'prefault', 'prefaults'],
          ['populate_references', 'populate reference', 'populate references'],
          ['zero_page_references', 'zero-page read', 'zero-page reads'],
          ['locked_references', 'locked-page reference', 'locked-page references'],
          ['faults_on_seen_pages', 'fault on pages the stream had seen',
            'faults on pages the stream had seen']].filter(function (q) {
          return F.isNum(rp[q[0]]) && rp[q[0]] > 0;
        }).map(function (q) { return F.count(rp[q[0]], q[1], q[2]); });
        if (parts.length) apart[key2] = { file: f.name, parts: parts, policies: [] };
      }
      if (apart[key2]) apart[key2].policies.push(c.policy);
    });
  });
  var notes = Object.keys(refused).map(function (k) {
    var r = refused[k];
    return 'The exact ' + r.policies.join(' and ') + ' curves of ' + r.file +
        ' are not drawn: ' + r.why + '.';
  }).concat(Object.keys(apart).map(function (k) {
    var a = apart[k];
    return 'The exact ' + a.policies.join(' and ') + ' curves of ' + a.file + ' count the ' +
        'misses of the trace\'s reference stream; this process\'s simulations also saw ' +
        a.parts.join(', ') + ', which that stream does not hold, so a curve and a ' +
        'simulation at one RAM size need not agree (docs/vmtrace-sim.md, "Curves and ' +
        'simulations of a vmtrace trace").';
  }));
  return { curves: use, notes: notes };
}

// The simulations that stopped out of memory: when (instructions), the
// simulation's frames in use then (its resident_pages: nothing changes after
// the stop), the process's RSS then (stopped.rss_pages: its pages in the
// run's own, unlimited, memory, which can be far above the RAM: 823 beside
// 256 pages read as a bug when the column said only "resident pages"), the
// page it could not bring in and where; null if none did.
function stoppedTable(d) {
  var ps = pageSize(d);
  var sims = (d.simulations || []).filter(simStopped);
  if (!sims.length) return null;
  var rows = sims.map(function (s) {
    var st = s.stopped || {};
    var stack = Array.isArray(st.stack) ? st.stack.map(String) : [];
    return {
      policy: s.policy, ram: s.ram_pages,
      time: simStopTime(s),
      frames: numOrNull(s.resident_pages), rss: numOrNull(st.rss_pages),
      address: numOrNull(st.address), stack: stack
    };
  });
  var sizeFmt = function (v) { return v === null ? '' : F.int(v) + ' (' + F.bytes(v * ps) + ')'; };
  return {
    id: 'simstopped', title: 'Stopped out of memory',
    note: 'These simulations ran out of memory (no frame could be freed) and stopped ' +
          '(--oom=stop): their figures cover the run up to then only and do not compare ' +
          'with the others. Frames in use: the pages the simulation held when it stopped (of ' +
          'its RAM). Process RSS: the process\'s resident pages at that moment in the run\'s ' +
          'own memory, which is unlimited: the pages it had mapped, more than the RAM could ' +
          'hold.',
    columns: [
      text('policy', 'policy'), num('ram', 'RAM pages', sizeFmt),
      num('time', 'stopped at (instructions)'),
      num('frames', 'frames in use', sizeFmt, 'the simulation\'s frames holding a page when ' +
          'it stopped: its RAM was full and none could be freed'),
      num('rss', 'process RSS', sizeFmt, 'the process\'s resident pages then, in the run\'s ' +
          'own (unlimited) memory: what it had mapped, not what this RAM held'),
      { key: 'address', title: 'bringing in', num: false, fmt: function (v) {
        return v === null ? '' : F.hex(v);
      } },
      { key: 'stack', title: 'stack', num: false, stack: true, fmt:
          function (v) { return (v || []).join('\n'); } }
    ],
    rows: rows, sort: { key: 'ram', desc: false }
  };
}

function numOrNull(v) {
  return F.isNum(v) ? v : null;
}

// The timeline downsampled to at most n rows, for the text output.  A row
// stands for the samples since the previous row (the first for sample 0):
// its resident pages and working sets are the largest of those samples', so
// that a short peak between two rows shows; the resident column also takes
// the run's own peak (totals.peak_resident_pages, reached inside a sample at
// totals.peak_resident_at, which a sample's end can miss) in the row whose
// stretch holds that moment.  Pages touched are the row's own sample's (they
// only grow); faults are summed over its samples.
function timelineTable(d, n) {
  var tl = d.timeline;
  if (!tl || !tl.t || !tl.t.length) return null;
  var ps = pageSize(d);
  var len = tl.t.length;
  n = Math.min(n || 20, len);
  var kinds = rssKinds(tl);
  var wss = Array.isArray(tl.wss) ? tl.wss : [];
  var faultKeys = Object.keys(tl.faults || {});
  var tot = d.totals || {};
  var peak = F.isNum(tot.peak_resident_pages) ? tot.peak_resident_pages : null;
  var peakAt = F.isNum(tot.peak_resident_at) ? tot.peak_resident_at : null;
  var rows = [];
  var prev = -1;
  for (var k = 0; k < n; k++) {
    var i = n === 1 ? len - 1 : Math.round((k * (len - 1)) / (n - 1));
    var row = { t: tl.t[i], rss: 0, touched: tl.touched ? tl.touched[i] : null, faults: 0 };
    wss.forEach(function (w, wi) { row['wss' + wi] = 0; });
    for (var j = prev + 1; j <= i; j++) {
      var rss = 0;
      kinds.forEach(function (kind) { rss += tl.rss[kind][j] || 0; });
      row.rss = Math.max(row.rss, rss);
      faultKeys.forEach(function (c) {
        if (c !== 'invalid' && c !== 'total' && c !== 'minor' && c !== 'major') {
          row.faults += tl.faults[c][j] || 0;
        }
      });
      wss.forEach(function (w, wi) {
        var c = w.code ? w.code[j] || 0 : 0;
        var dd = w.data ? w.data[j] || 0 : 0;
        var v = w.total ? w.total[j] || 0 : c + dd;
        row['wss' + wi] = Math.max(row['wss' + wi], v);
      });
    }
    // The run's peak, if it was reached in this row's stretch (the last row
    // takes a peak reached after the last sample closed).
    var from = prev < 0 ? -Infinity : tl.t[prev];
    if (peak !== null && peakAt !== null && peakAt > from && (peakAt <= tl.t[i] || k === n - 1)) {
      row.rss = Math.max(row.rss, peak);
    }
    prev = i;
    rows.push(row);
  }
  var cols = [
    num('t', 'instructions', null, 'the end of the row\'s last sample'),
    num('rss', 'peak resident', function (v) { return F.pages(v, ps); },
        'the most resident pages since the previous row'),
    num('touched', 'touched', function (v) { return F.pages(v, ps); }),
    num('faults', 'faults', null, 'faults since the previous row')
  ];
  wss.forEach(function (w, wi) {
    cols.push(num('wss' + wi, 'peak WSS τ=' + F.si(w.tau), function (v) {
      return F.pages(v, ps);
    }));
  });
  // Collection never started: only the resident pages were measured.
  var none = neverCollected(d);
  if (none) cols = cols.slice(0, 2);
  return {
    id: 'timeline', title: 'Timeline',
    note: F.count(len, 'sample') + ' of ' + F.count(tl.interval, 'instruction') +
        (len > n ? ', ' + n + ' shown' : '') + '; each row stands for the samples since the ' +
        'previous row: the peak of resident pages' + (none
        ? ' in them (the run\'s peak included); collection never started: no page touched, ' +
          'fault or working set was counted'
        : ' and of each working set in them (the run\'s peak resident included), pages ' +
          'touched at the row\'s end, faults added up') +
        (tl.report_merged ? '. ' + DS.note(tl, F) : ''),
    columns: cols, rows: rows
  };
}

function rssKinds(tl) {
  if (!tl.rss) return [];
  var keys = Object.keys(tl.rss);
  return KINDS.filter(function (k) { return keys.indexOf(k) >= 0; })
    .concat(keys.filter(function (k) { return KINDS.indexOf(k) < 0; }));
}

module.exports = {
  KINDS: KINDS,
  faultClasses: faultClasses,
  activeClasses: activeClasses,
  mappingName: mappingName,
  summary: summary,
  neverCollected: neverCollected,
  pausedIntervals: pausedIntervals,
  setup: setup,
  faultClassTable: faultClassTable,
  pageTableTable: pageTableTable,
  mappingTable: mappingTable,
  labelTable: labelTable,
  labelPhaseTable: labelPhaseTable,
  phaseTable: phaseTable,
  invalidTable: invalidTable,
  faultSiteTable: faultSiteTable,
  simulationTable: simulationTable,
  stoppedTable: stoppedTable,
  simEvictionTable: simEvictionTable,
  curvesFor: curvesFor,
  simStopped: simStopped, simOomCount: simOomCount, simOomContinued: simOomContinued,
  pageSize: pageSize,
  simName: simName,
  simStopTime: simStopTime,
  timelineTable: timelineTable,
  rssKinds: rssKinds
};
