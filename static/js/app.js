// kbportal: small progressive enhancements. No inline script anywhere (strict CSP).
(function () {
  "use strict";

  // "/" focuses the search box from anywhere, unless the person is typing in a field.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (typing) return;
    var box = document.querySelector("[data-search-shortcut]");
    if (box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });

  // Editor rows (guide steps, FAQ pairs): move up/down and remove, keeping the order inputs
  // in step with what the person sees. Without JavaScript the order inputs still work.
  function renumber(list) {
    var position = 1;
    list.querySelectorAll("[data-row]").forEach(function (row) {
      if (row.hidden) return;
      var order = row.querySelector("[data-row-order]");
      if (order) order.value = position++;
    });
  }
  function changed(list) {
    renumber(list);
    var form = list.closest("form");
    if (form) form.dispatchEvent(new Event("input", { bubbles: true }));
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-row-move], [data-row-remove], [data-copy]");
    if (!button) return;
    if (button.hasAttribute("data-copy")) {
      var source = document.querySelector(button.getAttribute("data-copy"));
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.innerText.trim()).then(function () {
          var label = button.textContent;
          button.textContent = button.getAttribute("data-copied") || "✓";
          setTimeout(function () { button.textContent = label; }, 1500);
        });
      }
      return;
    }
    var row = button.closest("[data-row]");
    var list = row && row.parentElement;
    if (!row || !list) return;
    if (button.hasAttribute("data-row-remove")) {
      row.querySelector("[data-row-delete]").value = "1";
      row.hidden = true;
    } else if (button.getAttribute("data-row-move") === "up") {
      var previous = row.previousElementSibling;
      while (previous && previous.hidden) previous = previous.previousElementSibling;
      if (previous) list.insertBefore(row, previous);
    } else {
      var next = row.nextElementSibling;
      while (next && next.hidden) next = next.nextElementSibling;
      if (next) list.insertBefore(next, row);
    }
    button.focus();
    changed(list);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var list = event.target.closest && event.target.closest(".row-list");
    if (list) {
      renumber(list);
      var rows = list.querySelectorAll("[data-row]");
      var last = rows[rows.length - 1];
      var first = last && last.querySelector("input[type=text]");
      if (first) first.focus();
    }
  });
})();
