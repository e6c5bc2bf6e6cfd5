/* 县域经济政策文库: what every script of the archive shares. Loaded first (overrides/main.html).
 *
 * The archive's scripts are classic deferred scripts, not ES modules: the built site also works
 * opened from file://, where modules do not load. They run in the order overrides/main.html lists
 * them, once the page is parsed, and share one object, window.Archive: this file, then the search
 * (assets/search/query.js, index.js, excerpt.js, results.js), then the page's own tools, which
 * start everything (assets/archive.js). Each adds what the later ones use, under its own name
 * (Archive.query, Archive.index, …); nothing else is global but window.archiveSearch, for tests.
 */
(function () {
  "use strict";

  var Archive = window.Archive = window.Archive || {};

  var config = JSON.parse(document.getElementById("__config").textContent);
  // the site's root, whatever page this is (every fetch and every link of a result starts there)
  Archive.base = new URL(config.base.replace(/\/?$/, "/"), location.href);

  Archive.el = function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  };
})();
