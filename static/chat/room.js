// The live room: connects to /ws/chat/<slug>/, sends, receives, shows presence and typing,
// reconnects with backoff and syncs so nothing is missed, and keeps unsent messages (with
// their client_id) across reconnects and reloads to send them again. Without this script the
// page still works: the form posts and the server redirects back.
(function () {
  "use strict";
  const root = document.querySelector(".chat-room[data-ws-path]");
  if (!root || root.dataset.live !== "1" || !("WebSocket" in window)) return;

  const list = root.querySelector("[data-messages]");
  const form = root.querySelector("[data-form]");
  const statusLine = root.querySelector("[data-status]");
  const typingLine = root.querySelector("[data-typing]");
  const onlineList = root.querySelector("[data-online]");
  const onlineCount = root.querySelector("[data-online-count]");
  const showOnline = root.querySelector("[data-show-online]");
  const me = root.dataset.username;
  const text = (name) => root.dataset["text" + name] || "";
  const pendingKey = "se4u-chat-pending:" + root.dataset.room;

  let socket = null;
  let lastId = Number(root.dataset.lastId || 0);
  for (const item of list.querySelectorAll("[data-id]")) lastId = Math.max(lastId, Number(item.dataset.id));
  let attempts = 0;
  let stopped = false;
  let typingSentAt = 0;
  let typingTimer = null;
  let pending = loadPending();

  function loadPending() {
    try { return JSON.parse(localStorage.getItem(pendingKey)) || []; } catch (e) { return []; }
  }
  function savePending() {
    try { localStorage.setItem(pendingKey, JSON.stringify(pending)); } catch (e) { /* private mode */ }
  }
  function newClientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  // In the page's language and the member's time zone (the server's choice), as the messages
  // rendered with the page are; the browser's own settings may differ from both.
  const timeFormat = { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" };
  function formatTime(iso) {
    const when = new Date(iso);
    const lang = document.documentElement.lang || undefined;
    try {
      return when.toLocaleString(lang, { ...timeFormat, timeZone: root.dataset.timeZone || undefined });
    } catch (e) { // a zone or language this browser does not know
      return when.toLocaleString(undefined, timeFormat);
    }
  }
  function showStatus(message) {
    statusLine.textContent = message;
    statusLine.hidden = !message;
  }

  function render(message) {
    if (document.getElementById("m" + message.id)) return;
    const empty = list.querySelector("[data-empty]");
    if (empty) empty.remove();
    const item = document.createElement("li");
    item.className = "chat-message";
    item.id = "m" + message.id;
    item.dataset.id = message.id;
    item.dataset.author = message.author.username;
    const meta = document.createElement("p");
    meta.className = "chat-meta";
    const author = document.createElement("bdi");
    author.className = "chat-author";
    author.textContent = message.author.display_name;
    const time = document.createElement("time");
    time.dateTime = message.created;
    time.textContent = formatTime(message.created);
    meta.append(author, " ", time);
    const body = document.createElement("div");
    body.className = "chat-body";
    body.dir = "auto"; // a message in another direction than the page keeps its own
    body.innerHTML = message.body_html; // sanitised by the server when stored
    item.append(meta, body);
    if (message.author.username === me) {
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link-button chat-delete";
      remove.textContent = text("Delete");
      remove.addEventListener("click", () => send({ type: "delete", id: message.id }));
      item.append(remove);
    }
    // Keep id order even if frames from two processes cross on the way.
    let next = null;
    for (const other of list.querySelectorAll("[data-id]")) {
      if (Number(other.dataset.id) > message.id) { next = other; break; }
    }
    list.insertBefore(item, next);
    lastId = Math.max(lastId, message.id);
    if (!next) item.scrollIntoView({ block: "nearest" });
  }

  function renderPending() {
    for (const old of list.querySelectorAll("[data-pending]")) old.remove();
    for (const entry of pending) {
      const item = document.createElement("li");
      item.className = "chat-message chat-pending";
      item.dataset.pending = entry.client_id;
      item.textContent = entry.body + " (" + text("Pending") + ")";
      list.append(item);
    }
  }

  function acknowledge(message) {
    if (message.author.username !== me) return;
    const before = pending.length;
    pending = pending.filter((entry) => entry.client_id !== message.client_id);
    if (pending.length !== before) { savePending(); renderPending(); }
  }

  function resendPending() {
    for (const entry of pending) send({ type: "message", body: entry.body, client_id: entry.client_id });
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(frame)); return true; }
    return false;
  }

  function showPresence(frame) {
    onlineCount.textContent = text("Online").replace("%(count)s", frame.count);
    onlineList.replaceChildren();
    for (const member of frame.online) {
      const item = document.createElement("li");
      const name = document.createElement("bdi");
      name.textContent = member.display_name;
      item.append(name);
      onlineList.append(item);
    }
    showOnline.hidden = frame.complete !== false;
  }

  function showTyping(frame) {
    typingLine.textContent = frame.user ? text("Typing").replace("%(name)s", frame.user.display_name) : text("Several");
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => { typingLine.textContent = ""; }, 4000);
  }

  function setRoomState(frame) {
    root.querySelector("[data-closed-notice]").hidden = frame.is_open;
    root.querySelector("[data-slow-notice]").hidden = !frame.slow_mode;
  }

  function handle(frame) {
    switch (frame.type) {
      case "hello":
        attempts = 0;
        showStatus("");
        showPresence(frame);
        setRoomState({ is_open: frame.is_open, slow_mode: frame.slow_mode });
        send({ type: "sync", after: lastId });
        break;
      case "history":
        frame.messages.forEach((message) => { render(message); acknowledge(message); });
        if (frame.has_more) send({ type: "sync", after: lastId });
        else resendPending();
        break;
      case "message":
        // A message whose predecessor we never saw means frames were lost: fetch the gap.
        if (frame.previous_id && frame.previous_id > lastId) send({ type: "sync", after: lastId });
        else render(frame);
        acknowledge(frame);
        break;
      case "edited": {
        const item = document.getElementById("m" + frame.id);
        if (item) item.querySelector(".chat-body").innerHTML = frame.body_html;
        break;
      }
      case "deleted": {
        const item = document.getElementById("m" + frame.id);
        if (item) item.remove();
        break;
      }
      case "typing": showTyping(frame); break;
      case "presence": showPresence(frame); break;
      case "room": setRoomState(frame); break;
      case "error":
        showStatus(frame.detail);
        if (frame.code === "rate_limited") {
          setTimeout(resendPending, 3000); // kept, with the same client_id: no duplicates
        } else {
          // A refused message will not succeed by resending: keep it in the box instead.
          const refused = pending.shift();
          if (refused && form) form.elements.body.value = refused.body;
          savePending(); renderPending();
        }
        break;
    }
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.wsPath);
    socket.addEventListener("message", (event) => {
      let frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      handle(frame);
    });
    socket.addEventListener("close", (event) => {
      socket = null;
      if ([4401, 4403, 4404].includes(event.code)) { stopped = true; showStatus(text("Refused")); return; }
      if (stopped) return;
      showStatus(text("Offline"));
      // Exponential backoff with jitter, so a blip does not bring every client back at once.
      const delay = Math.min(30000, 1000 * 2 ** attempts) * (0.5 + Math.random() / 2);
      attempts += 1;
      setTimeout(connect, delay);
    });
  }

  if (form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = form.elements.body.value.trim();
      if (!body) return;
      const entry = { body: body, client_id: newClientId() };
      pending.push(entry);
      savePending();
      renderPending();
      form.elements.body.value = "";
      send({ type: "message", body: entry.body, client_id: entry.client_id });
    });
    form.elements.body.addEventListener("input", () => {
      const now = Date.now();
      if (now - typingSentAt > 3000) { typingSentAt = now; send({ type: "typing" }); }
    });
    form.elements.body.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
    });
  }
  showOnline.addEventListener("click", () => send({ type: "presence" }));
  renderPending();
  connect();
})();
