// `kubetwin plan SCENARIO --vary PATH=MIN..MAX|V1,V2,... [--vary ...]`: the cheapest setting
// that meets every SLO. An ordered range (MIN..MAX) is assumed monotone, as capacity
// planning does: more of it never makes an SLO worse and never costs less. One such axis is
// bisected; several are searched by bisection and a local search (runs/plan_search.hpp), and
// listed values are tried one by one. The probes form the frontier: the minimised metric
// against the axis, or, with several axes, the Pareto frontier of the minimised metric
// against the first SLO's metric.

#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "headless/args.hpp"
#include "headless/commands.hpp"
#include "headless/diagnostics_output.hpp"
#include "headless/interrupts.hpp"
#include "headless/output_folder.hpp"
#include "headless/plan_mpi.hpp"
#include "headless/plan_report.hpp"
#include "headless/progress_bar.hpp"
#include "runs/plan_search.hpp"
#include "runs/runner.hpp"
#include "runs/summary_json.hpp"
#include "scenarios/loader.hpp"

namespace kt::cli {

using namespace runs;  // the run library: planning, execution, results, reports

namespace {

constexpr const char* kPlanUsage =
    "usage: kubetwin plan SCENARIO --vary PATH=MIN..MAX|V1,V2,... [--vary ...]\n"
    "                     [--minimize METRIC] [--policy NAME] [--search auto|exhaustive]\n"
    "                     [--out DIR] [--seed N] [--replications N] [--threads N] [--quiet]\n"
    "  the cheapest setting of the varied fields with which every SLO holds under the policy\n"
    "  (default: the first); MIN..MAX is a whole-number range assumed monotone (more never\n"
    "  makes an SLO worse), V1,V2,... values tried one by one; writes DIR/plan.csv and\n"
    "  DIR/plan.svg (with several axes, the Pareto frontier of METRIC against the first\n"
    "  SLO's metric); exit 0 when found, 1 when no setting meets the SLOs, 2 on invalid input\n";

PlanAxis parse_vary(const std::string& vary) {
  const std::size_t eq = vary.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == vary.size())
    throw UsageError("--vary must be PATH=MIN..MAX or PATH=V1,V2,..., got '" + vary + "'");
  PlanAxis axis;
  axis.path = vary.substr(0, eq);
  const std::string spec = vary.substr(eq + 1);
  const std::size_t dots = spec.find("..");
  if (dots != std::string::npos) {
    std::int64_t lo = 0;
    std::int64_t hi = 0;
    try {
      std::size_t used = 0;
      lo = std::stoll(spec.substr(0, dots), &used);
      if (used != dots) throw std::invalid_argument(spec);
      hi = std::stoll(spec.substr(dots + 2), &used);
      if (used != spec.size() - dots - 2) throw std::invalid_argument(spec);
    } catch (const std::exception&) {
      throw UsageError("--vary must be PATH=MIN..MAX with whole numbers, got '" + vary + "'");
    }
    if (lo > hi || hi - lo > 1'000'000)
      throw UsageError("--vary range must be MIN <= MAX, at most 1e6 wide");
    axis.ordered = true;
    for (std::int64_t v = lo; v <= hi; ++v)
      axis.values.push_back(std::to_string(v));
    return axis;
  }
  std::size_t start = 0;
  while (start <= spec.size()) {
    const std::size_t comma = spec.find(',', start);
    const std::string v =
        spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (v.empty()) throw UsageError("--vary has an empty value: '" + vary + "'");
    axis.values.push_back(v);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return axis;
}

}  // namespace

int plan_command(const std::vector<std::string>& argv) {
  const Args args(argv, {"minimize", "policy", "out", "seed", "replications", "threads", "search"},
                  {"help", "quiet"}, {"vary"});
  if (args.flag("help")) {
    std::fputs(kPlanUsage, stdout);
    return 0;
  }
  if (args.positionals().size() != 1 || args.values("vary").empty()) {
    throw UsageError(std::string("plan needs a SCENARIO and --vary PATH=MIN..MAX\n") + kPlanUsage);
  }
  std::vector<PlanAxis> axes;
  std::uint64_t grid = 1;
  for (const std::string& v : args.values("vary")) {
    axes.push_back(parse_vary(v));
    for (std::size_t a = 0; a + 1 < axes.size(); ++a) {
      if (axes[a].path == axes.back().path)
        throw UsageError("--vary names " + axes.back().path + " twice");
    }
    grid *= axes.back().values.size();
    if (grid > 1'000'000'000) throw UsageError("--vary: the grid has more than 10^9 settings");
  }
  const std::string search = args.value("search").value_or("auto");
  if (search != "auto" && search != "exhaustive")
    throw UsageError("--search must be auto or exhaustive, got '" + search + "'");
  const std::string minimize = args.value("minimize").value_or("cost.total_usd");
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const std::uint64_t threads = args.get_uint("threads", cores, 1, 4096);
  const bool quiet = args.flag("quiet");
  InterruptDeferral::install();
  std::vector<std::string> policy_filter;
  if (args.value("policy")) policy_filter.push_back(*args.value("policy"));
  std::optional<std::uint64_t> seed;
  std::optional<std::int64_t> replications;
  if (args.value("seed")) seed = args.get_uint("seed", 0, 0, UINT64_MAX);
  if (args.value("replications"))
    replications = static_cast<std::int64_t>(args.get_uint("replications", 1, 1, 10000));
  MpiSession mpi;
  if (mpi.worker())
    return mpi_plan_worker(mpi, args.positionals().front(), seed, replications, threads);
  MpiStopWorkers stop_workers(mpi);  // however rank 0 leaves the plan

  std::map<PlanPoint, PlanProbe> probes;
  std::string scenario_name;
  std::string slo_metric;
  bool slo_is_max = true;
  const auto evaluate = [&](const PlanPoint& point) -> PlanOutcome {
    PlanProbe p;
    std::vector<std::pair<std::string, std::string>> settings;
    for (std::size_t a = 0; a < axes.size(); ++a) {
      p.values.push_back(axes[a].values[point[a]]);
      settings.emplace_back(axes[a].path, p.values.back());
    }
    p.label = setting_text(axes, p);
    if (axes.front().ordered) p.value = std::stoll(p.values.front());
    PreparedRun run;
    scenario::Diagnostics diags;
    const bool loaded =
        scenario::load_scenario_file(args.positionals().front(), run.scenario, diags, settings);
    // One policy is planned for: --policy, else the scenario's first.
    if (loaded && policy_filter.empty() && !run.scenario.policies.empty()) {
      policy_filter.push_back(run.scenario.policies.front().name);
    }
    if (!loaded || !prepare_run(run, policy_filter, diags)) {
      print_diagnostics(diags);
      throw UsageError(p.label + " makes the scenario invalid");
    }
    if (run.scenario.slos.empty()) throw UsageError("the scenario has no SLOs to plan for");
    slo_metric = run.scenario.slos.front().metric;
    slo_is_max = run.scenario.slos.front().max.has_value();
    if (seed) run.scenario.seed = *seed;
    if (replications) run.scenario.replications = *replications;
    scenario_name = run.scenario.name;
    if (mpi.ranks() > 1) {
      mpi_plan_replications(mpi, {policy_filter.front(), settings}, run, threads);
    } else {
      TerminalProgress bar(!quiet && ProgressBar::stderr_is_terminal());
      execute_runs({&run}, threads, &bar);
    }
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
    if (const auto it = summary.find(slo_metric); it != summary.end())
      p.slo_value = it->second.mean;
    if (!quiet) {
      std::fprintf(stderr, "kubetwin: %s %s (every SLO held in %.0f%% of replications)\n",
                   p.label.c_str(), p.pass ? "meets the SLOs" : "misses an SLO",
                   p.replications_passing * 100);
    }
    const PlanOutcome outcome{p.pass, p.minimized};
    probes.emplace(point, std::move(p));
    return outcome;
  };
  // One ordered axis keeps the cheapest-is-smallest rule: its smallest passing value.
  const bool single = axes.size() == 1 && axes.front().ordered;
  PlanSearch result = plan_search(axes, evaluate, 0, search == "exhaustive");
  if (single && result.best) {
    for (const auto& [point, p] : probes) {
      if (p.pass && point.front() < result.best->front()) result.best = point;
    }
  }
  const std::string out = args.value("out").value_or(
      (std::filesystem::path("kubetwin-out") / (scenario_name + "-plan")).string());
  return write_plan(axes, probes, result, minimize, slo_metric, slo_is_max, single, out);
}

}  // namespace kt::cli
