// `kubetwin plan`'s outputs: the table, plan.csv and plan.svg. With one ordered axis the
// frontier is the minimised metric against the axis; with several, every evaluated setting's
// minimised metric against the first SLO's metric, the Pareto frontier joined.

#include "headless/plan_report.hpp"

#include <algorithm>
#include <cstdio>

#include "headless/interrupts.hpp"
#include "headless/output_folder.hpp"
#include "runs/summary_json.hpp"

namespace kt::cli {

using runs::json_number;
using runs::PlanAxis;

namespace {

std::string xml(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '&') {
      out += "&amp;";
    } else if (c == '"') {
      out += "&quot;";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string setting_text(const std::vector<runs::PlanAxis>& axes, const PlanProbe& p) {
  std::string out;
  for (std::size_t a = 0; a < axes.size(); ++a) {
    if (a > 0) out += ", ";
    out += axes[a].path + "=" + p.values[a];
  }
  return out;
}

std::string svg_frontier(const std::vector<PlanProbe>& probes, const std::string& path,
                         const std::string& metric) {
  constexpr double kW = 640, kH = 300, kLeft = 72, kRight = 16, kTop = 28, kBottom = 48;
  double y_max = 0;
  std::int64_t x_min = probes.front().value;
  std::int64_t x_max = probes.front().value;
  for (const PlanProbe& p : probes) {
    x_min = std::min(x_min, p.value);
    x_max = std::max(x_max, p.value);
    if (p.minimized) y_max = std::max(y_max, *p.minimized);
  }
  if (y_max <= 0) y_max = 1;
  const double span = static_cast<double>(std::max<std::int64_t>(x_max - x_min, 1));
  const auto px = [&](double x) {
    return kLeft + (x - static_cast<double>(x_min)) / span * (kW - kLeft - kRight);
  };
  const auto py = [&](double y) {
    return kH - kBottom - y / (y_max * 1.1) * (kH - kTop - kBottom);
  };
  char buf[64];
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"300\">\n";
  svg +=
      "<text x=\"72\" y=\"18\" font-size=\"14\" font-weight=\"600\">Planning frontier: " + metric +
      " against " + path + "</text>\n";
  svg += "<line x1=\"72\" y1=\"252\" x2=\"624\" y2=\"252\" stroke=\"#888\"/>\n";
  svg += "<line x1=\"72\" y1=\"28\" x2=\"72\" y2=\"252\" stroke=\"#888\"/>\n";
  for (int i = 0; i <= 4; ++i) {
    const double y = y_max * 1.1 * i / 4;
    std::snprintf(buf, sizeof buf, "%.4g", y);
    svg += "<text x=\"66\" y=\"" + std::to_string(static_cast<int>(py(y)) + 4) +
           "\" font-size=\"11\" text-anchor=\"end\">" + buf + "</text>\n";
  }
  for (const PlanProbe& p : probes) {
    const double x = px(static_cast<double>(p.value));
    svg += "<text x=\"" + std::to_string(static_cast<int>(x)) +
           "\" y=\"268\" font-size=\"11\" text-anchor=\"middle\">" + std::to_string(p.value) +
           "</text>\n";
    if (!p.minimized) continue;
    svg += "<circle cx=\"" + std::to_string(static_cast<int>(x)) + "\" cy=\"" +
           std::to_string(static_cast<int>(py(*p.minimized))) + "\" r=\"5\" fill=\"" +
           (p.pass ? "#009E73" : "#D55E00") + "\"><title>" + std::to_string(p.value) + ": " +
           (p.pass ? "meets every SLO" : "misses an SLO") + "</title></circle>\n";
  }
  svg += "<text x=\"348\" y=\"292\" font-size=\"12\" text-anchor=\"middle\">" + path +
         " (green: every SLO holds; red: one fails)</text>\n";
  svg +=
      "<text transform=\"translate(16,140) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">" +
      metric + "</text>\n</svg>\n";
  return svg;
}

std::string svg_pareto(const std::vector<PlanProbe>& probes,
                       const std::vector<std::size_t>& frontier, const std::string& metric,
                       const std::string& slo_metric) {
  constexpr double kW = 640, kH = 320, kLeft = 72, kRight = 24, kTop = 28, kBottom = 56;
  double x_min = 1e300, x_max = -1e300, y_min = 1e300, y_max = -1e300;
  for (const PlanProbe& p : probes) {
    if (!p.minimized || !p.slo_value) continue;
    x_min = std::min(x_min, *p.minimized);
    x_max = std::max(x_max, *p.minimized);
    y_min = std::min(y_min, *p.slo_value);
    y_max = std::max(y_max, *p.slo_value);
  }
  if (x_min > x_max) x_min = x_max = 0;
  if (y_min > y_max) y_min = y_max = 0;
  const double xs = std::max(x_max - x_min, 1e-9);
  const double ys = std::max(y_max - y_min, 1e-9);
  const auto px = [&](double x) { return kLeft + (x - x_min) / xs * (kW - kLeft - kRight); };
  const auto py = [&](double y) { return kH - kBottom - (y - y_min) / ys * (kH - kTop - kBottom); };
  char buf[160];
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"320\">\n";
  svg += "<text x=\"72\" y=\"18\" font-size=\"14\" font-weight=\"600\">Pareto frontier: " +
         xml(metric) + " against " + xml(slo_metric) + "</text>\n";
  svg += "<line x1=\"72\" y1=\"264\" x2=\"616\" y2=\"264\" stroke=\"#888\"/>\n";
  svg += "<line x1=\"72\" y1=\"28\" x2=\"72\" y2=\"264\" stroke=\"#888\"/>\n";
  for (int i = 0; i <= 4; ++i) {
    std::snprintf(
        buf, sizeof buf,
        "<text x=\"66\" y=\"%.0f\" font-size=\"11\" text-anchor=\"end\">%.4g</text>\n"
        "<text x=\"%.0f\" y=\"280\" font-size=\"11\" text-anchor=\"middle\">%.4g</text>\n",
        py(y_min + ys * i / 4) + 4, y_min + ys * i / 4, px(x_min + xs * i / 4), x_min + xs * i / 4);
    svg += buf;
  }
  std::string line;
  for (std::size_t i : frontier) {
    const PlanProbe& p = probes[i];
    if (!p.minimized || !p.slo_value) continue;
    std::snprintf(buf, sizeof buf, "%s%.1f,%.1f", line.empty() ? "" : " ", px(*p.minimized),
                  py(*p.slo_value));
    line += buf;
  }
  if (!line.empty())
    svg +=
        "<polyline points=\"" + line + "\" fill=\"none\" stroke=\"#0072B2\" stroke-width=\"2\"/>\n";
  for (const PlanProbe& p : probes) {
    if (!p.minimized || !p.slo_value) continue;
    std::snprintf(buf, sizeof buf, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\">",
                  px(*p.minimized), py(*p.slo_value), p.pass ? "#009E73" : "#D55E00");
    svg += buf;
    svg += "<title>" + xml(p.label) + (p.pass ? ": meets every SLO" : ": misses an SLO") +
           "</title></circle>\n";
  }
  svg += "<text x=\"344\" y=\"302\" font-size=\"12\" text-anchor=\"middle\">" + xml(metric) +
         " (green: every SLO holds; red: one fails; blue: the Pareto frontier)</text>\n";
  svg +=
      "<text transform=\"translate(16,146) rotate(-90)\" font-size=\"12\" "
      "text-anchor=\"middle\">" +
      xml(slo_metric) + "</text>\n</svg>\n";
  return svg;
}

int write_plan(const std::vector<runs::PlanAxis>& axes,
               const std::map<runs::PlanPoint, PlanProbe>& probes, const runs::PlanSearch& result,
               const std::string& minimize, const std::string& slo_metric, bool slo_is_max,
               bool single, const std::string& out) {
  std::vector<PlanProbe> ordered;
  std::vector<runs::PlanPoint> points;
  for (const auto& [point, p] : probes) {
    ordered.push_back(p);
    points.push_back(point);
  }
  // The Pareto frontier of the minimised metric against the first SLO's (its better
  // direction: lower under a max bound, higher under a min bound).
  std::vector<double> x;
  std::vector<double> y;
  std::vector<std::size_t> with_both;
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    if (!ordered[i].minimized || !ordered[i].slo_value) continue;
    with_both.push_back(i);
    x.push_back(*ordered[i].minimized);
    y.push_back(slo_is_max ? *ordered[i].slo_value : -*ordered[i].slo_value);
  }
  std::vector<std::size_t> frontier;
  for (std::size_t k : runs::pareto_frontier(x, y))
    frontier.push_back(with_both[k]);
  const auto on_frontier = [&](std::size_t i) {
    return std::find(frontier.begin(), frontier.end(), i) != frontier.end();
  };
  std::string csv;
  if (single) {
    csv = "value";
  } else {
    for (std::size_t a = 0; a < axes.size(); ++a)
      csv += (a ? "," : "") + axes[a].path;
  }
  csv += ",pass,replications_passing," + minimize + "," + minimize + "_ci95";
  for (const runs::SloVerdict& v : ordered.front().slos) {
    csv += ",slo:";
    csv += v.metric;
  }
  if (!single) csv += ",pareto";
  csv += "\n";
  std::string table;
  if (single) {
    table = axes.front().path + "  meets SLOs  replications passing  " + minimize + "\n";
  } else {
    table = "setting  meets SLOs  replications passing  " + minimize + "  " + slo_metric +
            "  frontier\n";
  }
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    const PlanProbe& p = ordered[i];
    const bool best = result.best && *result.best == points[i];
    for (std::size_t a = 0; a < p.values.size(); ++a)
      csv += (a ? "," : "") + p.values[a];
    csv += std::string(",") + (p.pass ? "1" : "0") + "," + json_number(p.replications_passing) +
           "," + (p.minimized ? json_number(*p.minimized) : std::string()) + "," +
           (p.minimized_ci95 ? json_number(*p.minimized_ci95) : std::string());
    for (const runs::SloVerdict& v : p.slos) {
      csv += ',';
      if (v.value) csv += json_number(*v.value);
    }
    if (!single) csv += on_frontier(i) ? ",1" : ",0";
    csv += "\n";
    char line[512];
    if (single) {
      std::snprintf(line, sizeof line, "%lld  %s  %.0f%%  %s%s\n", static_cast<long long>(p.value),
                    p.pass ? "yes" : "no", p.replications_passing * 100,
                    p.minimized ? json_number(*p.minimized).c_str() : "-",
                    best ? "   <- cheapest that meets every SLO" : "");
    } else {
      std::snprintf(line, sizeof line, "%s  %s  %.0f%%  %s  %s  %s%s\n", p.label.c_str(),
                    p.pass ? "yes" : "no", p.replications_passing * 100,
                    p.minimized ? json_number(*p.minimized).c_str() : "-",
                    p.slo_value ? json_number(*p.slo_value).c_str() : "-",
                    on_frontier(i) ? "pareto" : "-",
                    best ? "   <- cheapest that meets every SLO" : "");
    }
    table += line;
  }
  OutputFolder folder(out);
  InterruptDeferral::begin();
  folder.write("plan.csv", csv);
  folder.write("plan.svg", single ? svg_frontier(ordered, axes.front().path, minimize)
                                  : svg_pareto(ordered, frontier, minimize, slo_metric));
  folder.commit();
  InterruptDeferral::end();
  std::fputs(table.c_str(), stdout);
  const PlanAxis& first = axes.front();
  if (result.best) {
    const PlanProbe& p = probes.at(*result.best);
    if (single) {
      std::printf("plan: %s=%s is the cheapest value in %s..%s that meets every SLO\n",
                  first.path.c_str(), p.values.front().c_str(), first.values.front().c_str(),
                  first.values.back().c_str());
    } else {
      std::printf(
          "plan: %s is the cheapest setting that meets every SLO (%s %s; %zu of %llu "
          "settings run, %s)\n",
          p.label.c_str(), minimize.c_str(), p.minimized ? json_number(*p.minimized).c_str() : "-",
          probes.size(), static_cast<unsigned long long>(result.grid_points),
          result.method.c_str());
    }
    return 0;
  }
  if (single) {
    std::printf("plan: no value of %s in %s..%s meets every SLO\n", first.path.c_str(),
                first.values.front().c_str(), first.values.back().c_str());
  } else {
    std::printf("plan: no setting meets every SLO (%zu of %llu settings run, %s)\n", probes.size(),
                static_cast<unsigned long long>(result.grid_points), result.method.c_str());
  }
  return 1;
}

}  // namespace kt::cli
