// Live coaching: as the person types, post the draft to the coach in the
// background and show the result fragment the server renders. A form opts
// in with `data-coach` (the address to post to; its own action when empty).
// Every form still works as a plain submit without this file.
(function () {
  "use strict";
  var form = document.querySelector("form[data-coach]");
  var out = document.getElementById("coach-result");
  if (!form || !out || !window.fetch) { return; }
  var url = form.getAttribute("data-coach") || form.action;
  var first = form.querySelector("[data-first-concerns]");
  var timer = null;
  var inflight = null;
  var latest = 0;

  function check() {
    var body = new URLSearchParams(new FormData(form));
    var seq = ++latest;
    if (inflight) { inflight.abort(); }
    inflight = new AbortController();
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Kintsugi-Fragment": "1" },
      signal: inflight.signal
    }).then(function (r) {
      if (r.status === 429) { return null; }
      return r.text();
    }).then(function (html) {
      // The fragment is markup the server escaped; only the newest answer is shown.
      if (html === null || seq !== latest) { return; }
      out.innerHTML = html;
      // Remember how many concerns the first coached draft had, for the
      // author's private tally of what changed after coaching.
      var found = out.querySelector("[data-concerns]");
      var n = found ? parseInt(found.getAttribute("data-concerns"), 10) : 0;
      if (first && !first.value && n > 0) { first.value = String(n); }
    }).catch(function () { /* a newer draft replaced this one, or the network is down: the button still works */ });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  }
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
})();
