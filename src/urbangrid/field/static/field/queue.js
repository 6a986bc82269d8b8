/* The outbox: every submission goes into IndexedDB first, with its idempotency key, then is sent.
 *
 * Nothing is lost: an item leaves the store only when the server answered it (created, or already had it).
 * Nothing is made twice: a resend carries the same key, and the server answers a known key with the first
 * result. A refusal (4xx) keeps the item, marked failed with the server's message, for the collector to read.
 * A 401 means the centre revoked this phone: the items queued under that token, and the token, are wiped.
 *
 * Each item carries the device token of the collector who made it and is sent with that token alone (no
 * cookies): a phone shared by two collectors sends each one's work as theirs, whoever is signed in now, and a
 * session that timed out on patrol does not strand the outbox.
 */
(function () {
  "use strict";
  const DB_NAME = "urbangrid-field";
  const HEADER = "X-Field-Device";
  let dbPromise = null;

  function open() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = () => {
          const db = request.result;
          db.createObjectStore("queue", { keyPath: "key" });
          db.createObjectStore("meta", { keyPath: "name" });
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return dbPromise;
  }

  async function tx(store, mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(store, mode);
      const result = work(transaction.objectStore(store));
      transaction.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      transaction.onerror = () => reject(transaction.error);
    });
  }

  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  const listeners = [];
  let flushing = null;

  const Outbox = {
    newKey,
    async getMeta(name) {
      const row = await tx("meta", "readonly", (s) => s.get(name));
      return row ? row.value : null;
    },
    setMeta(name, value) {
      return tx("meta", "readwrite", (s) => s.put({ name, value }));
    },
    all() {
      return tx("queue", "readonly", (s) => s.getAll()).then((items) =>
        (items || []).sort((a, b) => a.created - b.created));
    },
    async add(item) {
      item.key = item.key || newKey();
      item.created = item.created || Date.now();
      item.status = "waiting";
      await tx("queue", "readwrite", (s) => s.put(item));
      changed();
      return item;
    },
    async remove(key) {
      await tx("queue", "readwrite", (s) => s.delete(key));
      changed();
    },
    /* Forget a revoked token: its items and the meta rows that hold it. */
    async wipe(token) {
      const items = await Outbox.all();
      await tx("queue", "readwrite", (s) => items.filter((i) => i.token === token).forEach((i) => s.delete(i.key)));
      const metas = await tx("meta", "readonly", (s) => s.getAll());
      await tx("meta", "readwrite", (s) => (metas || []).filter((m) => m.value === token).forEach((m) => s.delete(m.name)));
      changed();
    },
    onChange(listener) { listeners.push(listener); },
    /* Send every waiting item, oldest first; one flush at a time. Resolves to {key: outcome}. */
    flush() {
      if (!flushing) flushing = sendAll().finally(() => { flushing = null; });
      return flushing;
    },
    async send(item) {
      let response;
      try {
        response = await fetch(item.url, request(item, item.token));
      } catch (error) {
        return { outcome: "offline" };
      }
      let body = {};
      try { body = await response.json(); } catch (error) { body = {}; }
      if (response.status === 401) {
        await Outbox.wipe(item.token);
        return { outcome: "revoked", body };
      }
      if (response.ok) {
        await Outbox.remove(item.key);
        return { outcome: "sent", body };
      }
      if (response.status >= 500 || response.status === 429) return { outcome: "offline", body };
      item.status = "failed";
      item.error = body.error || response.statusText;
      item.field = body.field || "";
      await tx("queue", "readwrite", (s) => s.put(item));
      changed();
      return { outcome: "failed", body };
    },
  };

  function request(item, token) {
    const headers = { [HEADER]: token || "" };
    if (item.json) {
      headers["Content-Type"] = "application/json";
      return { method: "POST", headers, body: JSON.stringify({ ...item.json, key: item.key }), credentials: "omit" };
    }
    const form = new FormData();
    form.append("key", item.key);
    Object.entries(item.fields || {}).forEach(([name, value]) => form.append(name, value));
    (item.files || []).forEach((file) => form.append(file.field, file.blob, file.name));
    return { method: "POST", headers, body: form, credentials: "omit" };
  }

  async function sendAll() {
    const outcomes = {};
    for (const item of await Outbox.all()) {
      if (item.status !== "waiting") continue;
      const result = await Outbox.send(item);
      outcomes[item.key] = result;
      if (result.outcome === "offline" || result.outcome === "revoked") break;
    }
    return outcomes;
  }

  function changed() { listeners.forEach((listener) => listener()); }

  window.FieldOutbox = Outbox;
})();
