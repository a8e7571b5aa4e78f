// The "حجم الخط" control: change the article text size at once and remember it in the
// cookie the server reads, so every later page is rendered at that size from the start.
// Without JavaScript the same links go through the server (/font-size) and work too.
(function () {
  "use strict";
  var MIN = 1, MAX = 5, DEFAULT = 2;
  var root = document.documentElement;

  function currentStep() {
    var match = /(?:^|\s)fs-(\d)(?:\s|$)/.exec(root.className);
    var step = match ? parseInt(match[1], 10) : DEFAULT;
    return step >= MIN && step <= MAX ? step : DEFAULT;
  }

  function apply(step) {
    root.className = root.className.replace(/(?:^|\s)fs-\d(?=\s|$)/g, " ").trim();
    root.classList.add("fs-" + step);
    document.cookie = "font_size=" + step + "; Path=/; Max-Age=31536000; SameSite=Lax";
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-font-step]") : null;
    if (!link) return;
    event.preventDefault();
    var delta = link.getAttribute("data-font-step") === "up" ? 1 : -1;
    apply(Math.min(MAX, Math.max(MIN, currentStep() + delta)));
  });
})();
