/* The public report form's map: a tap (or the phone's position) puts the pin, which fills lon/lat; a point
   outside our grids is said at once. Settings and messages come from data- attributes of #pin-map; server
   text reaches the page through textContent only. */
(function () {
  "use strict";
  var el = document.getElementById("pin-map");
  var form = document.getElementById("report-form");
  if (!el || !form || !window.L) return;
  var lon = form.querySelector("input[name=lon]"), lat = form.querySelector("input[name=lat]");
  var address = form.querySelector("input[name=address]"), pin = document.getElementById("pin");
  var map = L.map(el, { attributionControl: false }).setView([34.7579, 113.6654], 12), marker = null;
  if (el.dataset.basemapUrl) {
    var tiles = { maxNativeZoom: parseInt(el.dataset.basemapMaxZoom, 10) || 18, maxZoom: 20 };
    if (el.dataset.basemapSubdomains) tiles.subdomains = el.dataset.basemapSubdomains;
    L.tileLayer(el.dataset.basemapUrl, tiles).addTo(map);
  }
  var outlines = null;
  function drawOutlines() {
    var b = map.getBounds(), z = map.getZoom();
    var level = z < 12 ? "district" : z < 14 ? "street" : z < 16 ? "community" : "grid";
    var box = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); });
    fetch(el.dataset.areasUrl + "?level=" + level + "&zoom=" + z + "&bbox=" + box.join(","))
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        if (outlines) map.removeLayer(outlines);
        outlines = L.geoJSON(data, { style: { color: "#0b6e4f", weight: 1, fillOpacity: 0.03 }, interactive: false }).addTo(map);
      }).catch(function () {});
  }
  map.on("moveend", drawOutlines);
  drawOutlines();

  function put(x, y) {
    var at = L.latLng(y, x);
    if (marker) marker.setLatLng(at);
    else marker = L.marker(at).addTo(map);
    fetch(el.dataset.locateUrl + "?lon=" + x.toFixed(7) + "&lat=" + y.toFixed(7))
      .then(function (r) { return r.json(); })
      .then(function (found) {
        if (found.outside) {
          lon.value = lat.value = "";
          pin.textContent = el.dataset.outside;
          pin.classList.add("outside");
          return;
        }
        lon.value = x.toFixed(7);
        lat.value = y.toFixed(7);
        var names = ["district", "street", "community"].map(function (k) { return (found[k] || {}).name || ""; });
        pin.textContent = names.filter(Boolean).join(" ");
        pin.classList.remove("outside");
        if (!address.value) address.value = names.filter(Boolean).join("");
      })
      .catch(function () {
        lon.value = x.toFixed(7);
        lat.value = y.toFixed(7);
        pin.textContent = lon.value + ", " + lat.value;
      });
  }
  map.on("click", function (event) { put(event.latlng.lng, event.latlng.lat); });

  document.getElementById("here").addEventListener("click", function () {
    if (!navigator.geolocation) { pin.textContent = el.dataset.noPosition; return; }
    navigator.geolocation.getCurrentPosition(function (p) {
      map.setView([p.coords.latitude, p.coords.longitude], 17);
      put(p.coords.longitude, p.coords.latitude);
    }, function () { pin.textContent = el.dataset.noPosition; }, { enableHighAccuracy: true, timeout: 10000 });
  });

  if (lon.value && lat.value) {
    var x = parseFloat(lon.value), y = parseFloat(lat.value);
    marker = L.marker([y, x]).addTo(map);
    map.setView([y, x], 16);
  }
})();
