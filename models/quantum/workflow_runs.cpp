// Hybrid workflow runs: an Argo workflow's steps as a DAG. A step starts when every step it
// depends on is done; a classical step is a pod on the cluster, busy for a draw of the
// workload's service time once ready, a quantum step a circuit submitted to the QPUs. The run
// completes (its makespan is a request's latency, and workflows.makespan_s) with its last
// step; a rejected circuit fails it.

#include <cmath>

#include "models/cluster/fleet_core.hpp"
#include "models/quantum/quantum_controller.hpp"

namespace kt::quantum {

void QuantumController::start_run(std::uint32_t workload) {
  const std::uint32_t d = core_.config().workloads[workload].deployment;
  const WorkflowConfig& wf = *core_.config().deployments[d].workflow;
  std::uint32_t r;
  if (!free_runs_.empty()) {
    r = free_runs_.back();
    free_runs_.pop_back();
  } else {
    r = static_cast<std::uint32_t>(runs_.size());
    runs_.emplace_back();
  }
  Run& run = runs_[r];
  run = Run{workload, d, core_.now(), {}, static_cast<std::uint32_t>(wf.steps.size()), true};
  for (const WorkflowStep& s : wf.steps)
    run.deps_left.push_back(static_cast<std::uint32_t>(s.deps.size()));
  if (wf.steps.empty()) {
    record_done(workload, run.started, 0);
    run.alive = false;
    free_runs_.push_back(r);
    return;
  }
  for (std::uint32_t s = 0; s < wf.steps.size(); ++s) {
    if (runs_[r].deps_left[s] == 0) start_step(r, s);
  }
}

void QuantumController::start_step(std::uint32_t r, std::uint32_t s) {
  Run& run = runs_[r];
  if (!run.alive) return;
  const WorkflowStep& step = core_.config().deployments[run.deployment].workflow->steps[s];
  if (step.quantum) {
    submit(run.workload, step.job, static_cast<std::int32_t>(r), s);
    return;
  }
  const std::uint32_t pods = run.deployment + 1 + step.pod_offset;
  const std::uint32_t place = core_.config().deployments[pods].places.front();
  const std::uint32_t pod = core_.create_pod(pods, place);
  pod_step_[pod] = {r, s};
  core_.after_change();
}

void QuantumController::on_pod_ready(std::uint32_t pod) {
  const auto it = pod_step_.find(pod);
  if (it == pod_step_.end()) return;
  const models::FleetWorkload& w = core_.config().workloads[runs_[it->second.first].workload];
  const SimTime work = std::llround(w.service_time.sample(rng()) * 1e9);
  schedule_in(work, kStepDone, pod | static_cast<std::uint64_t>(core_.pod(pod).generation) << 32);
}

// A step's pod lost before its work was done (evicted, its node gone): the step starts again
// with a new pod, as Argo retries a step whose pod was deleted (at once here; a
// retryStrategy's back-off is not modelled).
void QuantumController::on_pod_removed(std::uint32_t pod) {
  const auto it = pod_step_.find(pod);
  if (it == pod_step_.end()) return;
  const auto [run, step] = it->second;
  pod_step_.erase(it);
  schedule_in(0, kStartStep, run | static_cast<std::uint64_t>(step) << 32);
}

void QuantumController::step_done(std::uint32_t r, std::uint32_t s) {
  Run& run = runs_[r];
  if (!run.alive) return;
  const WorkflowConfig& wf = *core_.config().deployments[run.deployment].workflow;
  if (--run.steps_left == 0) {
    const std::uint32_t w = run.workload;
    if (core_.now() >= core_.config().warmup) {
      makespan_sum_s_[w] += to_seconds(core_.now() - run.started);
      ++makespan_n_[w];
    }
    record_done(w, run.started, 0);
    run.alive = false;
    free_runs_.push_back(r);
    return;
  }
  for (std::uint32_t next = 0; next < wf.steps.size(); ++next) {
    for (std::uint32_t dep : wf.steps[next].deps) {
      if (dep == s && --run.deps_left[next] == 0) start_step(r, next);
    }
  }
}

void QuantumController::fail_run(std::uint32_t r) {
  Run& run = runs_[r];
  if (!run.alive) return;
  run.alive = false;
  core_.fail_request_of(run.workload);
  // Its steps still running finish for nothing; their ends find the run gone (so its slot is
  // not reused).
}

void QuantumController::record_done(std::uint32_t workload, SimTime since, SimTime wait) {
  const SimTime now = core_.now();
  if (now < core_.config().warmup) return;
  models::RequestStats& stats = core_.workload_stats(workload);
  const SimTime latency = now - since;
  ++stats.completed;
  stats.latency_sum_ns += static_cast<double>(latency);
  stats.wait_sum_ns += static_cast<double>(wait);
  stats.latency_ns.record(latency);
}

}  // namespace kt::quantum
