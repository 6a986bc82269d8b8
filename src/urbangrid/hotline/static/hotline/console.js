/* The hotline console: the call form's place (a search hit or a click on the map fills lon/lat and the
   address) and the enquiry/complaint switch. Settings come from data- attributes of #call-map; server text
   reaches the page through textContent only. */
(function () {
  "use strict";
  var form = document.getElementById("call-form");
  if (!form) return;
  var lon = form.querySelector("input[name=lon]"), lat = form.querySelector("input[name=lat]");
  var address = form.querySelector("input[name=address]"), point = document.getElementById("point");
  var el = document.getElementById("call-map");
  var map = null, marker = null, areas = null;

  function showKind() {
    var checked = form.querySelector("input[name=call_kind]:checked");
    form.dataset.kind = checked ? checked.value : "complaint";
    if (map) {
      map.invalidateSize();
      drawAreas();
    }
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "call_kind") showKind();
  });
  showKind();

  function place(x, y, label, zoom) {
    lon.value = x.toFixed(7);
    lat.value = y.toFixed(7);
    point.textContent = (label ? label + " · " : "") + lon.value + ", " + lat.value;
    point.classList.remove("outside");
    if (!map) return;
    var at = L.latLng(y, x);
    if (marker) marker.setLatLng(at);
    else marker = L.marker(at).addTo(map);
    if (zoom) map.setView(at, Math.max(map.getZoom(), zoom));
  }

  document.addEventListener("click", function (event) {
    var hit = event.target.closest("button.place");
    if (!hit) return;
    place(parseFloat(hit.dataset.lon), parseFloat(hit.dataset.lat), hit.dataset.label, 16);
    if (!address.value) address.value = hit.dataset.label;
  });

  if (!el || !window.L) return;
  map = L.map(el, { attributionControl: false }).setView([34.7579, 113.6654], 12);
  if (el.dataset.basemapUrl) {
    var tiles = { maxNativeZoom: parseInt(el.dataset.basemapMaxZoom, 10) || 18, maxZoom: 20 };
    if (el.dataset.basemapSubdomains) tiles.subdomains = el.dataset.basemapSubdomains;
    L.tileLayer(el.dataset.basemapUrl, tiles).addTo(map);
  }

  function level(zoom) {
    if (zoom < 12) return "district";
    if (zoom < 14) return "street";
    if (zoom < 16) return "community";
    return "grid";
  }

  function drawAreas() {
    if (!el.offsetWidth || !el.offsetHeight) return;  // hidden (an enquiry): no box to ask for
    var b = map.getBounds(), z = map.getZoom();
    var url = el.dataset.areasUrl + "?level=" + level(z) + "&zoom=" + z + "&bbox=" +
      [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(",");
    fetch(url).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (!data) return;
      if (areas) map.removeLayer(areas);
      areas = L.geoJSON(data, { style: { color: "#0b6e4f", weight: 1, fillOpacity: 0.03 }, interactive: false }).addTo(map);
    }).catch(function () {});
  }
  map.on("moveend", drawAreas);
  drawAreas();

  map.on("click", function (event) {
    var x = event.latlng.lng, y = event.latlng.lat;
    fetch(el.dataset.locateUrl + "?lon=" + x.toFixed(7) + "&lat=" + y.toFixed(7))
      .then(function (r) { return r.json(); })
      .then(function (found) {
        if (found.outside) {
          point.textContent = el.dataset.outside;
          point.classList.add("outside");
          return;
        }
        var names = ["district", "street", "community"].map(function (k) { return (found[k] || {}).name || ""; });
        var label = names.filter(Boolean).join(" ");
        place(x, y, label + " " + found.grid.code, 0);
        if (!address.value) address.value = label;
      })
      .catch(function () { place(x, y, "", 0); });
  });

  if (lon.value && lat.value) place(parseFloat(lon.value), parseFloat(lat.value), "", 16);
})();
