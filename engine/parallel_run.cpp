// The parallel executor: conservative synchronous windows (YAWNS, Nicol 1993) on oneTBB.
//
// At the start of a window every partition p knows T_q, the earliest event of each partition
// q (its own pending events and what was sent to it in the last window). Any event q sends in
// this window is at least la(q, p) after an event of q, hence no earlier than T_q + la(q, p),
// so p may handle every event before
//     horizon(p) = min over q != p of (T_q + la(q, p)),
// capped at T_min + the smallest lookahead so that a partition nobody sends to cannot run
// arbitrarily far ahead and fill its outboxes. Events sent between partitions are delivered
// at the next window, where they are never earlier than anything their target has handled.
// Each LP therefore sees exactly its events of the sequential run, in the same (time, source,
// seq) order, and draws the same random numbers: results do not depend on the thread count.

#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <utility>

#include "engine/simulation.hpp"

namespace kt {

namespace {

SimTime saturating_add(SimTime a, SimTime b) {
  return a >= kTimeMax - b ? kTimeMax : a + b;
}

}  // namespace

RunStats Simulation::run_parallel(SimTime end) {
  const std::size_t count = partitions_.size();
  const std::uint64_t handled_before = events_handled();
  RunStats stats;
  std::vector<SimTime> next(count);
  std::vector<SimTime> horizon(count);
  for (std::size_t p = 0; p < count; ++p) {
    Partition& part = *partitions_[p];
    part.stopped_ = false;
    next[p] = part.events_.empty() ? kTimeMax : part.events_.peek().time;
  }
  std::size_t parity = 0;
  for (;;) {
    const SimTime earliest = *std::min_element(next.begin(), next.end());
    if (earliest >= end) break;
    const SimTime cap = std::min(end, saturating_add(earliest, window_cap_));
    for (std::size_t p = 0; p < count; ++p) {
      SimTime h = cap;
      for (std::size_t q = 0; q < count; ++q) {
        if (q != p) h = std::min(h, saturating_add(next[q], partition_lookahead_[q * count + p]));
      }
      horizon[p] = h;
    }
    // isolate: a worker waiting for this window must not pick up an unrelated outer task (a
    // whole other replication) and leave the window unfinished meanwhile.
    tbb::this_task_arena::isolate([&] {
      tbb::parallel_for(
          std::size_t{0}, count,
          [&](std::size_t p) { partitions_[p]->run_window(horizon[p], parity); },
          tbb::static_partitioner());
    });
    for (const auto& part : partitions_) {
      if (part->error_) std::rethrow_exception(std::exchange(part->error_, nullptr));
    }
    bool stopped = false;
    for (std::size_t p = 0; p < count; ++p) {
      Partition& part = *partitions_[p];
      next[p] = part.events_.empty() ? kTimeMax : part.events_.peek().time;
      for (const auto& sender : partitions_)
        next[p] = std::min(next[p], sender->outbox_[parity][p].earliest);
      if (part.stopped_) {
        stopped = true;
        now_ = stats.stopped ? std::min(now_, part.stop_time_) : part.stop_time_;
        stats.stopped = true;
      }
    }
    parity ^= 1;
    if (stopped) break;
  }
  // Deliver the last window's events, so that every pending event sits in its partition.
  for (const auto& part : partitions_)
    part->drain_inbox(parity ^ 1);
  if (!stats.stopped && end > now_) now_ = end;
  stats.events_handled = events_handled() - handled_before;
  stats.end_time = now_;
  return stats;
}

}  // namespace kt
