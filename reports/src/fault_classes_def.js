'use strict';
// The text of vmtrace/core/fault_classes.def when vmtrace-report runs from the
// source tree. The standalone script and the report page carry the text
// itself instead of this module (assets.js reads the file at build time).

var fs = require('fs');
var path = require('path');

module.exports = fs.readFileSync(
  path.join(__dirname, '..', '..', 'vmtrace', 'core', 'fault_classes.def'), 'utf8');
