// vanban — optional enhancements only; every page works without this file.
(function () {
  "use strict";
  // "/" focuses the search box (unless typing in a field already).
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
    var q = document.getElementById("q");
    if (q) { e.preventDefault(); q.focus(); q.select(); }
  });
  // On a source page, #m-N in the URL scrolls to and outlines that citation.
  var hash = window.location.hash;
  if (hash && hash.indexOf("#m-") === 0) {
    var el = document.getElementById(hash.slice(1));
    if (el) { el.style.outline = "2px solid #0b5cad"; }
  }
})();
