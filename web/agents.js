/*
 * Agents' view of hand-off tickets: list, transcript, reply, hand back to the bot, resolve.
 *
 * Everything goes through the agents' HTTP API of the Rasa server (/webhooks/agents/...,
 * smtpbot/channels/agents.py) with the token the agent types in. The token is kept in this tab's
 * sessionStorage only (gone when the tab closes) and never written into the page. Ticket content
 * comes from customers, so it is only ever inserted as text (textContent), never as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var config = {};
  try { config = JSON.parse(script.dataset.config); } catch (e) { config = {}; }
  var server = String(config.serverUrl || (window.location.protocol + "//" + window.location.hostname + ":5005"));
  var API = server.replace(/\/+$/, "") + "/webhooks/agents";
  var TOKEN_KEY = "smtpbot-agents:token";
  var REFRESH_MS = 5000;  // the server copies customers' new messages into tickets every 5 s

  var $ = function (id) { return document.getElementById(id); };
  var selected = null;  // reference of the ticket shown
  var timer = null;

  /* ---------- token ---------- */

  function token() {
    try { return window.sessionStorage.getItem(TOKEN_KEY) || ""; } catch (e) { return ""; }
  }
  function setToken(value) {
    try {
      if (value) { window.sessionStorage.setItem(TOKEN_KEY, value); } else { window.sessionStorage.removeItem(TOKEN_KEY); }
    } catch (e) { /* storage disabled: the agent signs in again after a reload */ }
  }

  /* ---------- API ---------- */

  function ApiError(message, status) { this.message = message; this.status = status; }

  function api(method, path, body) {
    var options = { method: method, headers: { "Authorization": "Bearer " + token(), "Accept": "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(API + path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          throw new ApiError(data.error || ("request failed (" + response.status + ")"), response.status);
        }
        return data;
      });
    }, function () {
      throw new ApiError("Cannot reach the bot at " + server + ". Is it running?", 0);
    });
  }

  function failed(error) {
    if (error.status === 401 || error.status === 403) {
      signOut("Token refused: " + error.message);
      return;
    }
    say(error.message || String(error), true);
  }

  function say(message, isError) {
    var status = $("ag-status");
    status.textContent = message || "";
    status.classList.toggle("ag-error", Boolean(isError));
  }

  /* ---------- rendering (text only) ---------- */

  function text(tag, className, value) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    node.textContent = value == null ? "" : String(value);
    return node;
  }

  function clock(seconds) {
    return seconds ? new Date(seconds * 1000).toLocaleString() : "-";
  }

  function renderList(tickets) {
    var list = $("ag-tickets");
    list.replaceChildren();
    $("ag-empty").hidden = tickets.length > 0;
    tickets.forEach(function (ticket) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.dataset.ref = ticket.reference;
      button.setAttribute("aria-current", ticket.reference === selected ? "true" : "false");
      button.appendChild(text("span", "ag-ref", ticket.reference));
      button.appendChild(text("span", "ag-state", ticket.status + " · " + ticket.channel + " · " + clock(ticket.created_at)));
      button.appendChild(text("span", "ag-line", (ticket.summary || "").split("\n")[0]));
      button.addEventListener("click", function () { open(ticket.reference); });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  function renderTicket(ticket) {
    $("ag-ticket").hidden = false;
    $("ag-ref").textContent = ticket.reference + " (" + ticket.status + ")";
    $("ag-summary").textContent = ticket.summary || "";
    var fields = $("ag-fields");
    fields.replaceChildren();
    var step = ticket.step ? (ticket.step + (ticket.total_steps ? " of " + ticket.total_steps : "")) : null;
    [["Client", [ticket.client, ticket.version].filter(Boolean).join(" ")], ["Guide", ticket.guide],
     ["Step", step], ["Stuck on", ticket.stuck_text], ["Reason", ticket.reason], ["Channel", ticket.channel],
     ["Conversation", ticket.conversation_id], ["Created", clock(ticket.created_at)]].forEach(function (pair) {
      if (pair[1] === null || pair[1] === undefined || pair[1] === "") { return; }
      fields.appendChild(text("dt", "", pair[0]));
      fields.appendChild(text("dd", "", pair[1]));
    });
    var log = $("ag-transcript");
    var atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    log.replaceChildren();
    (ticket.transcript || []).forEach(function (message) {
      var item = document.createElement("li");
      item.className = "ag-" + String(message.role).replace(/[^a-z]/g, "");
      item.appendChild(text("span", "ag-at", message.at ? new Date(message.at * 1000).toLocaleTimeString() : ""));
      item.appendChild(text("span", "ag-who", message.role === "agent" && message.author ? message.author : message.role));
      item.appendChild(text("span", "ag-text", message.text));
      log.appendChild(item);
    });
    if (atBottom) { log.scrollTop = log.scrollHeight; }
    $("ag-actions").hidden = ticket.status !== "open";
  }

  /* ---------- actions ---------- */

  function refreshList() {
    var status = $("ag-show-all").checked ? "all" : "open";
    return api("GET", "/tickets?status=" + status).then(function (data) { renderList(data.tickets); }, failed);
  }

  function open(reference) {
    selected = reference;
    return api("GET", "/tickets/" + encodeURIComponent(reference)).then(function (ticket) {
      if (selected === reference) { renderTicket(ticket); }
      Array.prototype.forEach.call($("ag-tickets").querySelectorAll("button"), function (button) {
        button.setAttribute("aria-current", button.dataset.ref === selected ? "true" : "false");
      });
    }, failed);
  }

  function refresh() {
    refreshList();
    if (selected) { open(selected); }
  }

  function reply(event) {
    event.preventDefault();
    var box = $("ag-reply-text");
    var message = box.value.trim();
    if (!selected || !message) { return; }
    var reference = selected;
    api("POST", "/tickets/" + encodeURIComponent(reference) + "/reply", { text: message, agent: "agent" })
      .then(function (answer) {
        box.value = "";
        say("Reply sent on " + reference + (answer.delivery === "queued" ? " (the customer gets it with their next message)" : "") + ".");
        return open(reference);
      }, failed);
  }

  function handBack(event) {
    event.preventDefault();
    if (!selected) { return; }
    var body = {};
    var guide = $("ag-guide").value.trim();
    var step = $("ag-step").value.trim();
    var pasted = $("ag-paste").value;
    if (guide) {
      body.guide = guide;
      if (step) { body.step = parseInt(step, 10); }
    } else if (step) {
      say("A step needs a guide id.", true);
      return;
    } else if (pasted.trim()) {
      body.text = pasted;
    }
    var reference = selected;
    api("POST", "/tickets/" + encodeURIComponent(reference) + "/handback", body).then(function (answer) {
      var slots = answer.slots || {};
      var where = slots.guide ? " at step " + (slots.step || 1) + " of " + slots.guide
        : slots.client ? " with " + [slots.client, slots.version].filter(Boolean).join(" ") : "";
      $("ag-handback").reset();
      say(reference + " handed back to the bot" + where + ".");
      refresh();
    }, failed);
  }

  function resolve() {
    if (!selected) { return; }
    var reference = selected;
    api("POST", "/tickets/" + encodeURIComponent(reference) + "/resolve", {}).then(function () {
      say(reference + " resolved.");
      refresh();
    }, failed);
  }

  /* ---------- sign in / out ---------- */

  function signIn(value) {
    setToken(value);
    api("GET", "/tickets?status=open").then(function (data) {
      $("ag-token").value = "";
      $("ag-signin").hidden = true;
      $("ag-main").hidden = false;
      $("ag-signout").hidden = false;
      say("");
      renderList(data.tickets);
      clearInterval(timer);
      timer = setInterval(refresh, REFRESH_MS);
    }, failed);
  }

  function signOut(message) {
    setToken("");
    clearInterval(timer);
    selected = null;
    $("ag-main").hidden = true;
    $("ag-ticket").hidden = true;
    $("ag-signout").hidden = true;
    $("ag-signin").hidden = false;
    $("ag-token").value = "";
    say(message || "Signed out.", Boolean(message));
  }

  $("ag-signin").addEventListener("submit", function (event) {
    event.preventDefault();
    signIn($("ag-token").value.trim());
  });
  $("ag-signout").addEventListener("click", function () { signOut(""); });
  $("ag-show-all").addEventListener("change", refreshList);
  $("ag-reply").addEventListener("submit", reply);
  $("ag-handback").addEventListener("submit", handBack);
  $("ag-resolve").addEventListener("click", resolve);

  if (token()) { signIn(token()); }
}());
