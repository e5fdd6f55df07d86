/* Debate Avatar widget: paste one tag into your site,
 *   <script src="https://AVATAR_HOST/static/widget.js" async></script>
 * and a floating button opens the chat page (`/?embed=1`) in a panel.
 * Options (attributes on the tag):
 *   data-label="Debate me"        the button's text
 *   data-greeting="Hello! …"      the first words the reader sees in the panel
 *   data-color="#8a2f5d"          the button's and the chat's accent colour
 *   data-position="left"          bottom-left instead of bottom-right
 *   data-open-on-post="true"      open a debate on the post the widget sits on (its
 *                                 <link rel="canonical">, else the page URL; or give a URL)
 * The avatar's operator must list this site's origin in AVATAR_ALLOWED_ORIGINS first; until
 * then the reader gets a polite note and the console says what to do.
 */
(function () {
  "use strict";
  if (window.__debateAvatarWidget) return;
  window.__debateAvatarWidget = true;

  var script = document.currentScript;
  if (!script) {
    var tags = document.querySelectorAll('script[src*="/static/widget.js"]');
    script = tags[tags.length - 1];
  }
  if (!script || !script.src) return;
  var origin = new URL(script.src, window.location.href).origin;
  var label = script.getAttribute("data-label") || "Debate my avatar";
  var side = script.getAttribute("data-position") === "left" ? "left" : "right";
  var color = script.getAttribute("data-color") || "";
  if (!/^#[0-9a-f]{3,8}$/i.test(color)) color = "#2f5d8a";
  var greeting = script.getAttribute("data-greeting") || "";
  var onPost = script.getAttribute("data-open-on-post") || "";

  function css(node, rules) {
    for (var key in rules) node.style.setProperty(key, rules[key]);
    return node;
  }

  /* The post this page is: the option's URL, the canonical link, or the page itself. */
  function postUrl() {
    if (/^https?:\/\//i.test(onPost)) return onPost;
    var canonical = document.querySelector('link[rel="canonical"]');
    return canonical && canonical.href ? canonical.href : window.location.href.split("#")[0];
  }

  function chatUrl() {
    var params = new URLSearchParams({ embed: "1", accent: color });
    if (greeting) params.set("greeting", greeting.slice(0, 300));
    if (onPost && onPost !== "false") params.set("on", postUrl());
    return origin + "/?" + params.toString();
  }

  /* Ask the avatar whether this origin may frame it (the answer is public, CORS-open). */
  function checkAllowed() {
    var url = origin + "/v1/widget?origin=" + encodeURIComponent(window.location.origin);
    return fetch(url, { credentials: "omit" }).then(function (r) { return r.json(); });
  }

  function politeNote(panel, check) {
    var note = document.createElement("div");
    note.id = "debate-avatar-unavailable";
    note.setAttribute("role", "status");
    css(note, { padding: "24px 20px", font: "15px/1.5 system-ui, sans-serif", color: "#1f2328" });
    var p = document.createElement("p");
    p.textContent = "Sorry, the conversation can't open on this page just yet.";
    note.appendChild(p);
    if (check && check.page) {
      var a = document.createElement("a");
      a.href = check.page;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = "Talk to " + (check.name || "the avatar") + " on its own page \u2197";
      note.appendChild(a);
    }
    panel.appendChild(note);
  }

  function build() {
    var button = document.createElement("button");
    button.type = "button";
    button.id = "debate-avatar-button";
    button.textContent = label;
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", "debate-avatar-panel");
    var edge = {};
    edge[side] = "20px";
    css(button, Object.assign({
      position: "fixed", bottom: "20px", "z-index": "2147483646",
      background: color, color: "#fff", border: "0", "border-radius": "999px",
      padding: "12px 18px", font: "600 15px system-ui, sans-serif", cursor: "pointer",
      "box-shadow": "0 4px 14px rgba(0,0,0,.25)",
    }, edge));

    var panel = document.createElement("div");
    panel.id = "debate-avatar-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", label);
    panel.hidden = true;
    css(panel, Object.assign({
      position: "fixed", bottom: "76px", width: "min(400px, calc(100vw - 24px))",
      height: "min(640px, calc(100vh - 100px))", "z-index": "2147483647",
      background: "#fff", "border-radius": "14px", overflow: "hidden",
      "box-shadow": "0 10px 40px rgba(0,0,0,.3)", border: "1px solid #ddd",
      "flex-direction": "column",
    }, side === "left" ? { left: "12px" } : { right: "12px" }));

    // The close button has a bar of its own: it never sits on the chat's text.
    var bar = document.createElement("div");
    css(bar, { display: "flex", "justify-content": "flex-end", "align-items": "center",
               background: color, height: "34px", flex: "none" });
    var close = document.createElement("button");
    close.type = "button";
    close.id = "debate-avatar-close";
    close.textContent = "\u00d7";
    close.setAttribute("aria-label", "Close");
    css(close, { border: "0", background: "transparent", font: "22px/1 system-ui, sans-serif",
                 cursor: "pointer", color: "#fff", padding: "4px 12px" });
    bar.appendChild(close);
    panel.appendChild(bar);

    var opened = false;
    function load() {
      opened = true;
      checkAllowed().then(function (check) {
        if (!check.allowed) {
          console.error("Debate Avatar widget: this site (" + window.location.origin + ") may " +
            "not embed the chat of " + origin + ". Add it to AVATAR_ALLOWED_ORIGINS in the " +
            "avatar's settings (e.g. AVATAR_ALLOWED_ORIGINS=" + window.location.origin +
            ") and restart it.");
          politeNote(panel, check);
          return;
        }
        var frame = document.createElement("iframe");
        frame.id = "debate-avatar-frame";
        frame.title = label;
        frame.src = chatUrl();
        frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
        css(frame, { width: "100%", border: "0", display: "block", flex: "1 1 auto" });
        panel.appendChild(frame);
      }).catch(function (err) {
        console.error("Debate Avatar widget: could not reach " + origin + ": " + err);
        politeNote(panel, null);
      });
    }
    function open() {
      if (!opened) load();
      panel.hidden = false;
      panel.style.setProperty("display", "flex");
      button.setAttribute("aria-expanded", "true");
    }
    function hide() {
      panel.hidden = true;
      panel.style.setProperty("display", "none");
      button.setAttribute("aria-expanded", "false");
    }
    panel.style.setProperty("display", "none");
    button.addEventListener("click", function () { if (panel.hidden) open(); else hide(); });
    close.addEventListener("click", hide);
    document.addEventListener("keydown", function (e) { if (e.key === "Escape" && !panel.hidden) hide(); });

    document.body.appendChild(panel);
    document.body.appendChild(button);
  }

  if (document.body) build();
  else document.addEventListener("DOMContentLoaded", build);
})();
