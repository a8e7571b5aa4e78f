// The newsroom's conveniences; every one has a way without JavaScript beside it.
// - A file chosen for the lead picture shows a preview at once (without JavaScript it is
//   seen after saving). A data: URL, because the CSP allows images from 'self' and data:.
// - The article form saves a copy of itself on the server every 30 s and when the page is
//   hidden or closed (only what changed; never the article itself), which also keeps the
//   session alive while the editor types. Without JavaScript the form works as it is.
// - "أدرج في النص" writes the picture's [صورة:N] line at the cursor of the body, and
//   "اجعلها الرئيسية" fills the lead picture's number (without JavaScript: type them).
// - A toolbar over the body writes Markdown at the cursor (bold, heading, quote, list,
//   link, picture); without JavaScript the cheat-sheet beside it says what to type.
(function () {
  "use strict";

  var file = document.getElementById("lead_file");
  var preview = document.getElementById("lead-file-preview");
  if (file && preview) {
    file.addEventListener("change", function () {
      var chosen = file.files && file.files[0];
      if (!chosen || !/^image\/(jpeg|png|webp)$/.test(chosen.type)) {
        preview.hidden = true;
        preview.replaceChildren();
        return;
      }
      var reader = new FileReader();
      reader.onload = function () {
        var img = document.createElement("img");
        img.alt = "معاينة الصورة المختارة";
        img.src = reader.result;
        preview.replaceChildren(img);
        preview.hidden = false;
      };
      reader.readAsDataURL(chosen);
    });
  }

  var body = document.getElementById("body");
  var lead = document.getElementById("lead_picture");
  var actions = document.querySelectorAll(".picture-actions");
  for (var i = 0; i < actions.length; i++) actions[i].hidden = false;

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) return;
    var insert = target.closest("[data-insert-picture]");
    if (insert && body) {
      var line = "[صورة:" + insert.getAttribute("data-insert-picture") + "]";
      var start = body.selectionStart, end = body.selectionEnd, text = body.value;
      // A picture line stands alone: blank lines around it.
      var before = text.slice(0, start).replace(/\s*$/, "");
      var after = text.slice(end).replace(/^\s*/, "");
      var inserted = (before ? "\n\n" : "") + line + (after ? "\n\n" : "");
      body.value = before + inserted + after;
      var caret = before.length + inserted.length;
      body.focus();
      body.setSelectionRange(caret, caret);
      return;
    }
    var choose = target.closest("[data-lead-picture]");
    if (choose && lead) {
      lead.value = choose.getAttribute("data-lead-picture");
      lead.focus();
    }
  });

  // The toolbar: each button puts Markdown around the selection or before its lines.
  var changedBody = function () {
    body.dispatchEvent(new Event("input", { bubbles: true }));
    body.focus();
  };
  var wrap = function (left, right, placeholder) {
    var start = body.selectionStart, end = body.selectionEnd;
    var chosen = body.value.slice(start, end) || placeholder;
    body.setRangeText(left + chosen + right, start, end, "end");
    // The placeholder is selected, ready to be typed over.
    body.setSelectionRange(start + left.length, start + left.length + chosen.length);
    changedBody();
  };
  var prefixLines = function (prefix, placeholder) {
    var text = body.value;
    var start = text.lastIndexOf("\n", body.selectionStart - 1) + 1;
    var end = body.selectionEnd;
    var lines = text.slice(start, end) || placeholder;
    var prefixed = lines.split("\n").map(function (line) {
      return line.indexOf(prefix) === 0 ? line : prefix + line;
    }).join("\n");
    body.setRangeText(prefixed, start, end, "end");
    changedBody();
  };
  var tools = [
    ["عريض", "**نص**", function () { wrap("**", "**", "نص بارز"); }],
    ["عنوان", "## عنوان", function () { prefixLines("## ", "عنوان فرعي"); }],
    ["اقتباس", "> نص", function () { prefixLines("> ", "نص مقتبس"); }],
    ["قائمة", "- بند", function () { prefixLines("- ", "بند"); }],
    ["رابط", "[نص](عنوان)", function () {
      var start = body.selectionStart, end = body.selectionEnd;
      var label = body.value.slice(start, end) || "نص الرابط";
      body.setRangeText("[" + label + "](https://)", start, end, "end");
      // The caret waits where the address goes.
      var caret = start + ("[" + label + "](https://").length;
      body.setSelectionRange(caret, caret);
      changedBody();
    }],
  ];
  var library = document.querySelector(".form-library");
  if (library) {
    tools.push(["صورة", "[صورة:رقم]", function () {
      library.open = true;
      var first = library.querySelector("[data-insert-picture]");
      library.scrollIntoView({ block: "start" });
      if (first) first.focus();
    }]);
  }
  if (body && body.setRangeText) {
    var bar = document.createElement("div");
    bar.className = "markdown-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "تنسيق النص");
    bar.setAttribute("aria-controls", "body");
    tools.forEach(function (tool) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button secondary";
      button.textContent = tool[0];
      button.title = tool[1];
      button.addEventListener("click", tool[2]);
      bar.appendChild(button);
    });
    body.parentNode.insertBefore(bar, body);
  }

  var form = document.querySelector("form[data-autosave]");
  var status = document.getElementById("autosave-status");
  if (form && status && window.fetch && window.URLSearchParams) {
    var url = form.getAttribute("data-autosave");
    var submitting = false;
    var fields = function () {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        if (typeof value === "string") params.append(name, value);
      });
      return params;
    };
    var last = fields().toString();
    var changed = function () {
      var params = fields();
      return submitting || params.toString() === last ? null : params;
    };
    var save = function () {
      var params = changed();
      if (!params) return;
      var sent = params.toString();
      fetch(url, { method: "POST", body: params, credentials: "same-origin", redirect: "manual" })
        .then(function (response) {
          if (!response.ok) {
            status.textContent = "انتهت جلستك: اضغط «حفظ» وسجّل الدخول، ولن يضيع ما كتبت.";
            return;
          }
          last = sent;
          return response.text().then(function (line) { status.textContent = line; });
        })
        .catch(function () {
          status.textContent = "تعذّر الحفظ التلقائي الآن؛ سيُعاد بعد قليل.";
        });
    };
    // A page on its way out cannot wait for an answer: a beacon is delivered anyway.
    var beacon = function () {
      var params = changed();
      if (params && navigator.sendBeacon && navigator.sendBeacon(url, params)) last = params.toString();
    };
    setInterval(save, 30000);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") beacon();
    });
    window.addEventListener("pagehide", beacon);
    form.addEventListener("submit", function () { submitting = true; });
  }
})();
