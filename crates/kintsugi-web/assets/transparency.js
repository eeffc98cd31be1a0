// The transparency log, checked in the partner's own browser.
//
// The browser remembers the last checkpoint it verified (in this browser's
// storage, asking for it to be kept). On every visit it checks that the
// server's current log extends that checkpoint, with a consistency proof
// (RFC 9162, 2.1.4.2), that the checkpoint is signed by the key it pinned,
// and that every entry on the page hashes to the checkpoint's root. A
// failure is shown with both checkpoints and the remembered one is kept.
// The first visit has nothing to compare with: it trusts what it sees, and
// says so.
(function () {
  "use strict";
  var panel = document.getElementById("log-check");
  if (!panel || !window.fetch || !window.crypto || !crypto.subtle) { return; }
  var message = panel.querySelector("[data-message]");
  var details = panel.querySelector("[data-details]");
  var downloadButton = panel.querySelector("[data-download-checkpoint]");
  var storageKey = "kintsugi-log:" + panel.getAttribute("data-origin");
  var utf8 = new TextEncoder();

  function b64decode(s) {
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out;
  }
  function b64encode(bytes) {
    var bin = "";
    bytes.forEach(function (b) { bin += String.fromCharCode(b); });
    return btoa(bin);
  }
  function concat(parts) {
    var n = parts.reduce(function (a, p) { return a + p.length; }, 0);
    var out = new Uint8Array(n);
    var at = 0;
    parts.forEach(function (p) { out.set(p, at); at += p.length; });
    return out;
  }
  function equal(a, b) {
    if (a.length !== b.length) { return false; }
    for (var i = 0; i < a.length; i++) { if (a[i] !== b[i]) { return false; } }
    return true;
  }
  async function sha256(bytes) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  }
  function nodeHash(left, right) {
    return sha256(concat([Uint8Array.of(1), left, right]));
  }
  function u64(n) {
    var out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, BigInt(n));
    return out;
  }

  // The leaf's data, exactly as the server's core computes it.
  async function commitment(e) {
    var parts = [utf8.encode("kintsugi-disclosure-v1\n"), b64decode(e.salt)];
    [e.category, e.occurred_at, e.corrects === null ? "" : String(e.corrects), e.text]
      .forEach(function (field) {
        var bytes = utf8.encode(field);
        parts.push(u64(bytes.length), bytes);
      });
    return sha256(concat(parts));
  }
  async function leafHash(data) {
    return sha256(concat([Uint8Array.of(0), data]));
  }
  // RFC 9162, 2.1.1: the root over leaf hashes.
  async function rootOf(leaves) {
    if (leaves.length === 0) { return sha256(new Uint8Array(0)); }
    if (leaves.length === 1) { return leaves[0]; }
    var k = 1;
    while (k * 2 < leaves.length) { k *= 2; }
    return nodeHash(await rootOf(leaves.slice(0, k)), await rootOf(leaves.slice(k)));
  }

  // RFC 9162, 2.1.4.2: does the tree (first, firstHash) extend into
  // (second, secondHash)? Every element must be 32 bytes.
  async function verifyConsistency(first, second, firstHash, secondHash, proof) {
    if (proof.some(function (p) { return p.length !== 32; })) { return false; }
    if (first > second) { return false; }
    if (first === second) { return proof.length === 0 && equal(firstHash, secondHash); }
    if (first === 0) { return proof.length === 0; }
    if (proof.length === 0) { return false; }
    var path = proof.slice();
    if ((first & (first - 1)) === 0) { path.unshift(firstHash); }
    var fn = first - 1, sn = second - 1;
    while (fn % 2 === 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
    var fr = path[0], sr = path[0];
    for (var i = 1; i < path.length; i++) {
      var c = path[i];
      if (sn === 0) { return false; }
      if (fn % 2 === 1 || fn === sn) {
        fr = await nodeHash(c, fr);
        sr = await nodeHash(c, sr);
        if (fn % 2 === 0) {
          while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
        }
      } else {
        sr = await nodeHash(sr, c);
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    return equal(fr, firstHash) && equal(sr, secondHash) && sn === 0;
  }

  // C2SP signed-note: is `note` signed by the Ed25519 key `vkey`
  // (name+id+base64)? Null when this browser cannot check Ed25519.
  async function signatureValid(note, vkey) {
    // name+id+key: the name and the hex id hold no "+", the base64 key may.
    var first = vkey.indexOf("+");
    var second = first < 0 ? -1 : vkey.indexOf("+", first + 1);
    if (second < 0) { return false; }
    var parts = [vkey.slice(0, first), vkey.slice(first + 1, second), vkey.slice(second + 1)];
    var keyBytes = b64decode(parts[2]);
    if (keyBytes.length !== 33 || keyBytes[0] !== 1) { return false; }
    var split = note.lastIndexOf("\n\n");
    if (split < 0) { return false; }
    var text = utf8.encode(note.slice(0, split + 1));
    var key;
    try {
      key = await crypto.subtle.importKey("raw", keyBytes.slice(1), { name: "Ed25519" }, false, ["verify"]);
    } catch (e) {
      return null;
    }
    var lines = note.slice(split + 2).split("\n");
    for (var i = 0; i < lines.length; i++) {
      var m = /^\u2014 (\S+) (\S+)$/.exec(lines[i]);
      if (!m || m[1] !== parts[0]) { continue; }
      var sig = b64decode(m[2]);
      if (sig.length !== 68 || parts[1] !== Array.from(sig.slice(0, 4), function (b) {
        return b.toString(16).padStart(2, "0");
      }).join("")) { continue; }
      if (await crypto.subtle.verify("Ed25519", key, sig.slice(4), text)) { return true; }
    }
    return false;
  }

  function show(status, text, blocks) {
    panel.setAttribute("data-status", status);
    panel.classList.toggle("danger", status === "failed");
    message.textContent = text;
    details.replaceChildren();
    (blocks || []).forEach(function (b) {
      var h = document.createElement("h3");
      h.textContent = b.title;
      var pre = document.createElement("pre");
      pre.textContent = b.text;
      details.append(h, pre);
    });
  }
  function remembered() {
    try { return JSON.parse(localStorage.getItem(storageKey)); } catch (e) { return null; }
  }
  function remember(c) {
    localStorage.setItem(storageKey, JSON.stringify({
      size: c.size, root: c.root, note: c.note, key: c.key, seen: new Date().toISOString()
    }));
    offerDownload();
  }
  function offerDownload() {
    var saved = remembered();
    if (!saved || !downloadButton) { return; }
    downloadButton.hidden = false;
    downloadButton.onclick = function () {
      var a = document.createElement("a");
      a.href = URL.createObjectURL(new Blob([saved.note], { type: "text/plain" }));
      a.download = "kintsugi-checkpoint-" + saved.size + ".txt";
      document.body.append(a);
      a.click();
      a.remove();
    };
  }
  function when(iso) {
    try { return new Date(iso).toLocaleString(); } catch (e) { return iso; }
  }

  async function check() {
    var r = await fetch("/api/v1/transparency", { credentials: "same-origin" });
    if (!r.ok) { throw new Error("the log could not be loaded (" + r.status + ")"); }
    var log = await r.json();
    var c = log.checkpoint;
    var saved = remembered();
    var failures = [];

    if (saved && saved.key !== c.key) {
      failures.push("The log is now signed with a different key than the one this browser trusted (" + saved.key + ").");
    }
    var signed = await signatureValid(c.note, c.key);
    if (signed === false) { failures.push("The checkpoint's signature does not verify."); }
    var noteLines = c.note.split("\n");
    if (noteLines[0] !== c.origin || noteLines[1] !== String(c.size) || noteLines[2] !== c.root) {
      failures.push("The signed checkpoint does not say what the server claims it says.");
    }

    var leaves = [];
    for (var i = 0; i < log.entries.length; i++) {
      var e = log.entries[i];
      if (e.index !== i) { failures.push("Entry " + (i + 1) + " is missing or out of place."); }
      leaves.push(await leafHash(await commitment(e)));
    }
    var root = b64encode(await rootOf(leaves));
    if (leaves.length !== c.size || root !== c.root) {
      failures.push("The entries shown do not match the signed checkpoint: one was changed, removed, reordered or added.");
    }

    if (saved && failures.length === 0) {
      var ok = false;
      if (saved.size <= c.size) {
        if (saved.size === 0 || saved.size === c.size) {
          ok = saved.size === c.size ? saved.root === c.root : true;
        } else {
          var p = await fetch("/api/v1/transparency/proofs/consistency?from=" + saved.size + "&to=" + c.size,
            { credentials: "same-origin" });
          if (p.ok) {
            var proof = (await p.json()).proof.map(b64decode);
            ok = await verifyConsistency(saved.size, c.size, b64decode(saved.root), b64decode(c.root), proof);
          }
        }
      }
      if (!ok) {
        failures.push(saved.size > c.size
          ? "The log is shorter than when this browser last saw it: it was rolled back."
          : "The log does not extend the one this browser saw on " + when(saved.seen) + ": what was there then has been rewritten.");
      }
    }

    if (failures.length > 0) {
      var blocks = [];
      if (saved) { blocks.push({ title: "The checkpoint this browser verified on " + when(saved.seen), text: saved.note }); }
      blocks.push({ title: "The checkpoint the server shows now", text: c.note });
      show("failed", "This log could not be verified. " + failures.join(" ") +
        " Keep both checkpoints below: download the log and check it with kintsugi verify-log on your own computer.", blocks);
      offerDownload();
      return;
    }

    document.querySelectorAll("[data-verified]").forEach(function (el) {
      el.textContent = "\u2713 entry " + (Number(el.closest("[data-entry]").getAttribute("data-entry")) + 1) + " verified";
    });
    var sigNote = signed === null ? " (This browser cannot check Ed25519 signatures; kintsugi verify-log can.)" : "";
    if (!saved) {
      if (navigator.storage && navigator.storage.persist) { navigator.storage.persist().catch(function () {}); }
      remember(c);
      show("first", "This is the first time this browser has seen this log, so it trusts what it sees today: " +
        c.size + (c.size === 1 ? " entry" : " entries") + ". From now on it will check, on every visit, that nothing here has been changed or taken away." + sigNote);
      return;
    }
    remember(c);
    show("verified", "Verified: every entry this browser saw on " + when(saved.seen) + " (" + saved.size +
      ") is still here, unchanged, and the log has grown to " + c.size + ". Each entry below matches the signed checkpoint." + sigNote);
  }

  check().catch(function (e) {
    show("error", "The log could not be checked just now: " + e.message + ". Nothing was changed in what this browser remembers.");
  });
}());
