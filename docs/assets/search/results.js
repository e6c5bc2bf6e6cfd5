/* 县域经济政策文库, search: the ranking, and the header search box that lists the results.
 *
 * The box is Material's header search look (overrides/partials/search.html), served by the
 * archive's own index instead of lunr: as the reader types, the queries to try
 * (assets/search/query.js) are looked up (assets/search/index.js), ranked here, and listed, each
 * result with its excerpt (assets/search/excerpt.js) once it comes on screen. The filters, the
 * wanted entries a query names, and the box's state in the address are here too.
 *
 * Uses: Archive.base, Archive.el (assets/archive-base.js), Archive.query, Archive.index,
 * Archive.excerpt. Adds: Archive.results.setupSearch, which assets/archive.js calls.
 */
(function () {
  "use strict";

  var el = Archive.el, base = Archive.base;
  var RULES = Archive.query.RULES, bounded = Archive.query.bounded, fold = Archive.query.fold;
  var loadT2S = Archive.query.loadT2S, toSimplified = Archive.query.toSimplified;
  var queryTries = Archive.query.queryTries, isNumberToken = Archive.query.isNumberToken;
  var fetchJSON = Archive.index.fetchJSON, loadSearchIndex = Archive.index.loadSearchIndex;
  var find = Archive.index.find, members = Archive.index.members, holds = Archive.index.holds;
  var marked = Archive.excerpt.marked, excerpt = Archive.excerpt.excerpt;
  var beyondOpening = Archive.excerpt.beyondOpening;

  /* ---------------------------------------------------------------------------------------
   * Ranking: documents before other pages (places, browse lists: found by their titles), more of
   * the query's words first, a document whose own 文号 is the one asked for before those citing
   * it, then BM25 over head and body (a word in the head counts rank.head times; the ranking's
   * parameters come from search_index.RANKING), then date, newer first.
   * ------------------------------------------------------------------------------------- */

  function rank(index, words, filters) { // filters: by their name in the address (year: 2019)
    var filterKeys = Object.keys(filters).map(function (param) {
      return RULES.marks.filter + RULES.filters[param] + ":" + filters[param];
    });
    var asked = [
      Promise.all(words.map(function (word) { return find(index, word); })),
      filterKeys.length ? index.all(filterKeys) : null,
      index.all([RULES.pages])
    ];
    return Promise.all(asked).then(function (got) {
      var founds = got[0], allowed = got[1], pages = got[2];
      var p = index.rank, scores = new Map();
      function score(n) {
        if (!scores.has(n)) scores.set(n, { n: n, words: 0, own: 0, score: 0, page: holds(pages, n), found: [] });
        return scores.get(n);
      }
      founds.forEach(function (found, w) {
        var df = found.size;
        var idf = Math.log(1 + (index.count - df + 0.5) / (df + 0.5));
        found.forEach(function (hit, n) {
          var s = score(n);
          var tf = p.head * hit.head + hit.times;
          var norm = 1 - p.b + p.b * index.length(n) / index.averageLength;
          s.words += 1;
          s.score += idf * tf * (p.k1 + 1) / (tf + p.k1 * norm);
          if (hit.head && isNumberToken(words[w])) s.own = 1;
          s.found.push({ word: words[w], body: hit.body });
        });
      });
      if (!words.length && allowed) members(allowed).forEach(function (n) { score(n); });
      var list = [];
      scores.forEach(function (s) { if (!allowed || holds(allowed, s.n)) list.push(s); });
      return list.sort(function (a, b) {
        return a.page - b.page || b.words - a.words || b.own - a.own || b.score - a.score ||
          index.order(a.n) - index.order(b.n);
      });
    });
  }

  /* ---------------------------------------------------------------------------------------
   * Search box. Its state is in the address (?q=…&year=…): Back from a result, a reload or a
   * shared link shows the same results; opening the box adds a step to the history, so that
   * Back closes it before it leaves the page (a phone's Back button).
   * ------------------------------------------------------------------------------------- */

  var box = document.querySelector("[data-archive-search]");
  var toggle = document.getElementById("__search");
  // The filters, by their name in the address (their names in the index are Python's: RULES.filters),
  // and what each select says when nothing is chosen
  var FILTER_LABELS = { level: "全部层级", place: "全部地区", year: "全部年份", type: "全部文种" };
  var FILTER_PARAMS = Object.keys(FILTER_LABELS);
  var FIRST = 10; // results shown first; the rest follow on their own

  function setupSearch() {
    if (!box || !toggle) return;
    var input = box.querySelector(".md-search__input");
    var form = box.querySelector("form");
    var meta = box.querySelector(".md-search-result__meta");
    var list = box.querySelector(".md-search-result__list");
    var filterBar = box.querySelector(".search-filters");
    var scroller = box.querySelector(".md-search__scrollwrap");
    var clear = box.querySelector("button[type=reset]");
    var selects = {};
    var chosen = {}; // filter values from the address, until their lists are there
    var generation = 0;
    var timer = null;

    // Filters are fetched when the reader asks for them: their lists grow with the archive.
    var tools = el("div", { class: "search-tools" });
    var filterButton = el("button", { type: "button", class: "search-filter-toggle md-button", "aria-expanded": "false" }, "筛选");
    filterButton.addEventListener("click", function () {
      var show = filterBar.hidden;
      filterButton.setAttribute("aria-expanded", String(show));
      if (show) buildFilters();
      else filterBar.hidden = true;
    });
    tools.appendChild(filterButton);
    filterBar.parentNode.insertBefore(tools, filterBar);

    /* --- the address ---------------------------------------------------------------------- */
    function addressOf(query, filters) {
      var url = new URL(location.href);
      url.searchParams.delete("q");
      FILTER_PARAMS.forEach(function (param) { url.searchParams.delete(param); });
      if (query) url.searchParams.set("q", query);
      Object.keys(filters).forEach(function (param) { url.searchParams.set(param, filters[param]); });
      return url.href;
    }
    function inHistory() { return !!(history.state && history.state.archiveSearch); }
    function open() {
      if (!toggle.checked) toggle.checked = true;
      if (!inHistory()) history.pushState({ archiveSearch: true }, "", location.href);
      loadSearchIndex();
    }
    function closed() { // the reader closed the box: the step it added goes
      if (inHistory()) history.back();
    }
    window.addEventListener("popstate", function () {
      if (inHistory()) readAddress();
      else if (toggle.checked) toggle.checked = false;
    });
    function readAddress() {
      var params = new URLSearchParams(location.search);
      chosen = {};
      FILTER_PARAMS.forEach(function (param) {
        var value = params.get(param);
        if (value) chosen[param] = value;
      });
      input.value = bounded(params.get("q") || "");
      if (Object.keys(chosen).length) { filterButton.setAttribute("aria-expanded", "true"); buildFilters(); }
      if (!toggle.checked) toggle.checked = true;
      loadSearchIndex();
      run();
    }

    var filtersBuilt = false;
    function buildFilters() {
      if (filtersBuilt) {
        filterBar.hidden = false;
        return;
      }
      filtersBuilt = true;
      Promise.all([fetchJSON("search/filters.json"), loadSearchIndex()]).then(function (ready) {
        var filters = ready[0];
        FILTER_PARAMS.forEach(function (param) {
          var name = RULES.filters[param]; // the index's name of the filter (年份)
          var values = filters[name] || {};
          var select = el("select", { "aria-label": FILTER_LABELS[param], "data-filter": name });
          select.appendChild(el("option", { value: "" }, FILTER_LABELS[param]));
          var order = Object.keys(values).sort();
          if (param === "year") order.reverse();
          order.forEach(function (value) {
            select.appendChild(el("option", { value: value }, value + "（" + values[value] + "）"));
          });
          if (chosen[param] && values[chosen[param]]) select.value = chosen[param];
          select.addEventListener("change", schedule);
          selects[param] = select;
          filterBar.appendChild(select);
        });
        filterBar.hidden = false;
      });
    }

    function activeFilters() {
      if (!filtersBuilt || !Object.keys(selects).length) return Object.assign({}, chosen);
      var active = {};
      Object.keys(selects).forEach(function (name) {
        if (selects[name].value) active[name] = selects[name].value; // by its name in the address
      });
      return active;
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(run, 150);
    }

    function run() {
      var raw = bounded(input.value);
      if (raw !== input.value) input.value = raw;
      var filters = activeFilters();
      var mine = ++generation;
      if (toggle.checked && inHistory()) history.replaceState(history.state, "", addressOf(raw.trim(), filters));
      ["data-query", "data-first", "data-first-at", "data-count"].forEach(function (a) { meta.removeAttribute(a); });
      if (!raw.trim() && !Object.keys(filters).length) {
        list.textContent = "";
        meta.textContent = "输入关键词开始搜索";
        return;
      }
      var needsT2S = /[^\x00-\x7f]/.test(raw); // a character beyond ASCII may be traditional
      Promise.all([needsT2S ? loadT2S() : null, loadSearchIndex()]).then(function (ready) {
        var index = ready[1];
        var tries = raw.trim() ? queryTries(raw) : [{ words: "", number: "" }];
        tries.forEach(function (t) { t.folded = t.words.split(/\s+/).map(fold).filter(Boolean); });
        function attempt(i) {
          return rank(index, tries[i].folded, filters).then(function (found) {
            if (found.length || i + 1 >= tries.length) return { found: found, asked: tries[i] };
            return attempt(i + 1);
          });
        }
        return Promise.all([attempt(0), wantedFor(index, tries, raw)]).then(function (result) {
          if (mine === generation) show(index, result[0].found, result[0].asked, result[1], raw, mine);
        });
      });
    }

    /* The wanted entries a query names whole: by the token of its 文号, or by a title. */
    var WANTED_TITLE = 5; // characters of the shortest title looked up (a word is no title)
    function wantedFor(index, tries, raw) {
      var keys = [];
      if (tries.length > 1) keys.push(tries[0].folded[0]);
      var title = fold(toSimplified(raw));
      if (title.length >= WANTED_TITLE) keys.push(title);
      return Promise.all(keys.map(index.wanted)).then(function (found) {
        var seen = {}, entries = [];
        found.forEach(function (list) {
          list.forEach(function (entry) {
            if (!seen[entry[2]]) { seen[entry[2]] = 1; entries.push(entry); } // by its url
          });
        });
        return entries;
      });
    }

    /* Every result is listed: the first ones as soon as their titles are there, the rest below
     * them on their own. A result's excerpt is fetched when it comes on screen. */
    function show(index, found, asked, wanted, query, mine) {
      list.textContent = "";
      var documents = found.filter(function (s) { return !s.page; }).length;
      var others = found.length - documents;
      meta.textContent = found.length ? "找到 " + documents + " 份文件" + (others ? "，另有 " + others + " 个相关页面" : "")
        : "没有找到匹配的文件";
      meta.setAttribute("data-count", String(found.length));
      var words = asked.folded.filter(function (w) { return !isNumberToken(w); });
      var shown = wanted.length ? Promise.all(wanted.map(function (entry) { return wantedItem(index, entry); }))
        .then(function (items) { if (mine === generation) items.forEach(function (item) { list.appendChild(item); }); })
        : Promise.resolve();
      function items(part) {
        return Promise.all(part.map(function (s) { return index.meta(s.n); })).then(function (entries) {
          if (mine !== generation) return;
          entries.forEach(function (entry, i) { if (entry) list.appendChild(item(entry, part[i], words, asked)); });
        });
      }
      shown.then(function () { return items(found.slice(0, FIRST)); }).then(function () {
        if (mine !== generation) return null;
        return loadVisibleExcerpts().then(function () {
          if (mine !== generation) return null;
          // the first results are on screen: the benchmark counts what was fetched until then
          meta.setAttribute("data-first-at", String(performance.now()));
          meta.setAttribute("data-first", query);
          return items(found.slice(FIRST));
        });
      }).then(function () {
        if (mine !== generation) return;
        meta.setAttribute("data-query", query); // every result is listed (tests wait for it)
      });
    }

    /* A cited document the archive lacks: "本库尚未收录", its entry on the wanted pages, and the
     * documents citing it. */
    function wantedItem(index, entry) {
      var numbers = entry[0], title = entry[1], url = entry[2], count = entry[3], citing = entry[4];
      return Promise.all(citing.map(index.meta)).then(function (metas) {
        var node = el("li", { class: "md-search-result__item search-wanted" });
        var article = el("article", { class: "md-search-result__article md-typeset" });
        var heading = el("h1", {});
        heading.appendChild(el("a", { href: new URL(url, base).href, class: "search-wanted__link" },
          title ? "《" + title + "》" : numbers[0]));
        article.appendChild(heading);
        article.appendChild(el("p", { class: "search-result__facts" },
          ["本库尚未收录"].concat(title ? numbers : []).join(" · ")));
        var cited = el("p", { class: "search-wanted__citing" }, "引用它的文件（" + count + " 份）：");
        var names = el("ul", {});
        metas.forEach(function (m) {
          if (!m) return;
          var li = el("li", {});
          li.appendChild(el("a", { href: new URL(m[0] + "/", base).href }, m[1]));
          names.appendChild(li);
        });
        article.appendChild(cited);
        article.appendChild(names);
        node.appendChild(article);
        return node;
      });
    }

    var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (seen) {
      seen.forEach(function (entry) { if (entry.isIntersecting) loadExcerpt(entry.target); });
    }, { root: scroller }) : null; // on screen: a result below it fetches its text when scrolled to

    function item(entry, result, words, asked) {
      var node = el("li", { class: "md-search-result__item" });
      var link = el("a", { class: "md-search-result__link", href: new URL(entry[0] ? entry[0] + "/" : "", base).href, tabindex: "-1" });
      var article = el("article", { class: "md-search-result__article md-typeset" });
      var title = el("h1", {});
      title.appendChild(marked(entry[1] || entry[0], words));
      article.appendChild(title);
      var facts = el("p", { class: "search-result__facts" });
      [entry[2], entry[3], entry[4], entry[5]].forEach(function (fact, i) {
        if (!fact) return;
        if (facts.childNodes.length) facts.appendChild(document.createTextNode(" · "));
        facts.appendChild(i === 1 || i === 2 ? el("span", {}, fact) : document.createTextNode(fact)); // a date, a 文号: whole
      });
      if (facts.childNodes.length) article.appendChild(facts);
      var tokens = result.found.filter(function (f) { return isNumberToken(f.word); });
      if (tokens.length && asked.number) { // which number it holds: its own, or one it cites
        article.appendChild(el("p", { class: "search-result__number" },
          (result.own ? "本文文号：" : "引用了 ") + asked.number));
      }
      article.appendChild(el("p", { class: "search-result__excerpt" }));
      link.appendChild(article);
      node.appendChild(link);
      if (entry[0].indexOf("doc/") !== 0) return node; // a place or browse page: found by its title, no excerpt
      node.archiveResult = { id: entry[0].split("/").pop(), words: words, found: result.found, tokens: tokens.map(function (f) { return f.word; }) };
      if (observer) observer.observe(node);
      else loadExcerpt(node);
      return node;
    }

    function loadExcerpt(node) {
      var result = node.archiveResult;
      if (result.loading) return result.loading;
      if (observer) observer.unobserve(node);
      var path = "search/doc/" + result.id;
      result.loading = fetchJSON(path + ".json").then(function (doc) {
        // the opening of the text first (its first line is the title); the rest only when the
        // passage to show is further on, or a cited number is asked for and not in the opening
        var text = doc.text || "";
        var further = beyondOpening(text, result);
        if (!doc.more || !further) return text;
        return fetchJSON(path + ".more.json").then(function (rest) { return text + (rest.text || ""); });
      }).then(function (text) {
        var p = node.querySelector(".search-result__excerpt");
        if (text) p.appendChild(excerpt(text, result));
        node.setAttribute("data-excerpt", "");
      });
      return result.loading;
    }

    function loadVisibleExcerpts() {
      var view = scroller.getBoundingClientRect();
      var shown = Array.prototype.filter.call(list.children, function (node) {
        if (!node.archiveResult) return false;
        var r = node.getBoundingClientRect();
        return r.bottom > view.top && r.top < Math.max(view.bottom, view.top + 1);
      });
      return Promise.all(shown.map(loadExcerpt));
    }

    input.addEventListener("focus", open);
    input.addEventListener("input", function () { open(); schedule(); });
    // the × clears the box and leaves the keyboard up: it never takes the focus from the box
    clear.addEventListener("pointerdown", function (event) { event.preventDefault(); });
    clear.addEventListener("mousedown", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () {
      setTimeout(function () { input.focus(); run(); }, 0);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = list.querySelector("a");
      if (first) location.href = first.href;
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.checked) {
        toggle.checked = false;
        input.blur();
        closed();
      } else if (event.key === "/" && !toggle.checked && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) {
        event.preventDefault();
        input.focus();
      }
    });
    toggle.addEventListener("change", function () {
      if (toggle.checked) {
        setTimeout(function () { input.focus(); }, 50);
        open();
      } else {
        closed();
      }
    });
    // ?q=… opens the box with a query (a shared link, Back from a result, the browser's site
    // search): a link from elsewhere gets a step of its own, so that Back closes the box first
    var params = new URLSearchParams(location.search);
    var fromAddress = params.get("q") || FILTER_PARAMS.some(function (param) { return params.get(param); });
    if (fromAddress) {
      if (!inHistory()) {
        history.replaceState(null, "", addressOf("", {}));
        history.pushState({ archiveSearch: true }, "", addressOf(bounded(params.get("q") || ""), FILTER_PARAMS.reduce(function (f, param) {
          if (params.get(param)) f[param] = params.get(param);
          return f;
        }, {})));
      }
      readAddress();
    } else if (inHistory()) { // a reload of the step the box added, without a query
      toggle.checked = true;
      loadSearchIndex();
    }
  }

  Archive.results = { setupSearch: setupSearch };
})();
