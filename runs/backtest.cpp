#include "runs/backtest.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "runs/runner.hpp"
#include "scenarios/calibrate.hpp"
#include "scenarios/loader.hpp"

namespace kt::runs {

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// Where each workload's columns are in a run's time series.
struct Columns {
  std::size_t replicas = 0, count = 0;
  std::vector<std::size_t> le;  // one per bound of the workload's own histogram
  bool ok = false;
};

Columns find_columns(const models::TimeSeries& s, const std::string& workload,
                     const std::vector<SimTime>& all_bounds, const std::vector<double>& own) {
  Columns c;
  std::vector<std::size_t> le_columns;  // in the order of all_bounds
  bool replicas = false, count = false;
  for (std::size_t i = 0; i < s.columns.size(); ++i) {
    const std::string& name = s.columns[i];
    if (name == workload + ".replicas") c.replicas = i, replicas = true;
    if (name == workload + ".latency_count") c.count = i, count = true;
    if (name.rfind(workload + ".latency_le_", 0) == 0) le_columns.push_back(i);
  }
  if (!replicas || !count || le_columns.size() != all_bounds.size()) return c;
  for (double bound : own) {
    const auto at = std::lower_bound(all_bounds.begin(), all_bounds.end(), from_seconds(bound));
    c.le.push_back(le_columns[static_cast<std::size_t>(at - all_bounds.begin())]);
  }
  c.ok = true;
  return c;
}

void compare(MetricComparison& m, double observed, std::vector<double>& twin, int band_rank) {
  m.observed.push_back(observed);
  bool all = std::isfinite(observed);
  for (double v : twin)
    all = all && std::isfinite(v);
  if (!all || twin.empty()) {
    m.predicted.push_back(kNan);
    m.low.push_back(kNan);
    m.high.push_back(kNan);
    return;
  }
  std::sort(twin.begin(), twin.end());
  const std::size_t n = twin.size();
  const double median = n % 2 ? twin[n / 2] : (twin[n / 2 - 1] + twin[n / 2]) / 2;
  const double low = twin[static_cast<std::size_t>(band_rank - 1)];
  const double high = twin[n - static_cast<std::size_t>(band_rank)];
  m.predicted.push_back(median);
  m.low.push_back(low);
  m.high.push_back(high);
  ++m.compared;
  m.covered += observed >= low && observed <= high;
  if (observed > 0) m.mape += std::abs(observed - median) / observed;
}

}  // namespace

double histogram_quantile(double q, const std::vector<double>& bounds,
                          const std::vector<double>& cumulative) {
  if (cumulative.size() != bounds.size() + 1 || bounds.empty()) return kNan;
  const double total = cumulative.back();
  if (!(total > 0)) return kNan;
  const double rank = q * total;
  std::size_t b = 0;
  while (b < bounds.size() && cumulative[b] < rank)
    ++b;
  if (b == bounds.size()) return bounds.back();  // the rank is in +Inf
  const double start = b > 0 ? bounds[b - 1] : 0.0;
  const double below = b > 0 ? cumulative[b - 1] : 0.0;
  const double in_bucket = cumulative[b] - below;
  return in_bucket > 0 ? start + (bounds[b] - start) * ((rank - below) / in_bucket) : bounds[b];
}

