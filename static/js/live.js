// The live connection indicator, and reconnection whatever the reason the socket closed.
// htmx's ws extension reconnects by itself after an abnormal closure; a socket closed
// cleanly by a restarting server is reopened here. Both wait the same way: a random
// delay ("full jitter", so thousands of pages do not return at the same instant) whose
// ceiling doubles with each failure but stays at a few seconds, so a page is back soon
// after the server is.
(function () {
  "use strict";
  var RETRIED_BY_HTMX = [1006, 1011, 1012, 1013];
  var CEILING_MS = 8000;
  var everConnected = false;
  var retries = 0;

  function reconnectDelay(retryCount) {
    return Math.random() * Math.min(CEILING_MS, 500 * Math.pow(2, retryCount));
  }
  htmx.config.wsReconnectDelay = reconnectDelay;

  function indicator() { return document.getElementById("live-status"); }

  function show(state) {
    var el = indicator();
    if (!el) return;
    el.dataset.state = state;
    var label = el.querySelector(".live-status__label");
    var key = "label" + state.charAt(0).toUpperCase() + state.slice(1);
    if (label && el.dataset[key]) label.textContent = el.dataset[key];
  }

  document.addEventListener("htmx:wsConnecting", function () {
    show(everConnected ? "reconnecting" : "connecting");
  });
  // "connected" itself arrives from the server, as a fragment, once it has taken us in.
  document.addEventListener("htmx:wsOpen", function () {
    everConnected = true;
    retries = 0;
  });
  document.addEventListener("htmx:wsClose", function (event) {
    show("reconnecting");
    var code = event.detail.event.code;
    var wrapper = event.detail.socketWrapper;
    if (RETRIED_BY_HTMX.indexOf(code) === -1 && wrapper && document.body.hasAttribute("ws-connect")) {
      setTimeout(wrapper.reconnect, reconnectDelay(retries));
      retries += 1;
    }
  });
})();
