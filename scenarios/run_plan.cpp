#include "scenarios/run_plan.hpp"

#include "scenarios/fleet_plan.hpp"
#include "scenarios/not_simulated.hpp"

namespace kt::scenario {

models::ArrivalConfig arrival_config(const Arrival& a) {
  models::ArrivalConfig c;
  switch (a.process) {
    case Arrival::Process::poisson:
      c.process = models::ArrivalConfig::Process::poisson;
      break;
    case Arrival::Process::constant:
      c.process = models::ArrivalConfig::Process::constant;
      break;
    case Arrival::Process::diurnal:
      c.process = models::ArrivalConfig::Process::diurnal;
      break;
    case Arrival::Process::trace:
      c.process = models::ArrivalConfig::Process::trace;
      break;
    case Arrival::Process::azure_functions:
      c.process = models::ArrivalConfig::Process::per_minute;
      break;
    case Arrival::Process::cron:
      c.process = models::ArrivalConfig::Process::cron;
      break;
    case Arrival::Process::rate_trace:
      c.process = models::ArrivalConfig::Process::rate_trace;
      c.rate_starts = &a.rate_trace.starts;
      c.rates = &a.rate_trace.rates;
      c.rate_span = a.rate_trace.span;
      break;
  }
  c.cron = a.cron;
  // Only the processes that replay data refer to it (the others may come from an event
  // source's workload, which lives only while the plan is built).
  if (a.process == Arrival::Process::azure_functions) c.per_minute = &a.per_minute;
  c.rate_per_s = a.rate_per_s;
  c.interval = a.interval;
  c.amplitude = a.amplitude;
  c.period = a.period;
  c.phase = a.phase;
  if (a.process == Arrival::Process::trace) c.trace = &a.trace;
  return c;
}

bool build_run_plan(const Scenario& sc, const Policy& policy, RunPlan& plan, Diagnostics& diags) {
  plan.policy = policy.name;
  const bool ok = build_fleet_plan(sc, policy, plan, diags);
  const std::vector<std::string> parts = not_simulated_parts(sc, policy);
  plan.not_simulated.insert(plan.not_simulated.end(), parts.begin(), parts.end());
  return ok;
}

}  // namespace kt::scenario
