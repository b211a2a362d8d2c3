#include "runs/runner.hpp"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <algorithm>

#include "models/cluster/fleet_model.hpp"
#include "scenarios/not_simulated.hpp"

#ifndef KUBETWIN_VERSION
#define KUBETWIN_VERSION "0.0.0"
#endif

namespace kt::runs {

bool prepare_run(PreparedRun& run, const std::vector<std::string>& policy_filter,
                 scenario::Diagnostics& diags) {
  const scenario::Scenario& sc = run.scenario;
  for (const std::string& name : policy_filter) {
    bool found = false;
    for (const scenario::Policy& p : sc.policies)
      found = found || p.name == name;
    if (!found) throw UnknownPolicy("--policy " + name + ": the scenario has no such policy");
  }
  bool ok = true;
  for (const scenario::Policy& p : sc.policies) {
    if (!policy_filter.empty() &&
        std::find(policy_filter.begin(), policy_filter.end(), p.name) == policy_filter.end()) {
      continue;
    }
    scenario::RunPlan plan;
    ok = scenario::build_run_plan(sc, p, plan, diags) && ok;
    run.plans.push_back(std::move(plan));
  }
  // Said once, not per policy: the policies differ in knobs, not in which models exist.
  if (!run.plans.empty()) {
    scenario::warn_unmeasurable_slos(sc, run.plans.front().fleet_config,
                                     run.plans.front().unsimulated_workloads, diags);
  }
  RunResults& results = run.results;
  results.scenario = sc.name;
  results.version = KUBETWIN_VERSION;
  for (const scenario::RunPlan& plan : run.plans) {
    results.policies.push_back(plan.policy);
    for (const std::string& line : plan.not_simulated) {
      if (std::find(results.not_simulated.begin(), results.not_simulated.end(), line) ==
          results.not_simulated.end()) {
        results.not_simulated.push_back(line);
      }
    }
  }
  return ok && diags.ok();
}

RunRecord run_replication(const PreparedRun& run, std::size_t plan, std::uint64_t replication,
                          unsigned inner_threads, models::RunProgress* progress) {
  const scenario::RunPlan& p = run.plans[plan];
  RunRecord record;
  record.policy = p.policy;
  record.replication = replication;
  record.seed = run.scenario.seed + replication;  // reproducible as --seed S+r
  models::RunOutput r = models::run_fleet(p.fleet_config, record.seed, 0, progress, inner_threads);
  record.metrics = std::move(r.metrics);
  record.series = std::move(r.series);
  record.events = r.events;
  return record;
}

void execute_runs(const std::vector<PreparedRun*>& runs, std::uint64_t threads,
                  RunObserver* observer) {
  struct Task {
    PreparedRun* run;
    std::size_t plan;
    std::uint64_t replication;
    std::size_t slot;
  };
  std::vector<Task> tasks;
  SimTime longest = 0;
  for (PreparedRun* run : runs) {
    const auto reps = static_cast<std::size_t>(run->scenario.replications);
    run->results.runs.assign(run->plans.size() * reps, RunRecord{});
    for (std::size_t p = 0; p < run->plans.size(); ++p) {
      for (std::size_t r = 0; r < reps; ++r)
        tasks.push_back({run, p, r, p * reps + r});
    }
    longest = std::max(longest, run->scenario.duration);
  }
  std::vector<models::RunProgress> progress(tasks.size());
  // Threads left over when there are fewer runs than threads go into each run's partitions
  // (the parallel executor); results are the same either way.
  const auto inner =
      static_cast<unsigned>(tasks.empty() || tasks.size() >= threads ? 1 : threads / tasks.size());
  {
    // The observer ends even when a run throws (an internal error), so its thread stops.
    struct EndObserver {
      RunObserver* observer;
      ~EndObserver() {
        if (observer) observer->end();
      }
    } end_observer{observer};
    if (observer) observer->begin(progress, longest);
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    tbb::parallel_for(std::size_t{0}, tasks.size(), [&](std::size_t i) {
      const Task& t = tasks[i];
      RunRecord& record = t.run->results.runs[t.slot];
      record = run_replication(*t.run, t.plan, t.replication, inner, &progress[i]);
      if (observer) observer->run_finished(record);
    });
  }
  for (PreparedRun* run : runs)
    summarize_runs(run->results, run->scenario.slos);
}

}  // namespace kt::runs
