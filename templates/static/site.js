// Progressive enhancement only: every page reads fully without this script.
// 1. Copy buttons for citations (the text stays selectable without JavaScript).
// 2. The citation date becomes today's date (the build writes a date from the data or SOURCE_DATE_EPOCH).
// 3. Tables that stack into blocks on phones (.stack-table) get explicit table roles: some
//    browsers drop a table's semantics once CSS changes its display. The roles are added here,
//    not in the HTML, where ARIA roles on table parts are invalid (Nu HTML Checker).
(function () {
  "use strict";
  // the interface's words in the page's language: a JSON object in <script id="ui-text"> (base.html)
  var UI = {};
  try { UI = JSON.parse(document.getElementById("ui-text").textContent); } catch (e) { UI = {}; }
  function today() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  var months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"];
  function apaDate(iso) {
    var p = iso.split("-");
    return months[parseInt(p[1], 10) - 1] + " " + parseInt(p[2], 10) + ", " + p[0];
  }
  document.querySelectorAll("pre.citation[data-cite-date]").forEach(function (pre) {
    var built = pre.getAttribute("data-cite-date");
    var now = today();
    if (built && built !== now) {
      // only the citation date changes; the data's own update date stays.  Replaced in the text
      // node that holds it: the rest keeps its markup (<span lang> around Chinese on /en/)
      var from = "[" + built + "]", to = "[" + now + "]";
      if (pre.id === "cite-apa") {
        from = "Retrieved " + apaDate(built); to = "Retrieved " + apaDate(now);
      } else if (pre.id === "cite-bibtex") {
        from = "urldate = {" + built + "}"; to = "urldate = {" + now + "}";
      }
      var walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
      for (var node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.nodeValue.indexOf(from) >= 0) { node.nodeValue = node.nodeValue.replace(from, to); break; }
      }
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = UI.copy;
    button.setAttribute("aria-label", UI.copy_label);
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      var value = pre.textContent;
      var done = function () { status.textContent = UI.copied; setTimeout(function () { status.textContent = ""; }, 2000); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(value).then(done, function () { select(pre); });
      } else {
        select(pre);
        try { document.execCommand("copy"); done(); } catch (e) { status.textContent = UI.copy_by_hand; }
      }
    });
    pre.parentNode.insertBefore(button, pre.nextSibling);
    pre.parentNode.insertBefore(status, button.nextSibling);
  });
  document.querySelectorAll("table.stack-table").forEach(function (table) {
    table.setAttribute("role", "table");
    table.querySelectorAll("thead, tbody, tfoot").forEach(function (group) { group.setAttribute("role", "rowgroup"); });
    table.querySelectorAll("tr").forEach(function (row) { row.setAttribute("role", "row"); });
    table.querySelectorAll("th").forEach(function (cell) {
      cell.setAttribute("role", cell.getAttribute("scope") === "row" ? "rowheader" : "columnheader");
    });
    table.querySelectorAll("td").forEach(function (cell) { cell.setAttribute("role", "cell"); });
  });
  function select(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }
})();
