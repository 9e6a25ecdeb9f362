'use strict';
// A minimal DOM for unit tests of the viewer's table and dom helpers:
// elements, text nodes, attributes, events. It has no HTML parser, so the
// only way markup could appear is an element the code created itself.

function Node(doc, type, name) {
  this.ownerDocument = doc;
  this.nodeType = type;
  this.nodeName = name;
  this.childNodes = [];
  this.parentNode = null;
  this.attributes = {};
  this.listeners = {};
  this.style = {};
  this.className = '';
  this.data = '';
  if (name === 'input' || name === 'select') this.value = '';
}
Object.defineProperty(Node.prototype, 'firstChild',
    { get: function () { return this.childNodes[0] || null; } });
Object.defineProperty(Node.prototype, 'children',
    { get: function () {
        return this.childNodes.filter(function (c) { return c.nodeType === 1; }); } });
Object.defineProperty(Node.prototype, 'textContent', {
  get: function () { return this.nodeType === 3 ? this.data :
      this.childNodes.map(function (c) { return c.textContent; }).join(''); },
  set: function (v) { this.childNodes =
      []; this.appendChild(this.ownerDocument.createTextNode(v)); }
});
Object.defineProperty(Node.prototype, 'innerHTML',
    { set: function () { throw new Error('innerHTML used'); } });
Node.prototype.appendChild = function (c) {
  if (c.parentNode) c.parentNode.removeChild(c);
  this.childNodes.push(c);
  c.parentNode = this;
  return c;
};
Node.prototype.removeChild = function (c) {
  var i = this.childNodes.indexOf(c);
  if (i >= 0) this.childNodes.splice(i, 1);
  c.parentNode = null;
  return c;
};
Node.prototype.setAttribute = function (k, v) { this.attributes[k] = String(v); };
Node.prototype.getAttribute =
    function (k) { return k in this.attributes ? this.attributes[k] : null; };
Node.prototype.addEventListener =
    function (t, f) { (this.listeners[t] = this.listeners[t] || []).push(f); };
Node.prototype.dispatch = function (t, e) {
  var self = this;
  (this.listeners[t] || []).forEach(
      function (f) { f.call(self, e || { preventDefault: function () {} }); });
};
Node.prototype.click = function () { this.dispatch('click'); };
Object.defineProperty(Node.prototype, 'classList', {
  get: function () {
    var n = this;
    var has = function (c) { return n.className.split(' ').indexOf(c) >= 0; };
    return {
      contains: has,
      add: function (c) { if (!has(c)) n.className = (n.className + ' ' + c).trim(); },
      remove: function (c) {
        n.className = n.className.split(' ').filter(function (x) { return x !== c; }).join(' ');
      },
      toggle: function (c, on) {
        if (on === undefined) on = !has(c);
        if (on) this.add(c);
        else this.remove(c);
      }
    };
  }
});
// Descendant selectors of tag names only ("tbody tr").
Node.prototype.querySelectorAll = function (sel) {
  var found = [this];
  sel.trim().split(/\s+/).forEach(function (tag) {
    var next = [];
    found.forEach(function (n) {
      n.all(tag).forEach(function (m) { if (next.indexOf(m) < 0) next.push(m); });
    });
    found = next;
  });
  return found;
};
Node.prototype.getBoundingClientRect = function () {
  return { left: 0, top: 0, width: 0, height: 0 };
};
// A canvas that draws nothing.
Node.prototype.getContext = function () {
  var noop = function () {};
  return {
    setTransform: noop, clearRect: noop, fillRect: noop, beginPath: noop, moveTo: noop,
    lineTo: noop, stroke: noop, fillText: noop, drawImage: noop, putImageData: noop, arc: noop,
    fill: noop, save: noop, restore: noop, setLineDash: noop,
    measureText: function (t) { return { width: String(t).length * 6 }; },
    createImageData: function (w, h) { return { data: new Uint8ClampedArray(w * h * 4) }; }
  };
};
// All descendant elements with this tag name (lower case), depth-first.
Node.prototype.all = function (tag) {
  var out = [];
  (function walk(n) {
    n.childNodes.forEach(function (c) {
      if (c.nodeType === 1 && (!tag || c.nodeName === tag)) out.push(c);
      walk(c);
    });
  })(this);
  return out;
};

function Document() {
  this.documentElement = { clientWidth: 1400 };
  this.defaultView = { devicePixelRatio: 1 };
  this.listeners = {};
}
Document.prototype.addEventListener = Node.prototype.addEventListener;
Document.prototype.createElement =
    function (tag) { return new Node(this, 1, String(tag).toLowerCase()); };
Document.prototype.createTextNode =
    function (s) { var n = new Node(this, 3, '#text'); n.data = String(s); return n; };

module.exports = { Document: Document };
