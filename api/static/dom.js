/* Debate Avatar page: safe DOM helpers shared by the page's scripts (no HTML is ever parsed).
 * Every text from posts, models or the API goes in with textContent; links only for http(s).
 */
(function () {
  "use strict";
  var DA = window.DebateAvatar = window.DebateAvatar || {};

  DA.$ = function (id) { return document.getElementById(id); };

  DA.el = function (tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  };

  DA.safeHref = function (url) {
    if (typeof url !== "string") return null;
    var trimmed = url.trim();
    return /^https?:\/\//i.test(trimmed) ? trimmed : null;
  };

  /* A link to the quoted sentence: the post URL plus a text fragment of its first words. */
  DA.fragmentHref = function (url, quote) {
    var base = DA.safeHref(url);
    if (!base) return null;
    base = base.split("#")[0];
    var words = String(quote || "").replace(/\s+/g, " ").trim().split(" ").filter(Boolean);
    if (!words.length) return base;
    var encoded = encodeURIComponent(words.slice(0, 8).join(" ")).replace(/-/g, "%2D");
    return base + "#:~:text=" + encoded;
  };

  /* A link that opens in a new tab, so the conversation stays where it is. */
  DA.outLink = function (className, text, href) {
    var a = DA.el("a", className, text);
    a.setAttribute("href", href);
    a.setAttribute("target", "_blank");
    a.setAttribute("rel", "noopener noreferrer");
    return a;
  };

  DA.formatDate = function (iso) {
    if (!iso) return "";
    var match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso));
    if (!match) return String(iso);
    var d = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
    try {
      return d.toLocaleDateString("en-GB", { timeZone: "UTC", day: "numeric", month: "short", year: "numeric" });
    } catch (e) {
      return match[0];
    }
  };

  DA.firstName = function (persona) {
    return persona && persona.name ? persona.name.split(" ")[0] : "the author";
  };

  DA.errorFrom = async function (response) {
    var detail = "";
    try {
      var body = await response.json();
      if (typeof body.detail === "string") detail = body.detail;
      else if (Array.isArray(body.detail)) {
        detail = body.detail.map(function (d) { return d && d.msg ? d.msg : String(d); }).join("; ");
      } else if (body.message) detail = String(body.message);
    } catch (e) { /* not JSON */ }
    var prefix = {
      400: "That request was refused",
      404: "Not found",
      413: "Your message is too long",
      422: "That message could not be sent",
      429: "Too many requests — please wait a moment and try again",
    }[response.status] || ("The server answered " + response.status);
    return detail ? prefix + ": " + detail : prefix + ".";
  };

  DA.getJSON = async function (path) {
    var response = await fetch(path, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(await DA.errorFrom(response));
    return response.json();
  };

  DA.postJSON = async function (path, body, headers) {
    var response = await fetch(path, {
      method: "POST",
      headers: Object.assign({ "Content-Type": "application/json", Accept: "application/json" }, headers || {}),
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(await DA.errorFrom(response));
    return response.json();
  };

  DA.showError = function (message) {
    var box = DA.$("error");
    box.textContent = message;
    box.hidden = false;
  };

  DA.clearError = function () {
    var box = DA.$("error");
    box.textContent = "";
    box.hidden = true;
  };

  /* Server-sent events over fetch: onEvent(name, data) for each frame. */
  DA.readEvents = async function (response, onEvent) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n?/g, "\n");
      var cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        dispatch(buffer.slice(0, cut), onEvent);
        buffer = buffer.slice(cut + 2);
      }
    }
    buffer += decoder.decode();
    if (buffer.trim()) dispatch(buffer, onEvent);
  };

  function dispatch(frame, onEvent) {
    var name = "message";
    var data = [];
    frame.split("\n").forEach(function (line) {
      if (line.indexOf("event:") === 0) name = line.slice(6).trim();
      else if (line.indexOf("data:") === 0) data.push(line.slice(5).replace(/^ /, ""));
    });
    if (!data.length) return;
    var payload;
    try { payload = JSON.parse(data.join("\n")); } catch (e) { payload = data.join("\n"); }
    onEvent(name, payload);
  }

  DA.reason = function (err) { return err && err.message ? err.message : String(err); };
})();
