/* 控制台脚本: the sign-in form (posts JSON to /api/v1/auth/login) and the lineage graph. */
(function () {
  "use strict";
  const form = document.querySelector("form.login");
  if (form) {
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const msg = form.querySelector(".error");
      msg.textContent = "";
      const body = { username: form.username.value, password: form.password.value };
      const r = await fetch("/api/v1/auth/login", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body), credentials: "same-origin" });
      if (r.ok) {
        const next = new URLSearchParams(location.search).get("next") || "/";
        location.href = next.startsWith("/") && !next.startsWith("//") ? next : "/";
      } else {
        msg.textContent = "登录失败：用户名或密码错误";
      }
    });
  }
  // Action buttons (run a pack, submit for review): POST, then say what the server answered.
  for (const btn of document.querySelectorAll("button[data-action]")) {
    btn.addEventListener("click", async () => {
      const result = btn.parentElement.querySelector("[data-action-result]");
      btn.disabled = true;
      const r = await fetch(btn.dataset.action, { method: "POST", credentials: "same-origin" });
      const body = await r.json().catch(() => ({}));
      result.textContent = r.ok ? (body.review ? "已提交审核 #" + body.review : "已开始运行，稍后刷新查看运行记录")
                                : (body.error || "操作失败");
      btn.disabled = false;
    });
  }
  const out = document.querySelector("[data-logout]");
  if (out) out.addEventListener("click", async (e) => {
    e.preventDefault();
    await fetch("/api/v1/auth/logout", { method: "POST", credentials: "same-origin" });
    location.href = "/login";
  });
  const lineage = document.getElementById("lineage");
  if (lineage && window.echarts) {
    const g = JSON.parse(document.getElementById("lineage-data").textContent);
    const layers = ["source", "ods", "dwd", "dws", "ads"];
    const colours = { source: "#90a4ae", ods: "#64b5f6", dwd: "#4db6ac", dws: "#ffb74d", ads: "#e57373" };
    const perLayer = {};
    const nodes = g.nodes.map((n) => {
      const col = Math.max(0, layers.indexOf(n.layer));
      const row = (perLayer[col] = (perLayer[col] || 0) + 1) - 1;
      return { name: n.id, x: col * 220, y: row * 70, value: n.title || n.id, symbolSize: 16,
        itemStyle: { color: colours[n.layer] || "#9575cd", opacity: n.own ? 1 : 0.55 },
        label: { show: true, position: "bottom", formatter: n.id } };
    });
    const chart = echarts.init(lineage);
    chart.setOption({
      tooltip: { formatter: (p) => p.dataType === "node" ? `${p.data.name}<br>${p.data.value}` : `${p.data.source} → ${p.data.target}` },
      series: [{ type: "graph", layout: "none", roam: true, data: nodes, edgeSymbol: ["none", "arrow"], edgeSymbolSize: 8,
        links: g.links.map((l) => ({ source: l[0], target: l[1] })), lineStyle: { color: "#90a4ae", width: 1.5, curveness: 0.1 } }],
    });
    window.addEventListener("resize", () => chart.resize());
  }
})();
