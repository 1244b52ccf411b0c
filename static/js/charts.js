/*
 * Public charts, drawn with Apache ECharts (static/vendor/echarts, loaded before this file).
 *
 * Each chart is an element [data-chart] naming the <script type="application/json"> block
 * (Django's json_script, written by evaluations/views/charts.py) that holds its categories,
 * series and the text of the table printed beside it. Nothing is evaluated: the JSON is
 * parsed, never run. Under the site's content security policy (no inline script or style):
 * tooltips are drawn on the canvas (renderMode "richText"), because ECharts' HTML tooltips
 * carry style="" attributes the policy refuses; sizes are set through the CSSOM, which the
 * policy allows.
 *
 * Readability: every series differs by more than its colour (marker shapes, patterns on
 * grouped or stacked bars, a legend, value labels), and every number drawn is also in the
 * table. Bars always start at zero; markers and lines scale to their data.
 *
 * Elements [data-share] (the overview's grade bars) get their width, a percentage, here.
 */
(function () {
  "use strict";

  // Okabe–Ito colours (distinguishable with the common colour-vision deficiencies).
  var PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"];
  var GRADE_COLOURS = { "优": "excellent", "良": "good", "中": "fair", "差": "poor" };
  // Marker shapes ECharts lacks, as paths, so the legend shows them as drawn.
  var SYMBOLS = { "triangle-down": "path://M0,0L2,0L1,1.8Z" };
  var INK = "#1f2933";
  var MAX_LABELLED = 12;

  function siteColour(name) {
    return getComputedStyle(document.documentElement).getPropertyValue("--" + name).trim();
  }

  function seriesColour(series, index) {
    return series.colour ? siteColour(series.colour) : PALETTE[index % PALETTE.length];
  }

  function axisHasBars(spec, axis) {
    return spec.series.some(function (series) {
      return series.kind === "bar" && series.axis === axis;
    });
  }

  function valueAxes(spec) {
    return spec.axes.map(function (unit, axis) {
      return {
        type: "value",
        name: unit.name,
        max: unit.max === null ? undefined : unit.max,
        // Along the bottom, the unit sits under the axis, where it is not cut off.
        nameLocation: spec.horizontal ? "middle" : "end",
        nameGap: spec.horizontal ? 28 : 15,
        scale: !axisHasBars(spec, axis),
        position: axis === 0 ? (spec.horizontal ? "bottom" : "left") : (spec.horizontal ? "top" : "right"),
        splitLine: { show: axis === 0 },
        axisLabel: { color: INK },
        nameTextStyle: { color: INK }
      };
    });
  }

  function categoryAxis(spec, compact) {
    var label = { color: INK, interval: "auto" };
    if (spec.horizontal) {
      label.width = compact ? 96 : 220;
      label.overflow = "break";
    }
    // A horizontal chart lists its first category on top, as the table does.
    return {
      type: "category",
      data: spec.categories,
      inverse: spec.horizontal,
      axisTick: { alignWithLabel: true },
      axisLabel: label
    };
  }

  function seriesOption(spec, series, index) {
    var column = spec.headers.indexOf(series.name);
    var colour = seriesColour(series, index);
    var labelled = spec.categories.length <= MAX_LABELLED && series.kind !== "scatter";
    var option = {
      name: series.name,
      type: series.kind,
      stack: series.stack || undefined,
      itemStyle: { color: colour },
      symbol: SYMBOLS[series.symbol] || series.symbol || "circle",
      symbolSize: series.kind === "scatter" ? 14 : 9,
      label: {
        show: labelled,
        position: series.stack ? "inside" : (spec.horizontal ? "right" : "top"),
        color: series.stack ? "#ffffff" : INK,
        formatter: function (params) {
          return params.data.text;
        }
      },
      data: series.data.map(function (value, row) {
        var item = { value: value === null ? null : Number(value), text: spec.rows[row][column] };
        if (spec.byGrade && GRADE_COLOURS[spec.categories[row]]) {
          item.itemStyle = { color: siteColour(GRADE_COLOURS[spec.categories[row]]) };
        }
        if (series.stack && !item.value) {
          item.label = { show: false };
        }
        return item;
      })
    };
    option[spec.horizontal ? "xAxisIndex" : "yAxisIndex"] = series.axis;
    if (series.kind === "bar") {
      option.barMaxWidth = 56;
    }
    if (series.kind === "line") {
      option.lineStyle = { width: 3, color: colour };
      option.label.backgroundColor = "#ffffff";
      option.label.padding = [2, 4];
    }
    return option;
  }

  function tooltipText(spec, params) {
    var row = spec.rows[(Array.isArray(params) ? params[0] : params).dataIndex];
    return spec.headers.map(function (header, column) {
      return header + "：" + row[column];
    }).join("\n");
  }

  function chartOption(spec, compact) {
    var bars = spec.series.filter(function (series) { return series.kind === "bar"; });
    var categories = categoryAxis(spec, compact);
    var values = valueAxes(spec);
    var reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    return {
      animation: !reduced,
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      aria: { enabled: true, label: { enabled: false }, decal: { show: bars.length > 1 } },
      legend: { show: spec.series.length > 1, top: 0, textStyle: { color: INK } },
      grid: {
        top: spec.series.length > 1 ? (compact ? 64 : 48) : 32,
        left: 8,
        right: spec.axes.length > 1 ? 16 : 24,
        bottom: 8,
        containLabel: true
      },
      tooltip: {
        trigger: "axis",
        renderMode: "richText",
        axisPointer: { type: "shadow" },
        formatter: function (params) {
          return tooltipText(spec, params);
        }
      },
      xAxis: spec.horizontal ? values : categories,
      yAxis: spec.horizontal ? categories : values,
      series: spec.series.map(function (series, index) {
        return seriesOption(spec, series, index);
      })
    };
  }

  function draw(element) {
    var spec = JSON.parse(document.getElementById(element.dataset.chart).textContent);
    var compact = element.clientWidth < 560;
    if (spec.horizontal) {
      element.style.height = Math.max(280, 72 * spec.categories.length + 96) + "px";
    }
    element.textContent = "";
    var chart = echarts.init(element, null, { renderer: "canvas", locale: "ZH" });
    chart.on("finished", function () {
      element.dataset.drawn = "true";
    });
    chart.setOption(chartOption(spec, compact));
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        chart.resize();
      }).observe(element);
    }
  }

  document.querySelectorAll("[data-share]").forEach(function (element) {
    element.style.width = element.dataset.share + "%";
  });
  if (window.echarts) {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }
})();
