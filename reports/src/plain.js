'use strict';
// The building blocks of --text: headings, indented blocks, aligned
// "name  value" lists and table sections. Control characters in what comes
// from a run are made visible (format.printable).

var F = require('./format');
var T = require('./table');

function indent(s, n) {
  var pad = new Array(n + 1).join(' ');
  return s.split('\n').map(function (l) { return l ? pad + l : l; }).join('\n');
}

function heading(title) {
  return '== ' + F.printable(title) + ' ==';
}

// [[name, value]] as lines "  name  value", the values aligned.
function items(list) {
  var w = list.reduce(function (m, it) { return Math.max(m, it[0].length); }, 0);
  return list.map(function (it) {
    return '  ' + it[0] + new Array(w - it[0].length + 3).join(' ') + F.printable(it[1]);
  });
}

// A table (model.js spec) under its heading and note; opts as T.toText's.
function tableSection(spec, opts) {
  var out = [heading(spec.title)];
  if (spec.note) out.push(indent(F.printable(spec.note), 2));
  if (!spec.rows.length) out.push('  (none)');
  else {
    out.push(indent(T.toText(spec, opts), 2));
    if (opts && opts.limit && spec.rows.length > opts.limit) {
      out.push('  (' + F.count(spec.rows.length - opts.limit, 'more row') +
          ' in the HTML report)');
    }
  }
  return out.join('\n');
}

// A summary ({title, items}) under its heading.
function summarySection(s) {
  return [heading(s.title)].concat(items(s.items)).join('\n');
}

module.exports = {
  indent: indent, heading: heading, items: items, tableSection: tableSection,
  summarySection: summarySection
};
