// bantin serve: reloads the page when the site is rebuilt.
// Only pages served by `bantin serve` carry this script.
(function () {
  "use strict";
  if (!window.EventSource) {
    return;
  }
  var seen = null;
  var events = new EventSource("/__bantin/events");
  events.onmessage = function (e) {
    if (seen === null) {
      seen = e.data;
    } else if (e.data !== seen) {
      window.location.reload();
    }
  };
})();
