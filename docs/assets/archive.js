/* 县域经济政策文库: the link and cite controls of a document, and the start of every script.
 *
 * A document's paragraphs and list items carry a ¶ link (paragraphs from the build:
 * overrides/hooks/archive.py); it opens the link and cite tools (the address, a GB/T 7714
 * citation, a button to copy each). An address fragment marks its paragraph, an old anchor leads
 * to the words it moved with, and an old link to an entry of a browse or wanted index follows it.
 *
 * Plain browser JavaScript, no build step. Loaded last of the archive's deferred scripts
 * (overrides/main.html; assets/archive-base.js says why they are classic scripts): the search
 * (assets/search/) is defined by then, and this file starts it, then the page's tools.
 */
(function () {
  "use strict";

  var el = Archive.el;
  var query = Archive.query;

  /* An address fragment as the id it names: a malformed escape (#%E0%A4%A) names nothing. */
  function fragmentId(hash) {
    var raw = hash.replace(/^#/, "");
    try { return decodeURIComponent(raw); } catch (e) { return raw; }
  }

  /* ---------------------------------------------------------------------------------------
   * Link and cite controls on a document page
   * ------------------------------------------------------------------------------------- */

  var card = document.querySelector(".doc-card");

  /* The address a reader copies: the one in the address bar, so that the two never differ. */
  function pageUrl(id) {
    return location.origin + location.pathname + (id ? "#" + id : "");
  }

  /* The address a citation gives: the page's canonical one (mkdocs.yml site_url), whatever
   * address it was opened at; the address bar's only when the site was built without one. */
  function canonicalUrl(id) {
    return (card.dataset.url || location.origin + location.pathname) + (id ? "#" + id : "");
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  /* GB/T 7714-2015, electronic resource: 责任者. 题名: 文号[EB/OL]. (更新或修改日期)[引用日期]. URL.
   * The card carries it up to the date (scripts/pages/web.py: citation_head); the day it is cited and
   * the address are the reader's. */
  function citation(id) {
    return card.dataset.citation + "[" + today() + "]. " + canonicalUrl(id) + ".";
  }

  function copy(text, button) {
    var done = function () {
      var label = button.textContent;
      button.textContent = "已复制";
      button.classList.add("is-copied");
      setTimeout(function () { button.textContent = label; button.classList.remove("is-copied"); }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
    } else {
      fallbackCopy(text);
      done();
    }
  }
  function fallbackCopy(text) {
    var area = el("textarea", { readonly: "", class: "anchor-tools__scratch" });
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* the text stays visible to copy by hand */ }
    area.remove();
  }

  var popover = null;
  function showTools(target, id) {
    if (popover) popover.remove();
    var url = pageUrl(id);
    var cite = citation(id);
    popover = el("div", { class: "anchor-tools", role: "dialog", "aria-label": "链接与引用" });
    var linkButton = el("button", { type: "button", class: "anchor-tools__copy-link", "data-url": url }, "复制链接");
    var citeButton = el("button", { type: "button", class: "anchor-tools__copy-cite", "data-citation": cite }, "复制引用");
    var closeButton = el("button", { type: "button", class: "anchor-tools__close", "aria-label": "关闭" }, "×");
    linkButton.addEventListener("click", function () { copy(url, linkButton); });
    citeButton.addEventListener("click", function () { copy(cite, citeButton); });
    closeButton.addEventListener("click", function () { popover.remove(); popover = null; });
    popover.appendChild(el("p", { class: "anchor-tools__url" }, url));
    popover.appendChild(el("p", { class: "anchor-tools__cite" }, cite));
    var row = el("p", { class: "anchor-tools__buttons" });
    row.appendChild(linkButton);
    row.appendChild(citeButton);
    row.appendChild(closeButton);
    popover.appendChild(row);
    target.insertAdjacentElement("afterend", popover);
    linkButton.focus({ preventScroll: true });
  }

  function highlight() {
    document.querySelectorAll(".is-target").forEach(function (n) { n.classList.remove("is-target"); });
    var id = fragmentId(location.hash);
    var target = id && document.getElementById(id);
    if (target && target.dataset.movedTo) { // an old anchor (published/moved-anchors.txt): its words are
      // in the element right after it (which keeps the new id, unless a published link needs it elsewhere)
      var movedTo = target.dataset.movedTo;
      while (target && target.classList.contains("moved-anchor")) target = target.nextElementSibling;
      if (target && target.id === movedTo) history.replaceState(null, "", "#" + movedTo);
      if (target) target.scrollIntoView();
    }
    if (target) target.classList.add("is-target");
  }

  function setupAnchors() {
    if (!card) return;
    var article = card.closest("article");
    // paragraphs carry their ¶ link from the build (overrides/hooks/archive.py); list items here
    article.querySelectorAll("li[id]").forEach(function (node) {
      var link = el("a", { class: "para-link", href: "#" + node.id, "aria-label": "本段的链接与引用", title: "本段的链接与引用" }, "¶");
      node.appendChild(link);
    });
    article.addEventListener("click", function (event) {
      var link = event.target.closest("a.para-link, a.headerlink");
      if (!link) return;
      event.preventDefault();
      var id = link.getAttribute("href").slice(1);
      history.replaceState(null, "", "#" + id);
      highlight();
      showTools(link.parentElement, id);
    });
    var cite = card.querySelector(".doc-card__cite");
    cite.hidden = false;
    cite.addEventListener("click", function () { showTools(card, ""); });
    window.addEventListener("hashchange", highlight);
    highlight();
  }

  // The browse and wanted pages once listed every document on one page; their entries now sit
  // on pages of their own (browse/places/hunan/#p430422, wanted/h/#…), and the index links
  // to each. An old link to an entry of the index follows that link.
  function followMovedEntry() {
    var id = fragmentId(location.hash);
    if (card || !id || document.getElementById(id)) return;
    var article = document.querySelector("article");
    var link = article && Array.prototype.find.call(article.querySelectorAll("a[href*='#']"), function (a) {
      return fragmentId(a.hash) === id && a.pathname !== location.pathname;
    });
    if (link) {
      location.replace(link.href);
    } else if (/\/wanted\/$/.test(location.pathname) && /^[a-z0-9][a-z0-9-]*$/.test(id)) {
      // an entry the index does not list (not among the most cited) is on the page of its first
      // letter, as archive/relations.py wanted_letter names it (an anchor is ASCII: anything else
      // names no entry, and stays here)
      location.replace((/^[a-z]/.test(id) ? id.charAt(0) : "qita") + "/" + location.hash);
    }
  }

  Archive.results.setupSearch();
  setupAnchors();
  followMovedEntry();

  // For tests and for anyone checking that the browser and scripts/pages/web.py agree.
  // ready(): the traditional → simplified table and the index's rules, which folding reads.
  window.archiveSearch = {
    foldQuery: query.foldQuery, numberToken: query.numberToken, fold: query.fold, keyHash: query.keyHash,
    wordKeys: query.wordKeys, bounded: query.bounded,
    ready: function () { return Promise.all([query.loadT2S(), Archive.index.loadSearchIndex()]); }
  };
})();
