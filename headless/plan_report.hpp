#pragma once
// `kubetwin plan`'s probes and their presentation (headless/plan_report.cpp).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runs/plan_search.hpp"
#include "runs/run_results.hpp"

namespace kt::cli {

// One evaluated setting: its values, whether every SLO held (on the means), in how many
// replications every SLO held on its own, the minimised metric and the first SLO's metric.
struct PlanProbe {
  std::vector<std::string> values;  // per axis
  std::int64_t value = 0;           // the first axis's value, when it is an ordered range
  std::string label;                // "A=1, B=2"
  bool pass = false;
  double replications_passing = 0;
  std::optional<double> minimized;
  std::optional<double> minimized_ci95;
  std::optional<double> slo_value;
  std::vector<runs::SloVerdict> slos;
};

std::string setting_text(const std::vector<runs::PlanAxis>& axes, const PlanProbe& p);
// One ordered axis: the minimised metric against its values.
std::string svg_frontier(const std::vector<PlanProbe>& probes, const std::string& path,
                         const std::string& metric);
// Several axes: every probe's minimised metric against the first SLO's metric, `frontier`
// (indexes into probes) joined.
std::string svg_pareto(const std::vector<PlanProbe>& probes,
                       const std::vector<std::size_t>& frontier, const std::string& metric,
                       const std::string& slo_metric);

// Writes DIR/plan.csv and DIR/plan.svg (atomically), prints the table and the verdict;
// returns the exit code (0 found, 1 none meets the SLOs). `single`: one ordered axis, shown
// as the frontier against it.
int write_plan(const std::vector<runs::PlanAxis>& axes,
               const std::map<runs::PlanPoint, PlanProbe>& probes, const runs::PlanSearch& result,
               const std::string& minimize, const std::string& slo_metric, bool slo_is_max,
               bool single, const std::string& out);

}  // namespace kt::cli
