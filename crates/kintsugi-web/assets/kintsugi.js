// Kintsugi's small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Quick exit: leave at once, replacing this page in the history so the
  // back button does not return to it. Shift pressed three times does the same.
  function quickExit(url) {
    try { document.body.hidden = true; } catch (e) {}
    window.location.replace(url);
  }
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest && ev.target.closest("[data-quick-exit]");
    if (link) { ev.preventDefault(); quickExit(link.href); }
    var back = ev.target.closest && ev.target.closest("[data-back]");
    if (back && window.history.length > 1) { ev.preventDefault(); window.history.back(); }
  });
  var shifts = [];
  document.addEventListener("keyup", function (ev) {
    if (ev.key !== "Shift") { return; }
    var now = Date.now();
    shifts = shifts.filter(function (t) { return now - t < 1500; });
    shifts.push(now);
    if (shifts.length >= 3) {
      var link = document.querySelector("[data-quick-exit]");
      if (link) { quickExit(link.href); }
    }
  });

  // The check-in is for the person's own today, wherever they are.
  document.querySelectorAll("[data-local-date]").forEach(function (input) {
    var d = new Date();
    var pad = function (n) { return String(n).padStart(2, "0"); };
    var local = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
    if (!input.value || input.dataset.localDate === "") { input.value = local; }
  });

  // Show a slider's value beside it as it moves.
  document.querySelectorAll("input[type=range][data-show-value]").forEach(function (input) {
    var out = input.parentElement.querySelector("output");
    if (!out) { return; }
    input.addEventListener("input", function () { out.textContent = input.value; });
  });

  // Select the invitation link on focus, so it is easy to copy.
  document.querySelectorAll("input.copy").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
})();
