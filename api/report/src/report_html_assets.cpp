#include "report_html_assets.h"

namespace throng::api::report {

const char* const kReportCss = R"css(
body{font-family:system-ui,sans-serif;margin:24px;color:#222;background:#fafafa}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}
.meta{color:#666;font-size:13px}
.verdict{display:inline-block;padding:4px 12px;border-radius:4px;font-weight:bold;color:#fff}
.PASS{background:#2e7d32}.FAIL{background:#c62828}.NONE{background:#757575}
table{border-collapse:collapse;font-size:13px;background:#fff}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:right}
th{background:#eee}td.l,th.l{text-align:left}
tr.agg td{font-weight:bold;background:#f3f3f3}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:16px}
.chart{background:#fff;border:1px solid #ddd;padding:8px}
.chart h3{font-size:14px;margin:0 0 4px}canvas{width:100%;height:220px}
svg.latency-chart rect.bar{fill:#ef6c00}svg.latency-chart text{fill:#444}
#config th{width:180px}#recommendations li{margin:6px 0}
)css";

const char* const kReportScript = R"js(
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var points = data.timeline || [];
  var t0 = points.length ? points[0].unix_ms : 0;
  function pct(p, label, key) {
    var v = p.percentiles_ms && p.percentiles_ms[label];
    return v !== undefined ? v : p.latency_ms[key];
  }
  var charts = {
    rps: [{label: 'requests/s', color: '#1565c0', f: function (p) { return p.rps; }}],
    latency: [
      {label: 'p50', color: '#2e7d32', f: function (p) { return pct(p, '50%', 'p50'); }},
      {label: 'p95', color: '#ef6c00', f: function (p) { return pct(p, '95%', 'p95'); }},
      {label: 'p99', color: '#c62828', f: function (p) { return pct(p, '99%', 'p99'); }}],
    users: [{label: 'users', color: '#6a1b9a', f: function (p) { return p.users; }}],
    errors: [{label: 'failures/s', color: '#c62828', f: function (p) { return p.failures_per_s; }}]
  };
  function nice(max) {
    if (max <= 0) return 1;
    var step = Math.pow(10, Math.floor(Math.log10(max)));
    return Math.ceil(max / step) * step;
  }
  function draw(canvas) {
    var series = charts[canvas.dataset.chart];
    var ratio = window.devicePixelRatio || 1;
    var w = canvas.clientWidth || 600, h = canvas.clientHeight || 220;
    canvas.width = w * ratio; canvas.height = h * ratio;
    var g = canvas.getContext('2d');
    g.scale(ratio, ratio);
    var left = 56, right = 12, top = 22, bottom = 26;
    var pw = w - left - right, ph = h - top - bottom;
    var ymax = 0;
    series.forEach(function (s) {
      points.forEach(function (p) { ymax = Math.max(ymax, s.f(p) || 0); });
    });
    ymax = nice(ymax);
    var tmax = points.length > 1 ? points[points.length - 1].unix_ms - t0 : 1;
    g.font = '11px sans-serif'; g.strokeStyle = '#ddd'; g.fillStyle = '#666';
    for (var i = 0; i <= 4; i++) {
      var y = top + ph - ph * i / 4;
      g.beginPath(); g.moveTo(left, y); g.lineTo(left + pw, y); g.stroke();
      g.fillText(String(+(ymax * i / 4).toFixed(2)), 4, y + 4);
    }
    g.fillText('0s', left, h - 8);
    g.fillText((tmax / 1000).toFixed(0) + 's', left + pw - 24, h - 8);
    var drawn = 0;
    series.forEach(function (s, k) {
      g.strokeStyle = s.color; g.fillStyle = s.color; g.lineWidth = 2;
      g.beginPath();
      points.forEach(function (p, j) {
        var x = left + pw * (p.unix_ms - t0) / (tmax || 1);
        var y = top + ph - ph * (s.f(p) || 0) / ymax;
        if (j === 0) g.moveTo(x, y); else g.lineTo(x, y);
        drawn++;
      });
      g.stroke();
      g.fillRect(left + 8 + k * 90, 6, 10, 10);
      g.fillText(s.label, left + 22 + k * 90, 15);
    });
    canvas.setAttribute('data-drawn', String(drawn));
  }
  document.querySelectorAll('canvas[data-chart]').forEach(draw);
})();
)js";

}  // namespace throng::api::report
