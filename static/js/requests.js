// A request's page over the page's one socket: watch the thread (and catch up on what
// was missed while the socket was down), mark it read, keep the composer's text safe.
(function () {
  "use strict";
  var socket = null;

  function thread() { return document.getElementById("thread"); }

  function lastEventId() {
    var last = 0;
    var list = thread();
    if (!list) return 0;
    list.querySelectorAll("[data-event-id]").forEach(function (entry) {
      last = Math.max(last, parseInt(entry.dataset.eventId, 10) || 0);
    });
    return last;
  }

  function send(message) {
    if (socket) socket.send(JSON.stringify(message));
  }

  // Each (re)connection asks for every entry after the last one shown.
  document.addEventListener("htmx:wsOpen", function (event) {
    socket = event.detail.socketWrapper;
    var list = thread();
    if (list) send({ type: "watch", request: list.dataset.request, after: lastEventId() });
  });
  document.addEventListener("htmx:wsClose", function () { socket = null; });

  // Presence, coarse: "still here" every 30 s while the page is visible; "writing" on
  // typing (the server passes it on at most every 3 s). A "writing" shown goes after 6 s.
  setInterval(function () {
    var list = thread();
    if (list && document.visibilityState === "visible") {
      send({ type: "here", request: list.dataset.request });
    }
  }, 30000);
  var lastTyping = 0;
  document.addEventListener("input", function (event) {
    var list = thread();
    if (list && event.target.id === "composer-text" && Date.now() - lastTyping > 3000) {
      lastTyping = Date.now();
      send({ type: "typing", request: list.dataset.request });
    }
  });
  var typingTimer = null;
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "presence") return;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () {
      document.querySelectorAll("#presence .presence__typing").forEach(function (el) { el.remove(); });
    }, 6000);
  });

  function markRead() {
    var list = thread();
    if (list && document.visibilityState === "visible") {
      send({ type: "read", request: list.dataset.request, up_to: lastEventId() });
    }
  }
  document.addEventListener("visibilitychange", markRead);

  // An entry can arrive twice (the author's own response, and the socket): keep one.
  function dropDuplicates() {
    var seen = {};
    var list = thread();
    if (!list) return;
    list.querySelectorAll("[data-event-id]").forEach(function (entry) {
      if (seen[entry.id]) entry.remove(); else seen[entry.id] = true;
    });
  }

  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "thread") { dropDuplicates(); markRead(); }
    if (target && target.id === "inbox-signal") htmx.trigger(document.body, "inbox-changed");
  });
  document.addEventListener("htmx:afterSwap", function () { dropDuplicates(); });
  // Whatever a socket message swapped, the thread keeps one copy of each entry.
  var lastRead = 0;
  document.addEventListener("htmx:wsAfterMessage", function () {
    dropDuplicates();
    var last = lastEventId();
    if (last > lastRead) { lastRead = last; markRead(); }
  });

  // --- the composer: nothing typed is lost -------------------------------------------------
  function composer() { return document.getElementById("composer"); }
  function draftKey(form) { return "liaison:composer:" + form.dataset.request; }

  function restoreDraft() {
    var form = composer();
    if (!form) return;
    var text = form.querySelector("textarea[name=text]");
    var saved = window.localStorage && localStorage.getItem(draftKey(form));
    if (saved && !text.value) text.value = saved;
  }

  document.addEventListener("input", function (event) {
    var form = composer();
    if (form && event.target.name === "text" && form.contains(event.target)) {
      localStorage.setItem(draftKey(form), event.target.value);
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = composer();
    if (!form || event.detail.elt !== form) return;
    if (event.detail.successful) {
      localStorage.removeItem(draftKey(form));
    }
  });

  // Offline: the request never left. Keep the text, say so, and send it once back online.
  var pending = false;
  document.addEventListener("htmx:sendError", function (event) {
    var form = composer();
    if (!form || event.detail.elt !== form) return;
    pending = true;
    var status = form.querySelector(".composer__status");
    if (status) status.textContent = form.dataset.offlineLabel || status.dataset.offline || "";
    form.classList.add("composer--pending");
  });
  function retry() {
    var form = composer();
    if (pending && form) { pending = false; form.classList.remove("composer--pending"); htmx.trigger(form, "submit"); }
  }
  window.addEventListener("online", retry);
  document.addEventListener("htmx:wsOpen", retry);

  // Replies: the button under a message fills the composer's reply_to.
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".reply-button");
    var form = composer();
    if (button && form) {
      form.querySelector("input[name=reply_to]").value = button.dataset.replyTo;
      var note = form.querySelector(".composer__replying");
      note.hidden = false;
      note.querySelector("span").textContent = button.dataset.replyName;
      form.querySelector("textarea").focus();
    }
    if (event.target.closest(".composer__cancel-reply") && form) {
      form.querySelector("input[name=reply_to]").value = "";
      form.querySelector(".composer__replying").hidden = true;
    }
  });

  document.addEventListener("DOMContentLoaded", restoreDraft);
  document.addEventListener("htmx:load", function (event) {
    if (event.detail.elt && event.detail.elt.id === "composer") restoreDraft();
  });
})();
