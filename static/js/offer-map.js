// Optional map of search results. The list stays the complete result; the map is only an
// addition and hides itself when Leaflet or the map tiles cannot be loaded (offline networks).
(function () {
  "use strict";
  var map = null;

  function fallback(container, status) {
    container.hidden = true;
    status.hidden = false;
  }

  function draw(details) {
    var container = details.querySelector("[data-map]");
    var status = details.querySelector("[data-map-status]");
    var source = document.getElementById("map-points");
    if (!container || !source) return;
    if (typeof L === "undefined") return fallback(container, status);
    var points = JSON.parse(source.textContent);
    if (map) { map.remove(); map = null; }
    container.hidden = false;
    status.hidden = true;
    map = L.map(container, { scrollWheelZoom: false });
    var tiles = L.tileLayer(container.dataset.tiles, {
      maxZoom: 18, attribution: container.dataset.attribution
    });
    var failed = 0;
    tiles.on("tileerror", function () {
      failed += 1;
      if (failed >= 3) fallback(container, status);
    });
    tiles.addTo(map);
    var bounds = [];
    points.forEach(function (p) {
      var marker = L.marker([p.lat, p.lon], { title: p.title, alt: p.title }).addTo(map);
      var link = document.createElement("a");
      link.href = p.url; link.textContent = p.title;
      var box = document.createElement("div");
      box.appendChild(link);
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(p.place));
      marker.bindPopup(box);
      bounds.push([p.lat, p.lon]);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 14 });
    else map.setView([49.9, 8.8], 10);
  }

  function init() {
    var details = document.querySelector("[data-map-toggle]");
    if (!details) return;
    if (details.open) draw(details);
    details.addEventListener("toggle", function () { if (details.open) draw(details); });
  }

  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", init);
})();
