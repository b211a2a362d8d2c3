#pragma once
// How `kubetwin plan` searches a grid of settings for the cheapest that meets every SLO
// without running all of it (docs/cli.md, "plan"). Axes are either ordered ranges (more of
// the resource never makes an SLO worse: replicas, a pool's max, node counts) or lists of
// values tried one by one (a node type, a policy knob, an HPA target).
//   small grids (at most `exhaustive_limit` points), or --search exhaustive: every point;
//   otherwise, for each combination of the listed axes: all ordered axes at their largest
//   (none passes: nothing there); bisection of each ordered axis in turn, the others held,
//   to a corner where every SLO still holds; then a local search from the cheapest point
//   found: a step down on one axis, or down on one and up on another, to the cheapest
//   passing neighbour, until none is cheaper.
// The result is the cheapest passing point evaluated (the first on a tie).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kt::runs {

struct PlanAxis {
  std::string path;
  std::vector<std::string> values;  // in order; an ordered range's from its minimum up
  bool ordered = false;
};

using PlanPoint = std::vector<std::size_t>;  // per axis, an index into its values

struct PlanOutcome {
  bool pass = false;
  std::optional<double> objective;  // the --minimize metric's mean (lower is better)
};

struct PlanSearch {
  std::optional<PlanPoint> best;
  std::vector<PlanPoint> evaluated;  // in the order they were run
  std::string method;                // "exhaustive" or "bisection + local search"
  std::uint64_t grid_points = 0;
};

using PlanEvaluator = std::function<PlanOutcome(const PlanPoint&)>;

// Evaluates each point at most once (the evaluator may cache, but need not).
PlanSearch plan_search(const std::vector<PlanAxis>& axes, const PlanEvaluator& evaluate,
                       std::uint64_t exhaustive_limit, bool exhaustive);

// Of the points given with their objective and SLO metric (lower better for both after the
// caller's sign), those no other point beats on both: the Pareto frontier, as indexes.
std::vector<std::size_t> pareto_frontier(const std::vector<double>& objective,
                                         const std::vector<double>& slo_metric);

}  // namespace kt::runs
