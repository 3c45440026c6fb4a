// Live Q&A: keeps the question list in order of votes over /ws/workshops/<slug>/, and sends
// votes, answers and questions over the socket. Without it (or JavaScript) the forms post.
(function () {
  "use strict";
  var section = document.querySelector("[data-socket]");
  if (!section || !window.WebSocket) return;
  var list = section.querySelector("[data-questions]");
  var template = section.querySelector("[data-question-template]");
  var status = section.querySelector("[data-live-status]");
  var me = section.dataset.me;
  var socket = null;
  var retry = 1000;
  var pendingAsk = null; // the text of a question sent but not yet confirmed

  function setStatus(live) {
    if (status) status.textContent = live ? section.dataset.labelLive : section.dataset.labelOffline;
  }

  function itemFor(id) {
    return list.querySelector('[data-question="' + id + '"]');
  }

  function build(frame) {
    var item = template.content.firstElementChild.cloneNode(true);
    item.dataset.question = frame.id;
    item.querySelectorAll("form").forEach(function (form) {
      form.action = form.getAttribute("action").replace("/questions/0/", "/questions/" + frame.id + "/");
    });
    item.querySelector("[data-body]").innerHTML = frame.body_html; // sanitised by the server
    item.querySelector("[data-author]").textContent = frame.author.display_name;
    if (frame.author.username === me) {
      var slot = item.querySelector("[data-vote-slot]");
      if (slot) slot.remove();
    }
    return item;
  }

  function setVoted(item, voted) {
    var button = item.querySelector(".vote-button");
    if (!button) return;
    button.setAttribute("aria-pressed", voted ? "true" : "false");
    button.textContent = voted ? button.dataset.labelUnvote : button.dataset.labelVote;
    var input = button.form.querySelector('input[name="action"]');
    if (input) input.value = voted ? "unvote" : "vote";
  }

  function update(frame) {
    var item = itemFor(frame.id) || build(frame);
    item.dataset.votes = frame.votes;
    item.dataset.answered = frame.answered ? "1" : "0";
    item.classList.toggle("is-answered", frame.answered);
    item.querySelector("[data-count]").textContent = frame.votes;
    var answer = item.querySelector("[data-answer-button]");
    if (answer) {
      answer.textContent = frame.answered ? answer.dataset.labelUnanswer : answer.dataset.labelAnswer;
      answer.form.querySelector('input[name="answered"]').value = frame.answered ? "0" : "1";
    }
    if (!item.parentNode) list.appendChild(item);
    var empty = section.querySelector("[data-empty]");
    if (empty) empty.remove();
  }

  // Open questions first, most votes first, then the earliest (lowest id); answered after.
  function sort() {
    var items = Array.prototype.slice.call(list.children);
    items.sort(function (a, b) {
      return (
        Number(a.dataset.answered) - Number(b.dataset.answered) ||
        Number(b.dataset.votes) - Number(a.dataset.votes) ||
        Number(a.dataset.question) - Number(b.dataset.question)
      );
    });
    items.forEach(function (item) { list.appendChild(item); });
  }

  function receive(event) {
    var frame;
    try { frame = JSON.parse(event.data); } catch (error) { return; }
    if (frame.type === "hello") {
      frame.questions.forEach(update);
      var mine = {};
      frame.my_votes.forEach(function (id) { mine[id] = true; });
      list.querySelectorAll("[data-question]").forEach(function (item) {
        setVoted(item, Boolean(mine[item.dataset.question]));
      });
      sort();
    } else if (frame.type === "question") {
      if (frame.author.username === me) pendingAsk = null;
      update(frame);
      sort();
    } else if (frame.type === "voted") {
      var voted = itemFor(frame.id);
      if (voted) setVoted(voted, frame.voted);
    } else if (frame.type === "question_removed") {
      var gone = itemFor(frame.id);
      if (gone) gone.remove();
    } else if (frame.type === "announcements") {
      var pinned = section.querySelector("[data-announcements]");
      if (pinned) {
        pinned.replaceChildren();
        frame.announcements.forEach(function (announcement) {
          var item = document.createElement("li");
          item.innerHTML = announcement.body_html; // sanitised by the server
          pinned.appendChild(item);
        });
        pinned.hidden = frame.announcements.length === 0;
      }
    } else if (frame.type === "qa" || frame.type === "ended") {
      window.location.reload(); // the forms on the page change: draw them again
    } else if (frame.type === "error") {
      if (status) status.textContent = frame.detail;
      if (pendingAsk !== null) { // give the asker their text back: nothing is lost
        var box = section.querySelector(".ask-form textarea");
        if (box && !box.value) box.value = pendingAsk;
        pendingAsk = null;
      }
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + section.dataset.socket);
    socket.addEventListener("open", function () { retry = 1000; setStatus(true); });
    socket.addEventListener("message", receive);
    socket.addEventListener("close", function (event) {
      socket = null;
      setStatus(false);
      if (event.code >= 4400 && event.code < 4500) return; // refused: reloading will say why
      window.setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    });
  }

  // With the socket open, the question forms travel over it instead of reloading the page.
  section.addEventListener("submit", function (event) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    var form = event.target;
    var item = form.closest("[data-question]");
    var frame = null;
    if (form.classList.contains("ask-form")) {
      var body = form.querySelector("textarea");
      frame = { type: "ask", body: body.value, client_id: form.querySelector('input[name="client_id"]').value };
      pendingAsk = body.value;
      body.value = "";
      form.querySelector('input[name="client_id"]').value = String(Date.now()) + Math.random().toString(16).slice(2);
    } else if (item) {
      var id = Number(item.dataset.question);
      var action = form.querySelector('input[name="action"]');
      var answered = form.querySelector('input[name="answered"]');
      if (action) frame = { type: action.value, id: id };
      else if (answered) frame = { type: answered.value === "1" ? "answer" : "unanswer", id: id };
      else frame = { type: "hide", id: id };
    }
    if (frame) {
      event.preventDefault();
      socket.send(JSON.stringify(frame));
    }
  });

  connect();
})();
