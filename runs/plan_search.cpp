#include "runs/plan_search.hpp"

#include <algorithm>
#include <map>

namespace kt::runs {

namespace {

class Searcher {
 public:
  Searcher(const std::vector<PlanAxis>& axes, const PlanEvaluator& evaluate, PlanSearch& out)
      : axes_(axes), evaluate_(evaluate), out_(out) {}

  const PlanOutcome& at(const PlanPoint& p) {
    if (const auto it = seen_.find(p); it != seen_.end()) return it->second;
    out_.evaluated.push_back(p);
    const PlanOutcome o = evaluate_(p);
    if (o.pass && better(o, p)) {
      best_objective_ = o.objective;
      out_.best = p;
    }
    return seen_.emplace(p, o).first->second;
  }

  // Bisection, then local search, with the listed axes held at `fixed`.
  void search_ordered(PlanPoint point) {
    std::vector<std::size_t> ordered;
    for (std::size_t a = 0; a < axes_.size(); ++a) {
      if (axes_[a].ordered) {
        ordered.push_back(a);
        point[a] = axes_[a].values.size() - 1;
      }
    }
    if (!at(point).pass) return;  // the most of everything misses an SLO
    for (std::size_t a : ordered) {
      // The smallest index of axis a that passes with the others held: `high` passes.
      std::size_t high = point[a];
      PlanPoint probe = point;
      probe[a] = 0;
      if (at(probe).pass) {
        high = 0;
      } else {
        std::size_t low = 0;
        while (high - low > 1) {
          probe[a] = low + (high - low) / 2;
          (at(probe).pass ? high : low) = probe[a];
        }
      }
      point[a] = high;
    }
    // Local search from the cheapest passing point of this combination.
    PlanPoint current = point;
    for (int round = 0; round < 1000; ++round) {
      std::optional<PlanPoint> next;
      std::optional<double> next_objective = objective_of(current);
      const auto consider = [&](const PlanPoint& p) {
        const PlanOutcome& o = at(p);
        if (!o.pass) return;
        if (!next_objective || (o.objective && *o.objective < *next_objective)) {
          next = p;
          next_objective = o.objective;
        }
      };
      for (std::size_t a : ordered) {
        if (current[a] == 0) continue;
        PlanPoint down = current;
        --down[a];
        consider(down);
        for (std::size_t b : ordered) {
          if (b == a || current[b] + 1 >= axes_[b].values.size()) continue;
          PlanPoint trade = down;
          ++trade[b];
          consider(trade);
        }
      }
      if (!next) break;
      current = *next;
    }
  }

 private:
  std::optional<double> objective_of(const PlanPoint& p) { return at(p).objective; }
  bool better(const PlanOutcome& o, const PlanPoint& p) const {
    if (!out_.best) return true;
    if (o.objective && best_objective_) return *o.objective < *best_objective_;
    if (o.objective && !best_objective_) return true;
    if (!o.objective && best_objective_) return false;
    // Without an objective: the smallest setting (sum of the indexes).
    std::size_t a = 0;
    std::size_t b = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
      a += p[i];
      b += (*out_.best)[i];
    }
    return a < b;
  }

  const std::vector<PlanAxis>& axes_;
  const PlanEvaluator& evaluate_;
  PlanSearch& out_;
  std::map<PlanPoint, PlanOutcome> seen_;
  std::optional<double> best_objective_;
};

// Calls f with every point of the listed (not ordered) axes, or of all axes when `all`.
template <class F>
void for_each_point(const std::vector<PlanAxis>& axes, bool all, F&& f) {
  PlanPoint p(axes.size(), 0);
  while (true) {
    f(p);
    std::size_t a = axes.size();
    while (a > 0) {
      --a;
      if (!all && axes[a].ordered) continue;
      if (++p[a] < axes[a].values.size()) break;
      p[a] = 0;
      if (a == 0) return;
    }
    bool any = false;
    for (std::size_t i = 0; i < axes.size(); ++i)
      any = any || p[i] != 0;
    if (!any) return;
  }
}

}  // namespace

PlanSearch plan_search(const std::vector<PlanAxis>& axes, const PlanEvaluator& evaluate,
                       std::uint64_t exhaustive_limit, bool exhaustive) {
  PlanSearch out;
  out.grid_points = 1;
  for (const PlanAxis& a : axes)
    out.grid_points *= a.values.size();
  Searcher s(axes, evaluate, out);
  if (axes.empty()) return out;
  if (exhaustive || out.grid_points <= exhaustive_limit) {
    out.method = "exhaustive";
    for_each_point(axes, true, [&](const PlanPoint& p) { s.at(p); });
    return out;
  }
  out.method = "bisection + local search";
  for_each_point(axes, false, [&](const PlanPoint& p) { s.search_ordered(p); });
  return out;
}

std::vector<std::size_t> pareto_frontier(const std::vector<double>& objective,
                                         const std::vector<double>& slo_metric) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < objective.size(); ++i) {
    bool dominated = false;
    for (std::size_t j = 0; j < objective.size() && !dominated; ++j) {
      if (j == i) continue;
      const bool no_worse = objective[j] <= objective[i] && slo_metric[j] <= slo_metric[i];
      const bool better = objective[j] < objective[i] || slo_metric[j] < slo_metric[i];
      dominated = no_worse && better;
    }
    if (!dominated) out.push_back(i);
  }
  std::sort(out.begin(), out.end(),
            [&](std::size_t a, std::size_t b) { return objective[a] < objective[b]; });
  return out;
}

}  // namespace kt::runs
