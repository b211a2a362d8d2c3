// `kubetwin plan SCENARIO --vary PATH=MIN..MAX`: the cheapest setting that meets every SLO.
// Assumes, as capacity planning does, that more of the varied resource never makes an SLO
// worse and never costs less: then the cheapest passing value is the smallest, found by
// bisection with every replication run at each probe. The probes form the frontier.

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "headless/args.hpp"
#include "headless/commands.hpp"
#include "headless/diagnostics_output.hpp"
#include "headless/interrupts.hpp"
#include "headless/output_folder.hpp"
#include "headless/progress_bar.hpp"
#include "runs/runner.hpp"
#include "runs/summary_json.hpp"
#include "scenarios/loader.hpp"

namespace kt::cli {

using namespace runs;  // the run library: planning, execution, results, reports

namespace {

constexpr const char* kPlanUsage =
    "usage: kubetwin plan SCENARIO --vary PATH=MIN..MAX [--minimize METRIC] [--policy NAME]\n"
    "                     [--out DIR] [--seed N] [--replications N] [--threads N] [--quiet]\n"
    "  the smallest integer value of PATH in MIN..MAX with which every SLO holds under the\n"
    "  policy (default: the first), the cheapest when more of PATH costs more; writes\n"
    "  DIR/plan.csv and DIR/plan.svg;\n"
    "  exit 0 when found, 1 when no value meets the SLOs, 2 on invalid input\n";

struct Probe {
  std::int64_t value = 0;
  bool pass = false;
  double replications_passing = 0;  // fraction of replications in which every SLO held
  std::optional<double> minimized;  // mean of --minimize
  std::optional<double> minimized_ci95;
  std::vector<SloVerdict> slos;
};

std::string svg_frontier(const std::vector<Probe>& probes, const std::string& path,
                         const std::string& metric) {
  constexpr double kW = 640, kH = 300, kLeft = 72, kRight = 16, kTop = 28, kBottom = 48;
  double y_max = 0;
  std::int64_t x_min = probes.front().value;
  std::int64_t x_max = probes.front().value;
  for (const Probe& p : probes) {
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
  for (const Probe& p : probes) {
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

}  // namespace

int plan_command(const std::vector<std::string>& argv) {
  const Args args(argv, {"vary", "minimize", "policy", "out", "seed", "replications", "threads"},
                  {"help", "quiet"});
  if (args.flag("help")) {
    std::fputs(kPlanUsage, stdout);
    return 0;
  }
  if (args.positionals().size() != 1 || !args.value("vary")) {
    throw UsageError(std::string("plan needs a SCENARIO and --vary PATH=MIN..MAX\n") + kPlanUsage);
  }
  const std::string vary = *args.value("vary");
  const std::size_t eq = vary.find('=');
  const std::size_t dots = vary.find("..", eq == std::string::npos ? 0 : eq);
  std::int64_t lo = 0;
  std::int64_t hi = 0;
  try {
    if (eq == std::string::npos || dots == std::string::npos) throw std::invalid_argument(vary);
    std::size_t used = 0;
    lo = std::stoll(vary.substr(eq + 1, dots - eq - 1), &used);
    if (used != dots - eq - 1) throw std::invalid_argument(vary);
    hi = std::stoll(vary.substr(dots + 2), &used);
    if (used != vary.size() - dots - 2) throw std::invalid_argument(vary);
  } catch (const std::exception&) {
    throw UsageError("--vary must be PATH=MIN..MAX with whole numbers, got '" + vary + "'");
  }
  if (lo > hi || hi - lo > 1'000'000)
    throw UsageError("--vary range must be MIN <= MAX, at most 1e6 wide");
  const std::string path = vary.substr(0, eq);
  const std::string minimize = args.value("minimize").value_or("cost.total_usd");
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const std::uint64_t threads = args.get_uint("threads", cores, 1, 4096);
  const bool quiet = args.flag("quiet");
  InterruptDeferral::install();
  std::vector<std::string> policy_filter;
  if (args.value("policy")) policy_filter.push_back(*args.value("policy"));

  std::map<std::int64_t, Probe> probes;
  std::string scenario_name;
  const auto evaluate = [&](std::int64_t value) -> const Probe& {
    if (const auto it = probes.find(value); it != probes.end()) return it->second;
    PreparedRun run;
    scenario::Diagnostics diags;
    const bool loaded = scenario::load_scenario_file(args.positionals().front(), run.scenario,
                                                     diags, {{path, std::to_string(value)}});
    // One policy is planned for: --policy, else the scenario's first.
    if (loaded && policy_filter.empty() && !run.scenario.policies.empty()) {
      policy_filter.push_back(run.scenario.policies.front().name);
    }
    if (!loaded || !prepare_run(run, policy_filter, diags)) {
      print_diagnostics(diags);
      throw UsageError(path + "=" + std::to_string(value) + " makes the scenario invalid");
    }
    if (run.scenario.slos.empty()) throw UsageError("the scenario has no SLOs to plan for");
    if (args.value("seed")) run.scenario.seed = args.get_uint("seed", 0, 0, UINT64_MAX);
    if (args.value("replications")) {
      run.scenario.replications =
          static_cast<std::int64_t>(args.get_uint("replications", 1, 1, 10000));
    }
    scenario_name = run.scenario.name;
    TerminalProgress bar(!quiet && ProgressBar::stderr_is_terminal());
    execute_runs({&run}, threads, &bar);
    Probe p;
    p.value = value;
    p.slos = run.results.slos;
    p.pass = run.results.all_slos_pass();
    // Confidence: in how many replications every SLO held on its own.
    std::size_t passing = 0;
    for (const RunRecord& r : run.results.runs) {
      bool ok = true;
      for (const scenario::Slo& slo : run.scenario.slos) {
        const auto it = r.metrics.find(slo.metric);
        ok = ok && it != r.metrics.end() && (!slo.max || it->second <= *slo.max) &&
             (!slo.min || it->second >= *slo.min);
      }
      passing += ok ? 1 : 0;
    }
    p.replications_passing =
        run.results.runs.empty()
            ? 0
            : static_cast<double>(passing) / static_cast<double>(run.results.runs.size());
    const auto& summary = run.results.summary.at(run.results.policies.front());
    if (const auto it = summary.find(minimize); it != summary.end()) {
      p.minimized = it->second.mean;
      p.minimized_ci95 = it->second.ci95;
    }
    if (!quiet) {
      std::fprintf(stderr, "kubetwin: %s=%lld %s (every SLO held in %.0f%% of replications)\n",
                   path.c_str(), static_cast<long long>(value),
                   p.pass ? "meets the SLOs" : "misses an SLO", p.replications_passing * 100);
    }
    return probes.emplace(value, p).first->second;
  };

  std::optional<std::int64_t> found;
  if (evaluate(hi).pass) {
    // Bisection: `low` misses (or is below the range), `high` meets the SLOs.
    std::int64_t low = lo - 1;
    std::int64_t high = hi;
    if (evaluate(lo).pass) {
      high = lo;
    } else {
      low = lo;
      while (high - low > 1) {
        const std::int64_t mid = low + (high - low) / 2;
        (evaluate(mid).pass ? high : low) = mid;
      }
    }
    found = high;
  }
  // The frontier: the probes in order.
  std::string csv = "value,pass,replications_passing," + minimize + "," + minimize + "_ci95";
  for (const SloVerdict& v : probes.begin()->second.slos) {
    csv += ",slo:";
    csv += v.metric;
  }
  csv += "\n";
  std::string table = path + "  meets SLOs  replications passing  " + minimize + "\n";
  std::vector<Probe> ordered;
  for (const auto& [value, p] : probes) {
    ordered.push_back(p);
    csv += std::to_string(value) + "," + (p.pass ? "1" : "0") + "," +
           json_number(p.replications_passing) + "," +
           (p.minimized ? json_number(*p.minimized) : std::string()) + "," +
           (p.minimized_ci95 ? json_number(*p.minimized_ci95) : std::string());
    for (const SloVerdict& v : p.slos) {
      csv += ',';
      if (v.value) csv += json_number(*v.value);
    }
    csv += "\n";
    char line[256];
    std::snprintf(line, sizeof line, "%lld  %s  %.0f%%  %s%s\n", static_cast<long long>(value),
                  p.pass ? "yes" : "no", p.replications_passing * 100,
                  p.minimized ? json_number(*p.minimized).c_str() : "-",
                  found && *found == value ? "   <- cheapest that meets every SLO" : "");
    table += line;
  }
  const std::string out = args.value("out").value_or(
      (std::filesystem::path("kubetwin-out") / (scenario_name + "-plan")).string());
  OutputFolder folder(out);
  InterruptDeferral::begin();
  folder.write("plan.csv", csv);
  folder.write("plan.svg", svg_frontier(ordered, path, minimize));
  folder.commit();
  InterruptDeferral::end();
  std::fputs(table.c_str(), stdout);
  if (found) {
    std::printf("plan: %s=%lld is the cheapest value in %lld..%lld that meets every SLO\n",
                path.c_str(), static_cast<long long>(*found), static_cast<long long>(lo),
                static_cast<long long>(hi));
    return 0;
  }
  std::printf("plan: no value of %s in %lld..%lld meets every SLO\n", path.c_str(),
              static_cast<long long>(lo), static_cast<long long>(hi));
  return 1;
}

}  // namespace kt::cli
