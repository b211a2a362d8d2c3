#pragma once
// What the quantum model simulates, typed by the scenario layer (docs/models/quantum.md):
// QPUs behind job queues, quantum jobs (a circuit's qubits, depth and shots), the queue
// policies, hybrid workflows, prices.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/distribution.hpp"
#include "engine/time.hpp"

namespace kt::quantum {

enum class QueuePolicy : std::uint8_t { fifo, priority, fair_share, shortest_job_first };

// A QPU and its calibration. Timings default to the figures docs/models/quantum.md sources:
// a job's fixed overhead (loading and compiling) and a shot's reset are IBM's published
// breakdown of a 1024-shot job (PUBLISHED.md §3); gate and readout times are typical of
// superconducting devices ([recall] there).
struct QpuConfig {
  std::string name;
  std::int64_t qubits = 0;
  bool all_to_all = true;  // connectivity; others are read, routing is not modelled
  SimTime t1 = 0;          // 0: not given
  SimTime t2 = 0;
  SimTime gate_1q = 35;             // ns
  SimTime gate_2q = 300;            // ns: one layer of the circuit
  SimTime readout = 1'000;          // ns
  SimTime reset = 4'000'000;        // ns per shot: reset and per-shot calibration
  SimTime overhead = 15 * kSecond;  // per job: loading the experiment, compiling
  std::uint32_t queue_depth = 0;    // jobs waiting at most (0: unbounded)
  QueuePolicy policy = QueuePolicy::fifo;
  // Calibration windows: every `calibration_period` from `calibration_start` (-1: from one
  // period in), for `calibration_length`, the QPU runs nothing (0: none).
  SimTime calibration_period = 0;
  SimTime calibration_length = 0;
  SimTime calibration_start = -1;
};

// One circuit to run: what a Job or a workflow step asks for.
struct QuantumJobConfig {
  std::int64_t qubits = 0;
  std::int64_t depth = 100;
  std::int64_t shots = 1024;
};

// A step of a hybrid workflow (an Argo container template reached from the entrypoint's steps
// or dag): a classical pod on the cluster, or a quantum circuit through a QPU queue.
struct WorkflowStep {
  std::string name;
  bool quantum = false;
  QuantumJobConfig job;             // quantum
  std::uint32_t pod_offset = 0;     // classical: its pods' Deployment is the workflow's + 1 + this
  std::vector<std::uint32_t> deps;  // steps it waits for
};

struct WorkflowConfig {
  std::vector<WorkflowStep> steps;
};

struct QuantumConfig {
  std::vector<QpuConfig> qpus;
  std::vector<std::string> tenants;  // FleetWorkload::tenant indexes this
  bool strict_fidelity = false;      // a circuit longer than T2 fails (else it is flagged)
  double usd_per_qpu_second = 1.60;  // IBM Quantum's pay-as-you-go list price [recall]
  double usd_per_shot = 0;
  SimTime fair_share_half_life = kHour;  // how fast a tenant's past QPU time is forgotten
};

// A circuit's time on a QPU: the job's overhead, then each shot: depth layers of two-qubit
// gates, readout, reset.
inline SimTime execution_time(const QpuConfig& q, const QuantumJobConfig& j) {
  return q.overhead + j.shots * (j.depth * q.gate_2q + q.readout + q.reset);
}
// How long one shot's circuit runs: what decoherence (T2) limits.
inline SimTime circuit_duration(const QpuConfig& q, const QuantumJobConfig& j) {
  return j.depth * q.gate_2q;
}

}  // namespace kt::quantum
