/* The field app's page: tasks, report form, outbox, patrol track and the safety alert.
 * Every submission goes through FieldOutbox (queue.js), online or not.
 */
(function () {
  "use strict";
  const root = document.getElementById("field-app");
  const T = JSON.parse(document.getElementById("field-texts").textContent);
  const Outbox = window.FieldOutbox;
  const queue = async (item) => Outbox.add({ ...item, token: await token() });  // sent later under this token
  const $ = (selector, scope) => (scope || document).querySelector(selector);
  const $$ = (selector, scope) => Array.from((scope || document).querySelectorAll(selector));
  const TRACK_EVERY_MS = 30000;
  const TRACK_BATCH = 20;
  const state = { classes: [], recent: [], tasks: [], point: null, photos: { evidence: [], before: [], after: [] },
                  track: [], recorded: 0, watch: null, lastFix: null, maps: {} };

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, (all, name) => (name in values ? values[name] : all));
  }

  /* ---- device and start-up ---- */

  const TOKEN = "token:" + root.dataset.user;  // one token per collector on a shared phone

  async function token() {
    let found = await Outbox.getMeta(TOKEN);
    if (found) return found;
    const response = await fetch("/field/api/device", {
      method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": root.dataset.csrf },
    });
    if (!response.ok) return null;
    found = (await response.json()).token;
    await Outbox.setMeta(TOKEN, found);
    return found;
  }

  async function api(url) {
    const mine = await token();
    const response = await fetch(url, { credentials: "omit", headers: { "X-Field-Device": mine || "" } });
    if (response.status === 401) {
      await Outbox.wipe(mine);
      throw new Error("revoked");
    }
    return response.json();
  }

  async function start() {
    tabs();
    network();
    Outbox.onChange(renderQueue);
    renderQueue();
    $("#send-now").addEventListener("click", () => flush());
    reportForm();
    duty();
    sos();
    let data = null;
    try {
      data = await api("/field/api/bootstrap");
      await Outbox.setMeta("bootstrap", data);
    } catch (error) {
      if (error.message === "revoked") {
        banner(T.revoked);
        await token();  // the session is new (the old one was ended): this sign-in gets a fresh token
        try { data = await api("/field/api/bootstrap"); } catch (again) { data = null; }
      }
      data = data || await Outbox.getMeta("bootstrap");
    }
    if (data) show(data);
    flush();
    if ("serviceWorker" in navigator) navigator.serviceWorker.register(root.dataset.sw, { scope: "/field/" }).catch(() => {});
  }

  function show(data) {
    const user = data.user || {};
    if (user.suspended) banner(format(T.suspended, { reason: user.suspended }));
    else if (!user.certificate || !user.certificate.valid) {
      banner(format(T.certificate, { date: (user.certificate && user.certificate.expires) || "—" }));
    }
    state.classes = data.classes || [];
    state.recent = data.recent || [];
    state.tasks = data.tasks || [];
    gridMap(data.grids);
    renderTasks();
    renderClasses("");
  }

  function banner(text) {
    const element = $("#banner");
    element.textContent = text;
    element.hidden = !text;
  }

  /* ---- network and outbox ---- */

  function network() {
    const show = () => {
      $("#net").textContent = navigator.onLine ? T.online : T.offline;
      $("#net").classList.toggle("off", !navigator.onLine);
    };
    window.addEventListener("online", () => { show(); flush(); });
    window.addEventListener("offline", show);
    setInterval(() => { if (navigator.onLine) flush(); }, 20000);
    show();
  }

  async function flush() {
    const outcomes = await Outbox.flush();
    if (Object.values(outcomes).some((o) => o.outcome === "revoked")) banner(T.revoked);
    if (Object.values(outcomes).some((o) => o.outcome === "sent")) refreshTasks();
    return outcomes;
  }

  async function refreshTasks() {
    try {
      const data = await api("/field/api/bootstrap");
      await Outbox.setMeta("bootstrap", data);
      state.tasks = data.tasks || [];
      renderTasks();
    } catch (error) { /* offline: keep what is shown */ }
  }

  async function renderQueue() {
    const items = await Outbox.all();
    const list = $("#queue");
    list.replaceChildren();
    items.forEach((item) => {
      const li = document.createElement("li");
      li.className = "queued " + item.status;
      li.dataset.key = item.key;
      const title = document.createElement("strong");
      title.textContent = T[item.type] || item.type;
      const label = document.createElement("span");
      label.textContent = " " + (item.label || "") + " · " + new Date(item.created).toLocaleTimeString();
      const status = document.createElement("p");
      status.className = "status";
      status.textContent = item.status === "failed" ? T.failed + ": " + item.error : T.waiting;
      li.append(title, label, status);
      if (item.status === "failed") {
        const remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = T.delete;
        remove.addEventListener("click", () => Outbox.remove(item.key));
        li.append(remove);
      }
      list.append(li);
    });
    $("#queue-count").textContent = String(items.length);
    $("#queue-empty").hidden = items.length > 0;
  }

  /* ---- tabs and maps ---- */

  function tabs() {
    $$("[role=tab]").forEach((tab) => tab.addEventListener("click", () => {
      $$("[role=tab]").forEach((other) => other.setAttribute("aria-selected", String(other === tab)));
      $$(".tab").forEach((panel) => { panel.hidden = panel.id !== "tab-" + tab.dataset.tab; });
      Object.values(state.maps).forEach((map) => map.invalidateSize());
    }));
  }

  function makeMap(id) {
    const map = L.map(id, { zoomControl: true, attributionControl: Boolean(root.dataset.basemapUrl) });
    if (root.dataset.basemapUrl) {
      L.tileLayer(root.dataset.basemapUrl, { subdomains: root.dataset.basemapSubdomains || "abc",
                                             attribution: root.dataset.basemapAttribution, maxZoom: 19 }).addTo(map);
    }
    map.setView([34.7579, 113.6654], 15);
    state.maps[id] = map;
    return map;
  }

  function gridMap(grids) {
    const map = state.maps["grid-map"] || makeMap("grid-map");
    const layer = L.geoJSON(grids, { style: { color: "#1d4ed8", weight: 2, fillOpacity: 0.08 } }).addTo(map);
    const codes = (grids.features || []).map((f) => f.properties.code);
    $("#grid-legend").textContent = format(T.grids, { codes: codes.join("、") || "—" });
    if (codes.length) {
      map.fitBounds(layer.getBounds());
      reportMap().fitBounds(layer.getBounds());
      L.geoJSON(grids, { style: { color: "#1d4ed8", weight: 1, fillOpacity: 0.04 }, interactive: false }).addTo(reportMap());
    }
    state.tasks.forEach((task) => L.circleMarker([task.lat, task.lon], { radius: 7, color: "#b91c1c" })
      .bindTooltip(task.number).addTo(map));
  }

  function reportMap() {
    if (state.maps["report-map"]) return state.maps["report-map"];
    const map = makeMap("report-map");
    map.on("click", (event) => choosePoint(event.latlng.lng, event.latlng.lat));
    return map;
  }

  /* ---- tasks (核实, 核查) ---- */

  const RESULTS = { verifying: ["verify", "refute"], checking: ["pass_check", "rework"] };

  function renderTasks() {
    const list = $("#tasks");
    list.replaceChildren();
    state.tasks.forEach((task) => list.append(taskItem(task)));
    $("#task-count").textContent = String(state.tasks.length);
    $("#no-tasks").hidden = state.tasks.length > 0;
  }

  function taskItem(task) {
    const item = $("#task-template").content.firstElementChild.cloneNode(true);
    item.dataset.case = task.id;
    $(".number", item).textContent = task.number;
    $(".state", item).textContent = task.state_label;
    const light = $(".light", item);
    light.textContent = task.light ? T["light_" + task.light] : "";
    light.className = "light " + (task.light || "");
    $(".what", item).textContent = [task.class_name, task.address, task.description].filter(Boolean).join(" · ");
    $(".due", item).textContent = task.due ? format(T.due, { when: new Date(task.due).toLocaleString() }) : "";
    const results = $(".results", item);
    (RESULTS[task.state] || []).forEach((action) => {
      const label = document.createElement("label");
      label.className = "check";
      const input = document.createElement("input");
      Object.assign(input, { type: "radio", name: "action", value: action });
      label.append(input, " " + T[action]);
      results.append(label);
    });
    $("form", item).addEventListener("submit", (event) => { event.preventDefault(); sendTask(task, event.target); });
    return item;
  }

  async function sendTask(task, form) {
    const action = (form.querySelector("input[name=action]:checked") || {}).value;
    const reason = form.reason.value.trim();
    const files = Array.from(form.querySelector("input[type=file]").files);
    const error = form.querySelector(".error");
    const problem = !action ? T.choose_result : !files.length ? T.need_photo : files.length > 9 ? T.too_many
      : (["refute", "rework"].includes(action) && !reason) ? T.need_reason : "";
    error.textContent = problem;
    error.hidden = !problem;
    if (problem) return;
    const photos = await Promise.all(files.map(async (file, i) => ({
      field: "evidence", name: "photo" + i + ".jpg", blob: await FieldPhotos.compress(file) })));
    const item = await queue({
      type: "task", label: task.number, url: "/field/api/tasks/" + task.id,
      fields: { action, reason, state: task.state }, files: photos,
    });
    const outcome = await sendNow(item);
    if (outcome && outcome.outcome === "failed") {  // refused now: say why here, nothing typed is lost
      await Outbox.remove(item.key);
      error.textContent = outcome.body.error;
      error.hidden = false;
      return;
    }
    state.tasks = state.tasks.filter((t) => t.id !== task.id);
    renderTasks();
    banner(outcome && outcome.outcome === "sent" ? format(T.task_done, { number: task.number }) : T.queued);
  }

  /* Send the outbox now and return this item's outcome; a flush already under way may have missed it. */
  async function sendNow(item) {
    let outcomes = await flush();
    if (!outcomes[item.key] && navigator.onLine) outcomes = await flush();
    return outcomes[item.key];
  }

  /* ---- report ---- */

  function reportForm() {
    const search = $("#class-search");
    search.addEventListener("input", () => renderClasses(search.value));
    $("#gps").addEventListener("click", () => {
      if (!navigator.geolocation) return placeMessage(T.no_gps);
      navigator.geolocation.getCurrentPosition(
        (fix) => { reportMap().setView([fix.coords.latitude, fix.coords.longitude], 18);
                   choosePoint(fix.coords.longitude, fix.coords.latitude); },
        () => placeMessage(T.no_gps), { enableHighAccuracy: true, timeout: 10000, maximumAge: 0 });
    });
    $("#self-handled").addEventListener("change", (event) => {
      $("#photos-evidence").hidden = event.target.checked;
      $("#photos-self").hidden = !event.target.checked;
    });
    $$("#report-form input[type=file]").forEach((input) => input.addEventListener("change", async () => {
      state.photos[input.dataset.kind] = await Promise.all(Array.from(input.files).map((f) => FieldPhotos.compress(f)));
      previews();
    }));
    $("#report-form").addEventListener("submit", (event) => { event.preventDefault(); sendReport(); });
  }

  function renderClasses(query) {
    const list = $("#class-results");
    list.replaceChildren();
    query = query.trim().toLowerCase();
    let found;
    if (!query) {
      found = state.recent.map((key) => state.classes.find((c) => c.kind + ":" + c.code === key)).filter(Boolean);
    } else {
      found = state.classes.filter((c) => c.name.includes(query) || c.code.startsWith(query)
        || c.initials.includes(query) || c.pinyin.includes(query));
      const rank = (c) => (state.recent.includes(c.kind + ":" + c.code) ? 0 : 2) + (c.initials.startsWith(query) ? 0 : 1);
      found.sort((a, b) => rank(a) - rank(b));  // my recent classes first, then those the initials begin
    }
    found.slice(0, 12).forEach((klass) => {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = klass.name + " " + klass.code;
      button.dataset.code = klass.code;
      if (!query) button.title = T.recent;
      button.addEventListener("click", () => chooseClass(klass));
      li.append(button);
      list.append(li);
    });
  }

  function chooseClass(klass) {
    $("#kind").value = klass.kind;
    $("#class-code").value = klass.code;
    $("#class-chosen").textContent = klass.group + " ▸ " + klass.name + " (" + klass.code + ")";
    $("#class-chosen").hidden = false;
    $("#class-results").replaceChildren();
    $("#class-search").value = "";
    if (state.point) choosePoint(state.point.lon, state.point.lat);
  }

  let marker = null;

  async function choosePoint(lon, lat) {
    state.point = { lon, lat, outside: false };
    $("#lon").value = lon.toFixed(7);
    $("#lat").value = lat.toFixed(7);
    marker = marker || L.marker([lat, lon]).addTo(reportMap());
    marker.setLatLng([lat, lon]);
    placeMessage(lon.toFixed(6) + ", " + lat.toFixed(6));
    $("#component-offer").hidden = true;
    $("#component").checked = false;
    try {
      const code = $("#kind").value === "component" ? "&class_code=" + $("#class-code").value : "";
      const found = await api("/field/api/place?lon=" + lon + "&lat=" + lat + code);
      if (found.error) {
        state.point.outside = true;
        placeMessage(found.error, true);
        return;
      }
      if (found.outside) {
        state.point.outside = true;
        placeMessage(T.outside, true);
        return;
      }
      placeMessage(T.grid + " " + found.grid + " · " + found.address);
      if (!$("#address").value) $("#address").value = found.address;
      if (found.component) {
        const offer = $("#component-offer");
        offer.hidden = false;
        $("#component").value = found.component.identifier;
        $("span", offer).textContent = format(T.nearest, { name: found.component.name,
          identifier: found.component.identifier, distance: Math.round(found.component.distance_m) });
      }
    } catch (error) { /* offline: the server checks the point when the report is sent */ }
  }

  function placeMessage(text, bad) {
    $("#place").textContent = text;
    $("#place").classList.toggle("bad", Boolean(bad));
  }

  function previews() {
    const box = $("#previews");
    box.replaceChildren();
    const selfHandled = $("#self-handled").checked;
    (selfHandled ? ["before", "after"] : ["evidence"]).forEach((kind) => state.photos[kind].forEach((blob) => {
      const img = document.createElement("img");
      img.src = URL.createObjectURL(blob);
      img.alt = kind;
      box.append(img);
    }));
  }

  function showErrors(errors) {
    const shown = $$("#report-form .error").flatMap((p) => p.dataset.for.split(" "));
    $$("#report-form .error").forEach((p) => {
      const fields = p.dataset.for.split(" ");
      const text = Object.entries(errors).filter(([field]) => fields.includes(shown.includes(field) ? field : ""))
        .map(([, t]) => t).join(" ");
      p.textContent = text;
      p.hidden = !text;
    });
  }

  function checkReport() {
    const errors = {};
    const selfHandled = $("#self-handled").checked;
    if (!$("#class-code").value) errors.class_code = T.choose_class;
    if (!state.point) errors.lon = T.choose_place;
    else if (state.point.outside) errors.lon = T.outside;
    if (!$("#description").value.trim()) errors.description = T.describe;
    const photos = selfHandled ? [...state.photos.before, ...state.photos.after] : state.photos.evidence;
    if (photos.length > 9) errors.photos = T.too_many;
    if (selfHandled && !(state.photos.before.length && state.photos.after.length)) errors.photos = T.before_after;
    return errors;
  }

  async function sendReport() {
    const errors = checkReport();
    showErrors(errors);
    if (Object.keys(errors).length) return;
    const selfHandled = $("#self-handled").checked;
    const fields = { kind: $("#kind").value, class_code: $("#class-code").value, lon: $("#lon").value,
                     lat: $("#lat").value, description: $("#description").value.trim(), address: $("#address").value };
    if ($("#component").checked) fields.component = $("#component").value;
    if (selfHandled) fields.self_handled = "1";
    const files = [];
    (selfHandled ? ["before", "after"] : ["evidence"]).forEach((kind) => state.photos[kind].forEach((blob, i) =>
      files.push({ field: kind, name: kind + i + ".jpg", blob })));
    const item = await queue({ type: "report", label: fields.description.slice(0, 30), url: "/field/api/reports",
                                    fields, files });
    const outcome = await sendNow(item);
    const result = $("#report-result");
    result.dataset.outcome = outcome ? outcome.outcome : "offline";
    if (outcome && outcome.outcome === "failed") {  // refused now: the error by its field, the form as typed
      await Outbox.remove(item.key);
      showErrors({ [outcome.body.field || ""]: outcome.body.error });
      result.textContent = T.failed + ": " + outcome.body.error;
      return;
    }
    clearReport();
    result.textContent = outcome && outcome.outcome === "sent"
      ? format(outcome.body.created ? T.sent : T.already, { number: outcome.body.number }) : T.queued;
  }

  function clearReport() {
    $("#report-form").reset();
    ["kind", "class-code", "lon", "lat"].forEach((id) => { $("#" + id).value = ""; });
    $("#class-chosen").hidden = true;
    $("#component-offer").hidden = true;
    $("#photos-evidence").hidden = false;
    $("#photos-self").hidden = true;
    state.photos = { evidence: [], before: [], after: [] };
    state.point = null;
    placeMessage("");
    previews();
  }

  /* ---- patrol track ---- */

  function duty() {
    const button = $("#duty");
    button.addEventListener("click", () => {
      const on = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", String(on));
      button.textContent = on ? T.end_patrol : T.start_patrol;
      if (on && navigator.geolocation) {
        state.watch = navigator.geolocation.watchPosition(record, () => {}, { enableHighAccuracy: true });
      } else {
        if (state.watch !== null) navigator.geolocation.clearWatch(state.watch);
        state.watch = null;
        queueTrack();
      }
    });
  }

  function record(fix) {
    state.lastFix = fix;
    const last = state.track[state.track.length - 1];
    if (last && fix.timestamp - last[0] < TRACK_EVERY_MS) return;
    state.track.push([Math.round(fix.timestamp), fix.coords.longitude, fix.coords.latitude, fix.coords.accuracy]);
    state.recorded += 1;
    $("#duty").dataset.positions = String(state.recorded);
    if (state.track.length >= TRACK_BATCH) queueTrack();
  }

  async function queueTrack() {
    if (!state.track.length) return;
    const points = state.track.splice(0);
    await queue({ type: "track", label: String(points.length), url: "/field/api/track", json: { points } });
    flush();
  }

  /* ---- safety alert ---- */

  function sos() {
    const panel = $("#sos-panel");
    $("#sos").addEventListener("click", () => { panel.hidden = false; });
    $("#sos-cancel").addEventListener("click", () => { panel.hidden = true; });
    $$("[data-alert]", panel).forEach((button) => button.addEventListener("click", async () => {
      panel.hidden = true;
      const where = await position();
      const item = await queue({ type: "alert", label: button.textContent, url: "/field/api/alert",
                                      json: { kind: button.dataset.alert, lon: where && where.lon, lat: where && where.lat } });
      const outcome = (await flush())[item.key];
      banner(outcome && outcome.outcome === "sent" ? T.alert_sent : T.alert_queued);
    }));
  }

  function position() {
    const fix = state.lastFix;
    if (fix && Date.now() - fix.timestamp < 60000) return Promise.resolve({ lon: fix.coords.longitude, lat: fix.coords.latitude });
    if (!navigator.geolocation) return Promise.resolve(null);
    return new Promise((resolve) => navigator.geolocation.getCurrentPosition(
      (found) => resolve({ lon: found.coords.longitude, lat: found.coords.latitude }), () => resolve(null),
      { enableHighAccuracy: true, timeout: 5000, maximumAge: 60000 }));
  }

  start();
})();
