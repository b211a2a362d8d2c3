#pragma once
// Runs scenarios: plans every selected policy, then executes every policy x replication of
// one or many scenarios as independent tasks on oneTBB, each writing its own result slot, so
// results never depend on the thread count. Shared by run, sweep and plan.

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/common/progress.hpp"
#include "runs/run_results.hpp"
#include "scenarios/diagnostics.hpp"
#include "scenarios/run_plan.hpp"
#include "scenarios/scenario.hpp"

namespace kt::runs {

struct PreparedRun {
  scenario::Scenario scenario;  // outlives the plans (they point into it)
  std::vector<scenario::RunPlan> plans;
  RunResults results;
};

// A policy name the scenario lacks (bad input of the caller's user: exit 2 in the CLI).
class UnknownPolicy : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Watches runs in progress (the CLI's progress bar, the GUI's): begin() before the first run
// starts, with one entry per run, each simulating at most `longest`; end() after the last.
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  virtual void begin(std::vector<models::RunProgress>& progress, SimTime longest) = 0;
  virtual void end() = 0;
  // After each run, from the thread that ran it (the dashboard draws results as they come).
  virtual void run_finished(const RunRecord& /*record*/) {}
};

// Plans the scenario's policies (those in `policy_filter`, or all); false on errors.
// Throws UnknownPolicy for a policy name the scenario lacks.
bool prepare_run(PreparedRun& run, const std::vector<std::string>& policy_filter,
                 scenario::Diagnostics& diags);

// One replication of one planned policy (run.plans[plan]), exactly as execute_runs runs it:
// the same seed, the same record, whichever thread or process runs it.
RunRecord run_replication(const PreparedRun& run, std::size_t plan, std::uint64_t replication,
                          unsigned inner_threads, models::RunProgress* progress = nullptr);

// Executes every run of every prepared scenario, then summarises each.
void execute_runs(const std::vector<PreparedRun*>& runs, std::uint64_t threads,
                  RunObserver* observer = nullptr);

}  // namespace kt::runs
