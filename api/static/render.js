/* Debate Avatar page: drawing turns — reply text with [n] links, sources, sides, follow-ups. */
(function () {
  "use strict";
  var DA = window.DebateAvatar;
  var el = DA.el;
  var cardCount = 0;

  DA.addUserTurn = function (text) {
    var turn = el("div", "turn user");
    turn.appendChild(el("div", "bubble", text));
    DA.$("conversation").appendChild(turn);
    return turn;
  };

  DA.addAssistantTurn = function (mode) {
    var turn = el("article", "turn assistant");
    turn.dataset.state = "streaming";
    turn.dataset.mode = mode;
    var bubble = el("div", "bubble");
    var meta = el("div", "reply-meta");
    var text = el("div", "reply-text");
    var cursor = el("span", "typing", "…");
    cursor.setAttribute("aria-label", "writing");
    text.appendChild(cursor);
    bubble.appendChild(meta);
    bubble.appendChild(text);
    turn.appendChild(bubble);
    DA.$("conversation").appendChild(turn);
    return { turn: turn, bubble: bubble, meta: meta, text: text, cursor: cursor, raw: "" };
  };

  DA.appendToken = function (view, piece) {
    if (view.cursor && view.cursor.parentNode) view.cursor.parentNode.removeChild(view.cursor);
    view.cursor = null;
    view.raw += piece;
    view.text.appendChild(document.createTextNode(piece));
  };

  /* The reply's text, each [n] a link that opens its quoted passage in place. */
  DA.renderReplyText = function (box, text, citations) {
    box.textContent = "";
    var byN = {};
    (citations || []).forEach(function (c) { byN[String(c.n)] = c; });
    var pattern = /\[(\d+)\]/g;
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      box.appendChild(document.createTextNode(text.slice(last, match.index)));
      var c = byN[match[1]];
      box.appendChild(c ? citeRef(c) : document.createTextNode(match[0]));
      last = pattern.lastIndex;
    }
    box.appendChild(document.createTextNode(text.slice(last)));
  };

  function citeRef(c) {
    var wrap = el("span", "cite");
    var href = DA.fragmentHref(c.url, c.quote) || "#";
    var ref = el("a", "cite-ref", "[" + c.n + "]");
    ref.setAttribute("href", href);
    cardCount += 1;
    var id = "cite-card-" + cardCount;
    ref.setAttribute("aria-expanded", "false");
    ref.setAttribute("aria-controls", id);
    ref.setAttribute("aria-label", "Source " + c.n + ": " + (c.title || "the post") + " — show the passage");
    var card = el("span", "cite-card");
    card.id = id;
    card.hidden = true;
    card.setAttribute("role", "note");
    if (c.quote) card.appendChild(el("span", "cite-card-quote", "\u201c" + c.quote + "\u201d"));
    if (DA.safeHref(c.url)) {
      card.appendChild(DA.outLink("cite-card-link", "Read it in \u201c" + (c.title || "the post") + "\u201d \u2197", href));
    }
    ref.addEventListener("click", function (event) {
      event.preventDefault();
      card.hidden = !card.hidden;
      ref.setAttribute("aria-expanded", String(!card.hidden));
    });
    wrap.appendChild(ref);
    wrap.appendChild(card);
    return wrap;
  }

  DA.renderCitations = function (bubble, citations) {
    var old = bubble.querySelector(".citations");
    if (old) old.parentNode.removeChild(old);
    if (!citations || !citations.length) return;
    var box = el("section", "citations");
    box.setAttribute("aria-label", "Sources");
    box.appendChild(el("h2", "citations-title", "Sources"));
    var list = el("ol", "citation-list");
    citations.forEach(function (c) {
      var item = el("li", "citation");
      item.value = Number(c.n) || undefined;
      var href = DA.fragmentHref(c.url, c.quote);
      var title = c.title || c.post_id || "Untitled post";
      var head = href ? DA.outLink("citation-link", title, href) : el("span", "citation-link", title);
      item.appendChild(el("span", "citation-n", "[" + c.n + "]"));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(head);
      if (c.published) {
        var time = el("time", "citation-date", DA.formatDate(c.published));
        time.setAttribute("datetime", String(c.published));
        item.appendChild(document.createTextNode(" "));
        item.appendChild(time);
      }
      if (c.quote) item.appendChild(el("blockquote", "citation-quote", c.quote));
      list.appendChild(item);
    });
    box.appendChild(list);
    bubble.appendChild(box);
  };

  // "You: against 'Cities should…' · Ada: for": the motion and both sides, in words.
  DA.debateSides = function (reply, persona) {
    var name = persona && persona.name ? persona.name.split(" ")[0] : "The author";
    var debate = reply.debate || {};
    var motion = String(debate.motion || "");
    if (motion.length > 80) motion = motion.slice(0, 79) + "\u2026";
    var theirs = { for: "for", against: "against", unclear: "hasn't taken a side on exactly this" }[reply.stance] || "";
    var span = el("span", "stance stance-" + reply.stance, "");
    if (debate.reader_side && motion) {
      span.appendChild(document.createTextNode("You: " + debate.reader_side + " \u2018" + motion + "\u2019 \u00b7 "));
    } else if (motion) {  // no side taken yet (a post opened for debate, or a question)
      span.appendChild(document.createTextNode("\u2018" + motion + "\u2019 \u00b7 You: no side yet \u00b7 "));
    }
    span.appendChild(document.createTextNode(name + ": " + theirs));
    return span;
  };

  /* A finished reply: final text with [n] links, sides, notes and sources. */
  DA.finishView = function (view, reply, ctx) {
    view.turn.dataset.state = "done";
    var text = typeof reply.text === "string" ? reply.text : view.raw;
    view.raw = text;
    DA.renderReplyText(view.text, text, reply.citations);
    view.meta.textContent = "";
    if (reply.stance) view.meta.appendChild(DA.debateSides(reply, ctx.persona));
    if (reply.model && ctx.modelChoice) view.meta.appendChild(el("span", "model-tag", DA.modelLabel(reply.model)));
    if (reply.declined) {
      view.turn.classList.add("declined");
      var note = el("p", "declined-note",
        DA.firstName(ctx.persona) + " hasn't written about this, so there is no answer from the posts to give.");
      note.setAttribute("role", "note");
      view.bubble.insertBefore(note, view.text);
    }
    DA.renderCitations(view.bubble, reply.citations);
  };

  DA.modelLabel = function (name) {
    return name === "extractive" ? "quotes only" : name;
  };

  DA.failView = function (view, message) {
    view.turn.dataset.state = "error";
    view.turn.classList.add("failed");
    if (view.cursor && view.cursor.parentNode) view.cursor.parentNode.removeChild(view.cursor);
    view.bubble.appendChild(el("p", "reply-error", message));
    DA.showError(message);
  };

  /* Helpful / not helpful under a reply, stored with its question and sources. */
  DA.addFeedback = function (view, question, reply) {
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
          await DA.postJSON("/v1/feedback", {
            question: question, reply: reply.text || "", model: reply.model || "",
            citations: reply.citations || [], helpful: helpful, surface: "web",
          });
          button.classList.add("chosen");
          bar.dataset.sent = helpful ? "helpful" : "not-helpful";
          bar.appendChild(el("span", "feedback-thanks", "Thanks for the feedback."));
        } catch (err) {
          yes.disabled = no.disabled = false;
          DA.showError("Could not send feedback: " + DA.reason(err));
        }
      });
      bar.appendChild(button);
    });
    view.bubble.appendChild(bar);
  };

  /* Two or three follow-ups from the archive, as buttons under the reply. */
  DA.renderSuggestions = function (view, items, onPick) {
    if (!items || !items.length) return;
    var box = el("nav", "follow-ups");
    box.setAttribute("aria-label", "Follow-up questions");
    box.appendChild(el("span", "follow-ups-label", "Go further:"));
    items.forEach(function (s) {
      var button = el("button", "follow-up", s.label);
      button.type = "button";
      button.dataset.kind = s.kind;
      button.title = s.message;
      button.addEventListener("click", function () { onPick(s); });
      box.appendChild(button);
    });
    view.bubble.appendChild(box);
  };
})();
