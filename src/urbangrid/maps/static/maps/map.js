/* The city map: our own GeoJSON layers (areas by zoom, components by class) on an optional basemap.
 * Settings come from data- attributes of #city-map, translated messages from #map-messages: no inline
 * script, so a Content-Security-Policy can forbid them. Text from the server goes in through textContent. */
(function () {
  "use strict";
  const root = document.getElementById("city-map");
  if (!root || !window.L) return;
  const cfg = root.dataset;
  const msg = document.getElementById("map-messages").dataset;
  const levels = JSON.parse(cfg.levels); // [[from zoom, level], …]
  const levelLabels = JSON.parse(msg.levels);
  const statusLabels = JSON.parse(msg.statuses);
  const parentOf = { street: "district", community: "street", grid: "community" };
  const $ = (id) => document.getElementById(id);
  const statusLine = $("map-status");
  const showAreas = $("show-areas");
  const showComponents = $("show-components");
  const classBoxes = Array.from(document.querySelectorAll("#class-filter input[type=checkbox]"));
  // Case layers: only for signed-in users (the page leaves the controls out for everyone else).
  const showCases = $("show-cases");
  const showHeat = $("show-heat");
  const heatControls = $("heat-controls");
  const lightLabels = JSON.parse(msg.lights || "{}");

  const LIGHT_COLOURS = { green: "#2f9e44", yellow: "#f59f00", red: "#e03131", none: "#868e96" };
  const fmt = (text, values) => text.replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all));
  const number = (n) => Number(n).toLocaleString(document.documentElement.lang || undefined);
  const levelFor = (zoom) => levels.filter(([start]) => zoom >= start).pop()[1];
  const textElement = (text, tag) => {
    const el = document.createElement(tag || "span");
    el.textContent = text;
    return el;
  };

  // Class colours: evenly spread hues in the order of the filter list, the same in the legend and on the map.
  const classColour = {};
  classBoxes.forEach((box, i) => {
    classColour[box.value] = `hsl(${Math.round((i * 137.508) % 360)}, 65%, 42%)`;
  });
  document.querySelectorAll(".swatch[data-class]").forEach((el) => {
    el.style.backgroundColor = classColour[el.dataset.class] || "#666";
  });

  const map = L.map(root, { minZoom: 8, maxZoom: 19, zoomSnap: 1 });
  if (cfg.basemapUrl) {
    const options = { attribution: cfg.basemapAttribution, maxZoom: 19, maxNativeZoom: Number(cfg.basemapMaxZoom) };
    if (cfg.basemapSubdomains) options.subdomains = cfg.basemapSubdomains.split(",").join("");
    L.tileLayer(cfg.basemapUrl, options).addTo(map);
    if (cfg.basemapLabelsUrl) L.tileLayer(cfg.basemapLabelsUrl, options).addTo(map);
  } else {
    root.classList.add("no-basemap");
  }
  const extent = cfg.extent ? cfg.extent.split(",").map(Number) : null; // west, south, east, north
  const linked = /^#(\d+)\/(-?[\d.]+)\/(-?[\d.]+)$/.exec(window.location.hash); // #zoom/lat/lon
  if (linked) {
    map.setView([Number(linked[2]), Number(linked[3])], Number(linked[1]));
  } else if (extent) {
    map.fitBounds([[extent[1], extent[0]], [extent[3], extent[2]]]);
  } else {
    const [lon, lat] = cfg.centre.split(",").map(Number);
    map.setView([lat, lon], 12);
  }

  map.createPane("parents").style.zIndex = 390;
  map.createPane("highlight").style.zIndex = 450;
  const parentLayer = L.geoJSON(null, { pane: "parents", interactive: false, style: parentStyle }).addTo(map);
  const areaLayer = L.geoJSON(null, { style: areaStyle, onEachFeature: bindArea }).addTo(map);
  const highlight = L.geoJSON(null, {
    pane: "highlight", interactive: false, style: { color: "#d9480f", weight: 3, fillOpacity: 0.12 },
  }).addTo(map);
  const pointRenderer = L.canvas({ padding: 0.3 });
  const componentLayer = L.layerGroup().addTo(map);
  map.createPane("cases").style.zIndex = 620; // above the components' markers
  // SVG, not canvas: at most a thousand points, and each one is then an element (keyboard, tests, class by light).
  const caseRenderer = L.svg({ padding: 0.3, pane: "cases" });
  const caseLayer = L.layerGroup().addTo(map);
  let heatLayer = null;

  function areaStyle(feature) {
    const level = feature.properties.level;
    const weight = { district: 2.5, street: 2, community: 1.5, grid: 1 }[level];
    return { color: "#1f5f8b", weight, opacity: 0.9, fillColor: "#1f5f8b", fillOpacity: level === "grid" ? 0.05 : 0.08 };
  }

  function parentStyle() {
    return { color: "#0b3d5c", weight: 3, opacity: 0.7, fill: false };
  }

  function bindArea(feature, layer) {
    const p = feature.properties;
    const label = textElement(`${p.name} ${p.code}`);
    const permanent = p.level === "district"; // street names would sit under the component counts
    layer.bindTooltip(permanent ? textElement(p.name) : label, {
      permanent, direction: "center", className: permanent ? "area-label" : "area-tip", sticky: !permanent,
      offset: permanent ? [0, 30] : [0, 0], // below the district's count, which stands near its middle
    });
    layer.on("mouseover", () => layer.setStyle({ fillOpacity: 0.22 }));
    layer.on("mouseout", () => areaLayer.resetStyle(layer));
    layer.on("click", () => openArea(p.code));
  }

  // Only what lies within the city (padded), so that zooming out past it asks for nothing more.
  function requestBox() {
    const b = map.getBounds();
    let [west, south, east, north] = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
    if (extent) {
      const padLon = (extent[2] - extent[0]) * 0.2, padLat = (extent[3] - extent[1]) * 0.2;
      west = Math.max(west, extent[0] - padLon);
      east = Math.min(east, extent[2] + padLon);
      south = Math.max(south, extent[1] - padLat);
      north = Math.min(north, extent[3] + padLat);
      if (west >= east || south >= north) return null;
    }
    return [west, south, east, north].map((v) => v.toFixed(5)).join(",");
  }

  function getJSON(url, params, signal) {
    const query = new URLSearchParams(params).toString();
    return fetch(query ? `${url}?${query}` : url, { signal, headers: { Accept: "application/geo+json" } })
      .then((r) => r.json().then((body) => {
        if (!r.ok) throw new Error(body.message || r.statusText);
        return body;
      }));
  }

  function chosenClasses() {
    const chosen = classBoxes.filter((box) => box.checked).map((box) => box.value);
    return chosen.length === classBoxes.length ? null : chosen.join(",");
  }

  let inFlight = null;
  function refresh() {
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    const signal = inFlight.signal;
    const zoom = map.getZoom();
    const bbox = requestBox();
    const notes = { areas: [], components: [], cases: [], heat: [] }; // shown in this order
    if (!bbox) {
      parentLayer.clearLayers(); areaLayer.clearLayers(); componentLayer.clearLayers(); caseLayer.clearLayers();
      if (heatLayer) heatLayer.setLatLngs([]);
      statusLine.textContent = msg.outside;
      return;
    }
    statusLine.textContent = msg.loading;
    const jobs = [
      loadAreas(zoom, bbox, signal, notes), loadComponents(zoom, bbox, signal, notes),
      loadCases(zoom, bbox, signal, notes), loadHeat(zoom, bbox, signal, notes),
    ];
    Promise.all(jobs).then(() => {
      statusLine.textContent = notes.areas.concat(notes.components, notes.cases, notes.heat).join("\n");
    }).catch((err) => {
      if (err.name !== "AbortError") statusLine.textContent = fmt(msg.failed, { message: err.message });
    });
  }

  function loadAreas(zoom, bbox, signal, notes) {
    if (!showAreas.checked) {
      parentLayer.clearLayers(); areaLayer.clearLayers();
      return Promise.resolve();
    }
    const level = levelFor(zoom);
    const parent = parentOf[level];
    const jobs = [getJSON(cfg.areasUrl, { level, bbox, zoom, crs: cfg.crs }, signal)];
    if (parent) jobs.push(getJSON(cfg.areasUrl, { level: parent, bbox, zoom, crs: cfg.crs }, signal));
    return Promise.all(jobs).then(([areas, parents]) => {
      areaLayer.clearLayers().addData(areas);
      parentLayer.clearLayers();
      if (parents) parentLayer.addData(parents);
      notes.areas.push(fmt(msg.areas, { count: number(areas.features.length), level: levelLabels[level], zoom }));
      if (areas.truncated) notes.areas.push(fmt(msg.truncated, { limit: number(areas.limit) }));
    });
  }

  function loadComponents(zoom, bbox, signal, notes) {
    componentLayer.clearLayers();
    if (!showComponents.checked || !classBoxes.length) return Promise.resolve();
    const classes = chosenClasses();
    if (classes === "") {
      notes.components.push(msg.noClasses);
      return Promise.resolve();
    }
    const params = { bbox, zoom, crs: cfg.crs };
    if (classes !== null) params.classes = classes;
    return getJSON(cfg.componentsUrl, params, signal).then((fc) => {
      componentLayer.clearLayers();
      if (fc.mode === "points") {
        fc.features.forEach(addPoint);
        notes.components.push(fmt(msg.points, { count: number(fc.features.length) }));
      } else {
        fc.features.forEach(addCluster);
        const total = fc.features.reduce((sum, f) => sum + f.properties.count, 0);
        notes.components.push(fmt(msg.clusters, { count: number(total), level: levelLabels[fc.level] }));
        if (fc.truncated) notes.components.push(fmt(msg.truncated, { limit: number(fc.limit) }));
      }
    });
  }

  function addCluster(feature) {
    const p = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    // Per grid (where there are too many to draw one by one) small, so that the grids stay visible.
    const size = p.level === "grid" ? 22 : p.count < 100 ? 30 : p.count < 1000 ? 38 : p.count < 10000 ? 46 : 54;
    const className = `cluster cluster-${p.level}`;
    const icon = L.divIcon({ className, html: `<span>${number(p.count)}</span>`, iconSize: [size, size] });
    const marker = L.marker([lat, lon], { icon, keyboard: false, riseOnHover: true });
    marker.bindTooltip(textElement(fmt(msg.clusterTip, { name: p.name, count: number(p.count) })), { direction: "top" });
    marker.on("click", () => {
      openArea(p.code);
      if (p.level !== "grid") map.setView([lat, lon], Math.min(map.getZoom() + 2, 19));
    });
    componentLayer.addLayer(marker);
  }

  function addPoint(feature) {
    const p = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    const flagged = p.status !== "intact";
    const marker = L.circleMarker([lat, lon], {
      renderer: pointRenderer, radius: 5, weight: flagged ? 2.5 : 1, color: flagged ? "#c92a2a" : "#fff",
      fillColor: classColour[p.class_code] || "#666", fillOpacity: 0.95,
    });
    const tip = document.createElement("div");
    tip.append(textElement(p.name, "b"), document.createElement("br"), textElement(`${p.identifier} · ${statusLabels[p.status] || p.status}`));
    marker.bindTooltip(tip, { direction: "top" });
    componentLayer.addLayer(marker);
  }

  // Open cases: points coloured by light with a popup, or counted per area when there are too many.
  function loadCases(zoom, bbox, signal, notes) {
    if (!showCases || !showCases.checked) {
      caseLayer.clearLayers();
      return Promise.resolve();
    }
    return getJSON(cfg.casesUrl, { bbox, zoom, crs: cfg.crs }, signal).then((fc) => {
      caseLayer.clearLayers();
      if (fc.mode === "points") {
        fc.features.forEach(addCase);
        notes.cases.push(fmt(msg.casesPoints, { count: number(fc.features.length) }));
      } else {
        fc.features.forEach(addCaseCount);
        const total = fc.features.reduce((sum, f) => sum + f.properties.count, 0);
        const overdue = fc.features.reduce((sum, f) => sum + f.properties.overdue, 0);
        notes.cases.push(fmt(msg.casesCounted, { count: number(total), overdue: number(overdue), level: levelLabels[fc.level] }));
      }
    });
  }

  const when = (iso) => new Date(iso).toLocaleString(document.documentElement.lang || undefined, {
    month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit",
  });

  function lightDot(light) {
    const dot = textElement("", "span");
    dot.className = `light light-${light}`;
    dot.title = lightLabels[light] || light;
    return dot;
  }

  function caseCard(p) {
    const card = document.createElement("div");
    card.className = "case-card";
    const link = textElement(p.number, "a");
    link.href = p.url;
    link.title = msg.openCase;
    const head = document.createElement("div");
    head.append(lightDot(p.light), link);
    const due = p.due_at ? fmt(msg.due, { when: when(p.due_at) }) : msg.noDue;
    card.append(
      head, textElement(p.class_name ? `${p.class_code} ${p.class_name}` : msg.classNone, "div"),
      textElement(`${p.state_label} · ${due}`, "small"),
    );
    return card;
  }

  function addCase(feature) {
    const p = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    const marker = L.circleMarker([lat, lon], {
      renderer: caseRenderer, pane: "cases", radius: 7, weight: 2, color: "#fff", fillOpacity: 0.95,
      className: `case-${p.light} case-id-${p.id}`, fillColor: LIGHT_COLOURS[p.light] || LIGHT_COLOURS.none,
    });
    marker.bindPopup(() => caseCard(p));
    marker.bindTooltip(textElement(`${p.number} · ${lightLabels[p.light] || ""}`), { direction: "top" });
    caseLayer.addLayer(marker);
  }

  function addCaseCount(feature) {
    const p = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    const size = p.count < 100 ? 30 : p.count < 1000 ? 38 : 46;
    const className = `case-count${p.overdue ? " has-overdue" : ""}`;
    const html = `<span>${number(p.count)}</span>${p.overdue ? `<b>${number(p.overdue)}</b>` : ""}`;
    const icon = L.divIcon({ className, html, iconSize: [size, size] });
    const marker = L.marker([lat, lon], { icon, pane: "cases", keyboard: false, riseOnHover: true });
    const tip = fmt(msg.caseTip, { name: p.name || p.code, count: number(p.count), overdue: number(p.overdue) });
    marker.bindTooltip(textElement(tip), { direction: "top" });
    marker.on("click", () => {
      openArea(p.code);
      if (p.level !== "grid") map.setView([lat, lon], Math.min(map.getZoom() + 2, 19));
    });
    caseLayer.addLayer(marker);
  }

  // Heat of reported cases by class and period, counted per area on the server.
  function loadHeat(zoom, bbox, signal, notes) {
    if (heatControls) heatControls.disabled = !(showHeat && showHeat.checked);
    if (!showHeat || !showHeat.checked || !L.heatLayer) {
      if (heatLayer) heatLayer.setLatLngs([]);
      return Promise.resolve();
    }
    const params = { bbox, zoom, crs: cfg.crs, since: $("heat-since").value, until: $("heat-until").value };
    if ($("heat-class").value) params.classes = $("heat-class").value;
    const error = $("heat-error");
    error.hidden = true;
    return getJSON(cfg.heatUrl, params, signal).then((body) => {
      if (!heatLayer) heatLayer = L.heatLayer([], { radius: 28, blur: 20, minOpacity: 0.25 }).addTo(map);
      heatLayer.setOptions({ max: Math.max(1, body.max) });
      heatLayer.setLatLngs(body.points);
      notes.heat.push(fmt(msg.heat, { total: number(body.total), since: body.since, until: body.until }));
    }).catch((err) => {
      if (err.name === "AbortError") throw err;
      error.textContent = err.message; // e.g. "since: …", next to the date fields
      error.hidden = false;
      if (heatLayer) heatLayer.setLatLngs([]);
    });
  }

  function fillCases(cases) {
    const list = $("detail-cases");
    if (!list || !cases) return;
    $("detail-cases-counts").textContent = fmt(msg.casesCounts, { open: number(cases.open), overdue: number(cases.overdue) });
    const items = cases.items.map((c) => {
      const item = document.createElement("li");
      item.append(caseCard(c));
      return item;
    });
    if (!items.length) items.push(textElement(msg.noCases, "li"));
    if (cases.open > cases.items.length) items.push(textElement(fmt(msg.casesMore, { limit: number(cases.limit) }), "li"));
    list.replaceChildren(...items);
  }

  // The side panel for one area.
  let shownCode = null;
  function openArea(code) {
    shownCode = code;
    getJSON(cfg.areaUrl.replace("CODE", encodeURIComponent(code)), { crs: cfg.crs }).then((area) => {
      if (shownCode !== code) return;
      highlight.clearLayers().addData(area);
      fillPanel(area.properties);
    }).catch((err) => {
      statusLine.textContent = fmt(msg.failed, { message: err.message });
    });
  }

  function fillPanel(p) {
    $("detail-name").textContent = p.name;
    $("detail-level").textContent = p.level_label;
    $("detail-code").textContent = p.code;
    $("detail-area").textContent = fmt(msg.areaM2, { area: number(p.area_m2) });
    $("detail-hierarchy").replaceChildren(...p.hierarchy.map((h) => {
      const item = document.createElement("li");
      const link = textElement(h.name, "button");
      link.type = "button";
      link.className = "plain";
      link.title = `${h.level_label} ${h.code}`;
      link.addEventListener("click", () => openArea(h.code));
      item.append(textElement(h.level_label, "small"), " ", link);
      return item;
    }));
    const c = p.components;
    $("detail-total").textContent = number(c.total);
    $("detail-classes").replaceChildren(...(c.by_class.length ? c.by_class.map(classRow) : [emptyRow()]));
    $("detail-nearest-block").hidden = !c.nearest;
    $("detail-nearest").replaceChildren(...(c.nearest || []).map(nearestItem));
    fillCases(p.cases);
    $("area-detail").hidden = false;
  }

  function classRow(k) {
    const row = document.createElement("tr");
    const swatch = textElement("", "span");
    swatch.className = "swatch";
    swatch.style.backgroundColor = classColour[k.code] || "#666";
    const name = document.createElement("td");
    name.append(swatch, textElement(k.name));
    row.append(name, textElement(k.code, "td"), textElement(number(k.count), "td"));
    return row;
  }

  function emptyRow() {
    const row = document.createElement("tr");
    row.append(textElement(msg.noComponents, "td"));
    return row;
  }

  function nearestItem(k) {
    const item = document.createElement("li");
    const status = k.status === "intact" ? "" : ` · ${k.status_label}`;
    item.append(
      textElement(k.name, "b"), " ", textElement(k.name === k.class_name ? "" : k.class_name, "span"),
      document.createElement("br"),
      textElement(`${k.identifier}${status} · ${fmt(msg.metres, { distance: number(k.distance_m) })}`, "small"),
    );
    if (k.status !== "intact") item.className = "flagged";
    return item;
  }

  $("detail-close").addEventListener("click", () => {
    shownCode = null;
    $("area-detail").hidden = true;
    highlight.clearLayers();
  });

  let timer = null;
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  };
  map.on("moveend", soon);
  map.on("moveend", () => {
    const c = map.getCenter();
    window.history.replaceState(null, "", `#${map.getZoom()}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}`);
  });
  showAreas.addEventListener("change", soon);
  showComponents.addEventListener("change", soon);
  [showCases, showHeat, $("heat-class"), $("heat-since"), $("heat-until")].forEach((el) => {
    if (el) el.addEventListener("change", soon);
  });
  classBoxes.forEach((box) => box.addEventListener("change", soon));
  const setAll = (checked) => () => {
    classBoxes.forEach((box) => { box.checked = checked; });
    soon();
  };
  if ($("classes-all")) $("classes-all").addEventListener("click", setAll(true));
  if ($("classes-none")) $("classes-none").addEventListener("click", setAll(false));
  refresh();
}());
