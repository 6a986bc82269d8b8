/* The case file's small map: the unit grid's outline, the reported point and the components nearest the
   grid's middle, from the map app's /map/areas/<code>.json. Settings come from data- attributes and messages
   from #case-map-messages; server text reaches the page through textContent only. */
(function () {
  "use strict";
  var el = document.getElementById("case-map");
  if (!el || !window.L) return;
  var messages = JSON.parse(document.getElementById("case-map-messages").textContent);
  var lon = parseFloat(el.dataset.lon), lat = parseFloat(el.dataset.lat);
  var map = L.map(el, { scrollWheelZoom: false, attributionControl: false }).setView([lat, lon], 17);

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  if (el.dataset.basemapUrl) {
    var tiles = { maxNativeZoom: parseInt(el.dataset.basemapMaxZoom, 10) || 18, maxZoom: 20 };
    if (el.dataset.basemapSubdomains) tiles.subdomains = el.dataset.basemapSubdomains;
    L.tileLayer(el.dataset.basemapUrl, tiles).addTo(map);
  }

  L.circleMarker([lat, lon], { radius: 8, color: "#7a1010", weight: 2, fillColor: "#d7263d", fillOpacity: 0.9 })
    .addTo(map).bindTooltip(text(messages.report));

  fetch(el.dataset.areaUrl, { headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    })
    .then(function (feature) {
      var grid = L.geoJSON(feature, { style: { color: "#0b6e4f", weight: 2, fillOpacity: 0.06, className: "grid-outline" } }).addTo(map);
      grid.bindTooltip(text(messages.grid + " " + feature.properties.name + " " + feature.properties.code));
      var nearest = (feature.properties.components || {}).nearest || [];
      nearest.forEach(function (c) {
        L.circleMarker([c.lat, c.lon], { radius: 4, color: "#1f4e79", weight: 1, fillColor: "#4a90d9", fillOpacity: 0.9 })
          .addTo(map).bindTooltip(text(c.class_name + " · " + c.name + " · " + c.identifier));
      });
      map.fitBounds(grid.getBounds().extend(L.latLng(lat, lon)), { padding: [16, 16], maxZoom: 18 });
    })
    .catch(function () {
      var note = document.createElement("p");
      note.className = "map-failed";
      note.textContent = messages.failed;
      el.insertAdjacentElement("afterend", note);
    });
})();
