#pragma once
// How far a running replication has got, for a progress display in another thread. The run
// advances in slices (1 % of its duration) and publishes after each; results are the same as
// in one piece, since events are handled in the same order either way.

#include <algorithm>
#include <atomic>
#include <cstdint>

#include "engine/simulation.hpp"

namespace kt::models {

struct RunProgress {
  std::atomic<std::int64_t> simulated_ns{0};
  std::atomic<std::uint64_t> events{0};
};

// Runs `sim` until `end`, publishing progress when `progress` is given.
inline void run_with_progress(Simulation& sim, SimTime end, RunProgress* progress) {
  if (!progress) {
    sim.run_until(end);
    return;
  }
  const SimTime slice = std::max<SimTime>(end / 100, 1);
  for (SimTime t = std::min(sim.now() + slice, end);; t = std::min(t + slice, end)) {
    sim.run_until(t);
    progress->simulated_ns.store(t, std::memory_order_relaxed);
    progress->events.store(sim.events_handled(), std::memory_order_relaxed);
    if (t >= end) break;
  }
}

}  // namespace kt::models
