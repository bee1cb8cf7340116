/*
 * Insights page: the report of GET /webhooks/agents/insights (smtpbot/insights/api.py) for a date
 * range and channel, as charts (Chart.js from npm, web/node_modules) each followed by a table of
 * the same figures, so everything is readable without the charts. Same token and storage as the
 * agents' view (sessionStorage of this tab). Example messages come from customers: inserted as
 * text only.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var config = {};
  try { config = JSON.parse(script.dataset.config); } catch (e) { config = {}; }
  var server = String(config.serverUrl || (window.location.protocol + "//" + window.location.hostname + ":5005"));
  var API = server.replace(/\/+$/, "") + "/webhooks/agents/insights";
  var TOKEN_KEY = "smtpbot-agents:token";
  var REASONS = {
    asked: "Asked for a person", stuck: "Stuck twice", still_broken: "Still not sending",
    uncovered: "Program not covered", not_understood: "Not understood"
  };
  var $ = function (id) { return document.getElementById(id); };
  var charts = {};
  var report = null;

  function token() {
    try { return window.sessionStorage.getItem(TOKEN_KEY) || ""; } catch (e) { return ""; }
  }
  function setToken(value) {
    try {
      if (value) { window.sessionStorage.setItem(TOKEN_KEY, value); } else { window.sessionStorage.removeItem(TOKEN_KEY); }
    } catch (e) { /* storage disabled: sign in again after a reload */ }
  }
  function say(message, isError) {
    $("in-status").textContent = message || "";
    $("in-status").classList.toggle("ag-error", Boolean(isError));
  }
  function percent(value) { return value == null ? "-" : (value * 100).toFixed(1) + "%"; }
  function show(value) { return value == null ? "-" : String(value); }

  /* ---------- tables (text only) ---------- */

  function cell(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = show(value);
    if (className) { node.className = className; }
    return node;
  }

  /* Fill `table` (keeping its caption): header row, then rows; the first column is a row header. */
  function fillTable(table, header, rows) {
    var caption = table.querySelector("caption");
    table.textContent = "";
    if (caption) { table.appendChild(caption); }
    var head = document.createElement("thead");
    var tr = document.createElement("tr");
    header.forEach(function (name) {
      var th = cell("th", name);
      th.scope = "col";
      tr.appendChild(th);
    });
    head.appendChild(tr);
    table.appendChild(head);
    var body = document.createElement("tbody");
    rows.forEach(function (row) {
      var line = document.createElement("tr");
      row.forEach(function (value, index) {
        var node = index === 0 ? cell("th", value) : cell("td", value);
        if (index === 0) { node.scope = "row"; }
        line.appendChild(node);
      });
      body.appendChild(line);
    });
    if (!rows.length) {
      var empty = document.createElement("tr");
      var none = cell("td", "None in this period.", "in-text");
      none.colSpan = header.length;
      empty.appendChild(none);
      body.appendChild(empty);
    }
    table.appendChild(body);
    return table;
  }

  /* ---------- charts ---------- */

  function chart(id, type, labels, datasets, options) {
    if (charts[id]) { charts[id].destroy(); }
    if (typeof window.Chart !== "function") { return; }  // tables still show everything
    charts[id] = new window.Chart($(id), {
      type: type,
      data: { labels: labels, datasets: datasets },
      options: Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, options || {})
    });
  }

  /* ---------- sections ---------- */

  function renderSummary(s) {
    var items = [
      ["conversations", "Conversations", show(s.conversations)],
      ["guided_share", "With a guide", percent(s.guided_share) + " (" + s.guided + ")"],
      ["median_turns_to_step1", "Median turns to step 1", show(s.median_turns_to_step1)],
      ["median_seconds_to_step1", "Median seconds to step 1", show(s.median_seconds_to_step1)],
      ["resolution_rate", "Resolution rate (it works)", percent(s.resolution_rate) + " (" + s.worked + ")"],
      ["handoffs", "Hand-offs", show(s.handoffs)],
      ["not_understood_messages", "Messages not understood", show(s.not_understood_messages)]
    ];
    var list = $("in-summary");
    list.textContent = "";
    items.forEach(function (item) {
      var box = document.createElement("div");
      box.dataset.metric = item[0];
      box.appendChild(cell("dt", item[1]));
      box.appendChild(cell("dd", item[2]));
      list.appendChild(box);
    });
  }

  function renderTrend(trend) {
    var labels = trend.map(function (d) { return d.day; });
    var series = [["conversations", "Conversations", "#12355b"], ["guided", "Guide started", "#2f80ed"],
                  ["worked", "It works", "#27ae60"], ["handoffs", "Hand-offs", "#eb5757"]];
    chart("in-trend-chart", "line", labels, series.map(function (s) {
      return { label: s[1], data: trend.map(function (d) { return d[s[0]]; }), borderColor: s[2], backgroundColor: s[2] };
    }), { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } });
    fillTable($("in-trend"), ["Day", "Conversations", "Guide started", "It works", "Hand-offs"],
      trend.map(function (d) { return [d.day, d.conversations, d.guided, d.worked, d.handoffs]; }));
  }

  function renderFunnel(funnel) {
    var select = $("in-guide");
    var chosen = select.value;
    select.textContent = "";
    funnel.forEach(function (f) {
      var option = document.createElement("option");
      option.value = f.guide;
      option.textContent = f.title + " (" + f.started + ")";
      select.appendChild(option);
    });
    if (funnel.some(function (f) { return f.guide === chosen; })) { select.value = chosen; }
    renderFunnelChart();
    fillTable($("in-funnel"),
      ["Guide", "Started", "Reached step 1..n", "Finished", "It works", "Still not sending", "Handed off", "Abandoned"],
      funnel.map(function (f) {
        return [f.guide, f.started, f.reached.join(" / "), f.finished, f.worked, f.failed, f.handed_off, f.abandoned];
      }));
  }

  function renderFunnelChart() {
    var funnel = (report && report.funnel) || [];
    var f = funnel.filter(function (g) { return g.guide === $("in-guide").value; })[0];
    if (!f) { chart("in-funnel-chart", "bar", [], []); return; }
    var labels = ["Started"].concat(f.reached.map(function (_, i) { return "Step " + (i + 1); }),
      ["Finished", "It works", "Still not sending", "Handed off", "Abandoned"]);
    var values = [f.started].concat(f.reached, [f.finished, f.worked, f.failed, f.handed_off, f.abandoned]);
    chart("in-funnel-chart", "bar", labels, [{ label: f.title, data: values, backgroundColor: "#2f80ed" }],
      { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } });
  }

  function renderHeat(funnel, steps) {
    var most = funnel.reduce(function (m, f) { return Math.max(m, f.steps); }, 0);
    var byKey = {};
    steps.forEach(function (r) { byKey[r.guide + "#" + r.step] = r; });
    var header = ["Guide"];
    for (var i = 1; i <= most; i++) { header.push("Step " + i); }
    var table = fillTable($("in-heat"), header, funnel.map(function (f) {
      var row = [f.guide];
      for (var step = 1; step <= most; step++) {
        var r = byKey[f.guide + "#" + step];
        row.push(r && r.reached ? percent(r.drop_off_rate) : (step <= f.steps ? "-" : ""));
      }
      return row;
    }));
    // Shade by drop-off (CSSOM, allowed by the page's Content-Security-Policy).
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (line, index) {
      var f = funnel[index];
      if (!f) { return; }
      Array.prototype.forEach.call(line.querySelectorAll("td"), function (td, column) {
        var r = byKey[f.guide + "#" + (column + 1)];
        if (!r || !r.reached) { return; }
        var share = r.drop_off_rate || 0;
        td.style.backgroundColor = "rgba(235, 87, 87, " + Math.min(0.1 + share, 1).toFixed(2) + ")";
        td.title = r.dropped + " of " + r.reached + " left here; stuck " + r.stuck + ", back " + r.back + ", repeat " + r.repeat;
      });
    });
    var trouble = steps.filter(function (r) { return r.stuck || r.back || r.repeat || r.dropped; });
    trouble.sort(function (a, b) {
      return (b.stuck + b.back + b.repeat + b.dropped) - (a.stuck + a.back + a.repeat + a.dropped);
    });
    fillTable($("in-steps"), ["Guide", "Step", "Reached", "I'm stuck", "Back", "Repeat", "Dropped", "Drop-off"],
      trouble.map(function (r) {
        return [r.guide, r.step, r.reached, r.stuck, r.back, r.repeat, r.dropped, percent(r.drop_off_rate)];
      }));
  }

  function renderHandoffs(handoffs) {
    var rows = handoffs.by_reason;
    var labels = rows.map(function (h) { return REASONS[h.reason] || h.reason; });
    chart("in-handoff-chart", "bar", labels, [
      { label: "In business hours", data: rows.map(function (h) { return h.in_hours; }), backgroundColor: "#2f80ed" },
      { label: "Out of hours", data: rows.map(function (h) { return h.out_of_hours; }), backgroundColor: "#9b51e0" }
    ], { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } });
    fillTable($("in-handoffs"), ["Reason", "Hand-offs", "In business hours", "Out of hours"],
      rows.map(function (h) { return [REASONS[h.reason] || h.reason, h.count, h.in_hours, h.out_of_hours]; }));
  }

  function render(data) {
    report = data;
    renderSummary(data.summary);
    renderTrend(data.trend);
    renderFunnel(data.funnel);
    renderHeat(data.funnel, data.steps);
    renderHandoffs(data.handoffs);
    fillTable($("in-uncovered"), ["Program", "Customers"],
      data.uncovered.map(function (u) { return [u.program, u.count]; }));
    fillTable($("in-not-understood"), ["Message", "Times"],
      data.not_understood.map(function (n) { return [n.text, n.count]; }));
    fillTable($("in-channels"), ["Channel", "Conversations", "With a guide", "It works", "Resolution rate"],
      data.by_channel.map(function (c) { return [c.channel, c.conversations, c.guided, c.worked, percent(c.resolution_rate)]; }));
  }

  /* ---------- loading ---------- */

  function load() {
    var params = new URLSearchParams();
    if ($("in-since").value) { params.set("since", $("in-since").value); }
    if ($("in-until").value) { params.set("until", $("in-until").value); }
    if ($("in-channel").value) { params.set("channel", $("in-channel").value); }
    say("Loading...");
    return fetch(API + "?" + params.toString(), {
      headers: { "Authorization": "Bearer " + token(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.status === 401 || response.status === 403) {
          signOut("Token refused: " + (data.error || response.status));
          return;
        }
        if (!response.ok) { say(data.error || ("request failed (" + response.status + ")"), true); return; }
        render(data);
        var q = data.query;
        say("Report " + (q.since || "from the start") + " to " + (q.until || "today") +
            (q.channel ? ", channel " + q.channel : ", all channels") + " (updated " + data.generated_at + ").");
      });
    }, function () {
      say("Cannot reach the bot at " + server + ". Is it running?", true);
    });
  }

  function signedIn() {
    $("in-signin").hidden = true;
    $("in-main").hidden = false;
    $("in-signout").hidden = false;
    return load();
  }

  function signOut(message) {
    setToken("");
    $("in-main").hidden = true;
    $("in-signout").hidden = true;
    $("in-signin").hidden = false;
    say(message || "Signed out.", Boolean(message));
  }

  function isoDay(date) { return date.toISOString().slice(0, 10); }

  document.addEventListener("DOMContentLoaded", function () {
    var today = new Date();
    $("in-until").value = isoDay(today);
    $("in-since").value = isoDay(new Date(today.getTime() - 29 * 86400000));  // the last 30 days
    $("in-signin").addEventListener("submit", function (event) {
      event.preventDefault();
      setToken($("in-token").value.trim());
      $("in-token").value = "";
      signedIn();
    });
    $("in-range").addEventListener("submit", function (event) { event.preventDefault(); load(); });
    $("in-guide").addEventListener("change", renderFunnelChart);
    $("in-signout").addEventListener("click", function () { signOut(""); say("Signed out."); });
    if (token()) { signedIn(); }
  });
})();
