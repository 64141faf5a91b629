// Draws the dashboard's charts from the numbers the page carries (data-dashboard on the panel):
// no inline script, and the same numbers as the tables under each chart. Redrawn after htmx swaps
// the panel when a filter changes.
(function () {
  "use strict";

  var BLUE = "#2b6cb0", GREY = "#718096", GREEN = "#2f855a", RED = "#c53030";
  var charts = [];

  function percent(value) {
    return value === null || value === undefined ? "—" : value.toLocaleString("vi-VN") + "%";
  }

  function base(options) {
    options = options || {};
    options.responsive = true;
    options.maintainAspectRatio = false;
    options.animation = false;
    options.plugins = options.plugins || {};
    options.plugins.tooltip = {
      callbacks: {
        label: function (item) {
          return item.dataset.label + ": " + percent(item.parsed[options.indexAxis === "y" ? "x" : "y"]);
        }
      }
    };
    return options;
  }

  function bars(canvas, labels, datasets, onClick) {
    var options = base({ indexAxis: "y", scales: { x: { min: 0, suggestedMax: 100 } } });
    if (onClick) {
      options.onClick = onClick;
      options.onHover = function (event, elements) {
        event.native.target.style.cursor = elements.length ? "pointer" : "default";
      };
    }
    canvas.parentNode.style.height = Math.max(120, 34 * labels.length + 60) + "px";
    return new window.Chart(canvas, { type: "bar", data: { labels: labels, datasets: datasets }, options: options });
  }

  function titles(canvas, data) {
    return bars(canvas, data.titles.map(function (t) { return t.label; }), [
      { label: data.labels.actual, data: data.titles.map(function (t) { return t.actual; }), backgroundColor: BLUE },
      { label: data.labels.target, data: data.titles.map(function (t) { return t.target; }), backgroundColor: GREY }
    ]);
  }

  function ranked(canvas, rows, colour, labels) {
    return bars(canvas, rows.map(function (r) { return r.label; }), [
      { label: labels.rate, data: rows.map(function (r) { return r.rate; }), backgroundColor: colour }
    ], function (event, elements) {
      if (elements.length && rows[elements[0].index].url) {
        window.location.href = rows[elements[0].index].url;
      }
    });
  }

  function trend(canvas, series, labels) {
    var years = series.points.map(function (p) { return p.year; });
    var target = series.points.map(function (p) { return p.year === series.target_year ? series.target : null; });
    if (years.indexOf(series.target_year) < 0 && series.target !== null) {
      years.push(series.target_year);
      target.push(series.target);
    }
    canvas.parentNode.style.height = "220px";
    return new window.Chart(canvas, {
      type: "line",
      data: {
        labels: years.map(String),
        datasets: [
          { label: labels.rate, data: series.points.map(function (p) { return p.rate; }), borderColor: BLUE, backgroundColor: BLUE, spanGaps: true },
          { label: labels.fitted, data: series.points.map(function (p) { return p.fitted; }), borderColor: GREY, borderDash: [6, 4], pointRadius: 0, spanGaps: true },
          { label: labels.target, data: target, borderColor: RED, backgroundColor: RED, pointRadius: 5, showLine: false }
        ]
      },
      options: base({ plugins: { legend: { display: false } }, scales: { y: { min: 0, suggestedMax: 100 } } })
    });
  }

  function network(canvas, data) {
    var options = base({ indexAxis: "y", plugins: { legend: { display: false } } });
    options.plugins.tooltip = undefined;
    canvas.parentNode.style.height = Math.max(120, 34 * data.network.length + 40) + "px";
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.network.map(function (n) { return n.label; }),
        datasets: [{ label: "", data: data.network.map(function (n) { return n.value; }), backgroundColor: GREEN }]
      },
      options: options
    });
  }

  function draw() {
    charts.forEach(function (chart) { chart.destroy(); });
    charts = [];
    var holder = document.querySelector("[data-dashboard]");
    if (!holder || !window.Chart) { return; }
    var data = JSON.parse(holder.dataset.dashboard);
    holder.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var kind = canvas.dataset.chart;
      if (kind === "titles") { charts.push(titles(canvas, data)); }
      else if (kind === "trend") { charts.push(trend(canvas, data.trend[Number(canvas.dataset.index)], data.labels)); }
      else if (kind === "best") { charts.push(ranked(canvas, data.best, GREEN, data.labels)); }
      else if (kind === "worst") { charts.push(ranked(canvas, data.worst, RED, data.labels)); }
      else if (kind === "network") { charts.push(network(canvas, data)); }
    });
  }

  // The whole country's map: its thousands of communes come as columns of JSON (the page would be
  // megabytes with them inline), drawn as the area pages draw theirs: linked, titled circles.
  var SVG = "http://www.w3.org/2000/svg";

  function pointLabel(data, i) {
    var rate = data.rate[i] === null ? data.no_figures : percent(data.rate[i]);
    var base = data.base[i] === null ? "—" : data.base[i].toLocaleString("vi-VN");
    return data.label.replace("%(name)s", data.name[i]).replace("%(rate)s", rate).replace("%(base)s", base);
  }

  function drawMap(figure) {
    var svg = figure.querySelector("svg[data-map]");
    var note = figure.querySelector("[data-map-note]");
    if (figure.dataset.drawn) { return; }
    figure.dataset.drawn = "yes";
    fetch(figure.dataset.mapUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.problem) { note.textContent = data.problem; return; }
        svg.setAttribute("viewBox", "0 0 " + data.size[0] + " " + data.size[1]);
        var layer = document.createDocumentFragment();
        for (var i = 0; i < data.x.length; i++) {
          var link = document.createElementNS(SVG, "a");
          link.setAttribute("href", data.link + encodeURIComponent(data.area[i]));
          var circle = document.createElementNS(SVG, "circle");
          circle.setAttribute("cx", data.x[i]);
          circle.setAttribute("cy", data.y[i]);
          circle.setAttribute("r", data.r[i]);
          circle.setAttribute("fill", data.colours[data.c[i]]);
          var title = document.createElementNS(SVG, "title");
          title.textContent = pointLabel(data, i);
          circle.appendChild(title);
          link.appendChild(circle);
          layer.appendChild(link);
        }
        svg.appendChild(layer);
        svg.removeAttribute("aria-busy");
        note.textContent = data.note || "";
      })
      .catch(function () { note.textContent = note.dataset.failed; });
  }

  function drawMaps() {
    document.querySelectorAll("figure[data-map-url]").forEach(drawMap);
  }

  // Printed, every chart's numbers are shown under it.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".dashboard details.chart-table").forEach(function (d) { d.open = true; });
  });
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
  document.addEventListener("DOMContentLoaded", drawMaps);
  document.addEventListener("htmx:afterSettle", drawMaps);
})();
