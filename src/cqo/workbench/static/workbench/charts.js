/* Apache ECharts charts without inline script (the Content-Security-Policy forbids it).

   A template declares a chart as an element whose data-chart attribute names a JSON block made
   with Django's json_script filter, holding the ECharts option object:

     {% include "workbench/_charts_head.html" %}            (inside {% block extra_head %})
     {{ option|json_script:"defects-option" }}
     <div class="chart" data-chart="defects-option" role="img" aria-label="..."></div>

   Charts are drawn on load and after every htmx swap, and follow the container's size. */
(function () {
  "use strict";

  function draw(root) {
    if (typeof window.echarts === "undefined") {
      return;
    }
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.getAttribute("data-chart-drawn") === "1") {
        return;
      }
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source) {
        return;
      }
      var option;
      try {
        option = JSON.parse(source.textContent);
      } catch (err) {
        return;
      }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option);
      el.setAttribute("data-chart-drawn", "1");
      if (typeof ResizeObserver !== "undefined") {
        new ResizeObserver(function () { chart.resize(); }).observe(el);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
