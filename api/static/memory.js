/* Debate Avatar page: the conversation kept in browser storage, and shared as a link. */
(function () {
  "use strict";
  var DA = window.DebateAvatar;
  var KEY = "debate-avatar:conversation";
  var OWNED = "debate-avatar:shared-links";

  function read(key) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw ? JSON.parse(raw) : null;
    } catch (e) {
      return null;   // storage off (private mode, blocked third-party frame): nothing kept
    }
  }

  function write(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* full or blocked: the conversation still works, it is just not kept */ }
  }

  /* {mode, side, debatePost, origin, turns: [{role, text, reply}]} */
  DA.memory = {
    load: function () {
      var kept = read(KEY);
      return kept && Array.isArray(kept.turns) ? kept : null;
    },
    save: function (record) { write(KEY, record); },
    clear: function () { write(KEY, null); },
  };

  /* Store the conversation server-side; the owner's token stays in this browser. */
  DA.shareConversation = async function (record) {
    var link = await DA.postJSON("/v1/conversations", {
      mode: record.mode === "debate" ? "debate" : "ask",
      turns: record.turns.map(function (t) { return { role: t.role, text: t.text, reply: t.reply || null }; }),
      debate_post: record.debatePost || null,
    });
    var owned = read(OWNED) || {};
    owned[link.id] = link.owner_token;
    write(OWNED, owned);
    return link;
  };

  DA.unshareConversation = async function (id) {
    var owned = read(OWNED) || {};
    var response = await fetch("/v1/conversations/" + encodeURIComponent(id), {
      method: "DELETE", headers: { "X-Owner-Token": owned[id] || "" },
    });
    if (!response.ok && response.status !== 404) throw new Error(await DA.errorFrom(response));
    delete owned[id];
    write(OWNED, owned);
  };

  DA.loadShared = function (id) {
    return DA.getJSON("/v1/conversations/" + encodeURIComponent(id));
  };

  DA.absoluteUrl = function (path) {
    return new URL(path, window.location.href).href;
  };
})();
