// Nabla's training dashboard: reads the event stream (/events, Server-Sent Events: every event so far, then each new
// one) and draws the runs it describes. Each event is {"run": ID, "event": {"type": ...}} as RunRecorder writes them.
// Everything from the stream is shown with textContent, never as HTML.
(function () {
  "use strict";

  const PALETTE = ["#0969da", "#d1242f", "#1a7f37", "#8250df", "#bc4c00", "#0598bc", "#bf3989", "#6e7781"];
  const MAX_DEFAULT_SELECTED = 4;
  const EPOCH_TICKS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];

  const {num, duration, el, renderDetails} = window.NablaDashboard;
  const runs = new Map();          // id -> run
  const selected = new Set();      // ids shown on the charts
  const charts = new Map();        // chart key -> {plot, signature, element}
  let events = 0;
  let everOpen = false;
  let pending = false;

  function newRun(id) {
    return {
      id: id, color: PALETTE[runs.size % PALETTE.length], settings: null, start: null,
      batchX: [], batchLoss: [], batchSpeed: [], epochs: [], last: null, end: null, test: null
    };
  }

  function apply(message) {
    const id = message.run;
    const e = message.event;
    if (typeof id !== "string" || !e || typeof e.type !== "string") return;
    let run = runs.get(id);
    if (!run) {
      run = newRun(id);
      runs.set(id, run);
      if (selected.size < MAX_DEFAULT_SELECTED) selected.add(id);
    }
    switch (e.type) {
      case "settings": run.settings = e.settings || {}; break;
      case "start": run.start = e; break;
      case "batch":
        run.batchX.push(e.epoch - 1 + e.batch / e.batches);
        run.batchLoss.push(e.loss);
        run.batchSpeed.push(e.samples_per_second);
        run.last = e;
        break;
      case "epoch": run.epochs.push(e); run.last = e; break;
      case "train_end": run.end = e; break;
      case "test": run.test = e; break;
      default: break;
    }
    events++;
  }

  /** A run's name without its folder's time stamp (YYYYMMDD-HHMMSS_), where that leaves the runs apart: for legends. */
  function shortName(run) {
    const cut = id => id.replace(/^\d{8}-\d{6}_/, "");
    const mine = cut(run.id);
    for (const other of runs.values()) if (other !== run && cut(other.id) === mine) return run.id;
    return mine;
  }

  function lastEpoch(run) {
    return run.epochs.length ? run.epochs[run.epochs.length - 1] : null;
  }

  /** The metric names of the runs' epoch logs other than the loss and learning rate: accuracy, mae. */
  function metricNames(list) {
    const names = [];
    for (const run of list) {
      for (const ep of run.epochs) {
        for (const k of Object.keys(ep.logs || {})) {
          if (k === "loss" || k === "lr" || k.startsWith("val_") || names.includes(k)) continue;
          names.push(k);
        }
      }
    }
    return names;
  }

  function status(run) {
    if (run.end) return run.end.status === "failed" ? "failed: " + (run.end.message || "") : run.end.status;
    if (run.start) return "training";
    return "starting";
  }

  // ------------------------------------------------------------------ runs table

  function renderRuns() {
    const list = [...runs.values()];
    document.getElementById("no-runs").hidden = list.length > 0;
    const table = document.getElementById("runs");
    table.hidden = list.length === 0;
    const metric = metricNames(list)[0];
    document.getElementById("metric-head").textContent = metric || "metric";
    document.getElementById("val-metric-head").textContent = metric ? "val_" + metric : "val metric";
    const body = table.tBodies[0];
    body.replaceChildren();
    for (const run of list) {
      const tr = document.createElement("tr");
      tr.dataset.run = run.id;
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = selected.has(run.id);
      box.addEventListener("change", () => {
        if (box.checked) selected.add(run.id); else selected.delete(run.id);
        schedule();
      });
      const c0 = el("td"); c0.append(box); tr.append(c0);
      const name = el("td");
      const sw = el("span", null, "swatch"); sw.style.background = run.color;
      name.append(sw, document.createTextNode(run.id));
      tr.append(name);
      const st = status(run);
      const stCell = el("td", st, "status status-" + st.split(":")[0]);
      const total = run.start ? run.start.epochs - run.start.first_epoch + 1 : 0;
      if (!run.end && run.last && total > 0) {
        const done = run.last.type === "batch"
          ? run.last.epoch - run.start.first_epoch + run.last.batch / run.last.batches
          : run.last.epoch - run.start.first_epoch + 1;
        const bar = el("span", null, "progress");
        const fill = el("span"); fill.style.width = Math.min(100, 100 * done / total).toFixed(1) + "%";
        bar.append(fill);
        stCell.append(bar);
      }
      tr.append(stCell);
      const ep = lastEpoch(run);
      const logs = ep ? ep.logs || {} : {};
      const last = run.last || {};
      const elapsed = run.end ? run.end.elapsed : last.elapsed;
      tr.append(el("td", run.start ? (ep ? ep.epoch : (run.start.first_epoch - 1)) + "/" + run.start.epochs : "–"));
      tr.append(el("td", duration(elapsed)));
      tr.append(el("td", run.end ? "–" : duration(last.eta)));
      tr.append(el("td", num(last.samples_per_second)));
      tr.append(el("td", num(logs.lr)));
      tr.append(el("td", num(logs.loss)));
      tr.append(el("td", num(logs.val_loss)));
      tr.append(el("td", metric ? num(logs[metric]) : "–"));
      tr.append(el("td", metric ? num(logs["val_" + metric]) : "–"));
      const tm = run.test && run.test.metrics ? run.test.metrics : null;
      const testKey = tm ? (metric && metric in tm ? metric : "loss") : null;
      tr.append(el("td", tm ? testKey + " " + num(tm[testKey]) : "–"));
      body.append(tr);
    }
    const shown = list.filter(r => selected.has(r.id));
    const one = shown.length === 1 ? shown[0] : null;
    document.getElementById("headline").textContent = one
      ? one.id + " · " + status(one) + (one.last && !one.end ? " · ETA " + duration(one.last.eta) : "")
      : shown.length + " of " + list.length + " runs shown";
  }

  // ------------------------------------------------------------------ charts

  function epochSeries(run, key) {
    const xs = [], ys = [];
    for (const ep of run.epochs) {
      const v = ep.logs ? ep.logs[key] : undefined;
      if (v === undefined) continue;
      xs.push(ep.epoch);
      ys.push(v);
    }
    return [xs, ys];
  }

  /** One chart's series: [{label, table: [xs, ys], stroke, width, dash, points}]. */
  function chartSpecs(shown) {
    const single = shown.length === 1;
    const style = (run, kind) => {
      const colors = {batch: "rgba(9,105,218,0.35)", train: "#0969da", val: "#d1242f"};
      const color = single ? colors[kind] : (kind === "batch" ? run.color + "59" : run.color);
      return {
        stroke: color, width: kind === "batch" ? 1 : 2, dash: kind === "val" && !single ? [6, 4] : undefined,
        points: kind === "batch" ? {show: false} : {show: true, size: 5}
      };
    };
    const label = (run, text) => single ? text : shortName(run) + " " + text;
    const specs = [];
    const loss = [];
    for (const run of shown) {
      if (run.batchX.length) loss.push(Object.assign({label: label(run, "loss per batch"), table: [run.batchX, run.batchLoss]}, style(run, "batch")));
      loss.push(Object.assign({label: label(run, "loss"), table: epochSeries(run, "loss")}, style(run, "train")));
      loss.push(Object.assign({label: label(run, "val_loss"), table: epochSeries(run, "val_loss")}, style(run, "val")));
    }
    specs.push({key: "loss", title: "Loss", series: loss});
    for (const m of metricNames(shown)) {
      const s = [];
      for (const run of shown) {
        s.push(Object.assign({label: label(run, m), table: epochSeries(run, m)}, style(run, "train")));
        s.push(Object.assign({label: label(run, "val_" + m), table: epochSeries(run, "val_" + m)}, style(run, "val")));
      }
      specs.push({key: "metric-" + m, title: m === "mae" ? "Mean absolute error" : m.charAt(0).toUpperCase() + m.slice(1), series: s});
    }
    const lr = [];
    const speed = [];
    for (const run of shown) {
      lr.push(Object.assign({label: label(run, "lr"), table: epochSeries(run, "lr")}, style(run, "train")));
      if (run.batchX.length) speed.push(Object.assign({label: label(run, "per batch"), table: [run.batchX, run.batchSpeed]}, style(run, "batch")));
      const xs = [], ys = [];
      for (const ep of run.epochs) { xs.push(ep.epoch); ys.push(ep.samples_per_second); }
      speed.push(Object.assign({label: label(run, "per epoch"), table: [xs, ys]}, style(run, "train")));
    }
    specs.push({key: "lr", title: "Learning rate", series: lr});
    specs.push({key: "speed", title: "Samples per second", series: speed});
    for (const spec of specs) spec.series = spec.series.filter(s => s.table[0].length > 0);
    return specs;
  }

  function chartElement(spec) {
    let c = charts.get(spec.key);
    if (c) return c;
    const box = el("div", null, "chart");
    box.id = "chart-" + spec.key;
    box.append(el("h2", spec.title));
    const plot = el("div", null, "plot");
    box.append(plot);
    document.getElementById("charts").append(box);
    c = {element: box, plotElement: plot, plot: null, signature: ""};
    charts.set(spec.key, c);
    return c;
  }

  function renderCharts(shown) {
    const specs = chartSpecs(shown);
    const keys = new Set(specs.map(s => s.key));
    for (const [key, c] of charts) {
      if (keys.has(key)) continue;
      if (c.plot) c.plot.destroy();
      c.element.remove();
      charts.delete(key);
    }
    const container = document.getElementById("charts");
    specs.forEach((spec, i) => {
      // loss first, then the metrics, learning rate and speed, whatever came first in the stream
      const c = chartElement(spec);
      if (container.children[i] !== c.element) container.insertBefore(c.element, container.children[i] || null);
    });
    for (const spec of specs) {
      const c = chartElement(spec);
      const points = spec.series.reduce((n, s) => n + s.table[0].length, 0);
      c.element.dataset.points = String(points);
      c.element.dataset.series = String(spec.series.length);
      if (spec.series.length === 0) {
        if (c.plot) { c.plot.destroy(); c.plot = null; c.signature = ""; }
        c.plotElement.replaceChildren(el("p", "no points yet", "empty"));
        continue;
      }
      const data = uPlot.join(spec.series.map(s => s.table));
      const signature = spec.series.map(s => s.label + "|" + s.stroke).join(";");
      const width = Math.max(300, c.element.clientWidth - 32);
      if (c.plot && c.signature === signature) {
        c.plot.setData(data);
        if (Math.abs(c.plot.width - width) > 4) c.plot.setSize({width: width, height: 260});
        continue;
      }
      if (c.plot) c.plot.destroy();
      c.plotElement.replaceChildren();
      const opts = {
        width: width, height: 260,
        scales: {x: {time: false}},
        // epochs are whole numbers: no ticks at 1.5
        axes: [{label: "epoch", incrs: EPOCH_TICKS}, {size: 64}],
        series: [{label: "epoch", value: (u, v) => v === null || v === undefined ? "–" : num(v)}].concat(spec.series.map(s => ({
          label: s.label, stroke: s.stroke, width: s.width, dash: s.dash, points: s.points, spanGaps: true,
          value: (u, v) => num(v)
        }))),
        legend: {live: true}
      };
      c.plot = new uPlot(opts, data, c.plotElement);
      c.signature = signature;
    }
  }

  // ------------------------------------------------------------------ drawing and the stream

  function render() {
    pending = false;
    const shown = [...runs.values()].filter(r => selected.has(r.id));
    renderRuns();
    renderCharts(shown);
    renderDetails(shown, shortName);
    document.body.dataset.events = String(events);
    document.body.dataset.runs = String(runs.size);
  }

  function schedule() {
    if (pending) return;
    pending = true;
    // at most about five redraws a second however fast events come
    setTimeout(() => requestAnimationFrame(render), 200);
  }

  function setConnection(state, text) {
    const c = document.getElementById("connection");
    c.className = "connection " + state;
    c.textContent = text;
  }

  function connect() {
    const source = new EventSource("/events");
    source.onopen = () => {
      // the server sends everything again on a new connection: start over
      if (everOpen) { runs.clear(); events = 0; }
      everOpen = true;
      setConnection("live", "live");
    };
    source.onmessage = m => {
      try { apply(JSON.parse(m.data)); } catch (err) { return; }
      schedule();
    };
    source.onerror = () => {
      setConnection(everOpen ? "gone" : "connecting", everOpen ? "dashboard stopped: showing the last state" : "connecting");
    };
  }

  window.addEventListener("resize", schedule);
  connect();
  schedule();
})();
