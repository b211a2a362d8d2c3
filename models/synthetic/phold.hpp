#pragma once
// PHOLD (Fujimoto, "Performance of Time Warp under synthetic workloads", 1990), as SPEC.md
// defines it: N LPs, E initial events each at exponential(1); handling an event schedules one
// new event at now + exponential(1), to a uniformly random other LP with probability P (then
// also + lookahead L), else to itself. One time unit is one simulated second.

#include <cstdint>
#include <vector>

#include "engine/simulation.hpp"

namespace kt::models {

struct PholdConfig {
  std::uint32_t lps = 1024;
  std::uint32_t events_per_lp = 16;
  double remote_probability = 0.5;
  double end_time = 1000;  // in time units (seconds)
  double lookahead = 0;    // in time units (seconds)
  std::uint64_t seed = 1;
  // Worker threads: each LP is its own locality group, the lookahead (when positive) holds
  // between every two of them, and the executor deals them into up to `threads` partitions
  // by LP id. With lookahead 0 every LP may affect every other at once: one partition.
  unsigned threads = 1;
};

class PholdLp final : public LogicalProcess {
 public:
  PholdLp(std::uint32_t lps, double remote_probability, SimTime lookahead)
      : lps_(lps), remote_probability_(remote_probability), lookahead_(lookahead) {}
  void handle(const Event& event, Context& ctx) override;
  std::uint64_t handled() const { return handled_; }

 private:
  std::uint32_t lps_;
  double remote_probability_;
  SimTime lookahead_;
  std::uint64_t handled_ = 0;
};

// Builds the model on a Simulation. Setup is split in steps so a caller can measure memory
// between them (LPs alone, then with the initial events pending).
class PholdModel {
 public:
  explicit PholdModel(const PholdConfig& config);  // throws std::invalid_argument
  void schedule_initial_events();
  RunStats run();  // until config.end_time

  const Simulation& simulation() const { return sim_; }
  std::size_t partitions() const { return sim_.partition_count(); }
  std::uint64_t events_handled() const { return sim_.events_handled(); }

 private:
  PholdConfig config_;
  std::vector<PholdLp> lps_;
  Simulation sim_;
};

// Draws an exponential(mean) delay in nanoseconds.
SimTime exponential_delay(RandomStream& rng, SimTime mean);

}  // namespace kt::models
