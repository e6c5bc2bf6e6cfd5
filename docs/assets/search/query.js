/* 县域经济政策文库, search: what the reader typed, turned into what the index is asked for.
 *
 * The queries to try, best first (a loosely typed 文号 or a decree's number as its token, then
 * the words as typed); traditional characters folded to simplified (the table, t2s.js, which
 * overrides/hooks/archive.py writes into the site, is fetched when a query needs it); text folded
 * as scripts/site/search_index.py folds it; a word cut into the pairs of characters the index
 * lists; a key hashed to the shard that holds it.
 *
 * What Python decides of a query comes with the index, in search/index.json
 * (search_index.browser_rules: the patterns of a 文号 and of a decree's number, the numeral tables,
 * how an organ is named, the filters, what folding keeps): useRules() compiles them, and no script
 * of the site holds any (tests/test_search_rules.py); the longest query is the box's maxlength,
 * which the hook writes. The tests compare what this file makes of a query with scripts/pages/web.py.
 *
 * Uses: Archive.base, Archive.el (assets/archive-base.js). Adds: Archive.query.
 */
(function () {
  "use strict";

  var el = Archive.el, base = Archive.base;

  /* ---------------------------------------------------------------------------------------
   * Query folding: traditional → simplified, and a loosely typed 文号 → one token, by the rules
   * of scripts/pages/web.py (docnumber_token, t2s_table); tests check both sides agree.
   * ------------------------------------------------------------------------------------- */

  // search_index.MAX_QUERY, written by the hook into the box's maxlength (a paste is cut there)
  var MAX_QUERY = (function () {
    var input = document.querySelector("[data-archive-search] .md-search__input");
    return input && input.maxLength > 0 ? input.maxLength : 200;
  })();
  /* A query as the box takes it: at most MAX_QUERY characters (a pasted page is cut, not searched). */
  function bounded(raw) {
    return raw.length > MAX_QUERY ? Array.from(raw.slice(0, MAX_QUERY * 2)).slice(0, MAX_QUERY).join("") : raw;
  }

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

  /* What Python decides of a query (search/index.json "rules", search_index.browser_rules),
   * compiled once the index's manifest is here (assets/search/index.js calls useRules): nothing
   * reads a query before it. One object, filled then, so that the other files see it filled. */
  var RULES = {};
  function useRules(rules) {
    Object.assign(RULES, {
      looseNumber: new RegExp(rules.looseNumber), // 衡政办发2024 5号, 衡政办发[2024]5號
      looseNumberAll: new RegExp(rules.looseNumber, "g"), // every one in a text (excerpt.js)
      seriesQuery: new RegExp(rules.seriesQuery), // 江西省人民政府令第232号, 财政部公告2019年第39号
      seriesQueryAll: new RegExp(rules.seriesQuery, "g"),
      numberToken: new RegExp(rules.numberToken),
      digits: rules.digits, units: rules.units,
      organGaps: new RegExp(rules.organ.gaps, "g"), nation: new RegExp(rules.organ.nation),
      government: new RegExp(rules.organ.government), governmentAs: rules.organ.governmentAs,
      filters: rules.filters, pages: rules.pages, marks: rules.marks, hash: rules.hash, fold: rules.fold
    });
  }

  function hexOf(text) {
    return Array.from(text).map(function (ch) { return ch.codePointAt(0).toString(16); }).join("");
  }
  function numberToken(code, year, serial) { // as web.docnumber_token: 'h' ends the serial
    return hexOf(toSimplified(code)) + "y" + parseInt(year, 10) + "n" + parseInt(serial, 10) + "h";
  }

  /* As core/numerals.py numeral_value, for a serial: 232, ２３２, 二百三十二, 二三二. */
  function numeralValue(text) {
    var total = 0, number = null;
    Array.from(text).forEach(function (ch) {
      if (ch in RULES.units) {
        total += (number === null ? 1 : number) * RULES.units[ch];
        number = null;
      } else {
        var d = ch in RULES.digits ? RULES.digits[ch] : /[0-9０-９]/.test(ch) ? (ch.charCodeAt(0) & 0xf) : 0;
        number = number === null ? d : number * 10 + d;
      }
    });
    return total + (number || 0);
  }
  function organKey(organ) { // as docnumber.organ_key: 中华人民共和国国务院 → 国务院, 江西省政府 → 江西省人民政府
    organ = organ.replace(RULES.organGaps, "").replace(RULES.nation, "");
    return organ.replace(RULES.government, RULES.governmentAs);
  }
  function seriesToken(organ, series, year, serial) { // as web.series_token
    return hexOf(organ ? organKey(organ) : "") + (series === "令" ? "l" : "g" + (year || "") + "n") + serial + "h";
  }
  /* As web.loose_series_tokens: with the organ typed, then without it; with the rest of the query. */
  function seriesTries(query) {
    var m = query.match(RULES.seriesQuery);
    if (!m) return [];
    var g = m.groups, series = g.d ? "公告" : "令";
    var serial = numeralValue(g.a || g.b || g.c || g.d);
    var rest = (query.slice(0, m.index) + " " + query.slice(m.index + m[0].length)).trim();
    var tokens = [seriesToken(g.organ, series, g.year, serial)];
    if (g.organ) tokens.push(seriesToken("", series, g.year, serial));
    return tokens.map(function (token) { return { words: (token + " " + rest).trim(), number: m[0].trim() }; });
  }

  /* The queries to try, best first: the 文号 token (or a decree's), then the words as typed. Each
   * says the number it read ("number"), so that a result can say which number it holds. */
  function queryTries(raw) {
    var query = toSimplified(bounded(raw).trim());
    var m = query.match(RULES.looseNumber);
    var tries = [];
    if (m) {
      var rest = (query.slice(0, m.index) + " " + query.slice(m.index + m[0].length)).trim();
      tries.push({ words: (numberToken(m.groups.code, m.groups.year, m.groups.serial) + " " + rest).trim(), number: m[0].trim() });
    } else {
      tries = seriesTries(query);
    }
    tries.push({ words: query, number: "" });
    return tries;
  }
  function foldQuery(raw) { // the words of each try (tests compare them with web.py's)
    return queryTries(raw).map(function (t) { return t.words; });
  }
  function isNumberToken(word) { return RULES.numberToken.test(word); }

  /* ---------------------------------------------------------------------------------------
   * Folding, as scripts/site/search_index.py folds text (tests check both sides agree).
   * ------------------------------------------------------------------------------------- */

  /* One code unit → its folded code (0: dropped), by search_index.FOLD_RANGES: [first, last,
   * what the first becomes, whether it is simplified]. */
  function foldUnit(c) {
    for (var r = 0; r < RULES.fold.length; r++) {
      var range = RULES.fold[r];
      if (c < range[0] || c > range[1]) continue;
      var simple = range[3] && t2sMap && t2sMap[String.fromCharCode(c)];
      return simple && simple.length === 1 ? simple.charCodeAt(0) : c - range[0] + range[2];
    }
    return 0;
  }
  /* A text folded (line breaks kept), and where each folded character stands in the text. */
  function foldText(text) {
    var out = [], at = [];
    for (var i = 0; i < text.length; i++) {
      var c = foldUnit(text.charCodeAt(i));
      if (c) { out.push(String.fromCharCode(c)); at.push(i); }
    }
    return { text: out.join(""), at: at };
  }
  function fold(text) { return foldText(text).text.replace(/\n/g, ""); }

  /* The pairs of a word the index is asked for: those at offsets 0, 2, 4 … and the last, which
   * cover every character (县域经济: 县域 and 经济); where they stand side by side, the word is. */
  function cover(length) {
    var offsets = [];
    for (var i = 0; i + 2 < length; i += 2) offsets.push(i);
    offsets.push(length - 2);
    return offsets;
  }
  /* Every distinct pair of a word, in order: linear in its length (a Set, not a list searched). */
  function wordKeys(word) {
    if (word.length === 1) return [word];
    var seen = new Set();
    for (var i = 0; i + 1 < word.length; i++) seen.add(word.slice(i, i + 2));
    return Array.from(seen);
  }
  function keyHash(key) { // FNV-1a over UTF-16 code units, as search_index.key_hash
    var h = RULES.hash.offset;
    for (var i = key.charAt(0) === RULES.marks.head ? 1 : 0; i < key.length; i++) {
      h = Math.imul(h ^ key.charCodeAt(i), RULES.hash.prime) >>> 0;
    }
    return h;
  }

  Archive.query = {
    RULES: RULES, useRules: useRules, bounded: bounded, loadT2S: loadT2S, toSimplified: toSimplified,
    queryTries: queryTries, foldQuery: foldQuery, isNumberToken: isNumberToken,
    numberToken: numberToken, seriesToken: seriesToken, numeralValue: numeralValue,
    foldText: foldText, fold: fold, cover: cover, wordKeys: wordKeys, keyHash: keyHash
  };
})();
