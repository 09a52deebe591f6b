/* 临数看板渲染器: fetches /api/v1/dashboards/... JSON and draws it with ECharts (served locally).
 *
 * The server shapes every option; this file only lays out the grid, keeps the view state
 * (filters, cross-filter, drill paths, table pages) and merges refreshed options into the charts
 * in place (setOption with notMerge false, series replaced by id), so a refresh never flickers
 * and never loses what the viewer chose. Big-screen mode adds the dark theme, larger type and a
 * carousel of dashboards.
 */
(function () {
  "use strict";
  const cfg = JSON.parse(document.getElementById("board-config").textContent);
  const SCREEN = !!cfg.screen;
  let basemap = null;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (v !== null && v !== undefined) node.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  }

  async function api(url) {
    const r = await fetch(url, { credentials: "same-origin" });
    if (r.status === 401) { location.href = "/login?next=" + encodeURIComponent(location.pathname + location.search); }
    const body = await r.json();
    if (!r.ok) throw new Error((body.error || r.statusText) + (body.hint ? "（" + body.hint + "）" : ""));
    return body;
  }

  function loadBasemap() {
    // Towns and Dishui Lake become the registered map; roads are drawn as a lines series under every map.
    if (!basemap) {
      basemap = api("/api/v1/geo/basemap.geojson").then((gj) => {
        const polygons = gj.features.filter((f) => f.geometry.type !== "LineString");
        echarts.registerMap("lingang", { type: "FeatureCollection", features: polygons });
        const roads = gj.features.filter((f) => f.geometry.type === "LineString")
          .map((f) => ({ name: f.properties.name, coords: f.geometry.coordinates }));
        return { roads };
      });
    }
    return basemap;
  }

  function fmt(v, precision) {
    if (v === null || v === undefined) return "—";
    return Number(v).toLocaleString("zh-CN", { maximumFractionDigits: precision, minimumFractionDigits: 0 });
  }

  function bigType(opt) {
    // Readable across a room: larger labels on every axis, legend and series label.
    const big = { fontSize: 18 };
    for (const axis of ["xAxis", "yAxis"]) {
      if (opt[axis]) opt[axis] = Object.assign({}, opt[axis], { axisLabel: big, nameTextStyle: big });
    }
    if (opt.legend) opt.legend = Object.assign({}, opt.legend, { textStyle: big });
    if (opt.geo) opt.geo = Object.assign({}, opt.geo, { label: { show: true, fontSize: 16, color: "#e0e0e0" },
      itemStyle: { areaColor: "#1c2b3a", borderColor: "#4f6b85" } });
    for (const s of opt.series || []) {
      if (s.type === "pie" || s.type === "funnel" || s.type === "sankey") s.label = Object.assign({}, s.label, big);
    }
    opt.backgroundColor = "transparent";
    return opt;
  }

  class Board {
    constructor(key, host) {
      this.key = key;
      this.host = host;
      this.state = { filters: {}, cross: null, drill: {}, pages: {} };
      this.charts = {};
      this.cards = {};
      this.refreshes = 0;
      this.timer = null;
    }

    async init() {
      this.spec = await api("/api/v1/dashboards/" + this.key);
      for (const f of this.spec.filters) if (f.default !== null) this.state.filters[f.id] = f.default;
      this.host.append(this.header(), this.grid());
      await this.filterOptions();
      await this.refresh();
      this.host.dataset.ready = "1";
    }

    header() {
      this.statusEl = el("span", { class: "status" }, "加载中…");
      this.crossEl = el("button", { class: "chip cross", hidden: "", onclick: () => { this.state.cross = null; this.refresh(); } });
      const bar = el("div", { class: "filters" });
      this.filterEls = {};
      for (const f of this.spec.filters) {
        if (f.type === "time") {
          const sel = el("select", { "data-filter": f.id, "aria-label": f.title,
            onchange: (e) => { this.state.filters[f.id] = e.target.value; this.state.pages = {}; this.refresh(); } });
          for (const w of f.windows) sel.append(el("option", { value: w.value }, w.label));
          sel.value = this.state.filters[f.id] || "all";
          bar.append(el("label", { class: "filter" }, f.title + "：", sel));
        } else {
          const box = el("span", { class: "chips", "data-filter": f.id });
          this.filterEls[f.id] = box;
          bar.append(el("span", { class: "filter" }, f.title + "：", box));
        }
      }
      const tools = el("span", { class: "tools" }, this.crossEl, this.statusEl);
      if (this.spec.big_screen && !SCREEN) {
        tools.append(el("a", { class: "btn", href: "/screen/" + this.key }, "大屏模式"));
      }
      if (SCREEN) {
        tools.append(el("button", { class: "btn", onclick: () => document.documentElement.requestFullscreen && document.documentElement.requestFullscreen() }, "全屏"));
      }
      return el("header", { class: "board-head" }, el("h1", {}, this.spec.title), bar, tools);
    }

    async filterOptions() {
      for (const f of this.spec.filters) {
        if (f.type !== "dimension") continue;
        const box = this.filterEls[f.id];
        let opts = [];
        try { opts = (await api(`/api/v1/dashboards/${this.key}/filters/${f.id}/options`)).options; }
        catch (e) { box.append(el("span", { class: "error" }, e.message)); continue; }
        const chosen = () => new Set([].concat(this.state.filters[f.id] || []));
        const all = el("button", { class: "chip", "data-value": "", onclick: () => { this.state.filters[f.id] = []; sync(); } }, "全部");
        box.append(all);
        const chips = opts.map((v) => el("button", { class: "chip", "data-value": v, onclick: () => {
          const set = f.multiple ? chosen() : new Set();
          if (chosen().has(v)) set.delete(v); else set.add(v);
          this.state.filters[f.id] = [...set]; sync();
        } }, v));
        box.append(...chips);
        const sync = (noRefresh) => {
          const set = chosen();
          all.setAttribute("aria-pressed", set.size === 0 ? "true" : "false");
          for (const c of chips) c.setAttribute("aria-pressed", set.has(c.dataset.value) ? "true" : "false");
          if (!noRefresh) { this.state.pages = {}; this.refresh(); }
        };
        sync(true);
      }
    }

    grid() {
      const g = el("div", { class: "grid" });
      const rows = Math.max(...this.spec.charts.map((c) => c.layout.y + c.layout.h));
      let rowH = this.spec.row_height;
      if (SCREEN) rowH = Math.max(40, Math.floor((window.innerHeight - 90) / rows) - 8);
      g.style.gridTemplateColumns = `repeat(${this.spec.columns}, 1fr)`;
      g.style.gridAutoRows = rowH + "px";
      for (const c of this.spec.charts) {
        const body = el("div", { class: "chart-body" });
        const tools = el("span", { class: "card-tools" });
        const back = el("button", { class: "btn small", hidden: "", title: "返回上级", onclick: () => {
          (this.state.drill[c.id] || []).pop(); this.refresh(); } }, "返回上级");
        tools.append(back);
        if (!["kpi", "table"].includes(c.type)) {
          tools.append(el("button", { class: "btn small", "data-export": "png", onclick: () => this.png(c) }, "PNG"));
        }
        tools.append(el("button", { class: "btn small", "data-export": "xlsx", onclick: () => this.xlsx(c) }, "Excel"));
        const card = el("section", { class: "card", "data-chart": c.id, "data-type": c.type, "data-state": "loading" },
          el("div", { class: "card-head" }, el("h2", {}, c.title), tools), body);
        card.style.gridColumn = `${c.layout.x + 1} / span ${c.layout.w}`;
        card.style.gridRow = `${c.layout.y + 1} / span ${c.layout.h}`;
        this.cards[c.id] = { card, body, back, spec: c };
        g.append(card);
      }
      return g;
    }

    stateParam() { return encodeURIComponent(JSON.stringify(this.state)); }

    async refresh(ids) {
      const only = ids ? "&charts=" + ids.join(",") : "";
      let data;
      try { data = await api(`/api/v1/dashboards/${this.key}/data?state=${this.stateParam()}${only}`); }
      catch (e) { this.statusEl.textContent = "刷新失败：" + e.message; this.statusEl.classList.add("error"); return; }
      for (const payload of Object.values(data.charts)) await this.draw(payload);
      this.refreshes += 1;
      this.host.dataset.refreshes = String(this.refreshes);
      this.statusEl.classList.remove("error");
      this.statusEl.textContent = "更新于 " + data.generated_at.replace("T", " ");
      const cross = this.state.cross;
      if (cross) { this.crossEl.hidden = false; this.crossEl.textContent = `联动：${cross.value} ✕`; }
      else this.crossEl.hidden = true;
    }

    async draw(p) {
      const slot = this.cards[p.id];
      slot.card.dataset.state = p.error ? "error" : (p.empty ? "empty" : "ready");
      slot.back.hidden = !(p.drill && p.drill.depth > 0);
      if (p.error) {
        this.dispose(p.id);
        slot.body.replaceChildren(el("div", { class: "error" }, p.error, p.hint ? el("small", {}, p.hint) : null));
        return;
      }
      if (p.kpi) return this.kpi(slot, p);
      if (p.table) return this.table(slot, p);
      let opt = p.option;
      if (p.basemap) {
        const { roads } = await loadBasemap();
        opt.series.push({ id: "basemap-roads", name: "道路", type: "lines", coordinateSystem: "geo", polyline: true,
          silent: true, zlevel: 0, z: 1, lineStyle: { color: SCREEN ? "#5c7a99" : "#b0bec5", width: 1.2 }, data: roads });
      }
      if (SCREEN) opt = bigType(opt);
      let chart = this.charts[p.id];
      if (!chart || chart.isDisposed()) {
        slot.body.replaceChildren();
        chart = this.charts[p.id] = echarts.init(slot.body, SCREEN ? "dark" : null, { renderer: "canvas" });
        chart.on("click", (e) => this.clicked(slot.spec, e, "click"));
        chart.on("dblclick", (e) => this.clicked(slot.spec, e, "dblclick"));
      }
      // Merge in place: series are matched by id, vanished ones removed, nothing is redrawn from blank.
      chart.setOption(opt, { notMerge: false, replaceMerge: ["series"] });
    }

    dispose(id) { if (this.charts[id]) { this.charts[id].dispose(); delete this.charts[id]; } }

    clicked(spec, e, how) {
      const value = e.name;
      if (value === undefined || value === null || value === "" || e.seriesId === "basemap-roads") return;
      const drills = spec.drill_levels > 0;
      const wantsDrill = drills && (how === "dblclick" || !spec.cross_filter);
      if (wantsDrill && how === (spec.cross_filter ? "dblclick" : "click")) {
        const path = this.state.drill[spec.id] = this.state.drill[spec.id] || [];
        if (path.length < spec.drill_levels) { path.push(String(value)); this.refresh(); }
        return;
      }
      if (spec.cross_filter && how === "click") {
        const same = this.state.cross && this.state.cross.chart === spec.id && this.state.cross.value === String(value);
        this.state.cross = same ? null : { chart: spec.id, value: String(value) };
        this.refresh();
      }
    }

    kpi(slot, p) {
      this.dispose(p.id);
      slot.body.replaceChildren(el("div", { class: "kpis" }, ...p.kpi.map((k) =>
        el("div", { class: "kpi", "data-kpi": k.id }, el("div", { class: "kpi-name" }, k.name),
          el("div", { class: "kpi-value" }, fmt(k.value, k.precision), el("span", { class: "unit" }, k.unit))))));
    }

    table(slot, p) {
      const t = p.table;
      const head = el("tr", {}, ...t.columns.map((c) => el("th", {}, c.title)));
      const rows = t.rows.map((r) => el("tr", {}, ...t.columns.map((c) => el("td", {}, r[c.name] === null ? "" : String(r[c.name])))));
      const pages = Math.max(1, Math.ceil(t.total / t.page_size));
      const go = (n) => { this.state.pages[p.id] = n; this.refresh([p.id]); };
      const pager = el("div", { class: "pager" },
        el("button", { class: "btn small", "data-page": "prev", disabled: t.page <= 0 ? "" : null, onclick: () => go(t.page - 1) }, "上一页"),
        el("span", { class: "page-info" }, `第 ${t.page + 1} / ${pages} 页，共 ${t.total} 行`),
        el("button", { class: "btn small", "data-page": "next", disabled: t.page + 1 >= pages ? "" : null, onclick: () => go(t.page + 1) }, "下一页"));
      const note = t.masked.length ? el("div", { class: "note" }, "已脱敏字段：" + t.masked.join("、")) : null;
      slot.body.replaceChildren(...[el("div", { class: "table-wrap" }, el("table", {}, el("thead", {}, head), el("tbody", {}, ...rows))), pager, note].filter(Boolean));
    }

    download(href, name) {
      const a = el("a", { href, download: name });
      document.body.append(a); a.click(); a.remove();
    }

    png(spec) {
      const chart = this.charts[spec.id];
      if (!chart) return;
      const url = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: SCREEN ? "#0f1a2a" : "#ffffff" });
      this.download(url, `${this.spec.title}-${spec.title || spec.id}.png`);
    }

    xlsx(spec) {
      this.download(`/api/v1/dashboards/${this.key}/charts/${spec.id}/export.xlsx?state=${this.stateParam()}`,
        `${this.spec.title}-${spec.title || spec.id}.xlsx`);
    }

    resize() { for (const c of Object.values(this.charts)) c.resize(); }

    start() {
      const every = this.spec.refresh_seconds;
      if (every && !this.timer) this.timer = setInterval(() => this.refresh(), every * 1000);
    }

    stop() { clearInterval(this.timer); this.timer = null; }
  }

  async function main() {
    const stage = document.getElementById("boards");
    const boards = cfg.keys.map((key) => {
      const host = el("div", { class: "board", "data-board": key, hidden: "" });
      stage.append(host);
      return new Board(key, host);
    });
    window.lingshu = { boards, Board };
    let current = 0;
    const show = async (i) => {
      boards.forEach((b, k) => { b.host.hidden = k !== i; if (k !== i) b.stop(); });
      const b = boards[i];
      if (!b.spec) await b.init(); else { b.resize(); await b.refresh(); }
      b.start();
      document.body.dataset.current = b.key;
    };
    await show(0);
    window.addEventListener("resize", () => boards[current].resize());
    if (boards.length > 1 && cfg.interval > 0) {
      setInterval(() => { current = (current + 1) % boards.length; show(current); }, cfg.interval * 1000);
    }
  }

  main().catch((e) => {
    document.getElementById("boards").append(el("div", { class: "error" }, "看板加载失败：" + e.message));
  });
})();
