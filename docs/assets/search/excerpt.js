/* 县域经济政策文库, search: what a result shows of a document, the query's words marked.
 *
 * A result's excerpt is the passage of the document's own text (search/doc/<id>.json, written by
 * scripts/site/search_index.py; its first line is the title) with the most of the query's words,
 * each marked whole, from the positions find() gave (assets/search/index.js); a cited 文号 or a
 * decree's number asked for by its token is marked where the text writes it. A title is marked
 * the same way. The result list (assets/search/results.js) says when and where each is shown.
 *
 * Uses: Archive.el (assets/archive-base.js), Archive.query. Adds: Archive.excerpt.
 */
(function () {
  "use strict";

  var el = Archive.el;
  var RULES = Archive.query.RULES, numberToken = Archive.query.numberToken;
  var seriesToken = Archive.query.seriesToken, numeralValue = Archive.query.numeralValue;
  var foldText = Archive.query.foldText;

  /* ---------------------------------------------------------------------------------------
   * Excerpts: the passage of a document's own text with the most of the query's words, each
   * marked whole; a cited 文号 (found by its token) marked where the text writes it.
   * ------------------------------------------------------------------------------------- */

  var PASSAGE = 120; // folded characters of an excerpt

  /* The start (a folded position) of the passage holding the most distinct words, then the most
   * of them: the positions of each word found, sorted. */
  function bestPassage(found, within) {
    var hits = [];
    found.forEach(function (f, w) {
      f.body.forEach(function (p) { if (p < within) hits.push([p, w, f.word.length]); });
    });
    if (!hits.length) return -1;
    hits.sort(function (a, b) { return a[0] - b[0]; });
    var best = -1, bestKey = [-1, -1], counts = {}, distinct = 0, from = 0;
    for (var to = 0; to < hits.length; to++) {
      counts[hits[to][1]] = (counts[hits[to][1]] || 0) + 1;
      if (counts[hits[to][1]] === 1) distinct++;
      while (hits[to][0] + hits[to][2] - hits[from][0] > PASSAGE) {
        if (--counts[hits[from][1]] === 0) distinct--;
        from++;
      }
      var key = [distinct, to - from + 1];
      if (key[0] > bestKey[0] || (key[0] === bestKey[0] && key[1] > bestKey[1])) { bestKey = key; best = hits[from][0]; }
    }
    return best;
  }

  /* Where the text writes a 文号 or decree number whose token is asked for: [from, to) in the text. */
  function numberSpans(text, tokens) {
    var spans = [];
    for (var m of text.matchAll(RULES.looseNumberAll)) { // the patterns compiled once, in useRules
      var token = numberToken(m.groups.code, m.groups.year, m.groups.serial);
      if (tokens.some(function (t) { return sameNumber(t, token); })) spans.push([m.index, m.index + m[0].length]);
    }
    for (var s of text.matchAll(RULES.seriesQueryAll)) {
      var g = s.groups, kind = g.d ? "公告" : "令";
      var serialToken = seriesToken("", kind, g.year, numeralValue(g.a || g.b || g.c || g.d));
      if (tokens.some(function (t) { return t.slice(-serialToken.length) === serialToken; })) spans.push([s.index, s.index + s[0].length]);
    }
    return spans;
  }
  function sameNumber(asked, written) { // the same number; one organ may be written shorter
    return asked === written || asked.slice(-written.length) === written || written.slice(-asked.length) === asked;
  }

  /* An excerpt of a document's text (its first line is its title) around `start` (a folded
   * position; -1: its opening), with these [from, to) spans of the text marked. */
  function excerptOf(text, folded, start, spans, around) {
    var title = text.indexOf("\n");
    var from = start < 0 ? title + 1 : Math.max(title + 1, folded.at[Math.min(start, folded.at.length - 1)] - around);
    var end = Math.min(text.length, from + around * 4);
    spans.forEach(function (s) { // a marked word is never cut by either end
      if (s[0] < end && s[1] > end) end = s[1];
      if (s[0] < from && s[1] > from && s[0] > title) from = s[0];
    });
    var out = document.createDocumentFragment();
    if (from > title + 1) out.appendChild(document.createTextNode("…"));
    var at = from;
    spans.filter(function (s) { return s[1] > from && s[0] < end; })
      .sort(function (a, b) { return a[0] - b[0]; })
      .forEach(function (s) {
        var a = Math.max(s[0], from), b = Math.min(s[1], end);
        if (a < at) return; // inside a mark already
        out.appendChild(document.createTextNode(text.slice(at, a).replace(/\n/g, " ")));
        out.appendChild(el("mark", {}, text.slice(a, b).replace(/\n/g, " ")));
        at = b;
      });
    out.appendChild(document.createTextNode(text.slice(at, end).replace(/\n/g, " ") + (end < text.length ? "…" : "")));
    return out;
  }

  /* Every place the folded text holds a word: [from, to) in the text. */
  function wordSpans(folded, words) {
    var spans = [];
    words.forEach(function (word) {
      for (var at = folded.text.indexOf(word); at >= 0; at = folded.text.indexOf(word, at + 1)) {
        spans.push([folded.at[at], folded.at[at + word.length - 1] + 1]);
      }
    });
    return spans;
  }

  /* Marks every word of the query in a short text (a title). */
  function marked(text, words) {
    var wrap = document.createDocumentFragment();
    var spans = wordSpans(foldText(text), words).sort(function (a, b) { return a[0] - b[0]; });
    var at = 0;
    spans.forEach(function (m) {
      if (m[0] < at) return;
      wrap.appendChild(document.createTextNode(text.slice(at, m[0])));
      wrap.appendChild(el("mark", {}, text.slice(m[0], m[1])));
      at = m[1];
    });
    wrap.appendChild(document.createTextNode(text.slice(at)));
    return wrap;
  }

  function closest(folded, offset) { // the folded position of the first character at or after offset
    for (var i = 0; i < folded.at.length; i++) if (folded.at[i] >= offset) return i;
    return -1;
  }

  /* Whether the excerpt of a result ({found, tokens}) needs more of a document's text than its
   * opening: the passage to show is further on, or a cited number is asked for and not in it. */
  function beyondOpening(text, result) {
    var folded = foldText(text);
    var start = bestPassage(result.found, Infinity);
    return start >= folded.text.length - PASSAGE || (start < 0 && result.tokens.length && !numberSpans(text, result.tokens).length);
  }

  /* The excerpt of a result ({found, words, tokens}) from a document's text: its best passage,
   * or else where a cited number asked for stands, or else its opening. */
  function excerpt(text, result) {
    var folded = foldText(text);
    var start = bestPassage(result.found, folded.text.length);
    var spans = wordSpans(folded, result.words);
    if (result.tokens.length) {
      var numbers = numberSpans(text, result.tokens);
      spans = spans.concat(numbers);
      if (start < 0 && numbers.length) start = closest(folded, numbers[0][0]); // folded.at only grows: the number's own place
    }
    return excerptOf(text, folded, start, spans, 40);
  }

  Archive.excerpt = { excerpt: excerpt, beyondOpening: beyondOpening, marked: marked };
})();
