#include "runs/report_html.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>

#include "runs/reports.hpp"
#include "runs/result_tables.hpp"

namespace kt::runs {

namespace {

std::string escape(const std::string& text) {
  return xml_escape(text);
}

// printf's %.*g (std::to_chars with a precision is specified to give the same characters),
// without printf's cost: charts format tens of thousands of coordinates.
std::string fmt(double v, int precision = 4) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, precision);
  return std::string(buf, r.ptr);
}

// Colour-blind-safe palette (Okabe-Ito).
constexpr const char* kColours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                    "#E69F00", "#56B4E9", "#000000", "#F0E442"};

// The unit a time-series column is counted in, for the axis title.
std::string unit_of(const std::string& column) {
  if (column.find("_ms") != std::string::npos) return "ms, requests completed in the interval";
  if (column.find("usd_per_hour") != std::string::npos) return "USD per hour";
  // An edge site's uplink: 1 while the site reaches its control plane (the share of
  // replications that do, for the mean line); its buffer, in requests held.
  if (column.find("uplink_up") != std::string::npos) return "1 up, 0 down";
  if (column.find(".buffer") != std::string::npos) return "requests held";
  // A QPU's queue (circuits waiting) and state (0 idle, 1 running, 2 calibrating).
  if (column.find(".qpu_queue") != std::string::npos) return "circuits waiting";
  if (column.find(".qpu_state") != std::string::npos) return "0 idle, 1 run, 2 calib.";
  if (column.find("replicas") != std::string::npos || column.find("pods") != std::string::npos) {
    return "pods";
  }
  if (column.find("completed") != std::string::npos || column.find("failed") != std::string::npos) {
    return "requests since the start";
  }
  return "requests";
}

// A round upper bound for an axis whose quarters are round too (1.2, 2, 4, 6, 8, 12, ...
// times a power of ten).
double nice_ceiling(double v) {
  if (v <= 0) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 1.2, 1.6, 2.0, 2.4, 3.0, 4.0, 6.0, 8.0, 10.0}) {
    if (v <= m * p * (1 + 1e-12)) return m * p;
  }
  return 10 * p;
}

struct Series {
  std::string policy;
  std::vector<double> x;  // seconds
  std::vector<double> y;
};

std::string line_chart(const std::string& title, const std::string& y_title,
                       const std::vector<Series>& series) {
  constexpr double kW = 640, kH = 260, kLeft = 64, kRight = 16, kTop = 28, kBottom = 44;
  double x_max = 0;
  double y_max = 0;
  for (const Series& s : series) {
    for (double v : s.x)
      x_max = std::max(x_max, v);
    for (double v : s.y)
      y_max = std::max(y_max, v);
  }
  // Time in the unit that reads best.
  const double x_div = x_max >= 3 * 3600 ? 3600 : x_max >= 180 ? 60 : 1;
  const char* x_unit = x_div == 3600 ? "h" : x_div == 60 ? "min" : "s";
  const double x_top = nice_ceiling(x_max / x_div);
  const double y_top = nice_ceiling(y_max);
  const auto px = [&](double x) { return kLeft + (x / x_div) / x_top * (kW - kLeft - kRight); };
  const auto py = [&](double y) { return kH - kBottom - y / y_top * (kH - kTop - kBottom); };
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + fmt(kW) +
                    "\" height=\"" + fmt(kH) + "\" role=\"img\" aria-label=\"" + escape(title) +
                    "\">\n";
  svg += "<text x=\"" + fmt(kLeft) + "\" y=\"18\" class=\"title\">" + escape(title) + "</text>\n";
  for (int i = 0; i <= 4; ++i) {
    const double yv = y_top * i / 4;
    const double xv = x_top * i / 4;
    svg += "<line x1=\"" + fmt(kLeft) + "\" x2=\"" + fmt(kW - kRight) + "\" y1=\"" + fmt(py(yv)) +
           "\" y2=\"" + fmt(py(yv)) + "\" class=\"grid\"/>\n";
    svg += "<text x=\"" + fmt(kLeft - 6) + "\" y=\"" + fmt(py(yv) + 4) +
           "\" class=\"tick\" text-anchor=\"end\">" + fmt(yv) + "</text>\n";
    svg += "<text x=\"" + fmt(px(xv * x_div)) + "\" y=\"" + fmt(kH - kBottom + 16) +
           "\" class=\"tick\" text-anchor=\"middle\">" + fmt(xv) + "</text>\n";
  }
  svg += "<text x=\"" + fmt((kLeft + kW - kRight) / 2) + "\" y=\"" + fmt(kH - 8) +
         "\" class=\"axis\" text-anchor=\"middle\">simulated time (" + x_unit + ")</text>\n";
  svg += "<text transform=\"translate(14," + fmt((kTop + kH - kBottom) / 2) +
         ") rotate(-90)\" class=\"axis\" text-anchor=\"middle\">" + escape(y_title) + "</text>\n";
  for (std::size_t i = 0; i < series.size(); ++i) {
    const Series& s = series[i];
    // A plot 560 px wide shows no more than two points per pixel: per half pixel keep the
    // first, lowest, highest and last point (in time order), so peaks survive. A day sampled
    // every 5 s (17,280 rows) then draws ~2,200 points, not 17,280, and the page is 8x smaller.
    std::string points;
    const auto add = [&](std::size_t k) {
      if (!points.empty()) points += ' ';
      points += fmt(px(s.x[k]), 6);
      points += ',';
      points += fmt(py(s.y[k]), 6);
    };
    std::size_t k = 0;
    while (k < s.x.size()) {
      const double bucket = std::floor(px(s.x[k]) * 2);
      std::size_t last = k;
      std::size_t low = k;
      std::size_t high = k;
      while (last + 1 < s.x.size() && std::floor(px(s.x[last + 1]) * 2) == bucket) {
        ++last;
        if (s.y[last] < s.y[low]) low = last;
        if (s.y[last] > s.y[high]) high = last;
      }
      std::size_t keep[4] = {k, std::min(low, high), std::max(low, high), last};
      for (int i = 0; i < 4; ++i) {
        if (i == 0 || keep[i] != keep[i - 1]) add(keep[i]);
      }
      k = last + 1;
    }
    svg += "<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"" + std::string(kColours[i % 8]) +
           "\" points=\"" + points + "\"><title>" + escape(s.policy) + "</title></polyline>\n";
  }
  svg += "</svg>\n";
  return svg;
}

