// The search page with JavaScript: Pagefind's UI (loaded from this site's own pagefind/ folder)
// replaces the plain GET form, and ?q=… pre-fills and runs the search. Without JavaScript, or
// when the site was built without a search index, the form and a message with links remain.
(function () {
  "use strict";
  // the interface's words in the page's language: a JSON object in <script id="ui-text"> (base.html)
  var UI = {};
  try { UI = JSON.parse(document.getElementById("ui-text").textContent); } catch (e) { UI = {}; }
  var mount = document.getElementById("search");
  if (!mount) { return; }
  var form = document.getElementById("search-form");
  var fallback = document.getElementById("search-fallback");
  var message = document.getElementById("search-message");
  var WIDE = "\u2018-\u201f\u2026\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef";
  var SPACED = new RegExp("([" + WIDE + "]) (?=[" + WIDE + "])", "g");
  var param = mount.getAttribute("data-param") || "q";
  var CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var terms = [];  // the words of the query being shown, as typed (processTerm)

  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  // The parts of the query to mark in an excerpt: each typed word, and of a Chinese word not
  // found whole, its longest runs of two or more characters that are.  The browser splits a
  // Chinese query into words by its own dictionary (a four-character term can become four
  // one-character words), so Pagefind marks each of those characters apart wherever it stands;
  // a single character is marked only when typed alone.
  function marks(text) {
    var found = [];
    terms.forEach(function (term) {
      if (!term || /[&<>"';]/.test(term)) { return; }
      if (new RegExp(escapeRegExp(term), "i").test(text) || !CJK.test(term) || term.length < 3) {
        found.push(term);
        return;
      }
      for (var size = term.length - 1; size >= 2; size--) {
        for (var start = 0; start + size <= term.length; start++) {
          var part = term.substr(start, size);
          if (text.indexOf(part) >= 0 && !found.some(function (f) { return f.indexOf(part) >= 0; })) { found.push(part); }
        }
      }
    });
    return found.sort(function (a, b) { return b.length - a.length; });
  }

  // An excerpt as Pagefind made it (escaped text with <mark>s), re-marked: whole query words,
  // no leading ". " (Pagefind joins the page's blocks with ". "; an excerpt may start at a join)
  function excerptOf(excerpt) {
    var text = (excerpt || "").replace(/<\/?mark>/g, "").replace(/^[\s.,;:\u3001\u3002\uff0c\uff1a\uff1b\u00b7]+/, "");
    var parts = marks(text);
    if (!parts.length) { return text; }
    var pattern = new RegExp(parts.map(escapeRegExp).join("|"), "gi");
    return text.split(/(&[#a-zA-Z0-9]+;)/).map(function (piece) {  // never inside an entity (&amp;)
      return piece.charAt(0) === "&" ? piece : piece.replace(pattern, function (m) { return "<mark>" + m + "</mark>"; });
    }).join("");
  }

  var query = (new URLSearchParams(window.location.search).get(param) || "").trim();
  if (typeof window.PagefindUI !== "function") {
    if (message) {
      message.textContent = UI.no_index;
    }
    return;
  }
  var ui = new window.PagefindUI({
    element: "#search",
    bundlePath: mount.getAttribute("data-bundle"),
    baseUrl: mount.getAttribute("data-base"),
    showImages: false,
    showSubResults: false,
    excerptLength: 40,
    // a report's page holds its whole text: the default length penalty (0.75) ranked the full
    // report below short pages that only name it, even for the words of its own title
    ranking: { pageLength: 0.3 },
    autofocus: !query,
    translations: { placeholder: UI.search_placeholder },
    processTerm: function (term) {
      // keep the address shareable: /search/?q=term
      var url = new URL(window.location.href);
      if (term) { url.searchParams.set(param, term); } else { url.searchParams.delete(param); }
      window.history.replaceState(null, "", url.pathname + url.search + url.hash);
      terms = term.trim().split(/\s+/);
      return term;
    },
    processResult: function (result) {
      // titles are indexed with a space between Chinese characters (see civictrack/search.py)
      var title = (result.meta && result.meta.title || "").replace(SPACED, "$1");
      var kind = result.filters && result.filters[UI.kind_filter] && result.filters[UI.kind_filter][0];
      if (result.meta) { result.meta.title = kind ? kind + " · " + title : title; }
      result.excerpt = excerptOf(result.excerpt);
      return result;
    }
  });
  form.hidden = true;
  fallback.hidden = true;
  mount.classList.add("is-ready");
  if (query) {
    ui.triggerSearch(query);
  }
})();
