#include "runs/queueing_correction.hpp"

#include <algorithm>

#include "runs/runner.hpp"
#include "scenarios/loader.hpp"

namespace kt::runs {

bool correct_for_queueing(scenario::Calibration& cal, const std::string& out_dir,
                          std::uint64_t replications, std::uint64_t threads,
                          scenario::Diagnostics& diags) {
  PreparedRun prepared;
  scenario::Scenario& sc = prepared.scenario;
  if (!scenario::load_scenario_file(cal.scenario_file, sc, diags,
                                    scenario::calibrated_settings(cal))) {
    return false;
  }
  sc.replications = static_cast<std::int64_t>(replications);
  if (!prepare_run(prepared, {sc.policies.front().name}, diags)) return false;
  std::vector<SimTime> bounds;
  for (const scenario::WorkloadCalibration& w : cal.workloads)
    for (double b : w.observed.bounds)
      bounds.push_back(from_seconds(b));
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  for (scenario::RunPlan& plan : prepared.plans) {
    plan.fleet_config.latency_buckets = bounds;
    plan.fleet_config.sample_interval = from_seconds(cal.step_s);
  }
  execute_runs({&prepared}, threads);
  cal.correction_runs = static_cast<int>(replications);
  for (scenario::WorkloadCalibration& w : cal.workloads) {
    if (w.service_family.empty()) continue;
    // The twin's latency per bucket of the workload's own histogram, over every run and row.
    const std::vector<double>& own = w.observed.bounds;
    std::vector<double> counts(own.size() + 1, 0.0);
    for (const RunRecord& run : prepared.results.runs) {
      const models::TimeSeries& s = run.series;
      std::vector<std::size_t> le;
      std::size_t count_column = 0;
      for (std::size_t c = 0; c < s.columns.size(); ++c) {
        if (s.columns[c].rfind(w.workload + ".latency_le_", 0) == 0) le.push_back(c);
        if (s.columns[c] == w.workload + ".latency_count") count_column = c;
      }
      if (le.size() != bounds.size() || count_column == 0) continue;
      std::vector<std::size_t> pick;  // the columns of the workload's own bounds
      for (double b : own) {
        pick.push_back(le[static_cast<std::size_t>(
            std::lower_bound(bounds.begin(), bounds.end(), from_seconds(b)) - bounds.begin())]);
      }
      pick.push_back(count_column);
      for (std::size_t row = 0; row < s.rows(); ++row) {
        const double* v = &s.values[row * s.columns.size()];
        for (std::size_t k = 0; k < pick.size(); ++k)
          counts[k] += v[pick[k]] - (k ? v[pick[k - 1]] : 0.0);
      }
    }
    const models::BucketFit twin = w.service_family == "gamma" ? models::fit_gamma(own, counts)
                                                               : models::fit_lognormal(own, counts);
    const models::BucketFit& observed = *w.chosen();
    if (!(twin.mean_s > 0) || !(twin.cv > 0)) continue;
    w.twin_latency_mean_s = twin.mean_s;
    w.twin_latency_cv = twin.cv;
    w.service_mean_s = observed.mean_s * observed.mean_s / twin.mean_s;
    w.service_cv = observed.cv * observed.cv / twin.cv;
  }
  return scenario::render_calibrated_scenario(cal, out_dir, diags);
}

}  // namespace kt::runs
