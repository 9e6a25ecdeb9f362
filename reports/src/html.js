'use strict';
// Writes the report page: one self-contained HTML file with the data as
// JSON in a <script type="application/json">, the viewer, its CSS and uPlot
// inlined, and a Content-Security-Policy that allows no network access and
// only these scripts (by hash), so even markup slipped into the page could
// run nothing.

var crypto = require('crypto');
var pack = require('./pack');
var V = require('./validate');

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, function (c) {
    return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
  });
}

// JSON that is safe inside <script type="application/json">: no "<" at all
// (so no "</script" or "<!--"), and U+2028/U+2029 escaped as well.
function jsonForScript(value) {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function sha256(s) {
  return "'sha256-" + crypto.createHash('sha256').update(s, 'utf8').digest('base64') + "'";
}

function viewerScript(assets) {
  return pack.scriptSafe(pack.pack(assets.viewerModules,
    'req("viewer").start(document, window);'));
}

// payload: {generator, generated, files: [{name, data}]}; files are the
// simulated run's and at most one vmtrace-native file.
function build(payload, assets) {
  // uPlot and flame-chart-js in one script element: the libraries.
  var uplot = pack.scriptSafe(assets.uplotJs + '\n' + (assets.flameJs || ''));
  var viewer = viewerScript(assets);
  var css = (assets.uplotCss + '\n' + assets.viewerCss).replace(/<\/(style)/gi, '<\\/$1');
  var csp = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src " +
    sha256(uplot) + ' ' + sha256(viewer) + "; base-uri 'none'; form-action 'none'";
  var title = 'vmtrace report';
  var files = payload.files.filter(function (f) { return V.isOut(f.data); });
  var nat = payload.files.filter(function (f) { return V.isNative(f.data); })[0];
  var prog = function (cmd) { return cmd && cmd.length ?
      String(cmd[0]).replace(/^.*\//, '') : ''; };
  if (files.length === 1) {
    title += ': ' + prog(files[0].data.run.command) + ' (pid ' + files[0].data.run.pid + ')';
  } else if (files.length) {
    title += ': ' + files.length + ' files';
  } else if (nat) {
    title += ': ' + prog(nat.data.command) + ' (measured)';
  }
  if (nat && files.length) title += ', simulated vs measured';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta http-equiv="Content-Security-Policy" content="' + escapeHtml(csp) + '">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="vmtrace-report ' + escapeHtml(assets.version) + '">',
    '<title>' + escapeHtml(title) + '</title>',
    '<style>',
    css,
    '</style>',
    '</head>',
    '<body>',
    '<div id="app"><noscript>This report needs JavaScript; `vmtrace-report --text` prints the ' +
    'same figures.</noscript></div>',
    '<script type="application/json" id="vmtrace-data">' + jsonForScript(payload) + '</script>',
    '<script>' + uplot + '</script>',
    '<script>' + viewer + '</script>',
    '</body>',
    '</html>',
    ''
  ].join('\n');
}

module.exports = {
  build: build, jsonForScript: jsonForScript, escapeHtml: escapeHtml, viewerScript: viewerScript
};