// Per policy, the mean over its replications of time-series column `c` at each sample.
std::vector<Series> policy_means(const RunResults& results, std::size_t c) {
  const auto& columns = results.runs.front().series.columns;
  std::vector<Series> series;
  for (const std::string& policy : results.policies) {
    Series s;
    s.policy = policy;
    std::size_t n = 0;
    for (const RunRecord& run : results.runs) {
      if (run.policy != policy || run.series.columns.size() != columns.size()) continue;
      const std::size_t rows = run.series.rows();
      if (s.x.empty()) {
        s.x.resize(rows);
        s.y.assign(rows, 0);
        for (std::size_t r = 0; r < rows; ++r)
          s.x[r] = run.series.values[r * columns.size()];
      }
      for (std::size_t r = 0; r < std::min(rows, s.y.size()); ++r) {
        s.y[r] += run.series.values[r * columns.size() + c];
      }
      ++n;
    }
    for (double& v : s.y)
      v /= static_cast<double>(std::max<std::size_t>(n, 1));
    series.push_back(std::move(s));
  }
  return series;
}

}  // namespace

std::string timeseries_chart_svg(const RunResults& results, const std::string& column) {
  if (results.runs.empty()) return "";
  const auto& columns = results.runs.front().series.columns;
  const auto it = std::find(columns.begin(), columns.end(), column);
  if (it == columns.end() || it == columns.begin()) return "";
  const auto c = static_cast<std::size_t>(it - columns.begin());
  return line_chart(column, column + " (" + unit_of(column) + ")", policy_means(results, c));
}

