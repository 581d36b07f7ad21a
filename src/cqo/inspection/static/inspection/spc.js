/* SPC charts (§7.2.3.2) drawn with the local Apache ECharts, without inline script.

   The page holds the chart data once, as compact JSON made by json_script (arrays of values,
   the limits as one number or one per point, the flagged points only):

     <div class="spc-chart" data-spc="spc-data" data-part="main"></div>
     <div class="spc-chart" data-spc="spc-histogram-id" ...>   (capability histogram)

   Flagged points are red and their tooltip names the rules that fired. */
(function () {
  "use strict";

  var RED = "#b42318";
  var BLUE = "#1f5f99";
  var LIMIT = "#b03a2e";
  var GREY = "#555";

  function data(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    try { return JSON.parse(el.textContent); } catch (err) { return null; }
  }


  function fmt(v) {
    if (v === null || v === undefined) { return "—"; }
    return (Math.round(v * 1e6) / 1e6).toString();
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  function ruleText(d, token) {
    var parts = token.split(":");
    var rule = parts[parts.length - 1];
    var chart = parts.length > 1 ? parts[0] + " " : "";
    var text = d.rule_texts && d.rule_texts[rule] ? d.rule_texts[rule] : "";
    return chart + rule + (text ? ": " + text : "");
  }

  function controlChart(el, d, part) {
    var s = d[part];
    if (!s) { return null; }
    var k = d.labels.length;
    var isMain = part === "main";
    var flags = {};
    (d.flags || []).forEach(function (f) {
      var tokens = f[1].split(",").filter(function (t) {
        return isMain ? t.indexOf(":") < 0 : t.indexOf(":") >= 0;
      });
      if (tokens.length) { flags[f[0]] = tokens; }
    });
    var xs = [];
    for (var i = 0; i < k; i++) { xs.push(i + 1); }
    var flagged = [];
    Object.keys(flags).forEach(function (key) {
      var idx = parseInt(key, 10);
      if (s.values[idx] !== null) { flagged.push([idx, s.values[idx]]); }
    });
    var series = [{
      name: s.name, type: "line", data: s.values, symbol: k > 400 ? "none" : "circle",
      symbolSize: 4, lineStyle: { width: 1, color: BLUE }, itemStyle: { color: BLUE },
      large: k > 2000, sampling: k > 4000 ? "lttb" : undefined, z: 2,
      markLine: { silent: true, symbol: "none", data: [], label: { formatter: "{b}" } }
    }, {
      name: d.words.flagged, type: "scatter", data: flagged, symbolSize: 7,
      itemStyle: { color: RED }, z: 3
    }];
    var lines = [["center", d.words.centre, GREY, "solid"], ["ucl", d.words.ucl, LIMIT, "dashed"],
                 ["lcl", d.words.lcl, LIMIT, "dashed"]];
    lines.forEach(function (l) {
      var v = s[l[0]];
      if (v === null || v === undefined) { return; }
      if (Array.isArray(v)) {
        series.push({ name: l[1], type: "line", step: "middle", data: v, symbol: "none",
                      lineStyle: { width: 1, color: l[2], type: l[3] }, silent: true, z: 1 });
      } else {
        series[0].markLine.data.push({ name: l[1] + " " + fmt(v), yAxis: v,
                                       lineStyle: { color: l[2], type: l[3] } });
      }
    });
    if (d.phase2_from !== null && d.phase2_from !== undefined && d.phase2_from < k) {
      series[0].markLine.data.push({ name: d.words.phase2, xAxis: d.phase2_from,
                                     lineStyle: { color: GREY, type: "dotted" } });
    }
    var option = {
      animation: false,
      grid: { left: 60, right: 90, top: 24, bottom: isMain ? 64 : 40 },
      tooltip: {
        trigger: "axis",
        formatter: function (items) {
          var idx = items[0].dataIndex;
          if (items[0].seriesType === "scatter") { idx = items[0].data[0]; }
          var n = Array.isArray(d.n) ? d.n[idx] : d.n;
          var out = escapeHtml(d.words.point) + " " + (idx + 1) + " · " + escapeHtml(d.labels[idx]) +
            "<br>" + escapeHtml(s.name) + " = " + fmt(s.values[idx]) +
            (n ? " (" + escapeHtml(d.words.n) + " = " + n + ")" : "");
          if (flags[idx]) {
            out += "<br><span style=\"color:" + RED + "\">" +
              flags[idx].map(function (t) { return escapeHtml(ruleText(d, t)); }).join("<br>") +
              "</span>";
          }
          return out;
        }
      },
      xAxis: { type: "category", data: xs, boundaryGap: false, axisLabel: { color: GREY } },
      yAxis: { type: "value", scale: true, name: s.name, axisLabel: { color: GREY } },
      dataZoom: [{ type: "inside", start: k > 500 ? 100 - Math.max(5, 50000 / k) : 0, end: 100 },
                 { type: "slider", show: isMain, height: 18, bottom: 8 }],
      series: series
    };
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    return chart;
  }

  function pad(h, side) {
    var span = (h.max - h.min) || 1;
    var v = side < 0 ? h.min - 0.05 * span : h.max + 0.05 * span;
    return Math.round(v * 1e6) / 1e6;
  }

  function histogramChart(el, payload) {
    var h = payload.histogram;
    var w = payload.words;
    if (!h || !h.centres) { return null; }
    var marks = [];
    [["lsl", w.lsl, LIMIT], ["usl", w.usl, LIMIT], ["target", w.target, GREY]].forEach(function (m) {
      if (h[m[0]] !== null && h[m[0]] !== undefined) {
        marks.push({ name: m[1], xAxis: h[m[0]], lineStyle: { color: m[2], type: "dashed" } });
      }
    });
    var series = [{
      name: w.frequency, type: "bar", barWidth: "96%", itemStyle: { color: "#8fb3d9" },
      data: h.centres.map(function (c, i) { return [c, h.counts[i]]; }),
      markLine: { silent: true, symbol: "none", data: marks, label: { formatter: "{b}" } }
    }];
    if (h.curve) {
      series.push({ name: w.curve, type: "line", data: h.curve, symbol: "none",
                    smooth: true, lineStyle: { color: BLUE, width: 1.5 } });
    }
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 50, right: 40, top: 30, bottom: 64 },
      tooltip: { trigger: "axis" },
      legend: { bottom: 0 },
      xAxis: { type: "value", scale: true, name: w.value, min: pad(h, -1), max: pad(h, 1) },
      yAxis: { type: "value", name: w.frequency },
      series: series
    });
    return chart;
  }

  function draw() {
    if (typeof window.echarts === "undefined") { return; }
    var charts = [];
    document.querySelectorAll("[data-spc]").forEach(function (el) {
      var d = data(el.getAttribute("data-spc"));
      if (!d || !d.labels || !d.labels.length) { return; }
      var chart = controlChart(el, d, el.getAttribute("data-part") || "main");
      if (chart) { charts.push(chart); }
    });
    if (charts.length > 1) { window.echarts.connect(charts); }
    document.querySelectorAll("[data-spc-histogram]").forEach(function (el) {
      var d = data(el.getAttribute("data-spc-histogram"));
      var chart = d ? histogramChart(el, d) : null;
      if (chart) { charts.push(chart); }
    });
    if (typeof ResizeObserver !== "undefined") {
      charts.forEach(function (chart) {
        new ResizeObserver(function () { chart.resize(); }).observe(chart.getDom());
      });
    }
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
