// Alerts over the page's one socket: on every (re)connection, ask for what arrived while
// away (the socket answers with the count and a notice per missed alert); on an alert's
// page, watch its thread and catch up on it; reload an open alert list when told.
(function () {
  "use strict";
  var KEY = "liaison.alerts.seen";

  function lastAnnounced() {
    try { return parseInt(sessionStorage.getItem(KEY), 10) || 0; } catch (e) { return 0; }
  }
  function remember(alertId) {
    try {
      if (alertId > lastAnnounced()) sessionStorage.setItem(KEY, String(alertId));
    } catch (e) { /* storage refused: notices may repeat after a reload, nothing is lost */ }
  }

  function lastEntry(list) {
    var last = 0;
    list.querySelectorAll("[data-event-id]").forEach(function (entry) {
      last = Math.max(last, parseInt(entry.dataset.eventId, 10) || 0);
    });
    return last;
  }

  document.addEventListener("htmx:wsOpen", function (event) {
    var socket = event.detail.socketWrapper;
    socket.send(JSON.stringify({ type: "alerts", after: lastAnnounced() }));
    var list = document.getElementById("alert-thread");
    if (list) {
      socket.send(JSON.stringify({ type: "watch_alert", alert: list.dataset.alert, after: lastEntry(list) }));
    }
  });

  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var target = event.detail.target;
    if (!target) return;
    if (target.id === "alert-signal") htmx.trigger(document.body, "alerts-changed");
    if (target.id === "notices") {
      target.querySelectorAll("[data-alert]").forEach(function (notice) {
        remember(parseInt(notice.dataset.alert, 10) || 0);
      });
    }
    if (target.id === "alert-thread") {
      var seen = {};
      target.querySelectorAll("[data-event-id]").forEach(function (entry) {
        if (seen[entry.id]) entry.remove(); else seen[entry.id] = true;
      });
    }
  });
})();
