// Optional: filter boxes and sortable columns. The report is complete without this script; it
// only hides or reorders what is already on the page (allowed by the page's CSP via its hash).
(function () {
  "use strict";
  function norm(s) { return (s || "").toLocaleLowerCase("th").replace(/\s+/g, " "); }
  function addFilter(container, items, placeholder) {
    var box = document.createElement("div");
    box.className = "filter-box";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = placeholder;
    input.setAttribute("aria-label", placeholder);
    box.appendChild(input);
    container.parentNode.insertBefore(box, container);
    input.addEventListener("input", function () {
      var q = norm(input.value);
      items().forEach(function (el) {
        el.classList.toggle("hidden-by-filter", q !== "" && norm(el.textContent).indexOf(q) < 0);
      });
    });
  }
  document.querySelectorAll("table[data-filter]").forEach(function (table) {
    addFilter(table, function () { return Array.prototype.slice.call(table.tBodies[0].rows); },
      table.getAttribute("data-filter"));
  });
  document.querySelectorAll("[data-filter-cards]").forEach(function (holder) {
    addFilter(holder, function () {
      return Array.prototype.slice.call(holder.querySelectorAll("article.finding"));
    }, holder.getAttribute("data-filter-cards"));
  });
  function key(cell) {
    var v = cell.getAttribute("data-sort");
    if (v === null) { v = cell.textContent.trim(); }
    var n = parseFloat(v);
    return isNaN(n) || String(n) !== v.replace(/\.0+$/, "") ? v : n;
  }
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (th, col) { sortable(table, th, col); });
  });
  function sortable(table, th, col) {
    th.classList.add("sortable");
    var asc = true;
    th.addEventListener("click", function () {
      var tbody = table.tBodies[0];
      var rows = Array.prototype.slice.call(tbody.rows);
      rows.sort(function (a, b) {
        var x = key(a.cells[col]), y = key(b.cells[col]);
        var r = typeof x === "number" && typeof y === "number"
          ? x - y : String(x).localeCompare(String(y), "th");
        return asc ? r : -r;
      });
      asc = !asc;
      rows.forEach(function (r) { tbody.appendChild(r); });
    });
  }
  document.documentElement.setAttribute("data-js", "ready");
})();
