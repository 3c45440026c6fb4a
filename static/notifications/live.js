// Live notifications: keeps the unread badge current and, on /notifications/, adds new
// notifications to the top of the list, without reloading. Reads only data- attributes.
(function () {
  "use strict";

  var badge = document.querySelector("[data-notification-badge]");
  if (!badge || !("WebSocket" in window)) {
    return;
  }
  var count = badge.querySelector("[data-notification-count]");
  var list = document.querySelector("[data-notification-list]");
  var template = document.querySelector("template[data-notification-template]");
  var empty = document.querySelector("[data-notification-empty]");
  var path = badge.getAttribute("data-socket-path") || "/ws/notifications/";
  var delay = 1000;
  var seen = {};

  function setUnread(unread) {
    if (typeof unread !== "number" || unread < 0) {
      return;
    }
    var shown = unread > 99 ? "99+" : String(unread);
    // Only a change: rewriting the same count would make screen readers announce it again.
    if (count.textContent !== shown) {
      count.textContent = shown;
    }
    badge.hidden = unread === 0;
  }

  // Only paths on this site become links: a frame can never smuggle in another scheme.
  function safePath(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" &&
      url.charAt(1) !== "\\";
  }

  function addToList(frame) {
    if (!list || !template || seen[frame.id] ||
        document.getElementById("notification-" + frame.id)) {
      return;
    }
    seen[frame.id] = true;
    var item = template.content.firstElementChild.cloneNode(true);
    item.id = "notification-" + frame.id;
    // The page's own label (the reader's language) before the sender's.
    item.querySelector(".notification-kind").textContent =
      template.getAttribute("data-kind-" + frame.kind) || frame.kind_label || frame.kind;
    var time = item.querySelector("time");
    time.setAttribute("datetime", frame.created);
    time.textContent = new Date(frame.created).toLocaleString(document.documentElement.lang || undefined);
    var link = item.querySelector(".notification-text a");
    if (safePath(frame.url)) {
      link.setAttribute("href", frame.url);
      link.textContent = frame.text;
    } else {
      link.replaceWith(document.createTextNode(frame.text));
    }
    var form = item.querySelector("form");
    form.setAttribute("action", form.getAttribute("action").replace(/\/0\/read\/$/,
      "/" + Number(frame.id) + "/read/"));
    list.insertBefore(item, list.firstElementChild);
    list.hidden = false;
    if (empty) {
      empty.hidden = true;
    }
  }

  // Following an unread notification's link marks it read on the way: its own "Mark as
  // read" form is sent with the link as the place to go next (a plain link without JS).
  document.addEventListener("click", function (event) {
    var link = event.target.closest &&
      event.target.closest(".notification.unread .notification-text a");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey ||
        event.altKey || !safePath(link.getAttribute("href"))) {
      return;
    }
    var form = link.closest(".notification").querySelector("form");
    var next = form && form.querySelector("input[name=next]");
    if (!next) {
      return;
    }
    event.preventDefault();
    next.value = link.getAttribute("href");
    form.submit();
  });

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + path);
    socket.addEventListener("open", function () {
      delay = 1000;
    });
    socket.addEventListener("message", function (event) {
      var frame;
      try {
        frame = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (frame.type === "notification") {
        addToList(frame);
      }
      if (frame.type === "hello") {
        badge.setAttribute("data-live", "connected");
      }
      if (frame.type === "hello" || frame.type === "notification" || frame.type === "unread") {
        setUnread(frame.unread);
      }
    });
    socket.addEventListener("close", function (event) {
      badge.removeAttribute("data-live");
      // 4401/4403: signed out or not allowed; retrying would not change that.
      if (event.code === 4401 || event.code === 4403 || event.code === 4404) {
        return;
      }
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 60000);
    });
  }

  connect();
})();
