// The manager's monitor, live: the server sends the page's parts as HTML over Server-Sent Events.
// A part the manager is using (a form with focus, an open "pause" box) is swapped in once they are done.
(function () {
  "use strict";
  var monitor = document.querySelector("[data-stream]");
  if (monitor && window.EventSource) {
    var pending = {};
    var live = document.getElementById("live");
    var busy = function (el) {
      return el.contains(document.activeElement) && document.activeElement !== document.body ||
        el.querySelector("details[open]") !== null;
    };
    var apply = function (name, html) {
      var el = document.getElementById("part-" + name);
      if (!el) { return; }
      if (busy(el)) { pending[name] = html; return; }
      delete pending[name];
      el.innerHTML = html;
    };
    var flush = function () { Object.keys(pending).forEach(function (n) { apply(n, pending[n]); }); };
    document.addEventListener("focusout", function () { setTimeout(flush, 0); });
    document.addEventListener("toggle", function () { setTimeout(flush, 0); }, true);
    var source = new EventSource(monitor.getAttribute("data-stream"));
    source.addEventListener("monitor", function (e) {
      var parts = JSON.parse(e.data);
      ["alerts", "today", "services", "counters"].forEach(function (n) { if (n in parts) { apply(n, parts[n]); } });
      document.getElementById("updated").textContent = parts.updated;
      monitor.setAttribute("data-version", e.lastEventId || "");
      document.body.classList.remove("offline");
      live.textContent = live.getAttribute("data-live");
    });
    source.onerror = function () {
      document.body.classList.add("offline");
      live.textContent = live.getAttribute("data-offline");
    };
  }
  var form = document.getElementById("report-form");
  if (form) {
    form.addEventListener("submit", function () {
      var progress = document.getElementById("report-progress");
      var started = Date.now();
      var text = form.getAttribute("data-working");
      var tick = function () {
        progress.textContent = text.replace("{s}", Math.round((Date.now() - started) / 1000));
      };
      tick();
      setInterval(tick, 1000);
    });
  }
})();
