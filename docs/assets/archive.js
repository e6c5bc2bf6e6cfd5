/* 县域经济政策文库: the header search box (Pagefind) and the link / cite controls of a document.
 *
 * Plain browser JavaScript, no build step. Pagefind's own script and index chunks are loaded
 * only when a reader starts to search, so reading a page costs nothing extra.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("__config").textContent);
  var base = new URL(config.base.replace(/\/?$/, "/"), location.href);

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }

  /* ---------------------------------------------------------------------------------------
   * Query folding: traditional → simplified, and a loosely typed 文号 → one token.
   * Mirrors scripts/web.py (docnumber_token, t2s_table); tests check both sides agree.
   * ------------------------------------------------------------------------------------- */

  var t2sMap = null;
  function loadT2S() {
    if (t2sMap) return Promise.resolve(t2sMap);
    return new Promise(function (resolve) {
      var script = el("script", { src: new URL("assets/t2s.js", base).href });
      script.onload = script.onerror = function () {
        var pairs = Array.from(window.ARCHIVE_T2S || ""); // by code point: a few are beyond the BMP
        t2sMap = {};
        for (var i = 0; i + 1 < pairs.length; i += 2) t2sMap[pairs[i]] = pairs[i + 1];
        resolve(t2sMap);
      };
      document.head.appendChild(script);
    });
  }
  function toSimplified(text) {
    return Array.from(text).map(function (ch) { return (t2sMap && t2sMap[ch]) || ch; }).join("");
  }

  var HAN = "\u3400-\u4dbf\u4e00-\u9fff";
  // 衡政办发2024 5号, 鄂经信县域〔2019〕40号, 衡政办发[2024]5號, 衡政办发 2024-5
  var LOOSE_NUMBER = new RegExp("([" + HAN + "]{2,16})\\s*[〔\\[［(（【]?\\s*((?:19|20)\\d{2})\\s*[〕\\]］)）】\\-—]?\\s*(\\d{1,4})\\s*[号號]?");

  function numberToken(code, year, serial) {
    var hex = Array.from(toSimplified(code)).map(function (ch) {
      return ch.codePointAt(0).toString(16);
    }).join("");
    return hex + "y" + parseInt(year, 10) + "n" + parseInt(serial, 10);
  }

  /* Returns the queries to try, best first: the 文号 token, then the words as typed. */
  function foldQuery(raw) {
    var query = toSimplified(raw.trim());
    var m = query.match(LOOSE_NUMBER);
    var tries = [];
    if (m) {
      var rest = (query.slice(0, m.index) + " " + query.slice(m.index + m[0].length)).trim();
      tries.push((numberToken(m[1], m[2], m[3]) + " " + rest).trim());
    }
    tries.push(query);
    return tries;
  }

  /* ---------------------------------------------------------------------------------------
   * Search box
   * ------------------------------------------------------------------------------------- */

  var box = document.querySelector("[data-archive-search]");
  var toggle = document.getElementById("__search");
  /* Two Pagefind indexes (scripts/search_index.py): "summary" (titles, 文号, places, openings,
   * headings), searched first because it stays light as the archive grows, and "full" (every
   * word), searched when the reader asks or when the summary finds nothing. The full-text index
   * is a main index (in bundles) plus one of the pages changed since; the main index's entries
   * of those pages are stale and skipped. */
  var indexes = {};
  function loadIndex(scope) {
    if (indexes[scope]) return indexes[scope];
    var manifest = scope === "full"
      ? fetch(new URL("search/full-text.json", base).href).then(function (r) { return r.json(); })
      : Promise.resolve({ shards: ["pagefind/"], recent: "", stale: [] });
    indexes[scope] = manifest.then(function (info) {
      // the full text comes in bundles (Pagefind holds a whole index in memory when it builds one)
      var bundles = info.shards.concat(info.recent ? [info.recent] : []);
      return import(new URL(bundles[0] + "pagefind.js", base).href).then(function (pf) {
        return pf.options({ baseUrl: base.pathname, excerptLength: 40 }).then(function () {
          pf.init();
          return bundles.slice(1).reduce(function (done, bundle) {
            return done.then(function () { return pf.mergeIndex(new URL(bundle, base).pathname, { baseUrl: base.pathname }); });
          }, Promise.resolve());
        }).then(function () {
          var stale = new Set(info.stale);
          return {
            filters: function () { return pf.filters(); },
            search: function (query, options) {
              return pf.search(query, options).then(function (found) {
                return found.results.filter(function (r) { return !stale.has(r.id); });
              });
            }
          };
        });
      });
    });
    return indexes[scope];
  }

  var FILTER_NAMES = { "级别": "全部层级", "地区": "全部地区", "年份": "全部年份", "文种": "全部文种" };

  function setupSearch() {
    if (!box || !toggle) return;
    var input = box.querySelector(".md-search__input");
    var form = box.querySelector("form");
    var meta = box.querySelector(".md-search-result__meta");
    var list = box.querySelector(".md-search-result__list");
    var filterBar = box.querySelector(".search-filters");
    var selects = {};
    var generation = 0;
    var timer = null;
    var scope = "summary"; // or "full": the reader's choice stays for the next queries

    var scopeBar = el("div", { class: "search-scope", role: "group", "aria-label": "搜索范围" });
    var scopeButtons = {};
    [["summary", "标题和摘要"], ["full", "全文"]].forEach(function (pair) {
      var button = el("button", { type: "button", "data-scope": pair[0], "aria-pressed": String(pair[0] === scope) }, pair[1]);
      button.addEventListener("click", function () { setScope(pair[0]); run(); });
      scopeButtons[pair[0]] = button;
      scopeBar.appendChild(button);
    });
    // Filters are fetched when the reader asks for them: their lists grow with the archive.
    var filterButton = el("button", { type: "button", class: "search-filter-toggle", "aria-expanded": "false" }, "筛选");
    filterButton.addEventListener("click", function () {
      var show = filterBar.hidden;
      filterButton.setAttribute("aria-expanded", String(show));
      if (show) loadIndex("summary").then(buildFilters);
      else filterBar.hidden = true;
    });
    scopeBar.appendChild(filterButton);
    filterBar.parentNode.insertBefore(scopeBar, filterBar);
    function setScope(value) {
      scope = value;
      showScope(value);
    }
    function showScope(value) {
      Object.keys(scopeButtons).forEach(function (k) { scopeButtons[k].setAttribute("aria-pressed", String(k === value)); });
    }

    function open() {
      if (!toggle.checked) toggle.checked = true;
      loadIndex("summary");
    }

    var filtersBuilt = false;
    function buildFilters(pf) {
      if (filtersBuilt) {
        filterBar.hidden = false;
        return;
      }
      filtersBuilt = true;
      pf.filters().then(function (filters) {
        Object.keys(FILTER_NAMES).forEach(function (name) {
          var values = filters[name] || {};
          var select = el("select", { "aria-label": FILTER_NAMES[name], "data-filter": name });
          select.appendChild(el("option", { value: "" }, FILTER_NAMES[name]));
          Object.keys(values).sort().reverse().forEach(function (value) {
            if (name !== "年份") return;
            select.appendChild(el("option", { value: value }, value + "（" + values[value] + "）"));
          });
          Object.keys(values).sort().forEach(function (value) {
            if (name === "年份") return;
            select.appendChild(el("option", { value: value }, value + "（" + values[value] + "）"));
          });
          select.addEventListener("change", schedule);
          selects[name] = select;
          filterBar.appendChild(select);
        });
        filterBar.hidden = false;
      });
    }

    function activeFilters() {
      var chosen = {};
      Object.keys(selects).forEach(function (name) {
        if (selects[name].value) chosen[name] = selects[name].value;
      });
      return chosen;
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(run, 150);
    }

    function run() {
      var raw = input.value;
      var filters = activeFilters();
      var mine = ++generation;
      if (!raw.trim() && !Object.keys(filters).length) {
        list.textContent = "";
        meta.textContent = "输入关键词开始搜索";
        meta.removeAttribute("data-query");
        return;
      }
      var needsT2S = new RegExp("[" + HAN + "]").test(raw);
      var tries; // the queries to try, once the t2s table is there: see foldQuery
      function searchIn(chosen) {
        return loadIndex(chosen).then(function (index) {
          function attempt(i) {
            return index.search(tries[i], { filters: filters }).then(function (results) {
              if (results.length || i + 1 >= tries.length) return results;
              return attempt(i + 1);
            });
          }
          return attempt(0);
        });
      }
      Promise.resolve(needsT2S ? loadT2S() : null).then(function () {
        tries = raw.trim() ? foldQuery(raw) : [null];
        var chosen = scope;
        return searchIn(chosen).then(function (results) {
          // nothing in titles and summaries: look in the full text before saying "nothing"
          if (!results.length && chosen === "summary" && raw.trim()) {
            chosen = "full";
            return searchIn("full").then(function (more) { return { results: more, scope: "full", fellBack: true }; });
          }
          return { results: results, scope: chosen, fellBack: false };
        });
      }).then(function (found) {
        if (mine !== generation) return;
        showScope(found.scope); // a fallback shows where the results come from; the next query starts in the reader's scope
        show(found.results, 0, raw, found);
      });
    }

    /* Each result's text (a Pagefind fragment) is fetched only when it is shown: a page at a time. */
    var PAGE = 8;
    function show(results, from, query, found) {
      if (!from) {
        list.textContent = "";
        var where = found.scope === "full" ? "全文中" : "标题和摘要中";
        meta.textContent = (found.fellBack ? "标题和摘要中没有；" : "") +
          (results.length ? where + "找到 " + results.length + " 份文件" : where + "没有找到匹配的文件");
      }
      var mine = generation;
      Promise.all(results.slice(from, from + PAGE).map(function (r) { return r.data(); })).then(function (data) {
        if (mine !== generation) return;
        var more = list.querySelector(".search-more");
        if (more) more.remove();
        render(data);
        meta.setAttribute("data-query", query); // what the list now shows (tests wait for it)
        meta.setAttribute("data-scope", found.scope);
        if (results.length > from + PAGE) {
          var item = el("li", { class: "md-search-result__item search-more" });
          var button = el("button", { type: "button", class: "md-search-result__more" }, "显示更多结果");
          button.addEventListener("click", function () { show(results, from + PAGE, query, found); });
          item.appendChild(button);
          list.appendChild(item);
        } else if (found.scope === "summary" && query.trim()) {
          var hint = el("li", { class: "md-search-result__item search-more" });
          var full = el("button", { type: "button", class: "md-search-result__more search-in-full" }, "在全文中搜索“" + query.trim() + "”");
          full.addEventListener("click", function () { setScope("full"); run(); });
          hint.appendChild(full);
          list.appendChild(hint);
        }
      });
    }

    function render(results) {
      results.forEach(function (r) {
        var item = el("li", { class: "md-search-result__item" });
        var link = el("a", { class: "md-search-result__link", href: r.url, tabindex: "-1" });
        var article = el("article", { class: "md-search-result__article md-typeset" });
        article.appendChild(el("h1", {}, r.meta.title || r.url));
        var facts = [r.meta.place, r.meta.date, r.meta.number].filter(Boolean).join(" · ");
        if (facts) article.appendChild(el("p", { class: "search-result__facts" }, facts));
        var excerpt = el("p", { class: "search-result__excerpt" });
        excerpt.innerHTML = r.excerpt; // Pagefind escapes the text and adds only <mark>
        article.appendChild(excerpt);
        link.appendChild(article);
        item.appendChild(link);
        list.appendChild(item);
      });
    }

    input.addEventListener("focus", open);
    input.addEventListener("input", function () { open(); schedule(); });
    form.addEventListener("reset", function () { setTimeout(run, 0); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = list.querySelector("a");
      if (first) location.href = first.href;
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.checked) {
        toggle.checked = false;
        input.blur();
      } else if (event.key === "/" && !toggle.checked && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) {
        event.preventDefault();
        input.focus();
      }
    });
    toggle.addEventListener("change", function () {
      if (toggle.checked) setTimeout(function () { input.focus(); }, 50);
    });
    // ?q=… opens the box with a query (links from the home page, the browser's site search)
    var q = new URLSearchParams(location.search).get("q");
    if (q) { input.value = q; open(); run(); }
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
   * The card carries it up to the date (scripts/web.py: citation_head); the day it is cited and
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
    var id = decodeURIComponent(location.hash.slice(1));
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
    var id = decodeURIComponent(location.hash.slice(1));
    if (card || !id || document.getElementById(id)) return;
    var article = document.querySelector("article");
    var link = article && Array.prototype.find.call(article.querySelectorAll("a[href*='#']"), function (a) {
      return decodeURIComponent(a.hash.slice(1)) === id && a.pathname !== location.pathname;
    });
    if (link) location.replace(link.href);
  }

  setupSearch();
  setupAnchors();
  followMovedEntry();

  // For tests and for anyone checking that the browser and scripts/web.py agree.
  window.archiveSearch = { foldQuery: foldQuery, numberToken: numberToken, loadT2S: loadT2S };
})();
