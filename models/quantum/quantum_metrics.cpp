// The quantum model's metrics (docs/metrics.md): per workload, QPU and tenant, and globally;
// and its time-series columns.

#include "models/cluster/fleet_core.hpp"
#include "models/quantum/quantum_controller.hpp"

namespace kt::quantum {

void QuantumController::restart_statistics(SimTime at) {
  for (Qpu& q : qpus_) {
    q.busy.restart(at);
    q.stats = Stats{};
  }
  for (Stats& s : by_workload_)
    s = Stats{};
  for (Stats& s : by_tenant_)
    s = Stats{};
  total_ = Stats{};
}

namespace {

void export_stats(const QuantileSketch& wait, std::uint64_t completed, std::uint64_t rejected,
                  double wait_sum_s, double exec_sum_s, const std::string& prefix,
                  models::MetricMap& out) {
  out[prefix + "quantum.jobs.completed"] = static_cast<double>(completed);
  out[prefix + "quantum.jobs.rejected"] = static_cast<double>(rejected);
  if (completed == 0) return;
  const double n = static_cast<double>(completed);
  out[prefix + "quantum.exec.mean_s"] = exec_sum_s / n;
  if (wait.count() == 0) return;
  out[prefix + "quantum.wait.mean_s"] = wait_sum_s / static_cast<double>(wait.count());
  out[prefix + "quantum.wait.p95_s"] = wait.quantile(0.95) * 1e-9;
}

}  // namespace

void QuantumController::export_metrics(SimTime end, models::MetricMap& out) {
  const models::FleetConfig& config = core_.config();
  const auto scope = [&](const Stats& s, const std::string& prefix) {
    export_stats(s.wait_ns, s.completed, s.rejected, s.wait_sum_s, s.exec_sum_s, prefix, out);
    out[prefix + "cost.quantum_usd"] = s.usd;
    if (s.decoherent > 0)
      out[prefix + "quantum.jobs.decoherent"] = static_cast<double>(s.decoherent);
  };
  const double window_s = to_seconds(end - config.warmup);
  double utilization = 0;
  for (const Qpu& q : qpus_) {
    const std::string prefix = "qpus." + q.config.name + ".";
    scope(q.stats, prefix);
    out[prefix + "quantum.utilization"] = q.busy.mean(end);
    utilization += q.busy.mean(end);
  }
  for (std::uint32_t t = 0; t < by_tenant_.size(); ++t) {
    const std::string prefix = "tenants." + config.quantum.tenants[t] + ".";
    scope(by_tenant_[t], prefix);
    // The tenant's QPU time over the fleet's QPU time available (a share of utilization).
    if (!qpus_.empty() && window_s > 0) {
      out[prefix + "quantum.utilization"] =
          by_tenant_[t].qpu_s / (window_s * static_cast<double>(qpus_.size()));
    }
  }
  double makespan_sum = 0;
  std::uint64_t makespan_n = 0;
  for (std::uint32_t w = 0; w < config.workloads.size(); ++w) {
    const models::FleetDeployment& d = config.deployments[config.workloads[w].deployment];
    if (!d.quantum && !d.workflow) continue;
    const std::string prefix = "workloads." + config.workloads[w].name + ".";
    scope(by_workload_[w], prefix);
    if (d.workflow && makespan_n_[w] > 0) {
      out[prefix + "workflows.makespan_s"] =
          makespan_sum_s_[w] / static_cast<double>(makespan_n_[w]);
      makespan_sum += makespan_sum_s_[w];
      makespan_n += makespan_n_[w];
    }
  }
  scope(total_, "");
  if (!qpus_.empty()) out["quantum.utilization"] = utilization / static_cast<double>(qpus_.size());
  if (makespan_n > 0) out["workflows.makespan_s"] = makespan_sum / static_cast<double>(makespan_n);
  // cost.total_usd: the sum of the cost keys that apply.
  out["cost.total_usd"] += total_.usd;
}

void QuantumController::series_columns(std::vector<std::string>& columns) const {
  for (const Qpu& q : qpus_) {
    columns.push_back(q.config.name + ".qpu_queue");
    columns.push_back(q.config.name + ".qpu_state");
  }
}

// State: 0 idle, 1 running a job, 2 calibrating.
void QuantumController::series_values(std::vector<double>& row) const {
  for (const Qpu& q : qpus_) {
    row.push_back(static_cast<double>(q.queue.size()));
    row.push_back(q.calibrating ? 2.0 : q.running >= 0 ? 1.0 : 0.0);
  }
}

}  // namespace kt::quantum
