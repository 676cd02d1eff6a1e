// kbportal: images and files in the Markdown editors (paste, drop, pick), and click-to-zoom on
// the reading page. No inline script (strict CSP). Without JavaScript the editors still work;
// only uploading needs it.
(function () {
  "use strict";

  var IMAGE_TYPES = /^image\/(png|jpeg|webp|gif)$/;
  // The Markdown fields: the body, a guide step's text, a FAQ answer.
  var MARKDOWN_FIELD = /(^body$|-body$|-answer$)/;

  function editorForm(node) {
    var form = node && node.closest ? node.closest("form[data-upload-url]") : null;
    return form;
  }

  function isMarkdownField(node) {
    return node && node.tagName === "TEXTAREA" && MARKDOWN_FIELD.test(node.name || "") && editorForm(node);
  }

  var lastField = null;
  document.addEventListener("focusin", function (event) {
    if (isMarkdownField(event.target)) lastField = event.target;
  });

  function messages() {
    var node = document.querySelector("[data-upload-messages]");
    return function (key, values) {
      var text = (node && node.getAttribute("data-" + key)) || key;
      Object.keys(values || {}).forEach(function (name) {
        text = text.split("{" + name + "}").join(values[name]);
      });
      return text;
    };
  }

  function status(form) {
    return form.querySelector("[data-upload-status]") || document.querySelector("[data-upload-status]");
  }

  function say(form, text, isError) {
    var box = status(form);
    if (!box) return;
    var line = document.createElement("p");
    line.textContent = text;
    if (isError) {
      line.className = "field-error";
      line.setAttribute("role", "alert");
    }
    box.appendChild(line);
    return line;
  }

  // Put `text` at the caret of `field` (or at its end), on lines of its own.
  function insertAt(field, text, start, end) {
    var value = field.value;
    if (start === undefined) {
      start = field.selectionStart === undefined ? value.length : field.selectionStart;
      end = field.selectionEnd === undefined ? start : field.selectionEnd;
    }
    var before = value.slice(0, start);
    var after = value.slice(end);
    var lead = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "";
    var tail = after && !/^\n/.test(after) ? "\n\n" : "";
    field.value = before + lead + text + tail + after;
    var caret = (before + lead + text).length;
    field.setSelectionRange(caret, caret);
    insertAt.last = lead + text + tail;  // what was added, taken out again if the upload fails
    return caret;
  }

  function changed(field) {
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // Ask for the alt text in the page's dialog; resolves with the text ("" if decorative) or null.
  function askAlt(name) {
    var dialog = document.querySelector("[data-alt-dialog]");
    if (!dialog || typeof dialog.showModal !== "function") {
      var answer = window.prompt(name);
      return Promise.resolve(answer === null ? null : answer);
    }
    var input = dialog.querySelector("[data-alt-input]");
    var decorative = dialog.querySelector("[data-alt-decorative]");
    var error = dialog.querySelector("[data-alt-error]");
    dialog.querySelector("[data-alt-name]").textContent = name;
    input.value = "";
    decorative.checked = false;
    error.hidden = true;
    return new Promise(function (resolve) {
      function onOk(event) {
        if (!input.value.trim() && !decorative.checked) {
          event.preventDefault();
          error.hidden = false;
          input.focus();
        }
      }
      function onClose() {
        dialog.querySelector("[data-alt-ok]").removeEventListener("click", onOk);
        dialog.removeEventListener("close", onClose);
        if (dialog.returnValue !== "ok") return resolve(null);
        resolve(decorative.checked ? "" : input.value.trim());
      }
      dialog.querySelector("[data-alt-ok]").addEventListener("click", onOk);
      dialog.addEventListener("close", onClose);
      dialog.returnValue = "";
      dialog.showModal();
      input.focus();
    });
  }

  function upload(form, field, file, alt, caretAfter) {
    var t = messages();
    var name = file.name || "image.png";
    var placeholder = "![" + t("uploading", { name: name }) + "]()";
    var start = insertAt(field, placeholder) - placeholder.length;
    var added = insertAt.last;
    if (caretAfter) caretAfter(field.selectionStart);
    var line = say(form, t("uploading", { name: name }) + " 0%");
    var progress = document.createElement("progress");
    progress.max = 100;
    progress.value = 0;
    if (line) line.appendChild(progress);

    function replacePlaceholder(text) {
      var whole = field.value.indexOf(added);
      if (!text && whole >= 0) {
        field.value = field.value.slice(0, whole) + field.value.slice(whole + added.length);
        changed(field);
        return;
      }
      var at = field.value.indexOf(placeholder);
      if (at < 0) at = start;
      if (field.value.slice(at, at + placeholder.length) === placeholder) {
        field.value = field.value.slice(0, at) + text + field.value.slice(at + placeholder.length);
      } else if (text) {
        insertAt(field, text);
      }
      changed(field);
    }

    var data = new FormData();
    data.append("file", file, name);
    data.append("alt", alt || "");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("data-upload-url"));
    if (token) xhr.setRequestHeader("X-CSRFToken", token.value);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable) return;
      var percent = Math.round((100 * event.loaded) / event.total);
      progress.value = percent;
      if (line && line.firstChild) line.firstChild.textContent = t("uploading", { name: name }) + " " + percent + "%";
    });
    xhr.addEventListener("load", function () {
      var answer = null;
      try {
        answer = JSON.parse(xhr.responseText);
      } catch (e) {
        answer = null;
      }
      if (line) line.remove();
      if (xhr.status === 201 && answer && answer.markdown) {
        replacePlaceholder(answer.markdown);
        say(form, t("done", { name: answer.name }));
      } else {
        replacePlaceholder("");
        say(form, t("failed", { name: name, reason: (answer && answer.error) || t("offline") }), true);
      }
    });
    xhr.addEventListener("error", function () {
      if (line) line.remove();
      replacePlaceholder("");
      say(form, t("failed", { name: name, reason: t("offline") }), true);
    });
    xhr.send(data);
  }

  function handleFiles(form, field, files) {
    var list = Array.prototype.slice.call(files || []);
    var chain = Promise.resolve();
    // Where the person was in the text: the alt-text dialog takes the focus meanwhile.
    var caret = [field.selectionStart, field.selectionEnd];
    list.forEach(function (file) {
      chain = chain.then(function () {
        field.focus();
        field.setSelectionRange(caret[0], caret[1]);
        function moved(at) { caret = [at, at]; }
        if (!IMAGE_TYPES.test(file.type || "") && !/^image\//.test(file.type || "")) return upload(form, field, file, "", moved);
        return askAlt(file.name || "image.png").then(function (alt) {
          if (alt === null) return;
          field.focus();
          field.setSelectionRange(caret[0], caret[1]);
          upload(form, field, file, alt, moved);
        });
      });
    });
    return chain;
  }

  document.addEventListener("paste", function (event) {
    var field = event.target;
    if (!isMarkdownField(field) || !event.clipboardData) return;
    var files = [];
    Array.prototype.forEach.call(event.clipboardData.items || [], function (item) {
      if (item.kind === "file") {
        var file = item.getAsFile();
        if (file) files.push(file);
      }
    });
    if (!files.length) return;  // text is pasted as text
    event.preventDefault();
    handleFiles(editorForm(field), field, files);
  });

  document.addEventListener("dragover", function (event) {
    if (isMarkdownField(event.target) && event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types || [], "Files") >= 0) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    }
  });

  document.addEventListener("drop", function (event) {
    var field = event.target;
    if (!isMarkdownField(field) || !event.dataTransfer || !event.dataTransfer.files.length) return;
    event.preventDefault();
    field.focus();
    handleFiles(editorForm(field), field, event.dataTransfer.files);
  });

  document.addEventListener("click", function (event) {
    var pick = event.target.closest("[data-upload-pick]");
    if (!pick) return;
    var bar = pick.closest("[data-upload-bar]");
    var input = bar && bar.querySelector("[data-upload-input]");
    if (input) input.click();
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-upload-input]")) return;
    var form = editorForm(input);
    if (!form) return;
    var field = lastField && form.contains(lastField) ? lastField : form.querySelector("textarea[name=body]");
    if (!field) return;
    handleFiles(form, field, input.files).then(function () {
      input.value = "";
    });
  });

  // The bar is hidden without JavaScript (uploading needs it).
  document.querySelectorAll("[data-upload-bar]").forEach(function (bar) {
    bar.hidden = false;
  });

  // Reading page: an image links to its original; open it over the page, Escape or a click closes.
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".prose a[href^='/files/']");
    if (!link || !link.querySelector("img") || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    var dialog = document.createElement("dialog");
    dialog.className = "zoom";
    var image = document.createElement("img");
    image.src = link.getAttribute("href");
    image.alt = link.querySelector("img").alt || "";
    dialog.appendChild(image);
    dialog.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () { dialog.remove(); link.focus(); });
    document.body.appendChild(dialog);
    dialog.showModal();
  });
})();
