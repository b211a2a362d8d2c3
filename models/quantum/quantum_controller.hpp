#pragma once
// QPUs behind job queues, quantum jobs and hybrid workflows, as a fleet component
// (docs/models/quantum.md). A workload that targets a quantum Job submits one circuit per
// arrival; one that targets a hybrid workflow starts one run of its steps per arrival: the
// classical steps as pods on the cluster (scheduled and started by the core, then busy for a
// draw of the workload's service time), the quantum steps as circuits. A circuit goes to the
// QPU with enough qubits and the least expected wait (the quantum-aware placement, fewest
// qubits on a tie: the qubit-utilization objective), waits in its queue (bounded by
// queueDepth) until the queue policy picks it, and runs for overhead + shots x (depth x
// two-qubit gate + readout + reset); calibration windows stop the QPU, pausing its job.

#include <cstdint>
#include <deque>
#include <map>
#include <vector>

#include "engine/quantile_sketch.hpp"
#include "engine/statistics.hpp"
#include "models/cluster/fleet_component.hpp"
#include "models/quantum/qpu_queue.hpp"

namespace kt::quantum {

class QuantumController final : public models::FleetComponent {
 public:
  explicit QuantumController(models::FleetCore& core);
  bool active() const { return active_; }

  void start() override;
  void handle(EventKind local_kind, std::uint64_t payload, std::uint16_t aux) override;
  bool on_arrival(std::uint32_t workload, SimTime service) override;
  void on_pod_ready(std::uint32_t pod) override;
  void on_pod_removed(std::uint32_t pod) override;
  void restart_statistics(SimTime at) override;
  void export_metrics(SimTime end, models::MetricMap& out) override;
  void series_columns(std::vector<std::string>& columns) const override;
  void series_values(std::vector<double>& row) const override;

 private:
  static constexpr EventKind kJobDone = 0;           // payload: qpu | token << 32
  static constexpr EventKind kCalibrationStart = 1;  // payload: qpu
  static constexpr EventKind kCalibrationEnd = 2;    // payload: qpu
  static constexpr EventKind kStepDone = 3;          // payload: pod | generation << 32
  static constexpr EventKind kStartStep = 4;         // payload: run | step << 32

  // Counters of one scope: a workload, a QPU, a tenant, everything.
  struct Stats {
    std::uint64_t completed = 0;
    std::uint64_t rejected = 0;
    std::uint64_t decoherent = 0;  // circuits longer than T2
    double wait_sum_s = 0;
    double exec_sum_s = 0;
    double qpu_s = 0;
    double usd = 0;
    QuantileSketch wait_ns;
  };
  struct Job {
    std::uint32_t workload = 0;
    std::uint32_t tenant = 0;
    SimTime submitted = 0;
    SimTime started = 0;
    SimTime exec = 0;
    std::int64_t shots = 0;
    std::int32_t run = -1;  // a workflow run's step, or -1
    std::uint32_t step = 0;
  };
  struct Qpu {
    explicit Qpu(const QpuConfig& c, SimTime half_life, std::size_t tenants)
        : config(c), queue(c.policy, half_life, tenants) {}
    QpuConfig config;
    QpuQueue queue;
    std::int64_t running = -1;  // job
    SimTime done_at = 0;
    SimTime remaining = 0;  // of a job paused by calibration
    std::uint32_t token = 0;
    bool calibrating = false;
    TimeWeighted busy;
    Stats stats;
  };
  struct Run {
    std::uint32_t workload = 0;
    std::uint32_t deployment = 0;
    SimTime started = 0;
    std::vector<std::uint32_t> deps_left;  // per step
    std::uint32_t steps_left = 0;
    bool alive = false;
  };

  // Jobs and QPUs (quantum_controller.cpp).
  void submit(std::uint32_t workload, const QuantumJobConfig& job, std::int32_t run,
              std::uint32_t step);
  void try_start(std::uint32_t qpu);
  void job_done(std::uint32_t qpu, std::uint32_t token);
  void calibration(std::uint32_t qpu, bool begins);
  void reject(std::uint32_t workload, std::uint32_t tenant, std::int32_t qpu, std::int32_t run);
  std::uint32_t tenant_of(std::uint32_t workload) const;
  template <class F>
  void for_scopes(std::uint32_t workload, std::uint32_t tenant, std::int32_t qpu, F&& f);
  // Workflow runs (workflow_runs.cpp).
  void start_run(std::uint32_t workload);
  void start_step(std::uint32_t run, std::uint32_t step);
  void step_done(std::uint32_t run, std::uint32_t step);
  void fail_run(std::uint32_t run);
  // A job or run done: a completed request of its workload (latency since `since`, `wait`
  // queued).
  void record_done(std::uint32_t workload, SimTime since, SimTime wait);

  bool active_ = false;
  std::vector<Qpu> qpus_;
  std::vector<Job> jobs_;
  std::vector<std::uint32_t> free_jobs_;
  std::uint64_t seq_ = 0;
  std::vector<Stats> by_workload_;
  std::vector<Stats> by_tenant_;
  Stats total_;
  std::vector<Run> runs_;
  std::vector<std::uint32_t> free_runs_;
  std::map<std::uint32_t, std::pair<std::uint32_t, std::uint32_t>> pod_step_;  // pod -> run, step
  std::vector<double> makespan_sum_s_;  // per workload (workflows)
  std::vector<std::uint64_t> makespan_n_;
};

}  // namespace kt::quantum
