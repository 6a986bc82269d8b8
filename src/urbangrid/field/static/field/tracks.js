/* The supervision centre's track viewer: one collector, one day, as a line on the map and a table. */
(function () {
  "use strict";
  const page = document.getElementById("tracks-page");
  const T = JSON.parse(document.getElementById("track-texts").textContent);
  const map = L.map("track-map").setView([34.7579, 113.6654], 13);
  if (page.dataset.basemapUrl) {
    L.tileLayer(page.dataset.basemapUrl, { subdomains: page.dataset.basemapSubdomains || "abc",
                                           attribution: page.dataset.basemapAttribution }).addTo(map);
  }
  let layer = null;

  async function show(event) {
    if (event) event.preventDefault();
    const query = new URLSearchParams(new FormData(document.getElementById("track-form")));
    const response = await fetch(page.dataset.url + "?" + query, { credentials: "same-origin" });
    const body = await response.json();
    const summary = document.getElementById("track-summary");
    const rows = document.getElementById("track-rows");
    rows.replaceChildren();
    if (layer) layer.remove();
    if (!response.ok) { summary.textContent = body.error; return; }
    const points = body.points;
    summary.textContent = T.points.replace("%(count)s", points.length);
    if (!points.length) return;
    const line = points.map((p) => [p.lat, p.lon]);
    layer = L.featureGroup([
      L.polyline(line, { color: "#1d4ed8", weight: 4 }),
      L.circleMarker(line[0], { radius: 7, color: "#16a34a" }).bindTooltip(points[0].at),
      L.circleMarker(line[line.length - 1], { radius: 7, color: "#b91c1c" }).bindTooltip(points[points.length - 1].at),
    ]).addTo(map);
    map.fitBounds(layer.getBounds(), { maxZoom: 18 });
    points.forEach((p) => {
      const tr = document.createElement("tr");
      [p.at, p.lon.toFixed(6), p.lat.toFixed(6), p.accuracy_m === null ? "" : Math.round(p.accuracy_m)]
        .forEach((value) => { const td = document.createElement("td"); td.textContent = value; tr.append(td); });
      rows.append(tr);
    });
  }

  document.getElementById("track-form").addEventListener("submit", show);
  show();
})();
