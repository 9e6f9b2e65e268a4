// The live connection indicator, and reconnection whatever the reason the socket closed.
// htmx's ws extension reconnects by itself (with jitter) after an abnormal closure;
// a socket closed cleanly by a restarting server is reopened here, also with jitter.
(function () {
  "use strict";
  var RETRIED_BY_HTMX = [1006, 1011, 1012, 1013];
  var everConnected = false;
  var retries = 0;

  function indicator() { return document.getElementById("live-status"); }

  function show(state) {
    var el = indicator();
    if (!el) return;
    el.dataset.state = state;
    var label = el.querySelector(".live-status__label");
    if (label && el.dataset["label" + state.charAt(0).toUpperCase() + state.slice(1)]) {
      label.textContent = el.dataset["label" + state.charAt(0).toUpperCase() + state.slice(1)];
    }
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
      var delay = Math.random() * 1000 * Math.pow(2, Math.min(retries, 6));
      retries += 1;
      setTimeout(wrapper.reconnect, delay);
    }
  });
})();
