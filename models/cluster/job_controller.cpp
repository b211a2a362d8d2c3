#include "models/cluster/job_controller.hpp"

#include <algorithm>
#include <cmath>

#include "models/cluster/fleet_core.hpp"

namespace kt::models {

void JobController::handle(EventKind local_kind, std::uint64_t payload, std::uint16_t aux) {
  if (local_kind == kPodDone) {
    pod_done(static_cast<std::uint32_t>(payload), aux);
  } else {
    fill(static_cast<std::uint32_t>(payload));
  }
}

bool JobController::on_arrival(std::uint32_t workload, SimTime) {
  JobRun run;
  run.deployment = core_.config().workloads[workload].deployment;
  run.workload = workload;
  run.submitted = core_.now();
  runs_.push_back(run);
  fill(static_cast<std::uint32_t>(runs_.size() - 1));
  return true;
}

// Starts pods until `parallelism` are active or every completion has a pod.
void JobController::fill(std::uint32_t r) {
  JobRun& run = runs_[r];
  if (run.finished) return;
  const FleetDeployment& d = core_.config().deployments[run.deployment];
  const FleetJob& job = *d.job;
  while (run.active < job.parallelism && run.succeeded + run.active < job.completions) {
    ++run.active;
    const std::uint32_t p = core_.create_pod(run.deployment, d.places.front());
    core_.set_owner_ref(p, r);
  }
}

// A Job's pod runs its work, then exits.
void JobController::on_pod_ready(std::uint32_t p) {
  const Pod& pod = core_.pod(p);
  JobRun& run = runs_[pod.owner_ref];
  if (run.first_running < 0) run.first_running = core_.now();
  const double seconds = core_.config().workloads[run.workload].service_time.sample(rng());
  schedule_in(std::llround(seconds * 1e9), kPodDone, p, pod.generation);
}

void JobController::pod_done(std::uint32_t p, std::uint16_t generation) {
  const Pod& pod = core_.pod(p);
  if (pod.generation != generation || pod.state != PodState::ready || pod.node_down) return;
  const std::uint32_t r = pod.owner_ref;
  core_.remove_pod(p);
  JobRun& run = runs_[r];
  --run.active;
  ++run.succeeded;
  const FleetJob& job = *core_.config().deployments[run.deployment].job;
  if (run.succeeded >= job.completions) {
    finish(r, true);
  } else {
    fill(r);
  }
  core_.after_change();
}

// An evicted Job pod counts as failed, unless the Job's podFailurePolicy says otherwise for
// the DisruptionTarget condition an eviction sets (upstream's job controller).
void JobController::on_pod_evicted(std::uint32_t, std::uint32_t r) {
  JobRun& run = runs_[r];
  --run.active;
  if (run.finished) return;  // the Job has failed already: nothing to count or replace
  const FleetJob& job = *core_.config().deployments[run.deployment].job;
  if (job.on_disruption == FleetJob::OnDisruption::ignore) {
    schedule_in(0, kRetry, r);  // replaced at once, not counted, no back-off
    return;
  }
  ++run.failed;
  if (run.failed > job.backoff_limit || job.on_disruption == FleetJob::OnDisruption::fail_job) {
    finish(r, false);
    return;
  }
  // Upstream's back-off for failed Job pods: 10 s, doubling, capped at 6 minutes.
  const SimTime delay =
      std::min<SimTime>(10 * kSecond << std::min<std::uint32_t>(run.failed - 1, 6), 6 * kMinute);
  schedule_in(delay, kRetry, r);
}

void JobController::finish(std::uint32_t r, bool success) {
  JobRun& run = runs_[r];
  run.finished = true;
  const SimTime now = core_.now();
  if (now < core_.config().warmup) return;
  RequestStats& stats = core_.workload_stats(run.workload);
  if (!success) {
    ++stats.failed;
    return;
  }
  const SimTime makespan = now - run.submitted;
  ++stats.completed;
  stats.latency_sum_ns += static_cast<double>(makespan);
  stats.wait_sum_ns += static_cast<double>(run.first_running - run.submitted);
  stats.latency_ns.record(makespan);
}

}  // namespace kt::models
