/* bantin.js — cỡ chữ và chế độ tương phản cao (progressive enhancement).
   Plain ES2017, no dependencies, no network. Works from file://.
   Storage keys: localStorage["bantin.textSize"] (percentage, e.g. "112.5")
                 localStorage["bantin.contrast"] ("1" or "0"). */
(function () {
  "use strict";

  var root = document.documentElement;
  var SIZES = [87.5, 100, 112.5, 125, 150];
  var DEFAULT_INDEX = 1;
  var KEY_SIZE = "bantin.textSize";
  var KEY_CONTRAST = "bantin.contrast";

  // localStorage may be missing or throw (file://, privacy settings, quota).
  function load(key) {
    try {
      return window.localStorage ? window.localStorage.getItem(key) : null;
    } catch (e) {
      return null;
    }
  }
  function save(key, value) {
    try {
      if (!window.localStorage) { return; }
      if (value === null) {
        window.localStorage.removeItem(key);
      } else {
        window.localStorage.setItem(key, value);
      }
    } catch (e) {
      /* ignore: the setting simply is not remembered */
    }
  }

  function sizeIndexFrom(value) {
    var n = parseFloat(value);
    var i = SIZES.indexOf(n);
    return i >= 0 ? i : DEFAULT_INDEX;
  }

  var sizeIndex = sizeIndexFrom(load(KEY_SIZE));
  var contrast = load(KEY_CONTRAST) === "1";

  // Apply stored settings first (before anything else touches the page).
  root.classList.remove("no-js");
  root.classList.add("js");

  function applySize() {
    root.style.fontSize = sizeIndex === DEFAULT_INDEX ? "" : SIZES[sizeIndex] + "%";
    updateButtons();
  }
  function applyContrast() {
    root.classList.toggle("high-contrast", contrast);
    updateButtons();
  }

  var tools = document.querySelectorAll(".a11y-tools");

  function eachButton(action, fn) {
    for (var t = 0; t < tools.length; t++) {
      var buttons = tools[t].querySelectorAll('[data-action="' + action + '"]');
      for (var b = 0; b < buttons.length; b++) { fn(buttons[b]); }
    }
  }
  function setDisabled(button, disabled) {
    // aria-disabled (not `disabled`) so keyboard focus is not lost.
    if (disabled) {
      button.setAttribute("aria-disabled", "true");
    } else {
      button.removeAttribute("aria-disabled");
    }
  }
  function updateButtons() {
    eachButton("text-smaller", function (b) { setDisabled(b, sizeIndex === 0); });
    eachButton("text-larger", function (b) { setDisabled(b, sizeIndex === SIZES.length - 1); });
    eachButton("text-reset", function (b) {
      // The words are the page's: data-title on the button, {size} filled in.
      var title = b.getAttribute("data-title") || "{size}%";
      b.setAttribute("title", title.replace("{size}", String(SIZES[sizeIndex]).replace(".", ",")));
    });
    eachButton("contrast", function (b) { b.setAttribute("aria-pressed", contrast ? "true" : "false"); });
  }

  function setSize(index) {
    sizeIndex = Math.max(0, Math.min(SIZES.length - 1, index));
    applySize();
    save(KEY_SIZE, sizeIndex === DEFAULT_INDEX ? null : String(SIZES[sizeIndex]));
  }
  function setContrast(on) {
    contrast = !!on;
    applyContrast();
    save(KEY_CONTRAST, contrast ? "1" : null);
  }

  applySize();
  applyContrast();

  function onClick(event) {
    var target = event.target;
    while (target && target !== event.currentTarget && !(target.getAttribute && target.getAttribute("data-action"))) {
      target = target.parentNode;
    }
    if (!target || !target.getAttribute) { return; }
    switch (target.getAttribute("data-action")) {
      case "text-smaller": setSize(sizeIndex - 1); break;
      case "text-reset": setSize(DEFAULT_INDEX); break;
      case "text-larger": setSize(sizeIndex + 1); break;
      case "contrast": setContrast(!contrast); break;
      default: return;
    }
  }

  for (var i = 0; i < tools.length; i++) {
    tools[i].removeAttribute("hidden");
    tools[i].addEventListener("click", onClick);
  }

  // "In" buttons print the page (shown only when this script runs).
  var prints = document.querySelectorAll(".print-button");
  for (var p = 0; p < prints.length; p++) {
    prints[p].addEventListener("click", function () { window.print(); });
  }

  // "Sao chép liên kết" copies the page's address where the browser
  // allows it; otherwise the link simply opens the page.
  var copies = document.querySelectorAll(".copy-link");
  for (var c = 0; c < copies.length; c++) {
    copies[c].addEventListener("click", function (event) {
      var link = event.currentTarget;
      if (!navigator.clipboard || !navigator.clipboard.writeText) { return; }
      event.preventDefault();
      var label = link.textContent;
      navigator.clipboard.writeText(link.href).then(function () {
        link.textContent = link.getAttribute("data-copied") || label;
        window.setTimeout(function () { link.textContent = label; }, 2000);
      }, function () {
        window.location.href = link.href;
      });
    });
  }

  // Keep several open tabs in step (fires only in other documents).
  window.addEventListener("storage", function (event) {
    if (event.key === KEY_SIZE || event.key === null) {
      sizeIndex = sizeIndexFrom(load(KEY_SIZE));
      applySize();
    }
    if (event.key === KEY_CONTRAST || event.key === null) {
      contrast = load(KEY_CONTRAST) === "1";
      applyContrast();
    }
  });
}());
