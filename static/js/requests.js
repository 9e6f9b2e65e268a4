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

  // The composer that sent is no longer in the page (a new one replaced it): ask htmx
  // which element made the request, not which one is here now.
  document.addEventListener("htmx:afterRequest", function (event) {
    var sender = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!sender || sender.id !== "composer") return;
    if (event.detail.successful) {
      localStorage.removeItem(draftKey(sender));
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
  // Refused by a busy or failing server (not by a check: those come back as a form):
  // the text stays, she is told, and it goes again a few seconds later.
  var busyRetries = 0;
  document.addEventListener("htmx:responseError", function (event) {
    var form = composer();
    if (!form || event.detail.elt !== form || busyRetries >= 5) return;
    busyRetries += 1;
    var status = form.querySelector(".composer__status");
    if (status) status.textContent = status.dataset.busy || "";
    form.classList.add("composer--pending");
    pending = true;
    setTimeout(retry, 3000 * busyRetries);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful && event.detail.elt && event.detail.elt.id === "composer") busyRetries = 0;
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

  // A refused message comes back in a new composer, its text kept by the server; the
  // files chosen stay chosen too, unless they were what was refused.
  var chosenFiles = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = composer();
    var input = form && event.detail.elt === form && form.querySelector("input[type=file]");
    chosenFiles = input && input.files.length ? input.files : null;
  });
  function restoreFiles(form) {
    var input = form.querySelector("input[type=file]");
    var otherRefusal = form.querySelector("[role=alert]") && !form.querySelector("#composer-files-errors");
    if (chosenFiles && input && otherRefusal) {
      try { input.files = chosenFiles; } catch (error) { /* an old browser: she chooses again */ }
    }
    chosenFiles = null;
  }

  document.addEventListener("DOMContentLoaded", restoreDraft);
  document.addEventListener("htmx:load", function (event) {
    if (event.detail.elt && event.detail.elt.id === "composer") {
      restoreDraft();
      restoreFiles(event.detail.elt);
    }
  });
})();

// Mentions: after "@" and the start of a name, the composer offers the colleagues who
// match; arrows move, Enter or Tab takes the name, Escape closes. Notices close on ×.
(function () {
  "use strict";
  var timer = null;

  function field() { return document.getElementById("composer-text"); }
  function choices() { return document.getElementById("mention-choices"); }

  // The "@name" being typed just before the caret, if any.
  function typedMention(area) {
    var before = area.value.slice(0, area.selectionStart);
    var at = before.lastIndexOf("@");
    if (at === -1 || (at > 0 && !/\s/.test(before.charAt(at - 1)))) return null;
    var query = before.slice(at + 1);
    if (query.length > 40 || /[\n@]/.test(query)) return null;
    return { start: at, query: query };
  }

  function close() {
    var list = choices();
    var area = field();
    if (list) { list.hidden = true; list.innerHTML = ""; }
    if (area) { area.setAttribute("aria-expanded", "false"); area.removeAttribute("aria-activedescendant"); }
  }

  function options() {
    var list = choices();
    return list ? Array.prototype.slice.call(list.querySelectorAll("li[data-name]")) : [];
  }

  function select(index) {
    var all = options();
    if (!all.length) return;
    index = (index + all.length) % all.length;
    all.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
    field().setAttribute("aria-activedescendant", all[index].id);
  }

  function selectedIndex() {
    return options().findIndex(function (li) { return li.getAttribute("aria-selected") === "true"; });
  }

  function take(li) {
    var area = field();
    var typed = area && typedMention(area);
    if (!typed || !li) return close();
    var text = "@" + li.dataset.name + " ";
    area.value = area.value.slice(0, typed.start) + text + area.value.slice(area.selectionStart);
    var caret = typed.start + text.length;
    area.setSelectionRange(caret, caret);
    area.dispatchEvent(new Event("input", { bubbles: true }));
    close();
    area.focus();
  }

  function lookUp() {
    var area = field();
    var typed = area && typedMention(area);
    if (!typed || !typed.query) return close();
    var url = area.dataset.mentionable + "?q=" + encodeURIComponent(typed.query);
    fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var list = choices();
        var current = field() && typedMention(field());
        if (!list || !current || current.query !== typed.query) return;
        list.innerHTML = html;
        list.hidden = !html.trim();
        field().setAttribute("aria-expanded", list.hidden ? "false" : "true");
        if (options().length) select(0);
      })
      .catch(close);
  }

  document.addEventListener("input", function (event) {
    if (event.target.id !== "composer-text") return;
    clearTimeout(timer);
    timer = setTimeout(lookUp, 150);
  });
  document.addEventListener("keydown", function (event) {
    var list = choices();
    if (event.target.id !== "composer-text" || !list || list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      select(selectedIndex() + (event.key === "ArrowDown" ? 1 : -1));
    } else if ((event.key === "Enter" || event.key === "Tab") && options().length) {
      event.preventDefault();
      take(options()[Math.max(selectedIndex(), 0)]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  document.addEventListener("mousedown", function (event) {
    var li = event.target.closest && event.target.closest("#mention-choices li[data-name]");
    if (li) { event.preventDefault(); take(li); }
  });
  document.addEventListener("focusout", function (event) {
    if (event.target.id === "composer-text") setTimeout(close, 100);
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".notice-toast__close");
    if (button) button.closest(".notice-toast").remove();
  });
})();

// A machine-translated text: the original one click away, and back.
document.addEventListener("click", function (event) {
  "use strict";
  var button = event.target.closest && event.target.closest(".show-original");
  if (!button) return;
  var text = button.closest(".message-text");
  var showing = button.getAttribute("aria-pressed") === "true";
  text.querySelector(".message-body:not(.message-body--original)").hidden = !showing;
  text.querySelector(".message-body--original").hidden = showing;
  button.setAttribute("aria-pressed", showing ? "false" : "true");
  button.textContent = showing ? button.dataset.labelOriginal : button.dataset.labelTranslation;
});

// A question card: a question asked only for some answers shows and hides as she
// answers (the server applies the same rule when it stores them).
document.addEventListener("change", function (event) {
  "use strict";
  var form = event.target.closest && event.target.closest(".card__form");
  if (!form) return;
  function answers(code) {
    var chosen = [];
    form.querySelectorAll('[name="q-' + code + '"]').forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") ? input.checked : input.value) {
        chosen.push(input.value);
      }
    });
    return chosen;
  }
  // In order: a question hidden hides those that depend on it.
  var hidden = {};
  form.querySelectorAll(".question[data-question]").forEach(function (question) {
    var depends = question.dataset.showIf;
    if (!depends) return;
    var wanted = question.dataset.showValues.split(" ");
    var show = !hidden[depends] && answers(depends).some(function (value) {
      return wanted.indexOf(value) !== -1;
    });
    question.hidden = !show;
    if (!show) hidden[question.dataset.question] = true;
  });
});
