/* Debate Avatar chat page: state, sending, streaming, keeping and sharing the conversation.
 * Helpers live in dom.js, drawing in render.js, storage and links in memory.js.
 */
(function () {
  "use strict";
  var DA = window.DebateAvatar;
  var $ = DA.$, el = DA.el;

  var MAX_HISTORY = 50;
  var state = {
    mode: "ask",
    busy: false,
    persona: null,
    modelChoice: false,
    debatePost: null,    // {post_id, title, url, published} when debating a pinned post
    motion: "",
    origin: "",          // what opened this conversation ("", "debate:<id>", "on:<url>")
    turns: [],           // [{role, text, reply}] — kept in browser storage, shared as a link
    readOnly: false,
  };

  function ctx() { return { persona: state.persona, modelChoice: state.modelChoice }; }

  function remember() {
    if (state.readOnly) return;
    DA.memory.save({ mode: state.mode, side: selectedSide(), debatePost: state.debatePost,
                     origin: state.origin, motion: state.motion, turns: state.turns });
    $("share").disabled = !state.turns.length;
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
    (data.models || []).forEach(function (m) {
      var option = document.createElement("option");
      option.value = m.name;
      option.textContent = (m.name === "extractive" ? "Quotes only (no language model)" : (m.label || m.name)) + (m.demo ? " (demo)" : "");
      if (m.name === data.default || m.default) option.selected = true;
      select.appendChild(option);
    });
    state.modelChoice = select.options.length > 1;
    $("model-picker").hidden = !state.modelChoice;   // one model: nothing to pick
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
        send(state.mode === "debate" ? String(label) : "What do you think about " + label + "?");
      });
      nav.appendChild(chip);
    });
    nav.hidden = state.readOnly || !nav.childNodes.length;
  }

  /* ---- mode and sides ---------------------------------------------------------------- */

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
    var name = DA.firstName(state.persona);
    $("message").placeholder = state.mode === "debate"
      ? "State a position to debate with " + name + "…"
      : "Ask what " + name + " thinks…";
  }

  function setMotion(motion) {
    state.motion = String(motion || "");
    var shown = state.motion.length > 70 ? state.motion.slice(0, 69) + "\u2026" : state.motion;
    $("side-motion").textContent = shown ? "Your side on \u2018" + shown + "\u2019:" : "Your side:";
  }

  function selectedSide() {
    var checked = document.querySelector('input[name="side"]:checked');
    return checked ? checked.value : null;
  }

  /* ---- scrolling: the end of a reply is never under the message box ------------------ */

  function measureComposer() {
    var height = state.readOnly ? 0 : $("ask-form").offsetHeight;
    document.documentElement.style.setProperty("--composer-h", height + "px");
  }

  function scrollToEnd() {
    var last = $("conversation").lastElementChild;
    if (last && last.scrollIntoView) last.scrollIntoView({ block: "end", behavior: "auto" });
  }

  /* ---- sending ----------------------------------------------------------------------- */

  function setBusy(busy) {
    state.busy = busy;
    $("send").disabled = busy;
    document.body.classList.toggle("busy", busy);
    Array.prototype.forEach.call(document.querySelectorAll(".chip, .follow-up"), function (c) { c.disabled = busy; });
  }

  function history() {
    return state.turns.slice(-MAX_HISTORY).map(function (t) { return { role: t.role, content: t.text }; });
  }

  async function send(message) {
    message = String(message || "").trim();
    if (!message || state.busy || state.readOnly) return null;
    DA.clearError();
    setBusy(true);
    var mode = state.mode;
    DA.addUserTurn(message);
    var view = DA.addAssistantTurn(mode);
    scrollToEnd();
    var body = { message: message, history: history(), stream: true };
    if ($("model").value) body.model = $("model").value;
    if (mode === "debate") {
      var side = selectedSide();
      if (side) body.side = side;
      // A pinned post is the motion of every turn; else the previous reply's motion.
      var motion = state.debatePost && state.debatePost.title ? state.debatePost.title : state.motion;
      if (motion) body.motion = motion;
    }
    var finished = null;
    try {
      var response = await fetch(mode === "debate" ? "/v1/debate" : "/v1/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
        body: JSON.stringify(body),
      });
      if (!response.ok) {
        DA.failView(view, await DA.errorFrom(response));
        return null;
      }
      var failed = null;
      await DA.readEvents(response, function (name, data) {
        if (name === "token" && data && typeof data.text === "string") { DA.appendToken(view, data.text); scrollToEnd(); }
        else if (name === "citations" && data) DA.renderCitations(view.bubble, data.citations);
        else if (name === "done" && data) finished = data;
        else if (name === "error") failed = (data && data.message) ? String(data.message) : "The avatar could not answer.";
      });
      if (failed) DA.failView(view, "Sorry, something went wrong: " + failed);
      else if (finished) {
        DA.finishView(view, finished, ctx());
        if (finished.debate) setMotion(finished.debate.motion);
        DA.addFeedback(view, message, finished);
        state.turns.push({ role: "user", text: message });
        state.turns.push({ role: "assistant", text: finished.text || view.raw, reply: finished });
        remember();
        scrollToEnd();
        suggest(view, message, finished);
      } else DA.failView(view, "The reply was cut off before it finished. Please try again.");
    } catch (err) {
      DA.failView(view, "Could not reach the avatar: " + DA.reason(err));
    } finally {
      setBusy(false);
    }
    return finished;
  }

  async function suggest(view, question, reply) {
    if (reply.declined) return;
    try {
      var found = await DA.postJSON("/v1/suggestions", {
        question: question, mode: reply.mode === "debate" ? "debate" : "ask",
        cited: (reply.citations || []).map(function (c) { return c.post_id; }),
        motion: reply.debate ? reply.debate.motion : "",
      });
      DA.renderSuggestions(view, found.suggestions, function (s) {
        setMode(s.mode);
        send(s.message);
      });
      scrollToEnd();
    } catch (err) { /* follow-ups are a nicety: the reply stands without them */ }
  }

  /* ---- kept, shared and new conversations -------------------------------------------- */

  function replay(turns) {
    turns.forEach(function (t, i) {
      if (t.role === "user") { DA.addUserTurn(t.text); return; }
      var view = DA.addAssistantTurn((t.reply && t.reply.mode) || "ask");
      DA.finishView(view, Object.assign({ text: t.text }, t.reply || {}), ctx());
      if (!state.readOnly) {
        var asked = i > 0 ? turns[i - 1].text : "";
        DA.addFeedback(view, asked, Object.assign({ text: t.text }, t.reply || {}));
      }
    });
  }

  function restore(kept) {
    state.turns = kept.turns;
    state.origin = kept.origin || "";
    setMode(kept.mode);
    if (kept.side) {
      var radio = document.querySelector('input[name="side"][value="' + (kept.side === "for" ? "for" : "against") + '"]');
      if (radio) radio.checked = true;
    }
    if (kept.debatePost) showDebateBanner(kept.debatePost);
    setMotion(kept.motion || "");
    replay(kept.turns);
    remember();
    scrollToEnd();
  }

  async function share() {
    if (!state.turns.length) return;
    try {
      var link = await DA.shareConversation({ mode: state.mode, turns: state.turns, debatePost: state.debatePost });
      var box = $("share-box");
      box.hidden = false;
      $("share-link").value = DA.absoluteUrl(link.url);
      $("share-expires").textContent = "Anyone with the link can read it (not reply) until " + DA.formatDate(link.expires_at) + ".";
      box.dataset.id = link.id;
      $("share-link").select();
    } catch (err) {
      DA.showError("Could not share this conversation: " + DA.reason(err));
    }
  }

  async function unshare() {
    var box = $("share-box");
    try {
      await DA.unshareConversation(box.dataset.id);
      $("share-link").value = "";
      $("share-expires").textContent = "The link is removed: nobody can open it any more.";
    } catch (err) {
      DA.showError("Could not remove the link: " + DA.reason(err));
    }
  }

  function newConversation() {
    DA.memory.clear();
    window.location.href = window.location.pathname + (document.body.classList.contains("embed") ? "?embed=1" : "");
  }

  async function openShared(id) {
    state.readOnly = true;
    document.body.classList.add("shared");
    measureComposer();
    var shared;
    try {
      shared = await DA.loadShared(id);
    } catch (err) {
      DA.showError("This shared conversation cannot be opened: it was removed or has expired.");
      return;
    }
    var banner = $("debate-banner");
    banner.textContent = "";
    banner.appendChild(document.createTextNode("A shared conversation with " + DA.firstName(state.persona) +
      ", read-only (until " + DA.formatDate(shared.expires_at) + "). "));
    var own = el("a", "banner-link", "Start your own conversation");
    own.setAttribute("href", "/");
    banner.appendChild(own);
    banner.hidden = false;
    replay(shared.turns);
  }

  /* ---- debate this post -------------------------------------------------------------- */

  function showDebateBanner(post) {
    state.debatePost = post;
    var banner = $("debate-banner");
    banner.textContent = "";
    banner.appendChild(document.createTextNode("Debating the post "));
    var href = DA.safeHref(post.url);
    banner.appendChild(href ? DA.outLink("banner-title", post.title, href) : el("strong", "banner-title", post.title));
    if (post.published) {
      banner.appendChild(document.createTextNode(" "));
      var t = el("time", "", DA.formatDate(post.published));
      t.setAttribute("datetime", String(post.published));
      banner.appendChild(t);
    }
    banner.hidden = false;
    setMotion(post.title);
  }

  async function startPostDebate(id, quiet) {
    var post;
    try {
      post = await DA.getJSON("/v1/posts/lookup?id=" + encodeURIComponent(id));
    } catch (err) {
      // The widget on a page that is not one of his posts: a plain conversation, no error.
      if (!quiet) DA.showError("Could not open that post for debate: " + DA.reason(err));
      return;
    }
    setMode("debate");
    showDebateBanner(post);
    var reply = await send(post.title);
    if (reply && !reply.declined) {
      $("conversation").appendChild(el("p", "invitation",
        "That is where I stand. Now make your case: pick a side above and tell me where you disagree."));
      $("message").focus();
    }
  }

  /* ---- start ------------------------------------------------------------------------- */

  function widgetOptions(params) {
    var accent = params.get("accent") || "";
    if (/^#[0-9a-f]{3,8}$/i.test(accent)) document.documentElement.style.setProperty("--accent", accent);
    var greeting = (params.get("greeting") || "").slice(0, 300);
    if (greeting) $("conversation").appendChild(el("p", "greeting", greeting));
  }

  function wire() {
    $("mode-ask").addEventListener("click", function () { setMode("ask"); remember(); });
    $("mode-debate").addEventListener("click", function () { setMode("debate"); remember(); });
    $("share").addEventListener("click", share);
    $("share-remove").addEventListener("click", unshare);
    $("share-copy").addEventListener("click", function () {
      $("share-link").select();
      if (navigator.clipboard) navigator.clipboard.writeText($("share-link").value).catch(function () {});
    });
    $("new-conversation").addEventListener("click", newConversation);
    $("ask-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var box = $("message");
      if (!box.value.trim() || state.busy) return;
      var text = box.value;
      box.value = "";
      send(text);
    });
    $("message").addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        $("ask-form").requestSubmit();
      }
    });
    if (window.ResizeObserver) new ResizeObserver(measureComposer).observe($("ask-form"));
    window.addEventListener("resize", measureComposer);
  }

  function init() {
    var params = new URLSearchParams(window.location.search);
    if (params.get("embed") === "1") document.body.classList.add("embed");
    wire();
    setMode("ask");
    setMotion("");
    measureComposer();

    var ready = Promise.all([
      DA.getJSON("/v1/persona").then(drawPersona),
      DA.getJSON("/v1/models").then(drawModels),
    ]).catch(function (err) { DA.showError("Could not load the avatar: " + DA.reason(err)); });
    DA.getJSON("/v1/topics").then(drawTopics).catch(function () { $("topics").hidden = true; });

    ready.then(async function () {
      var sharedId = params.get("c");
      var debate = params.get("debate");
      var on = params.get("on");
      var origin = debate ? "debate:" + debate : on ? "on:" + on : "";
      var kept = DA.memory.load();
      var fresh = !sharedId && !(kept && kept.turns.length && (kept.origin || "") === origin);
      if (sharedId) await openShared(sharedId);
      else if (!fresh) restore(kept);
      else {
        state.origin = origin;
        widgetOptions(params);
      }
      $("share").disabled = !state.turns.length;
      document.body.dataset.ready = "1";
      if (fresh && debate) startPostDebate(debate, false);
      else if (fresh && on) startPostDebate(on, true);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
