#include "runs/backtest_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "runs/reports.hpp"
#include "runs/summary_json.hpp"

namespace kt::runs {

namespace {

std::string fmt(const char* format, double v) {
  return printf_number(format, v);
}

std::string escape(const std::string& text) {
  return xml_escape(text);
}

std::string verdict(const Backtest& bt, double min_coverage) {
  if (min_coverage < 0) return "";
  return bt.coverage() >= min_coverage ? "pass" : "FAIL";
}

// Observed (dark line) against the twin's median (blue) and band (shaded), hours on x.
std::string band_chart(const WorkloadBacktest& w, const MetricComparison& m, double start) {
  constexpr double kW = 640, kH = 240, kLeft = 64, kRight = 16, kTop = 28, kBottom = 40;
  double y_max = 0, x_max = 0;
  for (std::size_t i = 0; i < m.observed.size(); ++i) {
    for (double v : {m.observed[i], m.high[i]})
      if (std::isfinite(v)) y_max = std::max(y_max, v);
    x_max = std::max(x_max, (w.times[i] - start) / 3600);
  }
  const double p = std::pow(10.0, std::floor(std::log10(std::max(y_max, 1e-9))));
  double y_top = 10 * p;
  for (double k : {1.0, 1.2, 1.6, 2.0, 2.4, 3.0, 4.0, 6.0, 8.0, 10.0})
    if (y_max <= k * p) {
      y_top = k * p;
      break;
    }
  const double x_top = std::max(1.0, std::ceil(x_max));
  const auto px = [&](double t) {
    return kLeft + (t - start) / 3600 / x_top * (kW - kLeft - kRight);
  };
  const auto py = [&](double y) { return kH - kBottom - y / y_top * (kH - kTop - kBottom); };
  const std::string title = w.workload + " " + m.metric + ": " + fmt("%.1f", 100 * m.coverage()) +
                            " % inside the band, MAPE " + fmt("%.1f", 100 * m.mape) + " %";
  std::string svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"240\" "
      "role=\"img\" aria-label=\"" +
      escape(title) +
      "\">\n<text x=\"64\" y=\"18\" "
      "class=\"title\">" +
      escape(title) + "</text>\n";
  for (int i = 0; i <= 4; ++i) {
    const double y = y_top * i / 4, x = x_top * i / 4;
    svg += "<line x1=\"64\" x2=\"624\" y1=\"" + fmt("%.1f", py(y)) + "\" y2=\"" +
           fmt("%.1f", py(y)) + "\" class=\"grid\"/>\n<text x=\"58\" y=\"" +
           fmt("%.1f", py(y) + 4) + "\" class=\"tick\" text-anchor=\"end\">" + fmt("%.5g", y) +
           "</text>\n<text x=\"" + fmt("%.1f", px(start + x * 3600)) + "\" y=\"" +
           fmt("%.1f", kH - kBottom + 16) + "\" class=\"tick\" text-anchor=\"middle\">" +
           fmt("%.4g", x) + "</text>\n";
  }
  svg +=
      "<text x=\"344\" y=\"234\" class=\"axis\" text-anchor=\"middle\">hours from the "
      "window's start</text>\n";
  // The band as one polygon per run of compared intervals.
  std::string upper, lower;
  const auto flush = [&]() {
    if (!upper.empty()) svg += "<polygon class=\"band\" points=\"" + upper + lower + "\"/>\n";
    upper.clear();
    lower.clear();
  };
  for (std::size_t i = 0; i < m.observed.size(); ++i) {
    if (!std::isfinite(m.low[i])) {
      flush();
      continue;
    }
    upper += fmt("%.1f", px(w.times[i])) + "," + fmt("%.1f", py(m.high[i])) + " ";
    lower = fmt("%.1f", px(w.times[i])) + "," + fmt("%.1f", py(m.low[i])) + " " + lower;
  }
  flush();
  for (int which = 0; which < 2; ++which) {
    const std::vector<double>& y = which ? m.observed : m.predicted;
    std::string points;
    for (std::size_t i = 0; i < y.size(); ++i) {
      if (std::isfinite(y[i]))
        points += fmt("%.1f", px(w.times[i])) + "," + fmt("%.1f", py(y[i])) + " ";
    }
    svg += std::string("<polyline fill=\"none\" stroke-width=\"") + (which ? "1" : "1.5") +
           "\" stroke=\"" + (which ? "#222" : "#1f77b4") + "\" points=\"" + points + "\"><title>" +
           (which ? "observed" : "twin (median)") + "</title></polyline>\n";
  }
  return svg + "</svg>\n";
}

std::string summary_rows(const Backtest& bt, bool markdown) {
  std::string out;
  for (const WorkloadBacktest& w : bt.workloads) {
    for (const MetricComparison& m : w.metrics) {
      const std::string cov = fmt("%.1f", 100 * m.coverage()) + " %";
      const std::string mape = fmt("%.1f", 100 * m.mape) + " %";
      if (markdown) {
        out += "| " + w.workload + " | " + m.metric + " | " + std::to_string(m.compared) + " | " +
               cov + " | " + mape + " |\n";
      } else {
        char line[160];
        std::snprintf(line, sizeof line, "%-16s %-16s %9d %9s %9s\n", w.workload.c_str(),
                      m.metric.c_str(), m.compared, cov.c_str(), mape.c_str());
        out += line;
      }
    }
  }
  return out;
}

}  // namespace

std::string backtest_table(const Backtest& bt) {
  char head[160];
  std::snprintf(head, sizeof head, "%-16s %-16s %9s %9s %9s\n", "workload", "metric", "intervals",
                "coverage", "MAPE");
  return head + summary_rows(bt, false) + "all: " + fmt("%.1f", 100 * bt.coverage()) + " % of " +
         std::to_string(bt.compared) + " observed intervals inside the twin's band (nominal " +
         fmt("%.1f", 100 * bt.nominal_coverage) + " %, " + std::to_string(bt.replications) +
         " replications)\n";
}

std::string backtest_markdown(const Backtest& bt, double min_coverage) {
  namespace fs = std::filesystem;
  std::string md = "# Back-test of " + fs::path(bt.scenario_file).filename().string() + "\n\n";
  md += "Policy `" + bt.policy + "`, " + std::to_string(bt.replications) +
        " replications over the exported window (" + fmt("%.4g", bt.window_s / 3600) +
        " h from unix time " + fmt("%.0f", bt.window_start_unix) + ", intervals of " +
        fmt("%.0f", bt.step_s) + " s). Each interval's band runs from the " +
        std::to_string(bt.band_rank) + (bt.band_rank == 1 ? "st" : "th") + " smallest to the " +
        std::to_string(bt.band_rank) + (bt.band_rank == 1 ? "st" : "th") +
        " largest replication: an observation exchangeable with them falls inside with "
        "probability " +
        fmt("%.1f", 100 * bt.nominal_coverage) +
        " %. Latency quantiles on both sides come from the export's buckets through "
        "Prometheus's histogram_quantile; replicas are integers, so ties make their coverage "
        "at least nominal.\n\n";
  md +=
      "| workload | metric | intervals | inside the band | MAPE (median) "
      "|\n|---|---|---|---|---|\n";
  md += summary_rows(bt, true);
  md += "\n**All: " + fmt("%.1f", 100 * bt.coverage()) + " % of " + std::to_string(bt.compared) +
        " observed intervals inside the band**";
  if (min_coverage >= 0) {
    md += " (--min-coverage " + fmt("%.3g", min_coverage) + ": " + verdict(bt, min_coverage) + ")";
  }
  md += ".\n\nEvery interval is in backtest.csv; report.html charts them.\n";
  return md;
}

std::string backtest_html(const Backtest& bt, double min_coverage) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>kubetwin back-test"
      "</title>\n<style>body{font-family:system-ui,sans-serif;margin:24px;max-width:1320px}"
      "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:"
      "right}th{background:#f3f3f3}td:first-child,td:nth-child(2){text-align:left}svg{margin:"
      "6px}svg .title{font-size:13px;font-weight:600}svg .tick{font-size:11px;fill:#555}svg "
      ".axis{font-size:12px}svg .grid{stroke:#e5e5e5}svg .band{fill:#1f77b4;fill-opacity:0.22;"
      "stroke:none}.fail{color:#b00;font-weight:600}.pass{color:#070;font-weight:600}</style>"
      "</head><body>\n<h1>Back-test of " +
      escape(std::filesystem::path(bt.scenario_file).filename().string()) +
      "</h1>\n<p>Observed (black) against the twin's median (blue) and its band (shaded, " +
      fmt("%.1f", 100 * bt.nominal_coverage) + " % nominal, " + std::to_string(bt.replications) +
      " replications of policy " + escape(bt.policy) + "), interval by interval.</p>\n<p>All: <b>" +
      fmt("%.1f", 100 * bt.coverage()) + " %</b> of " + std::to_string(bt.compared) +
      " observed intervals inside the band";
  if (min_coverage >= 0) {
    const std::string v = verdict(bt, min_coverage);
    html += " — --min-coverage " + fmt("%.3g", min_coverage) + ": <span class=\"" +
            (v == "pass" ? "pass" : "fail") + "\">" + v + "</span>";
  }
  html +=
      "</p>\n<table><tr><th>workload</th><th>metric</th><th>intervals</th><th>inside the "
      "band</th><th>MAPE</th></tr>\n";
  for (const WorkloadBacktest& w : bt.workloads) {
    for (const MetricComparison& m : w.metrics) {
      html += "<tr><td>" + escape(w.workload) + "</td><td>" + escape(m.metric) + "</td><td>" +
              std::to_string(m.compared) + "</td><td>" + fmt("%.1f", 100 * m.coverage()) +
              " %</td><td>" + fmt("%.1f", 100 * m.mape) + " %</td></tr>\n";
    }
  }
  html += "</table>\n";
  for (const WorkloadBacktest& w : bt.workloads) {
    html += "<h2>" + escape(w.workload) + "</h2>\n<div>";
    for (const MetricComparison& m : w.metrics)
      html += band_chart(w, m, bt.window_start_unix);
    html += "</div>\n";
  }
  return html + "</body></html>\n";
}

