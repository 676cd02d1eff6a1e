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

  // The editor checks, before posting, the limits the server enforces on any form post
  // (articles.limits: twice the documented sizes). Past them the post is not sent, so nothing
  // typed is lost, and the page says why.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-max-fields")) return;
    var fields = 0;
    var params = new URLSearchParams();
    new FormData(form, event.submitter || undefined).forEach(function (value, name) {
      fields += 1;
      params.append(name, typeof value === "string" ? value : "");
    });
    var over = fields > Number(form.getAttribute("data-max-fields")) ||
      params.toString().length > Number(form.getAttribute("data-max-bytes"));
    var message = form.querySelector("[data-form-too-large]");
    if (message) message.hidden = !over;
    if (over) {
      event.preventDefault();
      if (message) message.focus();
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
  // The lookup page: results refresh as the person types (htmx, on the form); the keyboard
  // drives everything from the search box, which keeps the focus (combobox pattern):
  // ↑/↓ move through hits (or, with an empty box, pinned and recent procedures), Enter opens
  // the highlighted one, Esc clears, Alt+1…9 opens a pinned or recent procedure.
  var lookupActive = -1;
  function lookupItems() {
    var results = document.getElementById("lookup-results");
    return results ? Array.prototype.slice.call(results.querySelectorAll("[data-hit-link], [data-shortcut], [data-suggestion]")) : [];
  }
  function lookupHighlight(input, index) {
    var items = lookupItems();
    items.forEach(function (item, n) {
      if (!item.id) item.id = "lookup-item-" + n;
      var option = item.closest("[role=option]") || item;
      option.classList.toggle("active", n === index);
      if (option.hasAttribute("aria-selected")) option.setAttribute("aria-selected", n === index ? "true" : "false");
    });
    lookupActive = index >= 0 && index < items.length ? index : -1;
    if (lookupActive >= 0) {
      // The option (the hit's <li role=option>), not the link inside it: that is what the
      // listbox announces. Pinned and recent procedures and suggestions are their own items.
      var active = items[lookupActive].closest("[role=option]") || items[lookupActive];
      input.setAttribute("aria-activedescendant", active.id);
      items[lookupActive].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  document.addEventListener("keydown", function (event) {
    var input = event.target.closest && event.target.closest("[data-lookup-input]");
    if (input) {
      var items = lookupItems();
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!items.length) return;
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        var next = lookupActive + step;
        if (next >= items.length) next = items.length - 1;
        lookupHighlight(input, next < 0 ? -1 : next);
        return;
      }
      if (event.key === "Enter" && lookupActive >= 0 && items[lookupActive]) {
        event.preventDefault();
        window.location.assign(items[lookupActive].href);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        lookupHighlight(input, -1);
        if (input.value) {
          input.value = "";
          input.dispatchEvent(new Event("input", { bubbles: true }));
        }
        return;
      }
    }
    // Alt+1…9 by the physical key (event.code "Digit1"…): on AZERTY the character is "&", "é"…
    var digit = /^(?:Digit|Numpad)([1-9])$/.exec(event.code || "") || /^([1-9])$/.exec(event.key || "");
    if (event.altKey && !event.ctrlKey && !event.metaKey && digit && document.querySelector("[data-lookup]")) {
      var shortcut = document.querySelector('#lookup-results [data-shortcut="' + digit[1] + '"]');
      if (shortcut) {
        event.preventDefault();
        window.location.assign(shortcut.href);
      }
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id !== "lookup-results") return;
    var input = document.querySelector("[data-lookup-input]");
    if (!input) return;
    lookupHighlight(input, -1);
    input.setAttribute("aria-expanded", event.target.querySelector("[data-hit]") ? "true" : "false");
  });
  document.addEventListener("DOMContentLoaded", function () {
    var input = document.querySelector("[data-lookup-input]");
    if (input && document.activeElement !== input) {
      input.focus();
    }
    if (input) input.setSelectionRange(input.value.length, input.value.length);
    // Arriving from a hit on a guide step or a FAQ answer: open it, show it, put the focus there.
    var match = /^#((step|faq)-[0-9]+)$/.exec(window.location.hash);
    var part = match && document.getElementById(match[1]);
    if (part) {
      if (part.tagName === "DETAILS") part.open = true;
      part.classList.add("landed");
      var focusable = part.tagName === "DETAILS" ? part.querySelector("summary") : part;
      if (focusable) focusable.focus({ preventScroll: true });
      part.scrollIntoView({ block: "start" });
    }
  });
})();

// The shell: the menu button of narrow screens, the dark-mode switch, the collection tree's
// disclosure buttons, the lookup filters open on wide screens, column headings on stacked tables.
(function () {
  "use strict";
  var root = document.documentElement;
  function currentTheme() {
    var chosen = root.getAttribute("data-theme");
    if (chosen) return chosen;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  function showTheme() {
    document.querySelectorAll("[data-theme-toggle]").forEach(function (button) {
      button.setAttribute("aria-pressed", currentTheme() === "dark" ? "true" : "false");
    });
  }
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-menu-toggle]");
    if (toggle) {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.getAttribute("aria-controls").split(" ").forEach(function (id) {
        var menu = document.getElementById(id);
        if (menu) menu.classList.toggle("open", open);
      });
      return;
    }
    var theme = event.target.closest("[data-theme-toggle]");
    if (theme) {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { window.localStorage.setItem("kb-theme", next); } catch (error) { /* not remembered */ }
      showTheme();
      return;
    }
    var branch = event.target.closest(".nav-toggle");
    if (branch) {
      var list = document.getElementById(branch.getAttribute("aria-controls"));
      var expanded = branch.getAttribute("aria-expanded") !== "true";
      branch.setAttribute("aria-expanded", expanded ? "true" : "false");
      if (list) list.hidden = !expanded;
    }
  });
  // The tree: ← closes a branch (or goes to its parent), → opens it (or goes to its first child).
  document.addEventListener("keydown", function (event) {
    var item = event.target.closest && event.target.closest(".nav-tree .nav-item");
    if (!item || (event.key !== "ArrowLeft" && event.key !== "ArrowRight")) return;
    var branch = item.querySelector(".nav-toggle");
    var children = branch && document.getElementById(branch.getAttribute("aria-controls"));
    var open = branch && branch.getAttribute("aria-expanded") === "true";
    if (event.key === "ArrowRight") {
      if (branch && !open) { branch.click(); } else if (children) { var first = children.querySelector("a"); if (first) first.focus(); }
    } else if (branch && open) {
      branch.click();
    } else {
      var parentList = item.parentElement.parentElement;
      var parentItem = parentList && parentList.parentElement && parentList.parentElement.querySelector(":scope > .nav-item a");
      if (parentItem) parentItem.focus();
    }
    event.preventDefault();
  });
  function labelTables(scope) {
    scope.querySelectorAll("table").forEach(function (table) {
      var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
      if (!headings.length) return;
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, n) {
          if (!cell.hasAttribute("data-label") && headings[n]) cell.setAttribute("data-label", headings[n]);
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    showTheme();
    labelTables(document);
    if (window.matchMedia && window.matchMedia("(min-width: 761px)").matches) {
      document.querySelectorAll("details[data-open-wide]").forEach(function (details) { details.open = true; });
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) { labelTables(event.target); });
})();
