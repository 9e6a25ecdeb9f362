'use strict';
// Tables (see model.js for the spec): sorting, plain-text rendering for
// --text, and the sortable HTML table of the viewer.

var dom = require('./dom');
var F = require('./format');

// Column specs: a number (right-aligned, sorted numerically, thousands
// separated unless fmt says otherwise) or text; an absent value is an empty
// cell either way.
function num(key, title, fmt, tip) {
  return { key: key, title: title, num: true, fmt: fmt ||
      function (v) { return F.int(v); }, tip: tip };
}
function text(key, title, fmt, tip) {
  return { key: key, title: title, num: false, fmt: fmt ||
      function (v) { return v === null || v === undefined ? '' : String(v); }, tip: tip };
}

function cmp(a, b, numeric) {
  var an = a === null || a === undefined || a === '';
  var bn = b === null || b === undefined || b === '';
  if (an || bn) return an && bn ? 0 : an ? 1 : -1; // empty cells last either way
  if (numeric) return a - b;
  if (Array.isArray(a)) a = a.join('\n');
  if (Array.isArray(b)) b = b.join('\n');
  a = String(a);
  b = String(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

// A sorted copy; stable; empty values go last in both directions.
function sortRows(rows, column, desc) {
  var idx = rows.map(function (r, i) { return i; });
  idx.sort(function (i, j) {
    var a = rows[i][column.key];
    var b = rows[j][column.key];
    var an = a === null || a === undefined || a === '';
    var bn = b === null || b === undefined || b === '';
    if (an || bn) return an && bn ? i - j : an ? 1 : -1;
    var c = cmp(a, b, column.num);
    if (desc) c = -c;
    return c !== 0 ? c : i - j;
  });
  return idx.map(function (i) { return rows[i]; });
}

function findColumn(spec, key) {
  for (var i = 0; i < spec.columns.length; i++) {
    if (spec.columns[i].key === key) return spec.columns[i];
  }
  return null;
}

// cut: a column's textMax cuts its value (before fmt, which may add to it:
// the tree's "(2 images, exec)" stays), as --text and the HTML table show
// it (the HTML's title has it whole).
function cellText(col, row, cut) {
  var v = row[col.key];
  if (cut && col.textMax && typeof v === 'string') v = F.clip(F.printable(v), col.textMax);
  return col.fmt ? col.fmt(v, row) : v === null || v === undefined ? '' : String(v);
}

// ---- text ------------------------------------------------------------------

function width(s) {
  // The columns a terminal gives it (wide CJK and emoji two, combining
  // marks none), not code points or bytes.
  return F.width(s);
}
function pad(s, w, right) {
  var n = w - width(s);
  if (n <= 0) return s;
  var sp = new Array(n + 1).join(' ');
  return right ? sp + s : s + sp;
}

// Columns separated by two spaces, numbers right-aligned; multi-line cells
// (stacks) are printed below the row, indented (under their column's title
// when there are several).
function toText(spec, opts) {
  opts = opts || {};
  var sortBy = spec.sort ? findColumn(spec, spec.sort.key) || spec.columns[0] : null;
  var rows = sortBy ? sortRows(spec.rows, sortBy, spec.sort.desc) : spec.rows;
  if (opts.limit && rows.length > opts.limit) rows = rows.slice(0, opts.limit);
  var cols = spec.columns.filter(function (c) { return !c.stack; });
  var stackCols = spec.columns.filter(function (c) { return c.stack; });
  var head = cols.map(function (c) { return F.printable(c.title); });
  var body = rows.map(function (r) {
    return cols.map(function (c) { return F.printable(cellText(c, r, true)); });
  });
  var w = head.map(function (s, i) {
    return body.reduce(function (m, row) { return Math.max(m, width(row[i])); }, width(s));
  });
  var lines = [];
  var line = function (cells) {
    return cells.map(function (s, i) {
      var last = i === cells.length - 1;
      return cols[i].num ? pad(s, w[i], true) : last ? s : pad(s, w[i], false);
    }).join('  ').trimEnd(); // not /\s+$/: quadratic after a long run of blanks
  };
  lines.push(line(head));
  body.forEach(function (cells, ri) {
    lines.push(line(cells));
    // With several stack columns, each is named: "    title:" then its frames.
    stackCols.forEach(function (c) {
      var v = rows[ri][c.key];
      var frames = Array.isArray(v) ? v : [];
      if (stackCols.length > 1) {
        if (!frames.length) return;
        lines.push('    ' + F.printable(c.title) + ':');
      }
      frames.forEach(function (fr) { lines.push('      ' + F.printable(fr)); });
    });
  });
  return lines.join('\n');
}

// ---- HTML ------------------------------------------------------------------

// Returns a <div> holding the table; clicking a header sorts by it (again:
// reverses). opts.limit shows the first rows with a button for the rest.
function render(doc, spec, opts) {
  opts = opts || {};
  var h = function (t, a, c) { return dom.h(doc, t, a, c); };
  var state = { key: spec.sort ? spec.sort.key : null, desc: spec.sort ? !!spec.sort.desc : false,
      all: !opts.limit };
  var wrap = h('div', { class: 'table-wrap', 'data-table': spec.id });
  if (!spec.rows.length) {
    wrap.appendChild(h('p', { class: 'empty' }, opts.empty || 'none'));
    return wrap;
  }
  var table = h('table', { class: 'data' });
  var thead = h('thead');
  var tr = h('tr');
  var ths = spec.columns.map(function (c) {
    var th = h('th',
        { class: (c.num ? 'num' : 'txt') + (opts.nosort ? '' : ' sortable'), title: c.tip || null,
            scope: 'col' }, c.title);
    if (!opts.nosort) {
      th.setAttribute('tabindex', '0');
      th.addEventListener('click', function () { sortBy(c.key); });
      th.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(c.key); }
      });
    }
    tr.appendChild(th);
    return th;
  });
  thead.appendChild(tr);
  table.appendChild(thead);
  var tbody = h('tbody');
  table.appendChild(tbody);
  wrap.appendChild(table);
  var more = null;
  if (opts.limit && spec.rows.length > opts.limit) {
    more = h('button', { type: 'button', class: 'more' }, 'show all ' + spec.rows.length + ' rows');
    more.addEventListener('click', function () { state.all = true; fill(); });
    wrap.appendChild(more);
  }

  function sortBy(key) {
    if (state.key === key) state.desc = !state.desc;
    else {
      state.key = key;
      var c = findColumn(spec, key);
      // numbers largest first, but for those in order already (address, id, rank)
      state.desc = !!(c && c.num && ['start', 'id', 'order', 'rank', 'n'].indexOf(key) < 0);
    }
    fill();
  }

  function fill() {
    var col = state.key ? findColumn(spec, state.key) : null;
    var rows = col ? sortRows(spec.rows, col, state.desc) : spec.rows.slice();
    if (!state.all) rows = rows.slice(0, opts.limit);
    if (more) more.style.display = state.all ? 'none' : '';
    if (!opts.nosort) {
      ths.forEach(function (th, i) {
        var k = spec.columns[i].key;
        th.setAttribute('aria-sort', k === state.key ?
            (state.desc ? 'descending' : 'ascending') : 'none');
      });
    }
    dom.clear(tbody);
    rows.forEach(function (r) {
      var rtr = h('tr', { class: r.unmapped ? 'unmapped' : null });
      spec.columns.forEach(function (c) {
        var td;
        if (c.stack) {
          var frames = Array.isArray(r[c.key]) ? r[c.key] : [];
          td = h('td', { class: 'stack' });
          if (frames.length > 1) {
            var det = h('details', null,
                [h('summary', null, frames[0]), h('pre', null, frames.slice(1).join('\n'))]);
            td.appendChild(det);
          } else {
            td.appendChild(doc.createTextNode(frames.length ? frames[0] : ''));
          }
        } else {
          var cls = c.num ? 'num' : c.wrap ? 'txt wrap' : c.pre ? 'txt pre' :
            c.key === 'name' ? 'txt long' : 'txt';
          td = h('td', { class: cls }, cellText(c, r, !!c.textMax));
          if (c.key === 'name' && r.name) td.setAttribute('title', String(r.name));
          // cut as in --text (the tree's "(2 images, exec)" stays); whole on hover
          else if (c.textMax) td.setAttribute('title', cellText(c, r));
        }
        rtr.appendChild(td);
      });
      tbody.appendChild(rtr);
    });
  }
  fill();
  wrap.sortBy = sortBy;
  return wrap;
}

module.exports = {
  num: num, text: text, sortRows: sortRows, toText: toText, render: render, cellText: cellText,
  findColumn: findColumn
};
