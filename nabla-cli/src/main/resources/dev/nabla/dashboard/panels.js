// Nabla's training dashboard, part one: formatting, and the panels under the charts (test results with the confusion
// matrix, the settings side by side, the model summaries). dashboard.js reads the stream and draws the rest.
// Everything from the stream is shown with textContent, never as HTML.
window.NablaDashboard = (function () {
  "use strict";

  // ------------------------------------------------------------------ formatting

  function num(v) {
    if (v === null || v === undefined || Number.isNaN(v)) return "–";
    const a = Math.abs(v);
    if (a >= 10000) return Math.round(v).toLocaleString("en-US");
    if (a >= 100) return v.toFixed(1);
    if (a === 0) return "0";
    if (a < 0.001) return v.toExponential(2);
    return v.toPrecision(4);
  }

  function duration(s) {
    if (s === null || s === undefined || !Number.isFinite(s)) return "–";
    if (s < 60) return s.toFixed(1) + " s";
    const t = Math.round(s);
    const h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), sec = t % 60;
    const mm = String(m).padStart(h > 0 ? 2 : 1, "0"), ss = String(sec).padStart(2, "0");
    return h > 0 ? h + ":" + mm + ":" + ss : mm + ":" + ss;
  }

  function el(tag, text, cls) {
    const n = document.createElement(tag);
    if (text !== undefined && text !== null) n.textContent = String(text);
    if (cls) n.className = cls;
    return n;
  }

  // ------------------------------------------------------------------ test results, settings, summaries

  function testCard(run) {
    const card = el("div");
    card.className = "test";
    card.dataset.run = run.id;
    card.append(el("h3", run.id + " · " + (run.test.samples || 0).toLocaleString("en-US") + " test samples"));
    const metrics = el("table", null, "metrics");
    for (const [k, v] of Object.entries(run.test.metrics || {})) {
      const tr = el("tr"); tr.append(el("td", k), el("td", num(v))); metrics.append(tr);
    }
    if ("auc" in run.test) {
      const tr = el("tr"); tr.append(el("td", "auc"), el("td", num(run.test.auc))); metrics.append(tr);
    }
    card.append(metrics);
    const cm = run.test.confusion_matrix;
    if (cm && Array.isArray(cm.classes) && Array.isArray(cm.matrix)) {
      const t = el("table", null, "confusion");
      const head = el("tr");
      head.append(el("th", "true \\ predicted", "axis"));
      for (const c of cm.classes) head.append(el("th", c));
      t.append(head);
      cm.matrix.forEach((row, i) => {
        const tr = el("tr");
        tr.append(el("th", cm.classes[i]));
        const total = row.reduce((a, b) => a + b, 0) || 1;
        row.forEach((count, j) => {
          const td = el("td", count);
          const share = count / total;
          td.style.background = i === j ? "rgba(26,127,55," + (0.12 + 0.6 * share).toFixed(2) + ")"
            : count > 0 ? "rgba(207,34,46," + (0.08 + 0.6 * share).toFixed(2) + ")" : "";
          td.title = (100 * share).toFixed(1) + "% of true " + cm.classes[i];
          tr.append(td);
        });
        t.append(tr);
      });
      card.append(el("div", "confusion matrix (rows: true class, columns: predicted class)", "hint"), t);
    }
    if (run.test.per_class) {
      const t = el("table", null, "per-class");
      const head = el("tr");
      for (const h of ["class", "precision", "recall", "f1-score", "support"]) head.append(el("th", h));
      t.append(head);
      for (const [c, s] of Object.entries(run.test.per_class)) {
        const tr = el("tr");
        tr.append(el("td", c), el("td", num(s.precision)), el("td", num(s.recall)), el("td", num(s["f1-score"])), el("td", s.support));
        t.append(tr);
      }
      card.append(t);
    }
    return card;
  }

  function scalar(v) {
    if (v === null || v === undefined) return "–";
    if (typeof v === "object") {
      const s = JSON.stringify(v);
      return s.length > 120 ? s.slice(0, 117) + "..." : s;
    }
    return String(v);
  }

  /** The rows of the settings table: what the command line was, then the training settings (one level). */
  function settingsRows(run) {
    const s = run.settings || {};
    const rows = new Map();
    if (s.start_time) rows.set("start_time", s.start_time);
    if (Array.isArray(s.args)) rows.set("command", (s.command || "nabla") + " " + s.args.slice(1).join(" "));
    if (s.data) rows.set("data", s.data);
    const t = s.training || {};
    for (const [k, v] of Object.entries(t)) {
      if (k === "architecture" || k === "data") continue;
      rows.set(k, scalar(v));
    }
    for (const [k, v] of Object.entries(s)) {
      if (["start_time", "args", "flags", "command", "data", "model_summary", "training", "name"].includes(k)) continue;
      rows.set(k, scalar(v));
    }
    return rows;
  }

  function renderDetails(shown, shortName) {
    const tested = shown.filter(r => r.test);
    document.getElementById("test-panel").hidden = tested.length === 0;
    document.getElementById("tests").replaceChildren(...tested.map(testCard));

    const withSettings = shown.filter(r => r.settings);
    document.getElementById("settings-panel").hidden = withSettings.length === 0;
    const table = document.getElementById("settings");
    const head = el("tr");
    head.append(el("th", "setting"));
    for (const run of withSettings) {
      const th = el("th");
      const sw = el("span", null, "swatch"); sw.style.background = run.color;
      th.append(sw, document.createTextNode(shortName(run)));
      th.title = run.id;
      head.append(th);
    }
    table.tHead.replaceChildren(head);
    const perRun = withSettings.map(settingsRows);
    const keys = [];
    for (const rows of perRun) for (const k of rows.keys()) if (!keys.includes(k)) keys.push(k);
    const body = table.tBodies[0];
    body.replaceChildren();
    for (const k of keys) {
      const tr = el("tr");
      tr.append(el("td", k));
      const values = perRun.map(rows => rows.has(k) ? rows.get(k) : "–");
      for (const v of values) { const td = el("td", v); td.title = v; tr.append(td); }
      if (k !== "start_time" && k !== "command" && values.some(v => v !== values[0])) tr.className = "differs";
      body.append(tr);
    }

    const summaries = shown.filter(r => r.settings && r.settings.model_summary);
    document.getElementById("summary-panel").hidden = summaries.length === 0;
    document.getElementById("summaries").replaceChildren(...summaries.map(run => {
      const d = el("div");
      if (summaries.length > 1) d.append(el("h3", run.id));
      d.append(el("pre", run.settings.model_summary));
      return d;
    }));
  }

  return {num: num, duration: duration, el: el, renderDetails: renderDetails};
})();
