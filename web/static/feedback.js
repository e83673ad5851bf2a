// The feedback block: a character count that warns (never cuts) when a remark is over the limit, at most
// the allowed number of reasons, and a reload when the ticket is served so the rating form appears.
(function () {
  "use strict";
  var body = document.getElementById("fb-body");
  var count = document.getElementById("fb-count");
  if (body && count) {
    var max = parseInt(body.getAttribute("data-max"), 10);
    var pattern = body.getAttribute("data-count");
    var update = function () {
      var n = Array.from(body.value.replace(/\r?\n/g, "\r\n")).length;  // a form sends each new line as CR LF
      count.textContent = pattern.replace("{n}", String(n));
      count.className = "fb-count" + (n > max ? " over" : "");
    };
    body.addEventListener("input", update);
    update();
  }
  var reasons = document.querySelector(".fb-reasons");
  if (reasons) {
    var limit = parseInt(reasons.getAttribute("data-max"), 10);
    reasons.addEventListener("change", function () {
      var boxes = reasons.querySelectorAll("input[type=checkbox]");
      var ticked = reasons.querySelectorAll("input[type=checkbox]:checked").length;
      boxes.forEach(function (b) { b.disabled = !b.checked && ticked >= limit; });
    });
  }
  var block = document.getElementById("phan-hoi");
  var card = document.getElementById("ticket");
  if (block && card && block.getAttribute("data-served") !== "true" && window.MutationObserver) {
    new MutationObserver(function () {
      var typed = body && body.value.trim();
      if (/\bstate-done\b/.test(card.className) && !typed) window.location.reload();
    }).observe(card, { attributes: true, attributeFilter: ["class"] });
  }
}());
