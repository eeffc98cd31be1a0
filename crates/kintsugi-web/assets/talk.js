// Live conversation: when the other partner takes a turn, pauses or ends,
// the server sends a bare "changed" event and this script fetches the page
// again and swaps in the conversation, keeping whatever is being typed.
(function () {
  "use strict";
  var box = document.getElementById("conversation");
  if (!box || !window.EventSource || !window.fetch) { return; }
  var id = box.getAttribute("data-conversation");
  var source = new EventSource("/talk/" + id + "/events");

  function refresh() {
    fetch("/talk/" + id, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (html === null) { return; }
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("conversation");
      if (!fresh) { return; }
      var typing = box.querySelector("textarea[name=text]");
      var kept = typing ? typing.value : "";
      var hadFocus = typing && document.activeElement === typing;
      box.replaceWith(fresh);
      box = fresh;
      var again = box.querySelector("textarea[name=text]");
      if (again && kept) { again.value = kept; }
      if (again && hadFocus) { again.focus(); }
      localise(box);
    }).catch(function () { /* the next event, or a reload, catches up */ });
  }

  function localise(root) {
    root.querySelectorAll("time[data-local-time]").forEach(function (t) {
      var d = new Date(t.getAttribute("datetime"));
      if (!isNaN(d)) { t.textContent = d.toLocaleString([], { dateStyle: "medium", timeStyle: "short" }); }
    });
  }

  source.addEventListener("changed", refresh);
  localise(box);
})();