bool run_backtest(const std::string& scenario_path, const std::vector<std::string>& exports,
                  const BacktestOptions& options, Backtest& out, scenario::Diagnostics& diags) {
  out.scenario_file = scenario_path;
  out.exports = exports;
  PreparedRun prepared;
  scenario::Scenario& sc = prepared.scenario;
  if (!scenario::load_scenario_file(scenario_path, sc, diags, options.settings)) return false;
  std::vector<scenario::WorkloadObservation> observed;
  if (!scenario::observe_exports(sc, exports, options.observe, observed, diags)) return false;
  const scenario::WorkloadObservation& first = observed.front();
  out.step_s = first.step_s;
  out.window_start_unix = first.window_start();
  out.window_s = first.times.back() - out.window_start_unix;
  // One more sample interval, so that the window's last interval is sampled at its end.
  sc.duration = from_seconds(out.window_s + out.step_s);
  sc.warmup = 0;
  sc.replications = static_cast<std::int64_t>(options.replications);
  if (options.seed) sc.seed = options.seed;
  out.replications = options.replications;
  out.band_rank = std::max(1, static_cast<int>(0.025 * static_cast<double>(out.replications + 1)));
  out.nominal_coverage = 1 - 2.0 * out.band_rank / static_cast<double>(out.replications + 1);
  const std::string policy =
      options.policy.empty() && !sc.policies.empty() ? sc.policies.front().name : options.policy;
  out.policy = policy;
  if (!prepare_run(prepared, {policy}, diags)) return false;
  std::vector<SimTime> bounds;
  for (const scenario::WorkloadObservation& o : observed)
    for (double b : o.bounds)
      bounds.push_back(from_seconds(b));
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  for (scenario::RunPlan& plan : prepared.plans) {
    plan.fleet_config.latency_buckets = bounds;
    plan.fleet_config.sample_interval = from_seconds(out.step_s);
  }
  execute_runs({&prepared}, options.threads);

  const std::vector<RunRecord>& runs = prepared.results.runs;
  for (const scenario::WorkloadObservation& o : observed) {
    WorkloadBacktest w;
    w.workload = o.workload;
    w.times = o.times;
    MetricComparison p50, p99, replicas;
    p50.metric = "latency.p50_ms";
    p99.metric = "latency.p99_ms";
    replicas.metric = "replicas";
    std::vector<Columns> columns;
    std::vector<std::map<long long, std::size_t>> row_at(runs.size());  // ms offset -> row
    for (std::size_t r = 0; r < runs.size(); ++r) {
      columns.push_back(find_columns(runs[r].series, o.workload, bounds, o.bounds));
      const models::TimeSeries& s = runs[r].series;
      for (std::size_t row = 0; row < s.rows(); ++row)
        row_at[r][std::llround(s.values[row * s.columns.size()] * 1000)] = row;
    }
    for (std::size_t i = 0; i < o.times.size(); ++i) {
      const long long offset_ms = std::llround((o.times[i] - out.window_start_unix) * 1000);
      std::vector<double> twin_p50, twin_p99, twin_replicas;
      for (std::size_t r = 0; r < runs.size(); ++r) {
        const auto row = row_at[r].find(offset_ms);
        if (!columns[r].ok || row == row_at[r].end()) continue;
        const models::TimeSeries& s = runs[r].series;
        const double* v = &s.values[row->second * s.columns.size()];
        std::vector<double> cumulative;
        for (std::size_t c : columns[r].le)
          cumulative.push_back(v[c]);
        cumulative.push_back(v[columns[r].count]);
        twin_p50.push_back(histogram_quantile(0.50, o.bounds, cumulative) * 1000);
        twin_p99.push_back(histogram_quantile(0.99, o.bounds, cumulative) * 1000);
        twin_replicas.push_back(v[columns[r].replicas]);
      }
      if (twin_replicas.size() != runs.size())
        twin_p50.clear(), twin_p99.clear(), twin_replicas.clear();
      if (!o.buckets.empty()) {
        compare(p50, histogram_quantile(0.50, o.bounds, o.buckets[i]) * 1000, twin_p50,
                out.band_rank);
        compare(p99, histogram_quantile(0.99, o.bounds, o.buckets[i]) * 1000, twin_p99,
                out.band_rank);
      }
      if (!o.replicas.empty()) compare(replicas, o.replicas[i], twin_replicas, out.band_rank);
    }
    for (MetricComparison* m : {&p50, &p99, &replicas}) {
      if (m->observed.empty()) continue;
      if (m->compared) m->mape /= m->compared;
      out.compared += m->compared;
      out.covered += m->covered;
      w.metrics.push_back(std::move(*m));
    }
    out.workloads.push_back(std::move(w));
  }
  return true;
}

}  // namespace kt::runs
