// Loads the theme's Bootstrap bundle (scripts/bootstrap.js, 24 KB gzipped) only when a
// page needs it, instead of with every page. On these pages Bootstrap does three things:
// the tooltips of the header's buttons, the header's download menu, and the back-to-top
// button that shows when a reader scrolls back up. So it loads when a reader points at,
// focuses or touches one of those buttons, or scrolls up below the header; Bootstrap then
// sets them all up as it would have at load. A click on the download menu that comes
// before Bootstrap has arrived opens the menu once it has.
(function () {
  "use strict";
  var source = document.currentScript.dataset.bootstrap;
  var CONTROL = "[data-bs-toggle]";
  var MENU = '[data-bs-toggle="dropdown"]';
  var loaded = null;

  function load() {
    if (!loaded) {
      loaded = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = source;
        script.onload = resolve;
        script.onerror = function () { reject(new Error("could not load " + source)); };
        document.head.appendChild(script);
      });
      loaded.catch(function (error) { console.error("aitrade: " + error.message); });
    }
    return loaded;
  }

  function onControl(event) {
    var control = event.target.closest && event.target.closest(CONTROL);
    if (!control || window.bootstrap) {
      return;
    }
    load().then(function () {
      // The tooltip of the button the reader is on, which Bootstrap set up after the
      // pointer or focus arrived.
      var tooltip = bootstrap.Tooltip.getInstance(control);
      if (tooltip && (control.matches(":hover") || control === document.activeElement)) {
        tooltip.show();
      }
    });
  }

  ["pointerover", "focusin"].forEach(function (type) {
    document.addEventListener(type, onControl, true);
  });

  document.addEventListener("click", function (event) {
    var menu = event.target.closest && event.target.closest(MENU);
    if (menu && !window.bootstrap) {
      event.preventDefault();
      load().then(function () { bootstrap.Dropdown.getOrCreateInstance(menu).toggle(); });
    }
  });

  // The theme shows its back-to-top button when a reader scrolls up below the header.
  // The first time, the button is shown here as the theme would show it; Bootstrap's own
  // scroll handler shows and hides it from the next scroll on. That handler compares the
  // position with window.oldScroll, which it sets itself: it is given the last position,
  // so that its first call does not hide the button while the reader still scrolls up.
  var backToTop = document.getElementById("pst-back-to-top");
  var lastScroll = window.scrollY;
  function onScroll() {
    var header = document.querySelector(".bd-header");
    var below = header ? header.getBoundingClientRect().bottom : 0;
    if (window.scrollY < lastScroll && window.scrollY > below) {
      window.removeEventListener("scroll", onScroll);
      load().then(function () {
        window.oldScroll = window.scrollY;
        backToTop.style.display = "block";
      });
    }
    lastScroll = window.scrollY;
  }
  if (backToTop) {
    window.addEventListener("scroll", onScroll, { passive: true });
  }
})();
