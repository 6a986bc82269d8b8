/* The command screen's clock and its map of live cases (the map's own endpoint, /map/cases.geojson, which
 * applies the viewer's access). The panels refresh themselves through htmx attributes; no inline script. */
(function () {
  "use strict";
  const lang = document.documentElement.lang || undefined;
  const clock = document.getElementById("wall-clock");
  if (clock) {
    const tick = () => {
      const now = new Date();
      clock.textContent = now.toLocaleString(lang, {
        year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
      });
      clock.dateTime = now.toISOString();
    };
    tick();
    setInterval(tick, 1000);
  }

  const root = document.getElementById("command-map");
  if (!root || !window.L) return;
  const cfg = root.dataset;
  const status = document.getElementById("map-status");
  const fmt = (text, values) => text.replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all));
  const number = (n) => Number(n).toLocaleString(lang);
  const lightLabels = JSON.parse(cfg.lights || "{}");
  const COLOURS = { green: "#40c057", yellow: "#fab005", red: "#fa5252", none: "#868e96" };
  const textElement = (text) => {
    const el = document.createElement("span");
    el.textContent = text;
    return el;
  };

  const map = L.map(root, { zoomControl: false, attributionControl: false, minZoom: 8, maxZoom: 18 });
  const extent = cfg.extent ? cfg.extent.split(",").map(Number) : null; // west, south, east, north
  const fit = () => {
    if (extent) map.fitBounds([[extent[1], extent[0]], [extent[3], extent[2]]], { padding: [10, 10] });
    else map.setView([34.76, 113.66], 11);
  };
  fit();
  const renderer = L.svg({ padding: 0.2 }); // at most a thousand points; each an element with its light as class
  // Marker sizes follow the text size, which follows the screen width (1366 px laptop … 4K wall).
  const scale = Math.max(1, parseFloat(getComputedStyle(document.documentElement).fontSize) / 12);
  const outlines = L.geoJSON(null, {
    interactive: false, style: { color: "#3b6a99", weight: 1.5 * scale, opacity: 0.8, fillColor: "#1c3550", fillOpacity: 0.35 },
  }).addTo(map);
  const layer = L.layerGroup().addTo(map);
  const levelFor = (zoom) => (zoom < 11 ? "district" : zoom < 13 ? "street" : zoom < 15 ? "community" : "grid");

  function box() {
    const b = map.getBounds();
    // The endpoint takes at most 5° each way; a wall map of one city is far smaller.
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(5)).join(",");
  }

  function draw(fc) {
    layer.clearLayers();
    fc.features.forEach((f) => {
      const p = f.properties;
      const [lon, lat] = f.geometry.coordinates;
      if (fc.mode === "points") {
        const marker = L.circleMarker([lat, lon], {
          renderer, radius: 6 * scale, weight: scale, color: "#0b1420", fillColor: COLOURS[p.light] || COLOURS.none, fillOpacity: 0.95,
          className: `case-${p.light}`,
        });
        marker.bindTooltip(textElement(`${p.number} · ${p.class_name || ""} · ${lightLabels[p.light] || ""}`));
        layer.addLayer(marker);
      } else {
        const size = Math.round((p.count < 100 ? 34 : p.count < 1000 ? 44 : 54) * scale);
        const icon = L.divIcon({
          className: `wall-count${p.overdue ? " has-overdue" : ""}`, html: `<span>${number(p.count)}</span>`, iconSize: [size, size],
        });
        const marker = L.marker([lat, lon], { icon, keyboard: false });
        marker.bindTooltip(textElement(fmt(cfg.counted, { name: p.name || p.code, count: number(p.count), overdue: number(p.overdue) })));
        layer.addLayer(marker);
      }
    });
    status.textContent = "";
  }

  function loadOutlines() {
    const query = new URLSearchParams({ level: levelFor(map.getZoom()), bbox: box(), zoom: map.getZoom() }).toString();
    fetch(`${cfg.areasUrl}?${query}`, { headers: { Accept: "application/geo+json" } })
      .then((r) => (r.ok ? r.json() : null))
      .then((fc) => { if (fc) outlines.clearLayers().addData(fc); })
      .catch(() => {}); // the outlines are context only; the cases' errors are reported below
  }

  function load() {
    const query = new URLSearchParams({ bbox: box(), zoom: map.getZoom() }).toString();
    fetch(`${cfg.casesUrl}?${query}`, { headers: { Accept: "application/geo+json" } })
      .then((r) => r.json().then((body) => {
        if (!r.ok) throw new Error(body.message || r.statusText);
        return body;
      }))
      .then(draw)
      .catch((err) => { status.textContent = fmt(cfg.failed, { message: err.message }); });
  }

  let timer = null;
  map.on("moveend", () => {
    clearTimeout(timer);
    timer = setTimeout(() => { loadOutlines(); load(); }, 150);
  });
  window.addEventListener("resize", () => { map.invalidateSize(); fit(); });
  loadOutlines();
  load();
  setInterval(load, Number(cfg.refresh || 60) * 1000);
}());