std::string backtest_json(const Backtest& bt, double min_coverage) {
  std::string out = "{\n  \"scenario\": " + json_string(bt.scenario_file) +
                    ",\n  \"policy\": " + json_string(bt.policy) +
                    ",\n  \"replications\": " + std::to_string(bt.replications) +
                    ",\n  \"nominalCoverage\": " + json_number(bt.nominal_coverage) +
                    ",\n  \"coverage\": " + json_number(bt.coverage()) +
                    ",\n  \"intervals\": " + std::to_string(bt.compared);
  if (min_coverage >= 0) {
    out += ",\n  \"minCoverage\": " + json_number(min_coverage) +
           ",\n  \"pass\": " + (bt.coverage() >= min_coverage ? "true" : "false");
  }
  out += ",\n  \"workloads\": {";
  bool first_w = true;
  for (const WorkloadBacktest& w : bt.workloads) {
    out += std::string(first_w ? "" : ",") + "\n    " + json_string(w.workload) + ": {";
    bool first_m = true;
    for (const MetricComparison& m : w.metrics) {
      out += std::string(first_m ? "" : ", ") + json_string(m.metric) +
             ": {\"intervals\": " + std::to_string(m.compared) +
             ", \"coverage\": " + json_number(m.coverage()) + ", \"mape\": " + json_number(m.mape) +
             "}";
      first_m = false;
    }
    out += "}";
    first_w = false;
  }
  return out + "\n  }\n}\n";
}

std::string backtest_csv(const Backtest& bt) {
  std::string out = "workload,metric,time,observed,predicted,low,high,inside\n";
  for (const WorkloadBacktest& w : bt.workloads) {
    for (const MetricComparison& m : w.metrics) {
      for (std::size_t i = 0; i < m.observed.size(); ++i) {
        const bool compared = std::isfinite(m.low[i]);
        out += w.workload + "," + m.metric + "," + fmt("%.0f", w.times[i]) + "," +
               fmt("%.6g", m.observed[i]) + "," +
               (compared ? fmt("%.6g", m.predicted[i]) + "," + fmt("%.6g", m.low[i]) + "," +
                               fmt("%.6g", m.high[i]) + "," +
                               (m.observed[i] >= m.low[i] && m.observed[i] <= m.high[i] ? "1" : "0")
                         : std::string(",,,")) +
               "\n";
      }
    }
  }
  return out;
}

}  // namespace kt::runs
