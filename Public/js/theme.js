// Runs before the page paints so a dark theme never flashes light. The page's module later applies the saved
// preference from the server and keeps this copy in step.
(function () {
  var theme = "auto";
  try { theme = localStorage.getItem("deskpilot.theme") || "auto"; } catch (e) { /* storage may be off */ }
  document.documentElement.dataset.theme = theme;
})();
