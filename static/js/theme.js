// kbportal: the colour scheme the person chose (the switch in the top bar), applied before the
// first paint; loaded as a file in <head> because the CSP forbids inline scripts. Without a
// stored choice the system's setting applies (prefers-color-scheme in app.css).
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  try {
    var stored = window.localStorage.getItem("kb-theme");
    if (stored === "dark" || stored === "light") root.setAttribute("data-theme", stored);
  } catch (error) { /* storage refused: follow the system */ }
})();
