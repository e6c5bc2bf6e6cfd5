/* Mermaid on demand (overrides/hooks/mermaid.py puts this script before Material's bundle).
 *
 * The vendored mermaid.min.js weighs 3.5 MB: a reader on a phone who came for the text of a notice
 * should not pay for it. Material draws every ```mermaid block at load, and fetches Mermaid from a
 * CDN unless a `mermaid` global exists. This stand-in is that global: Material hands it each
 * diagram, and it loads the vendored copy (never a CDN) only when a diagram comes near the
 * viewport or the reader clicks it, then hands the diagram on to the real Mermaid.
 */
(function () {
  "use strict";
  var src = document.currentScript.getAttribute("data-mermaid-src");
  var settings = { startOnLoad: false };
  var loading = null;
  var claimed = [];
  // The archive's diagrams fill their classed nodes with light colours (scripts/pages/implementation_map.py,
  // classDef self/doc/done/missing); Material colours labels for the page's scheme, which in dark
  // mode made them light grey on white. Dark text on those light nodes, in both schemes.
  var LIGHT_NODES = ".node.self .nodeLabel,.node.doc .nodeLabel,.node.done .nodeLabel," +
    ".node.self .nodeLabel p,.node.doc .nodeLabel p,.node.done .nodeLabel p{color:#212121!important}" +
    ".node.missing .nodeLabel,.node.missing .nodeLabel p{color:#616161!important}";

  function loadMermaid() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;  // the real Mermaid replaces this stand-in as window.mermaid
        script.onload = function () {
          window.mermaid.initialize(settings);
          resolve(window.mermaid);
        };
        script.onerror = function () { reject(new Error("could not load " + src)); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  // The <pre> Material is about to replace: the first unclaimed one with this text.
  function blockOf(text) {
    var blocks = document.querySelectorAll("pre.mermaid");
    for (var i = 0; i < blocks.length; i++) {
      if (claimed.indexOf(blocks[i]) < 0 && blocks[i].textContent === text) {
        claimed.push(blocks[i]);
        return blocks[i];
      }
    }
    return null;
  }

  function wanted(block) {
    return new Promise(function (resolve) {
      if (!block || !("IntersectionObserver" in window)) { resolve(); return; }
      var observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          observer.disconnect();
          resolve();
        }
      }, { rootMargin: "300px 0px" });
      observer.observe(block);
      block.addEventListener("click", resolve, { once: true });
      window.addEventListener("beforeprint", resolve, { once: true });
    });
  }

  window.mermaid = {
    initialize: function (options) {
      settings = Object.assign({}, options, { themeCSS: (options.themeCSS || "") + LIGHT_NODES });
    },
    render: function (id, text) {
      return wanted(blockOf(text)).then(loadMermaid).then(function (mermaid) {
        return mermaid.render(id, text);
      });
    }
  };
})();
