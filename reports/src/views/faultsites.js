'use strict';
// Top fault sites: the stacks at which faults happened, most frequent first,
// with a class filter on the page (files with fault_sites).

var M = require('../model');
var plain = require('../plain');

function html(p, d) {
  var h = p.h;
  var t = M.faultSiteTable(d);
  var sec = p.section('faultsites', 'Top fault sites', t.note + ' Open a row for its whole stack.');
  var classes = [];
  t.rows.forEach(function (r) { if (classes.indexOf(r.cls) < 0) classes.push(r.cls); });
  var select = h('select', { 'aria-label': 'fault class' },
    [h('option', { value: '' }, 'all classes')].concat(classes.map(function (c) {
      return h('option', { value: c }, c);
    })));
  sec.appendChild(h('label', { class: 'filter' }, ['class ', select]));
  var holder = h('div');
  sec.appendChild(holder);
  var draw = function () {
    var c = select.value;
    var spec = Object.assign({}, t,
      { rows: c ? t.rows.filter(function (r) { return r.cls === c; }) : t.rows });
    p.clear(holder).appendChild(p.table(spec, { limit: 50, empty: 'no fault sites recorded' }));
  };
  select.addEventListener('change', draw);
  draw();
}

function text(d) {
  return plain.tableSection(M.faultSiteTable(d), { limit: 20 });
}

module.exports = { id: 'faultsites', needs: 'fault_sites', html: html, text: text };
