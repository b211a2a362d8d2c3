#pragma once
// Runs scenarios: plans every selected policy, then executes every policy x replication of
// one or many scenarios as independent tasks on oneTBB, each writing its own result slot, so
// results never depend on the thread count. Shared by run, sweep and plan.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "headless/run_results.hpp"
#include "scenarios/diagnostics.hpp"
#include "scenarios/run_plan.hpp"
#include "scenarios/scenario.hpp"

namespace kt::cli {

struct PreparedRun {
  scenario::Scenario scenario;  // outlives the plans (they point into it)
  std::vector<scenario::RunPlan> plans;
  RunResults results;
};

// Plans the scenario's policies (those in `policy_filter`, or all); false on errors.
// Throws UsageError for a policy name the scenario lacks.
bool prepare_run(PreparedRun& run, const std::vector<std::string>& policy_filter,
                 scenario::Diagnostics& diags);

// Executes every run of every prepared scenario, then summarises each.
void execute_runs(const std::vector<PreparedRun*>& runs, std::uint64_t threads, bool progress_bar);

}  // namespace kt::cli
