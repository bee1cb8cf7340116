/*
 * Mail setup help: the chat widget of the support page.
 *
 * Embed with one script tag; the config is a JSON object in data-config (or window.SmtpBotChatConfig):
 *   <script src="https://support.example.com/widget.js"
 *           data-config='{"serverUrl": "https://bot.example.com", "title": "Mail setup help",
 *                         "initialMessage": "Hi! Which mail program do you use?"}'></script>
 *
 * It talks to Rasa's Socket.IO channel (smtpbot.channels.webchat.WebChatInput) with the
 * socket.io-client bundle served next to this file (vendor/socket.io.min.js). The conversation id
 * lives in localStorage, so a reload or a second tab continues the same conversation; its history
 * comes back from the server. Messages typed while the server is unreachable wait in an outbox
 * (also in localStorage) and are sent, in order, once it is back; a message leaves the outbox only
 * when the server acknowledges it. Message text is only ever inserted as text nodes.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var baseUrl = new URL(".", script && script.src ? script.src : document.baseURI);

  var DEFAULTS = {
    serverUrl: window.location.protocol + "//" + window.location.hostname + ":5005",
    socketPath: "/socket.io",
    title: "Chat with us",
    initialMessage: "Hi! How can I help?",
    startOpen: false,
    userMessageEvent: "user_uttered",
    botMessageEvent: "bot_uttered",
    storageKey: "smtpbot-chat"
  };
  // The server acknowledges a message once the bot has answered it.
  var ACK_TIMEOUT_MS = 60000;

  function readConfig() {
    var fromAttribute = {};
    if (script && script.dataset.config) {
      try { fromAttribute = JSON.parse(script.dataset.config); } catch (e) { fromAttribute = {}; }
    }
    return Object.assign({}, DEFAULTS, window.SmtpBotChatConfig || {}, fromAttribute);
  }

  /* ---------- storage (a private window or full quota must not break the chat) ---------- */

  function Store(prefix) { this.prefix = prefix + ":"; }
  Store.prototype.get = function (key, fallback) {
    try {
      var raw = window.localStorage.getItem(this.prefix + key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (e) { return fallback; }
  };
  Store.prototype.set = function (key, value) {
    try { window.localStorage.setItem(this.prefix + key, JSON.stringify(value)); } catch (e) { /* memory only */ }
  };

  function randomHex(bytes) {
    var values = new Uint8Array(bytes);
    window.crypto.getRandomValues(values);
    return Array.prototype.map.call(values, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  /* ---------- DOM helpers ---------- */

  function el(tag, className, attributes) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    return node;
  }

  function textEl(tag, className, text) {
    var node = el(tag, className);
    node.textContent = text;
    return node;
  }

  /* Bot text to DOM: **bold**, "> " quote lines, line breaks. Never HTML from the message. */
  function appendInline(parent, line) {
    var bold = /\*\*(?=\S)([^*]+?)\*\*/g;
    var last = 0;
    var match;
    while ((match = bold.exec(line)) !== null) {
      parent.appendChild(document.createTextNode(line.slice(last, match.index)));
      parent.appendChild(textEl("strong", "", match[1]));
      last = match.index + match[0].length;
    }
    parent.appendChild(document.createTextNode(line.slice(last)));
  }

  function renderText(container, text) {
    var lines = String(text).split("\n");
    var quote = null;
    var needBreak = false;
    lines.forEach(function (line) {
      var quoted = /^\s*>\s?/.exec(line);
      if (quoted) {
        if (!quote) { quote = el("blockquote", "sbc-quote"); container.appendChild(quote); needBreak = false; }
        else { quote.appendChild(el("br")); }
        appendInline(quote, line.slice(quoted[0].length));
        return;
      }
      if (quote) { quote = null; needBreak = false; }
      if (needBreak) { container.appendChild(el("br")); }
      appendInline(container, line);
      needBreak = true;
    });
  }

  function timeEl(date) {
    var node = textEl("time", "sbc-time", date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
    node.setAttribute("datetime", date.toISOString());
    return node;
  }

  /* ---------- the widget ---------- */

  function ChatWidget(config) {
    this.config = config;
    this.store = new Store(config.storageKey);
    this.sessionId = this.store.get("session", null) || randomHex(16);
    this.store.set("session", this.sessionId);
    this.outbox = this.store.get("outbox:" + this.sessionId, []);
    this.inflight = null;        // the outbox entry the server has not acknowledged yet
    this.ready = false;          // connected, in the conversation's room, history shown
    this.historyShown = false;
    this.build();
    this.setConnection("connecting");
  }

  ChatWidget.prototype.build = function () {
    var self = this;
    var id = "sbc-" + randomHex(4);
    this.root = el("div", "sbc", { "data-connection": "connecting" });
    this.launcher = textEl("button", "sbc-launcher", this.config.title);
    this.launcher.type = "button";
    this.launcher.setAttribute("aria-controls", id + "-panel");
    this.launcher.setAttribute("aria-expanded", "false");

    this.panel = el("section", "sbc-panel", { id: id + "-panel", "aria-label": this.config.title });
    this.panel.hidden = true;
    var header = el("header", "sbc-header");
    header.appendChild(textEl("h2", "sbc-title", this.config.title));
    this.restartButton = textEl("button", "sbc-restart", "Restart");
    this.restartButton.type = "button";
    this.restartButton.setAttribute("aria-label", "Restart: start a new conversation");
    this.closeButton = textEl("button", "sbc-close", "\u00d7");
    this.closeButton.type = "button";
    this.closeButton.setAttribute("aria-label", "Close chat");
    header.appendChild(this.restartButton);
    header.appendChild(this.closeButton);

    this.status = el("div", "sbc-status", { role: "status" });
    this.handoff = el("div", "sbc-handoff", { role: "status" });
    this.handoff.appendChild(document.createTextNode("Ticket "));
    this.handoffReference = textEl("strong", "sbc-handoff-ref", "");
    this.handoff.appendChild(this.handoffReference);
    this.handoff.appendChild(document.createTextNode(
      ": a person from our support team will answer here. The assistant is paused until then."));
    this.handoff.hidden = true;
    this.log = el("div", "sbc-log", { role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0" });
    this.typing = el("div", "sbc-typing", { "aria-label": "The assistant is typing" });
    this.typing.appendChild(el("span"));
    this.typing.appendChild(el("span"));
    this.typing.appendChild(el("span"));
    this.typing.hidden = true;

    this.form = el("form", "sbc-form");
    var label = textEl("label", "sbc-visually-hidden", "Your message");
    label.setAttribute("for", id + "-input");
    this.input = el("input", "sbc-input", {
      id: id + "-input", type: "text", autocomplete: "off", maxlength: "2000", placeholder: "Type your message\u2026"
    });
    this.sendButton = textEl("button", "sbc-send", "Send");
    this.sendButton.type = "submit";
    this.form.appendChild(label);
    this.form.appendChild(this.input);
    this.form.appendChild(this.sendButton);

    this.panel.appendChild(header);
    this.panel.appendChild(this.status);
    this.panel.appendChild(this.handoff);
    this.panel.appendChild(this.log);
    this.panel.appendChild(this.typing);
    this.panel.appendChild(this.form);
    this.root.appendChild(this.launcher);
    this.root.appendChild(this.panel);
    document.body.appendChild(this.root);

    this.launcher.addEventListener("click", function () { self.setOpen(self.panel.hidden); });
    this.closeButton.addEventListener("click", function () { self.setOpen(false); });
    this.restartButton.addEventListener("click", function () { self.restart(); });
    this.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { self.setOpen(false); }
    });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = self.input.value.trim();
      if (!text) { return; }
      self.input.value = "";
      self.send(text, text);
    });
    this.setOpen(this.store.get("open", this.config.startOpen), true);
  };

  ChatWidget.prototype.setOpen = function (open, initial) {
    this.panel.hidden = !open;
    this.launcher.setAttribute("aria-expanded", open ? "true" : "false");
    this.root.classList.toggle("sbc-open", !!open);
    this.store.set("open", !!open);
    if (initial) { return; }
    if (open) { this.input.focus(); this.scrollToEnd(); } else { this.launcher.focus(); }
  };

  ChatWidget.prototype.setConnection = function (state) {
    this.root.setAttribute("data-connection", state);
    var texts = {
      connecting: "Connecting\u2026",
      online: "",
      reconnecting: "Reconnecting\u2026 The chat server can't be reached right now. " +
        "Messages you type will be sent as soon as it is back."
    };
    this.status.textContent = texts[state] || "";
    this.status.hidden = !this.status.textContent;
  };

  ChatWidget.prototype.scrollToEnd = function () { this.log.scrollTop = this.log.scrollHeight; };

  ChatWidget.prototype.disableOldButtons = function (except) {
    Array.prototype.forEach.call(this.log.querySelectorAll(".sbc-choices button"), function (button) {
      if (!except || !except.contains(button)) { button.disabled = true; }
    });
  };

  ChatWidget.prototype.addBotMessage = function (text, buttons, date) {
    var self = this;
    var item = el("div", "sbc-msg sbc-bot", { "data-sender": "bot" });
    var bubble = el("div", "sbc-bubble");
    renderText(bubble, text || "");
    item.appendChild(bubble);
    var choices = null;
    if (buttons && buttons.length) {
      choices = el("div", "sbc-choices", { role: "group", "aria-label": "Choices" });
      buttons.forEach(function (button) {
        var node = textEl("button", "sbc-choice", button.title || button.payload);
        node.type = "button";
        node.addEventListener("click", function () {
          if (node.disabled) { return; }
          self.send(button.payload, button.title || button.payload);
          self.input.focus();
        });
        choices.appendChild(node);
      });
      item.appendChild(choices);
    }
    item.appendChild(timeEl(date || new Date()));
    this.log.appendChild(item);
    this.disableOldButtons(choices);
    this.scrollToEnd();
    return item;
  };

  ChatWidget.prototype.addUserMessage = function (text, date, entryId) {
    var item = el("div", "sbc-msg sbc-user", { "data-sender": "user" });
    if (entryId) { item.setAttribute("data-message-id", entryId); }
    var bubble = el("div", "sbc-bubble");
    bubble.textContent = text;
    item.appendChild(bubble);
    item.appendChild(timeEl(date || new Date()));
    item.appendChild(el("span", "sbc-delivery"));
    this.log.appendChild(item);
    this.disableOldButtons(null);
    this.scrollToEnd();
    return item;
  };

  ChatWidget.prototype.markDelivery = function (entry, state, note) {
    var item = this.log.querySelector('[data-message-id="' + entry.id + '"]');
    if (!item) { return; }
    item.setAttribute("data-delivery", state);
    item.querySelector(".sbc-delivery").textContent = note || "";
  };

  ChatWidget.prototype.saveOutbox = function () { this.store.set("outbox:" + this.sessionId, this.outbox); };

  /* A message from the customer: shown at once, then sent (now, or when the server is back). */
  ChatWidget.prototype.send = function (message, shownText) {
    var entry = { id: randomHex(8), message: message, shown: shownText, ts: Date.now() };
    this.outbox.push(entry);
    this.saveOutbox();
    this.addUserMessage(shownText, new Date(entry.ts), entry.id);
    this.markDelivery(entry, "queued", this.ready ? "" : "Not sent yet: waiting for the connection");
    this.flush();
  };

  /* Send the outbox in order, one message at a time, each kept until the server acknowledges it. */
  ChatWidget.prototype.flush = function () {
    var self = this;
    if (!this.ready || this.inflight || !this.outbox.length) { this.updateTyping(); return; }
    var entry = this.outbox[0];
    var socket = this.socket;
    this.inflight = entry;
    this.markDelivery(entry, "sending", "");
    this.updateTyping();
    socket.timeout(ACK_TIMEOUT_MS).emit(this.config.userMessageEvent, {
      message: entry.message,
      session_id: this.sessionId,
      metadata: { message_id: entry.id, shown_text: entry.shown }
    }, function (error, answer) {
      if (self.inflight !== entry || self.socket !== socket) { return; }
      self.inflight = null;
      if (error) {
        // No answer in time, or the connection dropped: it stays first in the outbox and is
        // sent again once connected (the server drops it if it did arrive).
        self.markDelivery(entry, "queued", "Not sent yet: waiting for the connection");
        if (socket.connected) { self.flush(); } else { self.updateTyping(); }
        return;
      }
      self.outbox = self.outbox.filter(function (other) { return other.id !== entry.id; });
      self.saveOutbox();
      if (answer && answer.ok === false) {
        self.markDelivery(entry, "failed", "Not delivered: " + (answer.error || "refused"));
      } else {
        self.markDelivery(entry, "sent", "");
      }
      self.flush();
    });
  };

  ChatWidget.prototype.updateTyping = function () {
    this.typing.hidden = !(this.inflight && this.socket && this.socket.connected);
    if (!this.typing.hidden) { this.scrollToEnd(); }
  };

  ChatWidget.prototype.showGreeting = function (date) {
    if (this.config.initialMessage) { this.addBotMessage(this.config.initialMessage, null, date || new Date()); }
  };

  /* After a reload: the server's record of the conversation, then what is still waiting to be sent. */
  ChatWidget.prototype.showHistory = function (messages) {
    var delivered = {};
    this.log.textContent = "";
    messages.forEach(function (message) { if (message.id) { delivered[message.id] = true; } });
    this.outbox = this.outbox.filter(function (entry) { return !delivered[entry.id]; });
    this.saveOutbox();
    // The greeting is the page's, not the server's: it opens every conversation.
    this.showGreeting(messages.length && messages[0].ts ? new Date(messages[0].ts * 1000) : new Date());
    var self = this;
    messages.forEach(function (message) {
      var date = message.ts ? new Date(message.ts * 1000) : new Date();
      if (message.sender === "user") { self.addUserMessage(message.text, date, null); }
      else { self.addBotMessage(message.text, message.buttons, date); }
    });
    this.outbox.forEach(function (entry) {
      self.addUserMessage(entry.shown, new Date(entry.ts), entry.id);
      self.markDelivery(entry, "queued", "Not sent yet: waiting for the connection");
    });
    this.historyShown = true;
  };

  ChatWidget.prototype.onConfirmed = function (sessionId) {
    var self = this;
    if (sessionId && sessionId !== this.sessionId) {
      // The server gave this conversation a new id (ours was malformed): keep using its id.
      this.sessionId = sessionId;
      this.store.set("session", sessionId);
      this.saveOutbox();
    }
    this.setConnection("online");
    if (this.historyShown) { this.ready = true; this.flush(); return; }
    var socket = this.socket;
    socket.timeout(15000).emit("history_request", { session_id: this.sessionId }, function (error, answer) {
      if (self.socket !== socket) { return; }
      self.showHistory(!error && answer && answer.messages ? answer.messages : []);
      self.setHandoff(!error && answer && answer.handoff ? answer.handoff.reference || "" : null);
      self.ready = true;
      self.flush();
    });
  };

  ChatWidget.prototype.connect = function () {
    var self = this;
    var socket = window.io(this.config.serverUrl, {
      path: this.config.socketPath,
      transports: ["websocket"],
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000
    });
    this.socket = socket;
    socket.on("connect", function () {
      socket.emit("session_request", { session_id: self.sessionId });
    });
    socket.on("session_confirm", function (sessionId) { self.onConfirmed(sessionId); });
    socket.on(this.config.botMessageEvent, function (message) {
      if (!message || typeof message !== "object") { return; }
      if (message.custom && typeof message.custom === "object") { self.onCustom(message.custom); return; }
      var text = typeof message.text === "string" ? message.text : "";
      var buttons = (message.quick_replies || message.buttons || []).filter(function (b) {
        return b && typeof b.payload === "string";
      });
      if (!text && !buttons.length) { return; }
      self.addBotMessage(text, buttons, new Date());
    });
    socket.on("disconnect", function () { self.offline(); });
    socket.on("connect_error", function () { self.offline(); });
  };

  /* Hand-off: the ticket reference is shown and the chat says a person will answer here; the
     guide's buttons are put away until the conversation is handed back to the assistant. */
  ChatWidget.prototype.onCustom = function (custom) {
    if (custom.handoff && typeof custom.handoff === "object") { this.setHandoff(custom.handoff.reference); }
    if (custom.handback) { this.setHandoff(null); }
  };

  ChatWidget.prototype.setHandoff = function (reference) {
    var paused = reference !== null && reference !== undefined;
    this.handoff.hidden = !paused;
    if (paused) {
      var known = typeof reference === "string" && /^[A-Za-z0-9-]{1,32}$/.test(reference);
      this.handoffReference.textContent = known ? reference : "opened";
      this.root.setAttribute("data-handoff", known ? reference : "open");
      this.disableOldButtons(null);
      this.scrollToEnd();
    } else {
      this.root.removeAttribute("data-handoff");
    }
  };

  ChatWidget.prototype.offline = function () {
    this.ready = false;
    if (this.inflight) {
      this.markDelivery(this.inflight, "queued", "Not sent yet: waiting for the connection");
      this.inflight = null;
    }
    this.setConnection(this.historyShown ? "reconnecting" : "connecting");
    if (!this.historyShown) { this.status.textContent = "Connecting\u2026 The chat server can't be reached yet."; }
    this.updateTyping();
  };

  /* Restart: a new conversation with a new id; the old one stays on the server. */
  ChatWidget.prototype.restart = function () {
    this.sessionId = randomHex(16);
    this.store.set("session", this.sessionId);
    this.outbox = [];
    this.saveOutbox();
    this.inflight = null;
    this.ready = false;
    this.log.textContent = "";
    this.historyShown = true;
    this.setHandoff(null);
    this.showGreeting();
    // A fresh connection leaves the old conversation's room.
    this.socket.disconnect();
    this.socket.connect();
    this.input.focus();
  };

  function start() {
    var config = readConfig();
    var widget = new ChatWidget(config);
    window.SmtpBotChat = widget;
    var styles = el("link", "", { rel: "stylesheet", href: new URL("widget.css", baseUrl).href });
    document.head.appendChild(styles);
    if (window.io) { widget.connect(); return; }
    var loader = el("script", "", { src: new URL("vendor/socket.io.min.js", baseUrl).href });
    loader.addEventListener("load", function () { widget.connect(); });
    loader.addEventListener("error", function () {
      widget.status.hidden = false;
      widget.status.textContent = "The chat could not load. Please reload the page.";
    });
    document.head.appendChild(loader);
  }

  if (document.body) { start(); } else { document.addEventListener("DOMContentLoaded", start); }
})();
