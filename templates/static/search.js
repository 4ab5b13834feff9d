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
    autofocus: !query,
    translations: { placeholder: UI.search_placeholder },
    processTerm: function (term) {
      // keep the address shareable: /search/?q=term
      var url = new URL(window.location.href);
      if (term) { url.searchParams.set(param, term); } else { url.searchParams.delete(param); }
      window.history.replaceState(null, "", url.pathname + url.search + url.hash);
      return term;
    },
    processResult: function (result) {
      // titles are indexed with a space between Chinese characters (see civictrack/search.py)
      var title = (result.meta && result.meta.title || "").replace(SPACED, "$1");
      var kind = result.filters && result.filters[UI.kind_filter] && result.filters[UI.kind_filter][0];
      if (result.meta) { result.meta.title = kind ? kind + " · " + title : title; }
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
