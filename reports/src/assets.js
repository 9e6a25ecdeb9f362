'use strict';
// What a report embeds: the viewer's modules and CSS (from src/) and uPlot
// (from node_modules/ after `npm ci`). The standalone vmtrace-report made
// by bundle.js carries the same object prebuilt.

var fs = require('fs');
var path = require('path');

var VIEWER_MODULES = ['format', 'validate', 'model', 'native', 'compare', 'dom', 'table', 'tree', 'charts', 'heatmap', 'viewer'];
var UPLOT_FILES = ['uPlot.iife.min.js', 'uPlot.min.css'];

function AssetError(message) {
  this.name = 'AssetError';
  this.message = message;
}
AssetError.prototype = Object.create(Error.prototype);

// The folder holding uPlot's dist files: $VMTRACE_UPLOT_DIR, or
// node_modules/uplot/dist under the reports folder.
function uplotDir(reportsDir) {
  var cands = [];
  if (process.env.VMTRACE_UPLOT_DIR) cands.push(process.env.VMTRACE_UPLOT_DIR);
  cands.push(path.join(reportsDir, 'node_modules', 'uplot', 'dist'));
  for (var i = 0; i < cands.length; i++) {
    if (fs.existsSync(path.join(cands[i], UPLOT_FILES[0]))) return cands[i];
  }
  throw new AssetError('the charting library (uPlot) is missing: run `npm ci` in ' + reportsDir);
}

function fromDir(reportsDir) {
  var src = path.join(reportsDir, 'src');
  var pkg = JSON.parse(fs.readFileSync(path.join(reportsDir, 'package.json'), 'utf8'));
  var ud = uplotDir(reportsDir);
  var modules = {};
  VIEWER_MODULES.forEach(function (m) {
    modules[m] = fs.readFileSync(path.join(src, m + '.js'), 'utf8');
  });
  return {
    version: pkg.version,
    uplotVersion: pkg.dependencies && pkg.dependencies.uplot,
    uplotJs: fs.readFileSync(path.join(ud, UPLOT_FILES[0]), 'utf8'),
    uplotCss: fs.readFileSync(path.join(ud, UPLOT_FILES[1]), 'utf8'),
    viewerCss: fs.readFileSync(path.join(src, 'viewer.css'), 'utf8'),
    viewerModules: modules
  };
}

module.exports = { fromDir: fromDir, AssetError: AssetError, VIEWER_MODULES: VIEWER_MODULES };
