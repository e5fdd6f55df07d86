/* Debate Avatar widget: paste one tag into your site,
 *   <script src="https://AVATAR_HOST/static/widget.js" async></script>
 * and a floating button opens the chat page (`/?embed=1`) in a panel.
 * Optional attributes on the tag: data-label="Debate me", data-position="left".
 * The chat page only lets the origins its operator allowed frame it (CSP frame-ancestors).
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

  function css(node, rules) {
    for (var key in rules) node.style.setProperty(key, rules[key]);
    return node;
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
      background: "#2f5d8a", color: "#fff", border: "0", "border-radius": "999px",
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
    }, side === "left" ? { left: "12px" } : { right: "12px" }));

    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Close");
    css(close, {
      position: "absolute", top: "6px", right: "8px", "z-index": "1", border: "0",
      background: "transparent", font: "22px/1 system-ui, sans-serif", cursor: "pointer",
      color: "#555", padding: "4px 8px",
    });

    var frame = null;
    function open() {
      if (!frame) {
        frame = document.createElement("iframe");
        frame.id = "debate-avatar-frame";
        frame.title = label;
        frame.src = origin + "/?embed=1";
        frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
        css(frame, { width: "100%", height: "100%", border: "0", display: "block" });
        panel.appendChild(frame);
      }
      panel.hidden = false;
      panel.style.setProperty("display", "block");
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

    panel.appendChild(close);
    document.body.appendChild(panel);
    document.body.appendChild(button);
  }

  if (document.body) build();
  else document.addEventListener("DOMContentLoaded", build);
})();
