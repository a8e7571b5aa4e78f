// The reader's display controls, at once and without a reload: "حجم الخط" (text size),
// the theme (light, dark, or the device's), remembered in the cookies the server reads so
// every later page is rendered that way from its first byte; and "نسخ الرابط", which
// copies the short permalink. Without JavaScript the size and theme links go through the
// server (/font-size, /theme) and work too, and the permalink is selectable text.
(function () {
  "use strict";
  var MIN = 1, MAX = 5, DEFAULT = 2;
  var YEAR = 31536000;
  var root = document.documentElement;

  function currentStep() {
    var match = /(?:^|\s)fs-(\d)(?:\s|$)/.exec(root.className);
    var step = match ? parseInt(match[1], 10) : DEFAULT;
    return step >= MIN && step <= MAX ? step : DEFAULT;
  }

  function remember(name, value) {
    var secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = name + "=" + value + "; Path=/; Max-Age=" + YEAR + "; SameSite=Lax" + secure;
  }

  function applyStep(step) {
    root.className = root.className.replace(/(?:^|\s)fs-\d(?=\s|$)/g, " ").trim();
    root.classList.add("fs-" + step);
    remember("font_size", step);
  }

  function applyTheme(theme) {
    root.classList.remove("theme-light", "theme-dark");
    if (theme === "light" || theme === "dark") root.classList.add("theme-" + theme);
    remember("theme", theme === "light" || theme === "dark" ? theme : "auto");
  }

  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    var step = event.target.closest("[data-font-step]");
    if (step) {
      event.preventDefault();
      var delta = step.getAttribute("data-font-step") === "up" ? 1 : -1;
      applyStep(Math.min(MAX, Math.max(MIN, currentStep() + delta)));
      return;
    }
    var theme = event.target.closest("[data-theme-choice]");
    if (theme) {
      event.preventDefault();
      applyTheme(theme.getAttribute("data-theme-choice"));
      return;
    }
    var copy = event.target.closest("[data-copy]");
    if (copy && navigator.clipboard) {
      var status = copy.parentNode.querySelector(".copy-status");
      navigator.clipboard.writeText(copy.getAttribute("data-copy")).then(
        function () { if (status) status.textContent = "نُسخ الرابط"; },
        function () { if (status) status.textContent = "تعذّر النسخ؛ انسخ الرابط المختصر أعلاه"; }
      );
    }
  });

  // The copy button exists only where the clipboard can be written (https or localhost).
  document.addEventListener("DOMContentLoaded", function () {
    if (!navigator.clipboard || !window.isSecureContext) return;
    var buttons = document.querySelectorAll("[data-copy]");
    for (var i = 0; i < buttons.length; i += 1) buttons[i].hidden = false;
  });
})();
