// Copy buttons for campaign posts. Without JavaScript the buttons stay
// hidden and the post text can still be selected and copied by hand.
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  var status = document.querySelector(".gp-copy-status");
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    button.hidden = false;
    var label = button.textContent;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = "Copied";
        if (status) status.textContent = label.replace("Copy", "Copied") + " to the clipboard";
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });
})();
