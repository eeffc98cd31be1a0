// Kintsugi's small progressive enhancements. Every page works without this file.
//
// It is loaded in the page's head without `defer`, so that the guard below
// runs before anything of the page is shown; everything else waits for the
// document to be parsed.
(function () {
  "use strict";

  // Quick exit: leave at once, replacing this page in the history so the
  // back button does not return to it. The pages visited before it are
  // still in the tab's history, so the exit is remembered for this tab: a
  // Kintsugi page reached again with the back (or forward) button leaves
  // again before it is shown. Opening Kintsugi on purpose (a typed address,
  // a link, a reload) forgets the exit.
  var EXITED = "kintsugi-quick-exit";

  function remember(url) {
    try { window.sessionStorage.setItem(EXITED, url); } catch (e) {}
  }
  function remembered() {
    try { return window.sessionStorage.getItem(EXITED); } catch (e) { return null; }
  }
  function forget() {
    try { window.sessionStorage.removeItem(EXITED); } catch (e) {}
  }

  function quickExit(url) {
    remember(url);
    document.documentElement.hidden = true;
    window.location.replace(url);
  }

  function arrivedByHistory(restored) {
    if (restored) { return true; }
    var entries = window.performance && window.performance.getEntriesByType
      ? window.performance.getEntriesByType("navigation") : [];
    return entries.length > 0 && entries[0].type === "back_forward";
  }

  function guard(restored) {
    var url = remembered();
    if (!url) { return; }
    if (arrivedByHistory(restored)) {
      document.documentElement.hidden = true;
      window.location.replace(url);
    } else {
      forget();
    }
  }
  guard(false);
  // A page kept in the back-forward cache is shown again without running
  // this file a second time: check then too.
  window.addEventListener("pageshow", function (ev) { if (ev.persisted) { guard(true); } });

  document.addEventListener("click", function (ev) {
    var link = ev.target.closest && ev.target.closest("[data-quick-exit]");
    if (link) { ev.preventDefault(); quickExit(link.href); return; }
    var back = ev.target.closest && ev.target.closest("[data-back]");
    if (back && window.history.length > 1) { ev.preventDefault(); window.history.back(); }
  });

  // Shift pressed three times on its own, within a second and a half, does
  // the same. A Shift held for a capital letter does not count, so typing
  // never leaves by accident.
  var shifts = [];
  var shiftAlone = false;
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Shift") {
      if (!ev.repeat) { shiftAlone = true; }
      return;
    }
    shiftAlone = false;
    shifts = [];
  }, true);
  document.addEventListener("keyup", function (ev) {
    if (ev.key !== "Shift" || !shiftAlone) { return; }
    shiftAlone = false;
    var now = Date.now();
    shifts = shifts.filter(function (t) { return now - t < 1500; });
    shifts.push(now);
    if (shifts.length >= 3) {
      var link = document.querySelector("[data-quick-exit]");
      if (link) { quickExit(link.href); }
    }
  }, true);

  function enhance() {
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

    // Drafts save themselves a moment after the person stops typing. The
    // form's own button still saves without JavaScript.
    document.querySelectorAll("form[data-autosave]").forEach(function (form) {
      var status = form.querySelector("[data-autosave-status]");
      var timer = null;
      function save() {
        fetch(form.action, {
          method: "POST",
          body: new URLSearchParams(new FormData(form)),
          credentials: "same-origin",
          headers: { "X-Kintsugi-Autosave": "1" }
        }).then(function (r) {
          return r.text().then(function (text) {
            if (status) { status.textContent = r.ok ? "Draft saved." : text; }
          });
        }).catch(function () {
          if (status) { status.textContent = "Not saved yet: the connection seems down."; }
        });
      }
      form.addEventListener("input", function () {
        if (status) { status.textContent = ""; }
        clearTimeout(timer);
        timer = setTimeout(save, 1200);
      });
    });

    // Select the invitation link on focus, so it is easy to copy.
    document.querySelectorAll("input.copy").forEach(function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
