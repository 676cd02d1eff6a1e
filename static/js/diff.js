// Comparisons (templates/articles/_sections.html): the inline / side-by-side switch works in
// place and is remembered (the kb_diff_view cookie, which the server reads too, so that the
// next comparison opens the same way; without JavaScript the switch is a GET form).
(function () {
  "use strict";
  if (window.kbDiffReady) return;
  window.kbDiffReady = true;
  var COOKIE = "kb_diff_view";
  // The two columns of a changed part, from its inline text: the old one without what was
  // inserted, the new one without what was removed.
  function column(unified, drop, cls, label) {
    var copy = unified.cloneNode(true);
    copy.className = "diff-text " + cls;
    copy.querySelectorAll(drop).forEach(function (mark) { mark.remove(); });
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = label + " ";
    copy.insertBefore(hidden, copy.firstChild);
    return copy;
  }
  function buildColumns(diff) {
    diff.querySelectorAll(".diff-section").forEach(function (section) {
      var unified = section.querySelector(".diff-unified");
      if (!unified || section.querySelector(".diff-columns")) return;
      var columns = document.createElement("div");
      columns.className = "diff-columns";
      columns.appendChild(column(unified, "ins", "diff-old", diff.getAttribute("data-before") || ""));
      columns.appendChild(column(unified, "del", "diff-new", diff.getAttribute("data-after") || ""));
      unified.parentNode.insertBefore(columns, unified.nextSibling);
    });
  }
  function show(view) {
    document.querySelectorAll("[data-diff]").forEach(function (diff) {
      if (view === "side") buildColumns(diff);
      diff.classList.toggle("diff-side", view === "side");
      diff.classList.toggle("diff-inline", view !== "side");
    });
    document.querySelectorAll("[data-diff-view] button[name=view]").forEach(function (button) {
      var on = button.value === view;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.classList.toggle("primary", on);
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-diff-view] button[name=view]");
    if (!button) return;
    event.preventDefault();
    var view = button.value === "side" ? "side" : "inline";
    document.cookie = COOKIE + "=" + view + "; path=/; max-age=31536000; samesite=lax" +
      (window.location.protocol === "https:" ? "; secure" : "");
    show(view);
  });
})();
