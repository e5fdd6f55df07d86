/* Debate Avatar chat page. Plain script, no build step.
 *
 * Security: every piece of text that comes from posts, models or the API is inserted with
 * textContent / createTextNode / safe attributes; never as HTML. Links only for http(s) URLs.
 */
(function () {
  "use strict";

  var MAX_HISTORY = 50;
  var state = {
    mode: "ask",
    history: [],         // [{role, content}] sent with each request
    busy: false,
    persona: null,
    defaultModel: null,
    debatePost: null,    // {post_id, title, url, published} when opened with ?debate=
  };

  var $ = function (id) { return document.getElementById(id); };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeHref(url) {
    if (typeof url !== "string") return null;
    var trimmed = url.trim();
    return /^https?:\/\//i.test(trimmed) ? trimmed : null;
  }

  /* A link to the quoted sentence: the post URL plus a text fragment of its first words. */
  function fragmentHref(url, quote) {
    var base = safeHref(url);
    if (!base) return null;
    base = base.split("#")[0];
    var words = String(quote || "").replace(/\s+/g, " ").trim().split(" ").filter(Boolean);
    if (!words.length) return base;
    var start = words.slice(0, 8).join(" ");
    var encoded = encodeURIComponent(start).replace(/-/g, "%2D");
    return base + "#:~:text=" + encoded;
  }

  function formatDate(iso) {
    if (!iso) return "";
    var match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso));
    if (!match) return String(iso);
    var d = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
    try {
      return d.toLocaleDateString("en-GB", { timeZone: "UTC", day: "numeric", month: "short", year: "numeric" });
    } catch (e) {
      return match[0];
    }
  }

  /* ---- errors ---------------------------------------------------------------------- */

  function showError(message) {
    var box = $("error");
    box.textContent = message;
    box.hidden = false;
  }

  function clearError() {
    var box = $("error");
    box.textContent = "";
    box.hidden = true;
  }

  async function errorFrom(response) {
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
  }

  async function getJSON(path) {
    var response = await fetch(path, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(await errorFrom(response));
    return response.json();
  }

  /* ---- persona, models, topics ------------------------------------------------------- */

  function drawPersona(p) {
    state.persona = p;
    $("avatar-name").textContent = p.name || "Debate Avatar";
    $("avatar-bio").textContent = p.bio || "";
    $("avatar-initial").textContent = (p.name || "?").trim().charAt(0).toUpperCase() || "?";
    document.title = (p.name ? p.name + " — " : "") + "Debate Avatar";
    updatePlaceholder();
  }

  function drawModels(data) {
    var select = $("model");
    select.textContent = "";
    state.defaultModel = data.default;
    (data.models || []).forEach(function (m) {
      var option = document.createElement("option");
      option.value = m.name;
      option.textContent = (m.label || m.name) + (m.demo ? " (demo)" : "");
      if (m.name === data.default || m.default) option.selected = true;
      select.appendChild(option);
    });
    select.disabled = select.options.length < 2;
  }

  function drawTopics(data) {
    var nav = $("topics");
    nav.textContent = "";
    var labels = (data.topics || []).map(function (t) { return t.label; });
    if (!labels.length) labels = (data.terms || []).map(function (t) { return t.term; });
    labels.filter(Boolean).slice(0, 10).forEach(function (label) {
      var chip = el("button", "chip", label);
      chip.type = "button";
      chip.addEventListener("click", function () {
        if (state.busy) return;
        var text = state.mode === "debate" ? String(label) : "What do you think about " + label + "?";
        send(text);
      });
      nav.appendChild(chip);
    });
    nav.hidden = !nav.childNodes.length;
  }

  /* ---- mode switch ------------------------------------------------------------------- */

  function setMode(mode) {
    state.mode = mode === "debate" ? "debate" : "ask";
    document.body.dataset.mode = state.mode;
    ["ask", "debate"].forEach(function (m) {
      $("mode-" + m).setAttribute("aria-pressed", String(m === state.mode));
    });
    $("side-picker").hidden = state.mode !== "debate";
    updatePlaceholder();
  }

  function updatePlaceholder() {
    var name = state.persona && state.persona.name ? state.persona.name.split(" ")[0] : "the author";
    $("message").placeholder = state.mode === "debate"
      ? "State a position to debate with " + name + "…"
      : "Ask what " + name + " thinks…";
  }

  function selectedSide() {
    var checked = document.querySelector('input[name="side"]:checked');
    return checked ? checked.value : null;
  }

  /* ---- conversation ------------------------------------------------------------------ */

  function addUserTurn(text) {
    var turn = el("div", "turn user");
    turn.appendChild(el("div", "bubble", text));
    $("conversation").appendChild(turn);
    return turn;
  }

  function addAssistantTurn(mode) {
    var turn = el("article", "turn assistant");
    turn.dataset.state = "streaming";
    turn.dataset.mode = mode;
    var bubble = el("div", "bubble");
    var meta = el("div", "reply-meta");
    var text = el("div", "reply-text");
    var cursor = el("span", "typing", "…");
    text.appendChild(cursor);
    bubble.appendChild(meta);
    bubble.appendChild(text);
    turn.appendChild(bubble);
    $("conversation").appendChild(turn);
    return { turn: turn, bubble: bubble, meta: meta, text: text, cursor: cursor, raw: "" };
  }

  function appendToken(view, piece) {
    if (view.cursor && view.cursor.parentNode) view.cursor.parentNode.removeChild(view.cursor);
    view.cursor = null;
    view.raw += piece;
    view.text.appendChild(document.createTextNode(piece));
    scrollToEnd();
  }

  function renderCitations(view, citations) {
    var old = view.bubble.querySelector(".citations");
    if (old) old.parentNode.removeChild(old);
    if (!citations || !citations.length) return;
    var box = el("section", "citations");
    box.appendChild(el("h2", "citations-title", "Sources"));
    var list = el("ol", "citation-list");
    citations.forEach(function (c) {
      var item = el("li", "citation");
      item.value = Number(c.n) || undefined;
      var href = fragmentHref(c.url, c.quote);
      var title = c.title || c.post_id || "Untitled post";
      var head;
      if (href) {
        head = el("a", "citation-link", title);
        head.setAttribute("href", href);
        head.setAttribute("rel", "noopener noreferrer");
        var embedded = document.body.classList.contains("embed");
        head.setAttribute("target", embedded ? "_blank" : "_top");
      } else {
        head = el("span", "citation-link", title);
      }
      item.appendChild(el("span", "citation-n", "[" + c.n + "]"));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(head);
      if (c.published) {
        var time = el("time", "citation-date", formatDate(c.published));
        time.setAttribute("datetime", String(c.published));
        item.appendChild(document.createTextNode(" "));
        item.appendChild(time);
      }
      if (c.quote) item.appendChild(el("blockquote", "citation-quote", c.quote));
      list.appendChild(item);
    });
    box.appendChild(list);
    view.bubble.appendChild(box);
  }

  // "You: against 'Cities should…' · Ada: for": the motion and both sides, in words.
  function debateSides(reply) {
    var name = state.persona && state.persona.name ? state.persona.name.split(" ")[0] : "The author";
    var debate = reply.debate || {};
    var motion = String(debate.motion || "");
    if (motion.length > 80) motion = motion.slice(0, 79) + "\u2026";
    var theirs = { for: "for", against: "against", unclear: "hasn't taken a side on exactly this" }[reply.stance] || "";
    var span = el("span", "stance stance-" + reply.stance, "");
    if (debate.reader_side && motion) {
      span.appendChild(document.createTextNode("You: " + debate.reader_side + " \u2018" + motion + "\u2019 \u00b7 "));
    }
    span.appendChild(document.createTextNode(name + ": " + theirs));
    return span;
  }

  function finishReply(view, reply, question) {
    view.turn.dataset.state = "done";
    if (typeof reply.text === "string" && reply.text !== view.raw) {
      view.text.textContent = reply.text;   // the final text wins over the streamed pieces
      view.raw = reply.text;
    }
    if (view.cursor && view.cursor.parentNode) view.cursor.parentNode.removeChild(view.cursor);
    view.meta.textContent = "";
    if (reply.stance) view.meta.appendChild(debateSides(reply));
    if (reply.model) view.meta.appendChild(el("span", "model-tag", reply.model));
    if (reply.declined) {
      view.turn.classList.add("declined");
      var note = el("p", "declined-note",
        "The avatar declined: the archive has nothing on this, so there is no grounded answer to give.");
      note.setAttribute("role", "note");
      view.bubble.insertBefore(note, view.text);
    }
    renderCitations(view, reply.citations);
    addFeedback(view, question, reply);
    scrollToEnd();
  }

  function failReply(view, message) {
    view.turn.dataset.state = "error";
    view.turn.classList.add("failed");
    if (view.cursor && view.cursor.parentNode) view.cursor.parentNode.removeChild(view.cursor);
    view.bubble.appendChild(el("p", "reply-error", message));
    showError(message);
  }

  function addFeedback(view, question, reply) {
    var bar = el("div", "feedback");
    bar.appendChild(el("span", "feedback-label", "Was this helpful?"));
    var yes = el("button", "vote vote-up", "✓ Helpful");
    var no = el("button", "vote vote-down", "✗ Not helpful");
    [yes, no].forEach(function (button) {
      button.type = "button";
      button.addEventListener("click", async function () {
        var helpful = button === yes;
        yes.disabled = no.disabled = true;
        try {
          var response = await fetch("/v1/feedback", {
            method: "POST",
            headers: { "Content-Type": "application/json", Accept: "application/json" },
            body: JSON.stringify({
              question: question, reply: reply.text || "", model: reply.model || "",
              citations: reply.citations || [], helpful: helpful, surface: "web",
            }),
          });
          if (!response.ok) throw new Error(await errorFrom(response));
          button.classList.add("chosen");
          bar.dataset.sent = helpful ? "helpful" : "not-helpful";
          bar.appendChild(el("span", "feedback-thanks", "Thanks for the feedback."));
        } catch (err) {
          yes.disabled = no.disabled = false;
          showError("Could not send feedback: " + (err && err.message ? err.message : err));
        }
      });
      bar.appendChild(button);
    });
    view.bubble.appendChild(bar);
  }

  function scrollToEnd() {
    var box = $("conversation");
    var last = box.lastElementChild;
    if (last && last.scrollIntoView && !document.body.classList.contains("no-scroll")) {
      last.scrollIntoView({ block: "end", behavior: "auto" });
    }
  }

  /* ---- server-sent events over fetch ------------------------------------------------- */

  async function readEvents(response, onEvent) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n?/g, "\n");
      var cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        var frame = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        dispatch(frame, onEvent);
      }
    }
    buffer += decoder.decode();
    if (buffer.trim()) dispatch(buffer, onEvent);
  }

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

  /* ---- sending ----------------------------------------------------------------------- */

  function setBusy(busy) {
    state.busy = busy;
    $("send").disabled = busy;
    document.body.classList.toggle("busy", busy);
    Array.prototype.forEach.call(document.querySelectorAll(".chip"), function (c) { c.disabled = busy; });
  }

  async function send(message) {
    message = String(message || "").trim();
    if (!message || state.busy) return;
    clearError();
    setBusy(true);
    var mode = state.mode;
    addUserTurn(message);
    var view = addAssistantTurn(mode);
    var body = { message: message, history: state.history.slice(-MAX_HISTORY), stream: true };
    var model = $("model").value;
    if (model) body.model = model;
    if (mode === "debate") {
      var side = selectedSide();
      if (side) body.side = side;
      // A pinned post is the motion of every turn; otherwise the server reads it from the history.
      if (state.debatePost && state.debatePost.title) body.motion = state.debatePost.title;
    }
    var finished = null;
    try {
      var response = await fetch(mode === "debate" ? "/v1/debate" : "/v1/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
        body: JSON.stringify(body),
      });
      if (!response.ok) {
        failReply(view, await errorFrom(response));
        return;
      }
      var failed = null;
      await readEvents(response, function (name, data) {
        if (name === "token" && data && typeof data.text === "string") appendToken(view, data.text);
        else if (name === "citations" && data) renderCitations(view, data.citations);
        else if (name === "done" && data) finished = data;
        else if (name === "error") failed = (data && data.message) ? String(data.message) : "The avatar could not answer.";
      });
      if (failed) failReply(view, "Sorry, something went wrong: " + failed);
      else if (finished) {
        finishReply(view, finished, message);
        state.history.push({ role: "user", content: message });
        state.history.push({ role: "assistant", content: finished.text || view.raw });
      } else failReply(view, "The reply was cut off before it finished. Please try again.");
    } catch (err) {
      failReply(view, "Could not reach the avatar: " + (err && err.message ? err.message : err));
    } finally {
      setBusy(false);
    }
    return finished;
  }

  /* ---- debate this post -------------------------------------------------------------- */

  async function startPostDebate(id) {
    setMode("debate");
    var post;
    try {
      post = await getJSON("/v1/posts/lookup?id=" + encodeURIComponent(id));
    } catch (err) {
      showError("Could not open that post for debate: " + (err && err.message ? err.message : err));
      return;
    }
    state.debatePost = post;
    var banner = $("debate-banner");
    banner.textContent = "";
    banner.appendChild(document.createTextNode("Debating the post "));
    var href = safeHref(post.url);
    var title = href ? el("a", "banner-title", post.title) : el("strong", "banner-title", post.title);
    if (href) {
      title.setAttribute("href", href);
      title.setAttribute("rel", "noopener noreferrer");
      title.setAttribute("target", document.body.classList.contains("embed") ? "_blank" : "_top");
    }
    banner.appendChild(title);
    if (post.published) {
      banner.appendChild(document.createTextNode(" "));
      var t = el("time", "", formatDate(post.published));
      t.setAttribute("datetime", String(post.published));
      banner.appendChild(t);
    }
    banner.hidden = false;
    var reply = await send(post.title);
    if (reply && !reply.declined) {
      var invite = el("p", "invitation",
        "That is where I stand. Now make your case: pick a side above and tell me where you disagree.");
      $("conversation").appendChild(invite);
      $("message").focus();
    }
  }

  /* ---- start ------------------------------------------------------------------------- */

  function init() {
    var params = new URLSearchParams(window.location.search);
    if (params.get("embed") === "1") document.body.classList.add("embed");

    $("mode-ask").addEventListener("click", function () { setMode("ask"); });
    $("mode-debate").addEventListener("click", function () { setMode("debate"); });
    $("ask-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var box = $("message");
      var text = box.value;
      if (!text.trim() || state.busy) return;
      box.value = "";
      send(text);
    });
    $("message").addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        $("ask-form").requestSubmit();
      }
    });
    setMode("ask");

    var ready = Promise.all([
      getJSON("/v1/persona").then(drawPersona),
      getJSON("/v1/models").then(drawModels),
    ]).catch(function (err) {
      showError("Could not load the avatar: " + (err && err.message ? err.message : err));
    });
    getJSON("/v1/topics").then(drawTopics).catch(function () { $("topics").hidden = true; });

    ready.then(function () {
      document.body.dataset.ready = "1";
      var debate = params.get("debate");
      if (debate) startPostDebate(debate);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
