#include "models/quantum/quantum_controller.hpp"

#include "models/cluster/fleet_core.hpp"

namespace kt::quantum {

using models::FleetConfig;

QuantumController::QuantumController(models::FleetCore& core) : FleetComponent(core) {
  const FleetConfig& config = core.config();
  const QuantumConfig& q = config.quantum;
  for (const QpuConfig& c : q.qpus)
    qpus_.emplace_back(c, q.fair_share_half_life, q.tenants.size() + 1);
  for (const models::FleetDeployment& d : config.deployments)
    active_ = active_ || d.quantum || d.workflow;
  by_workload_.resize(config.workloads.size());
  by_tenant_.resize(q.tenants.size());
  makespan_sum_s_.assign(config.workloads.size(), 0);
  makespan_n_.assign(config.workloads.size(), 0);
}

void QuantumController::start() {
  for (std::uint32_t i = 0; i < qpus_.size(); ++i) {
    qpus_[i].busy.set(0, 0);
    const QpuConfig& c = qpus_[i].config;
    if (c.calibration_period > 0 && c.calibration_length > 0) {
      schedule_at(c.calibration_start >= 0 ? c.calibration_start : c.calibration_period,
                  kCalibrationStart, i);
    }
  }
}

void QuantumController::handle(EventKind kind, std::uint64_t payload, std::uint16_t) {
  const auto low = static_cast<std::uint32_t>(payload & 0xFFFFFFFFu);
  const auto high = static_cast<std::uint32_t>(payload >> 32);
  switch (kind) {
    case kJobDone:
      job_done(low, high);
      break;
    case kCalibrationStart:
    case kCalibrationEnd:
      calibration(low, kind == kCalibrationStart);
      break;
    case kStepDone: {
      const auto it = pod_step_.find(low);
      if (it == pod_step_.end() || core_.pod(low).generation != high) break;
      const auto [run, step] = it->second;
      pod_step_.erase(it);
      core_.delete_pod(low);
      core_.after_change();
      step_done(run, step);
      break;
    }
    case kStartStep:
      start_step(low, high);
      break;
    default:
      break;
  }
}

bool QuantumController::on_arrival(std::uint32_t workload, SimTime) {
  const models::FleetDeployment& d =
      core_.config().deployments[core_.config().workloads[workload].deployment];
  if (d.workflow) {
    start_run(workload);
  } else if (d.quantum) {
    submit(workload, *d.quantum, -1, 0);
  }
  return true;
}

std::uint32_t QuantumController::tenant_of(std::uint32_t workload) const {
  const std::int32_t t = core_.config().workloads[workload].tenant;
  return t >= 0 ? static_cast<std::uint32_t>(t) : 0;
}

// Applies `f` to every scope a job counts in: its workload's, its tenant's, its QPU's, all.
template <class F>
void QuantumController::for_scopes(std::uint32_t workload, std::uint32_t tenant, std::int32_t qpu,
                                   F&& f) {
  f(by_workload_[workload]);
  if (tenant < by_tenant_.size()) f(by_tenant_[tenant]);
  if (qpu >= 0) f(qpus_[static_cast<std::size_t>(qpu)].stats);
  f(total_);
}

void QuantumController::reject(std::uint32_t workload, std::uint32_t tenant, std::int32_t qpu,
                               std::int32_t run) {
  if (core_.now() >= core_.config().warmup) {
    for_scopes(workload, tenant, qpu, [](Stats& s) { ++s.rejected; });
  }
  if (run >= 0) {
    fail_run(static_cast<std::uint32_t>(run));
  } else {
    core_.fail_request_of(workload);
  }
}

// The quantum-aware placement: of the QPUs with enough qubits, the one with the least work
// ahead (the running job's rest and the queue's), the fewest qubits on a tie.
void QuantumController::submit(std::uint32_t workload, const QuantumJobConfig& cfg,
                               std::int32_t run, std::uint32_t step) {
  const std::uint32_t tenant = tenant_of(workload);
  const SimTime now = core_.now();
  std::int32_t best = -1;
  std::int32_t best_any = -1;
  SimTime best_wait = kTimeMax;
  SimTime best_any_wait = kTimeMax;
  for (std::uint32_t i = 0; i < qpus_.size(); ++i) {
    const Qpu& q = qpus_[i];
    if (q.config.qubits < cfg.qubits) continue;
    const SimTime ahead = q.queue.queued_work() +
                          (q.running < 0 ? 0 : (q.calibrating ? q.remaining : q.done_at - now));
    const auto better = [&](std::int32_t current, SimTime current_wait) {
      if (current < 0 || ahead < current_wait) return true;
      return ahead == current_wait &&
             q.config.qubits < qpus_[static_cast<std::size_t>(current)].config.qubits;
    };
    if (better(best_any, best_any_wait)) {
      best_any = static_cast<std::int32_t>(i);
      best_any_wait = ahead;
    }
    const bool room = q.config.queue_depth == 0 || q.queue.size() < q.config.queue_depth;
    if (room && better(best, best_wait)) {
      best = static_cast<std::int32_t>(i);
      best_wait = ahead;
    }
  }
  if (best < 0) {  // no QPU has the qubits, or every one that has is full
    reject(workload, tenant, best_any, run);
    return;
  }
  Qpu& q = qpus_[static_cast<std::size_t>(best)];
  // A circuit longer than T2 decoheres before it ends: flagged, and refused under strict
  // fidelity.
  if (q.config.t2 > 0 && circuit_duration(q.config, cfg) > q.config.t2) {
    if (now >= core_.config().warmup)
      for_scopes(workload, tenant, best, [](Stats& s) { ++s.decoherent; });
    if (core_.config().quantum.strict_fidelity) {
      reject(workload, tenant, best, run);
      return;
    }
  }
  std::uint32_t id;
  if (!free_jobs_.empty()) {
    id = free_jobs_.back();
    free_jobs_.pop_back();
  } else {
    id = static_cast<std::uint32_t>(jobs_.size());
    jobs_.emplace_back();
  }
  jobs_[id] = {workload, tenant, now, 0, execution_time(q.config, cfg), cfg.shots, run, step};
  q.queue.push({id, tenant, core_.config().workloads[workload].priority, jobs_[id].exec, seq_++});
  try_start(static_cast<std::uint32_t>(best));
}

void QuantumController::try_start(std::uint32_t i) {
  Qpu& q = qpus_[i];
  if (q.running >= 0 || q.calibrating || q.queue.empty()) return;
  const SimTime now = core_.now();
  const QueuedJob next = q.queue.pop(now);
  q.queue.charge(next.tenant, next.exec, now);
  Job& job = jobs_[next.job];
  job.started = now;
  if (now >= core_.config().warmup) {
    const SimTime wait = now - job.submitted;
    for_scopes(job.workload, job.tenant, static_cast<std::int32_t>(i), [&](Stats& s) {
      s.wait_sum_s += to_seconds(wait);
      s.wait_ns.record(wait);
    });
  }
  q.running = next.job;
  q.done_at = now + job.exec;
  q.busy.set(now, 1);
  schedule_at(q.done_at, kJobDone, i | static_cast<std::uint64_t>(++q.token) << 32);
}

void QuantumController::job_done(std::uint32_t i, std::uint32_t token) {
  Qpu& q = qpus_[i];
  if (token != q.token || q.running < 0 || q.calibrating) return;
  const auto id = static_cast<std::uint32_t>(q.running);
  const Job job = jobs_[id];
  q.running = -1;
  q.busy.set(core_.now(), 0);
  free_jobs_.push_back(id);
  if (core_.now() >= core_.config().warmup) {
    const double exec_s = to_seconds(job.exec);
    const QuantumConfig& price = core_.config().quantum;
    const double usd =
        exec_s * price.usd_per_qpu_second + static_cast<double>(job.shots) * price.usd_per_shot;
    for_scopes(job.workload, job.tenant, static_cast<std::int32_t>(i), [&](Stats& s) {
      ++s.completed;
      s.exec_sum_s += exec_s;
      s.qpu_s += exec_s;
      s.usd += usd;
    });
  }
  if (job.run >= 0) {
    step_done(static_cast<std::uint32_t>(job.run), job.step);
  } else {
    record_done(job.workload, job.submitted, job.started - job.submitted);
  }
  try_start(i);
}

// A calibration window: the QPU stops (its job pauses, keeping what it has left) and starts
// again at the window's end.
void QuantumController::calibration(std::uint32_t i, bool begins) {
  Qpu& q = qpus_[i];
  const SimTime now = core_.now();
  if (begins) {
    q.calibrating = true;
    if (q.running >= 0) {
      q.remaining = q.done_at - now;
      ++q.token;  // its completion event is void
      q.busy.set(now, 0);
    }
    schedule_in(q.config.calibration_length, kCalibrationEnd, i);
    return;
  }
  q.calibrating = false;
  if (q.running >= 0) {
    q.done_at = now + q.remaining;
    q.busy.set(now, 1);
    schedule_at(q.done_at, kJobDone, i | static_cast<std::uint64_t>(++q.token) << 32);
  }
  schedule_at(now - q.config.calibration_length + q.config.calibration_period, kCalibrationStart,
              i);
  try_start(i);
}

}  // namespace kt::quantum
