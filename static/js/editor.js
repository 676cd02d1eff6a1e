// kbportal: the Markdown editors as a writing tool (issue 14). A small toolbar above each
// Markdown text box (the body, a guide step's text, a FAQ answer): bold, italic, lists,
// headings, a link, a link to another article (a picker that uses the lookup's own search), an
// image or a file (the upload dialog of uploads.js). Ctrl/Cmd+B, I and K. A busy state while a
// save is on its way (a second click does not send it twice). Removing a step or a question
// keeps the focus on a neighbour. No inline script (strict CSP); without JavaScript the text
// boxes are plain Markdown text boxes and everything still works.
(function () {
  "use strict";
  if (window.kbEditorReady) return;
  window.kbEditorReady = true;

  var MARKDOWN_FIELD = /(^body$|-body$|-answer$)/;

  function editorForm(node) {
    return node && node.closest ? node.closest("form[data-markdown-editor]") : null;
  }
  function isMarkdownField(node) {
    return node && node.tagName === "TEXTAREA" && MARKDOWN_FIELD.test(node.name || "") && editorForm(node);
  }
  function label(form, key, fallback) {
    var node = (form && form.querySelector("template[data-editor-labels]")) || document.querySelector("template[data-editor-labels]");
    return (node && node.getAttribute("data-" + key)) || fallback;
  }

  // --- Editing the text -------------------------------------------------------------------
  function changed(field) {
    field.dispatchEvent(new Event("input", { bubbles: true }));  // the preview follows
  }
  function wrap(field, before, after, placeholder) {
    var start = field.selectionStart, end = field.selectionEnd, value = field.value;
    var selected = value.slice(start, end) || placeholder;
    field.setRangeText(before + selected + after, start, end, "end");
    field.setSelectionRange(start + before.length, start + before.length + selected.length);
    field.focus();
    changed(field);
  }
  function prefixLines(field, prefix) {
    var value = field.value, start = field.selectionStart, end = field.selectionEnd;
    var lineStart = value.lastIndexOf("\n", start - 1) + 1;
    var lineEnd = value.indexOf("\n", end);
    if (lineEnd < 0) lineEnd = value.length;
    var n = 0;
    var lines = value.slice(lineStart, lineEnd).split("\n").map(function (line) {
      n += 1;
      var mark = typeof prefix === "function" ? prefix(n) : prefix;
      return line.indexOf(mark) === 0 ? line.slice(mark.length) : mark + line;  // a second click undoes
    });
    var text = lines.join("\n");
    field.setRangeText(text, lineStart, lineEnd, "select");
    field.focus();
    changed(field);
  }
  function insert(field, text) {
    field.setRangeText(text, field.selectionStart, field.selectionEnd, "end");
    field.focus();
    changed(field);
  }
  function link(field) {
    var selected = field.value.slice(field.selectionStart, field.selectionEnd);
    var url = window.prompt(label(editorForm(field), "link-prompt", "Address of the link"), "https://");
    if (!url || url === "https://") { field.focus(); return; }
    insert(field, "[" + (selected || url) + "](" + url + ")");
  }

  var ACTIONS = {
    bold: function (field) { wrap(field, "**", "**", label(editorForm(field), "sample", "text")); },
    italic: function (field) { wrap(field, "_", "_", label(editorForm(field), "sample", "text")); },
    bullets: function (field) { prefixLines(field, "- "); },
    numbers: function (field) { prefixLines(field, function (n) { return n + ". "; }); },
    heading2: function (field) { prefixLines(field, "## "); },
    heading3: function (field) { prefixLines(field, "### "); },
    link: link,
    article: function (field) { openPicker(field); },
    image: function (field) {
      field.focus();  // uploads.js inserts where this box's cursor is
      var pick = editorForm(field).querySelector("[data-upload-pick]");
      if (pick) pick.click();
    },
  };

  // --- The toolbar -------------------------------------------------------------------------
  var BUTTONS = [
    ["bold", "B", "Bold (Ctrl+B)"], ["italic", "I", "Italic (Ctrl+I)"], ["heading2", "H2", "Heading"],
    ["heading3", "H3", "Subheading"], ["bullets", "•", "Bulleted list"], ["numbers", "1.", "Numbered list"],
    ["link", "🔗", "Link (Ctrl+K)"], ["article", "↪", "Link to an article"], ["image", "🖼", "Image or file"],
  ];
  function toolbar(field) {
    if (field.previousElementSibling && field.previousElementSibling.hasAttribute("data-md-toolbar")) return;
    var form = editorForm(field);
    var bar = document.createElement("div");
    bar.className = "md-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("data-md-toolbar", "");
    bar.setAttribute("aria-label", label(form, "toolbar", "Formatting"));
    bar.setAttribute("aria-controls", field.id);
    var canUpload = !!form.querySelector("[data-upload-pick]");
    BUTTONS.forEach(function (spec, index) {
      if (spec[0] === "image" && !canUpload) return;
      var button = document.createElement("button");
      button.type = "button";
      // The glyph is drawn by the style sheet (app.css, .md-toolbar [data-glyph]): the name is the
      // label, and no visible text ("H2", "1.") differs from it (axe's label-content-name-mismatch).
      button.setAttribute("data-glyph", spec[1]);
      button.setAttribute("data-md", spec[0]);
      var name = label(form, spec[0], spec[2]);
      button.setAttribute("aria-label", name);
      button.title = name;
      button.tabIndex = index === 0 ? 0 : -1;  // one tab stop; arrows move inside (toolbar pattern)
      bar.appendChild(button);
    });
    field.parentNode.insertBefore(bar, field);
  }
  function decorate(root) {
    (root || document).querySelectorAll("form[data-markdown-editor] textarea").forEach(function (field) {
      if (isMarkdownField(field)) toolbar(field);
    });
  }
  function fieldOf(bar) {
    return document.getElementById(bar.getAttribute("aria-controls"));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-md-toolbar] [data-md]");
    if (!button) return;
    var field = fieldOf(button.parentNode);
    var action = ACTIONS[button.getAttribute("data-md")];
    if (field && action) action(field);
  });
  document.addEventListener("keydown", function (event) {
    var bar = event.target.closest && event.target.closest("[data-md-toolbar]");
    if (bar && (event.key === "ArrowRight" || event.key === "ArrowLeft" || event.key === "Home" || event.key === "End")) {
      var buttons = Array.prototype.slice.call(bar.querySelectorAll("button"));
      var at = buttons.indexOf(event.target);
      var next = event.key === "Home" ? 0 : event.key === "End" ? buttons.length - 1
        : (at + (event.key === "ArrowRight" ? 1 : -1) + buttons.length) % buttons.length;
      buttons.forEach(function (b, n) { b.tabIndex = n === next ? 0 : -1; });
      buttons[next].focus();
      event.preventDefault();
      return;
    }
    if (!isMarkdownField(event.target) || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    var key = (event.key || "").toLowerCase();
    var action = { b: "bold", i: "italic", k: "link" }[key];
    if (!action) return;
    event.preventDefault();
    ACTIONS[action](event.target);
  });

  // --- Link to another article: a picker on the lookup's search ---------------------------
  var picker = null;
  function closePicker(focusField) {
    if (!picker) return;
    var field = picker.field;
    picker.node.remove();
    picker = null;
    if (focusField && field) field.focus();
  }
  function openPicker(field) {
    closePicker(false);
    var form = editorForm(field);
    var url = form.getAttribute("data-article-search");
    if (!url) return;
    var node = document.createElement("div");
    node.className = "md-picker";
    node.setAttribute("data-md-picker", "");
    node.setAttribute("role", "dialog");
    node.setAttribute("aria-label", label(form, "article", "Link to an article"));
    var input = document.createElement("input");
    input.type = "search";
    input.setAttribute("aria-label", label(form, "picker-search", "Search for the article"));
    input.placeholder = label(form, "picker-search", "Search for the article");
    var list = document.createElement("ul");
    var status = document.createElement("p");
    status.className = "muted small";
    status.setAttribute("role", "status");
    node.appendChild(input);
    node.appendChild(status);
    node.appendChild(list);
    field.parentNode.insertBefore(node, field);  // between the toolbar and the text box
    picker = { node: node, field: field, selection: [field.selectionStart, field.selectionEnd] };
    input.focus();
    var timer = null, asked = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { search(url, input.value, list, status, ++asked, function () { return asked; }); }, 200);
    });
  }
  function search(url, query, list, status, ticket, latest) {
    if (!query.trim()) { list.textContent = ""; status.textContent = ""; return; }
    var address = url + "?q=" + encodeURIComponent(query);
    fetch(address, { credentials: "same-origin", headers: { "HX-Request": "true", "HX-Target": "lookup-results" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (ticket !== latest() || !picker) return;
        var page = new DOMParser().parseFromString(html, "text/html");
        list.textContent = "";
        var seen = {};
        page.querySelectorAll("[data-hit-link]").forEach(function (hit) {
          var path = new URL(hit.getAttribute("href"), window.location.href).pathname;
          if (seen[path]) return;
          seen[path] = true;
          var title = hit.querySelector(".hit-title");
          var item = document.createElement("li");
          var choose = document.createElement("button");
          choose.type = "button";
          choose.setAttribute("data-md-pick", path);
          choose.textContent = (title ? title.textContent : hit.textContent).trim();
          item.appendChild(choose);
          list.appendChild(item);
        });
        var form = picker.field.form;
        status.textContent = list.children.length ? "" : label(form, "picker-none", "No article found.");
      })
      .catch(function () {
        if (picker) status.textContent = label(picker.field.form, "picker-failed", "The search did not answer; try again.");
      });
  }
  document.addEventListener("click", function (event) {
    var choose = event.target.closest && event.target.closest("[data-md-pick]");
    if (!choose || !picker) return;
    var field = picker.field, range = picker.selection;
    var selected = field.value.slice(range[0], range[1]);
    closePicker(false);
    field.setSelectionRange(range[0], range[1]);
    insert(field, "[" + (selected || choose.textContent) + "](" + choose.getAttribute("data-md-pick") + ")");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && picker && picker.node.contains(event.target)) {
      event.preventDefault();
      closePicker(true);
    } else if (picker && picker.node.contains(event.target) && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      var buttons = Array.prototype.slice.call(picker.node.querySelectorAll("[data-md-pick]"));
      if (!buttons.length) return;
      var at = buttons.indexOf(event.target);
      var next = event.key === "ArrowDown" ? Math.min(at + 1, buttons.length - 1) : at - 1;
      if (next < 0) picker.node.querySelector("input").focus(); else buttons[next].focus();
      event.preventDefault();
    }
  });

  // --- Removing a step or a question keeps the focus on a neighbour -----------------------
  // (app.js hides the row; this runs after it, on the same click.)
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-row-remove]");
    if (!button) return;
    var row = button.closest("[data-row]");
    if (!row || !row.hidden) return;
    var next = row.nextElementSibling;
    while (next && next.hidden) next = next.nextElementSibling;
    var previous = row.previousElementSibling;
    while (previous && previous.hidden) previous = previous.previousElementSibling;
    var neighbour = next || previous;
    var target = neighbour ? neighbour.querySelector("[data-row-remove]") : null;
    if (!target) {
      var fieldset = row.closest("fieldset");
      target = fieldset && fieldset.querySelector("button[hx-get]");  // "Add a step"
    }
    if (target) target.focus();
    var form = editorForm(row);
    var live = document.querySelector("[data-editor-status]");
    if (live) live.textContent = label(form, "removed", "Removed.");
  });

  // --- A busy state on long saves ----------------------------------------------------------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-markdown-editor")) return;
    if (form.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }  // no double save
    // Another handler (the size check) may have stopped the send: then nothing is busy.
    setTimeout(function () {
      if (event.defaultPrevented) return;
      form.setAttribute("aria-busy", "true");
      var submitter = event.submitter;
      if (submitter) {
        submitter.setAttribute("data-label", submitter.textContent);
        submitter.textContent = label(form, "saving", "Saving…");
      }
      var live = document.querySelector("[data-editor-status]");
      if (live) live.textContent = label(form, "saving", "Saving…");
    }, 0);
  });
  window.addEventListener("pageshow", function () {  // back to a page kept in the browser's cache
    document.querySelectorAll("form[data-markdown-editor][aria-busy]").forEach(function (form) {
      form.removeAttribute("aria-busy");
      form.querySelectorAll("[data-label]").forEach(function (button) {
        button.textContent = button.getAttribute("data-label");
        button.removeAttribute("data-label");
      });
    });
  });

  document.addEventListener("DOMContentLoaded", function () { decorate(document); });
  if (document.readyState !== "loading") decorate(document);
  document.addEventListener("htmx:afterSwap", function (event) { decorate(event.target); });
})();