std::string report_html(const RunResults& results, std::size_t replications) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>kubetwin "
      "report: " +
      escape(results.scenario) +
      "</title>\n<style>\n"
      "body{font-family:system-ui,sans-serif;margin:2em;max-width:72em;color:#222}\n"
      "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em "
      ".6em;text-align:right}td:first-child,th:first-child{text-align:left}\n"
      ".pass{background:#e3f4e3}.fail{background:#f8dcdc}\n"
      "details{margin:.3em 0}summary{cursor:pointer;font-weight:600}\n"
      "svg .title{font-size:14px;font-weight:600}svg .tick{font-size:11px;fill:#555}"
      "svg .axis{font-size:12px}svg .grid{stroke:#e5e5e5}\n"
      ".legend span{display:inline-block;margin-right:1.5em}.legend i{display:inline-block;"
      "width:1.5em;height:.3em;margin-right:.4em;vertical-align:middle}\n"
      "</style>\n</head>\n<body>\n";
  html += "<h1>kubetwin report: " + escape(results.scenario) + "</h1>\n";
  html += "<p>kubetwin " + escape(results.version) + "; " +
          std::to_string(results.policies.size()) + " policies &times; " +
          std::to_string(replications) +
          " replications; table cells are the mean &plusmn; the half-width of its 95&nbsp;% "
          "confidence interval.</p>\n";
  // SLO verdicts.
  if (!results.slos.empty()) {
    html += "<h2>SLOs</h2>\n<table>\n<tr><th>metric</th><th>bound</th>";
    for (const std::string& p : results.policies)
      html += "<th>" + escape(p) + "</th>";
    html += "</tr>\n";
    for (std::size_t i = 0; i < results.slos.size(); i += results.policies.size()) {
      const SloVerdict& first = results.slos[i];
      std::string bound;
      if (first.max) bound += "&le; " + fmt(*first.max, 6);
      if (first.min) bound += std::string(bound.empty() ? "" : ", ") + "&ge; " + fmt(*first.min, 6);
      html += "<tr><td>" + escape(first.metric) + "</td><td>" + bound + "</td>";
      for (std::size_t p = 0; p < results.policies.size() && i + p < results.slos.size(); ++p) {
        const SloVerdict& v = results.slos[i + p];
        html += std::string("<td class=\"") + (v.pass ? "pass" : "fail") + "\">" +
                (v.pass ? "pass" : "FAIL") + " (" +
                (v.value ? fmt(*v.value, 6) : std::string("not measured")) + ")</td>";
      }
      html += "</tr>\n";
    }
    html += "</table>\n";
  }
  // The comparison table, from the Markdown twin's rows: the global metrics (the headline),
  // then one collapsible table per scope (workload, region, site, QPU, tenant).
  std::string header;
  std::vector<std::pair<std::string, std::string>> groups;  // scope -> rows
  const std::string md = markdown_table(results);
  std::size_t line_start = 0;
  int row = 0;
  while (line_start < md.size()) {
    const std::size_t end = md.find('\n', line_start);
    const std::string line = md.substr(line_start, end - line_start);
    line_start = end == std::string::npos ? md.size() : end + 1;
    if (row++ == 1 || line.rfind("| SLO", 0) == 0) continue;  // the separator; SLOs are above
    std::string tr = "<tr>";
    std::string key;
    std::size_t cell = 1;
    while (cell < line.size()) {
      const std::size_t next = line.find(" |", cell);
      if (next == std::string::npos) break;
      std::string text = line.substr(cell, next - cell);
      while (!text.empty() && text.front() == ' ')
        text.erase(text.begin());
      if (key.empty()) key = text;
      tr += (row == 1 ? "<th>" : "<td>") + escape(text) + (row == 1 ? "</th>" : "</td>");
      cell = next + 2;
    }
    tr += "</tr>\n";
    if (row == 1) {
      header = tr;
      continue;
    }
    const std::string scope = metric_scope(key);
    auto g =
        std::find_if(groups.begin(), groups.end(), [&](const auto& e) { return e.first == scope; });
    if (g == groups.end())
      g = groups.insert(scope.empty() ? groups.begin() : groups.end(), {scope, ""});
    g->second += tr;
  }
  html += "<h2>Policies side by side</h2>\n";
  for (const auto& [scope, rows] : groups) {
    if (scope.empty()) {
      html += "<table>\n" + header + rows + "</table>\n";
    } else {
      html += "<details><summary>" + escape(scope) + "</summary>\n<table>\n" + header + rows +
              "</table>\n</details>\n";
    }
  }
  // Time-series charts: per column, one line per policy (the mean over its replications).
  if (!results.runs.empty() && results.runs.front().series.columns.size() > 1) {
    html += "<h2>Over time</h2>\n<p class=\"legend\">";
    for (std::size_t i = 0; i < results.policies.size(); ++i) {
      html += "<span><i style=\"background:" + std::string(kColours[i % 8]) + "\"></i>" +
              escape(results.policies[i]) + "</span>";
    }
    html += "</p>\n";
    const auto& columns = results.runs.front().series.columns;
    for (std::size_t c = 1; c < columns.size(); ++c) {
      const std::vector<Series> series = policy_means(results, c);
      html += line_chart(columns[c], columns[c] + " (" + unit_of(columns[c]) + ")", series);
    }
  }
  if (!results.not_simulated.empty()) {
    html += "<h2>Not yet simulated</h2>\n<ul>\n";
    for (const std::string& line : results.not_simulated)
      html += "<li>" + escape(line) + "</li>\n";
    html += "</ul>\n";
  }
  html += "</body>\n</html>\n";
  return html;
}

}  // namespace kt::runs
