// The ticket page, live: Server-Sent Events update the facts in place; a call vibrates and chimes.
// Without JavaScript the page still shows the same facts on reload.
(function () {
  "use strict";
  var card = document.getElementById("ticket");
  if (!card || !window.EventSource) return;
  var live = document.getElementById("live");
  var soundButton = document.getElementById("sound");
  var audio = null;
  var lastStatus = card.className.replace(/.*state-(\S+).*/, "$1");

  function setText(id, text) {
    var el = document.getElementById(id);
    if (!el) return;
    el.textContent = text || "";
    el.hidden = !text;
  }

  function chime() {
    if (navigator.vibrate) navigator.vibrate([400, 200, 400, 200, 600]);
    if (!audio) return;
    try {
      [0, 0.35].forEach(function (start, i) {
        var osc = audio.createOscillator(), gain = audio.createGain();
        osc.frequency.value = i ? 660 : 880;
        gain.gain.setValueAtTime(0.25, audio.currentTime + start);
        gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + start + 0.3);
        osc.connect(gain); gain.connect(audio.destination);
        osc.start(audio.currentTime + start); osc.stop(audio.currentTime + start + 0.3);
      });
    } catch (e) { /* no sound where the browser refuses it */ }
  }

  var Ctx = window.AudioContext || window.webkitAudioContext;
  if (Ctx && soundButton && card.getAttribute("data-final") !== "true") {
    soundButton.hidden = false;
    soundButton.addEventListener("click", function () {
      audio = audio || new Ctx();
      if (audio.resume) audio.resume();
      soundButton.hidden = true;
    });
  }

  function show(view) {
    setText("number", view.number);
    setText("service", view.service);
    setText("status", view.status_label);
    setText("headline", view.headline);
    setText("ahead", view.ahead);
    setText("wait", view.wait);
    setText("message", view.message);
    card.className = "card state-" + view.status;
    if (view.called && (lastStatus !== "called" || view.recalled)) chime();
    lastStatus = view.status;
    if (view.final) { source.close(); if (soundButton) soundButton.hidden = true; }
  }

  var source = new EventSource(card.getAttribute("data-events"));
  source.addEventListener("ticket", function (e) {
    try { show(JSON.parse(e.data)); } catch (err) { /* a malformed message changes nothing */ }
  });
  source.onopen = function () {
    live.hidden = false; live.className = "live"; live.textContent = live.getAttribute("data-live");
  };
  source.onerror = function () {
    if (card.getAttribute("data-final") === "true") return;
    live.hidden = false; live.className = "live offline"; live.textContent = live.getAttribute("data-offline");
  };
  if (card.getAttribute("data-final") === "true") source.close();
}());
