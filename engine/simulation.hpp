#pragma once
// The sequential executor and the narrow façade models use. A model sees only:
//   - LogicalProcess::handle(event, ctx): its LPs receive events;
//   - Context: now(), self(), rng(), schedule(...), stop();
//   - Simulation: add LPs, schedule initial events, run.
// Every event, local or to another LP, goes through schedule(): LPs never call each other, so
// a parallel executor can partition them without touching models.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/event.hpp"
#include "engine/ladder_event_set.hpp"
#include "engine/random.hpp"

namespace kt {

class Context;

class LogicalProcess {
 public:
  virtual ~LogicalProcess() = default;
  virtual void handle(const Event& event, Context& ctx) = 0;
};

// A model scheduled an event in the past (or at the end of representable time).
class CausalityError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

class Simulation;

class Context {
 public:
  Context(Simulation& sim, SimTime now, LpId self, RandomStream& rng, std::uint32_t& next_seq)
      : sim_(sim), now_(now), self_(self), rng_(rng), next_seq_(next_seq) {}

  SimTime now() const { return now_; }
  LpId self() const { return self_; }
  // The handling LP's own random stream.
  RandomStream& rng() { return rng_; }

  // Schedules `kind` for `target` at absolute time `at` (>= now). Throws CausalityError.
  void schedule(LpId target, SimTime at, EventKind kind, std::uint32_t payload = 0,
                std::uint16_t aux = 0);
  void schedule_in(LpId target, SimTime delay, EventKind kind, std::uint32_t payload = 0,
                   std::uint16_t aux = 0) {
    schedule(target, now_ + delay, kind, payload, aux);
  }
  // Ends the run after the current event.
  void stop();

 private:
  [[noreturn]] void fail_causality(LpId target, SimTime at) const;

  Simulation& sim_;
  SimTime now_;
  LpId self_;
  RandomStream& rng_;
  std::uint32_t& next_seq_;
};

struct RunStats {
  std::uint64_t events_handled = 0;
  SimTime end_time = 0;  // simulated time when the run stopped
  bool stopped = false;  // a handler called Context::stop()
};

class Simulation {
 public:
  // Random streams are derived from (seed, replication, LP id).
  Simulation(std::uint64_t seed, std::uint64_t replication);
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // Registers an LP (not owned; it must outlive the simulation) and returns its id.
  LpId add(LogicalProcess& lp);
  std::size_t lp_count() const { return lps_.size(); }
  RandomStream& rng(LpId lp) { return rngs_.at(lp); }

  // An initial event, scheduled before or between runs; its source is the target itself.
  void schedule(LpId target, SimTime at, EventKind kind, std::uint32_t payload = 0,
                std::uint16_t aux = 0);

  // Handles, in (time, source, seq) order, every event with time < end; later events stay
  // pending and now() becomes `end`. Returns early if a handler calls stop().
  RunStats run_until(SimTime end);

  SimTime now() const { return now_; }
  std::uint64_t events_handled() const { return handled_; }
  std::size_t pending() const { return events_.size(); }
  std::size_t event_set_bytes() const { return events_.memory_bytes(); }

 private:
  friend class Context;
  void post(const Event& event) {
    if (event.target >= lps_.size()) fail_no_target(event);
    events_.push(event);
  }
  [[noreturn]] void fail_no_target(const Event& event) const;

  std::uint64_t seed_;
  std::uint64_t replication_;
  std::vector<LogicalProcess*> lps_;
  std::vector<RandomStream> rngs_;
  std::vector<std::uint32_t> next_seq_;
  LadderEventSet events_;
  SimTime now_ = 0;
  std::uint64_t handled_ = 0;
  bool stop_requested_ = false;
};

inline void Context::schedule(LpId target, SimTime at, EventKind kind, std::uint32_t payload,
                              std::uint16_t aux) {
  if (at < now_ || at == kTimeMax) fail_causality(target, at);
  Event ev;
  ev.time = at;
  ev.target = target;
  ev.source = self_;
  ev.seq = next_seq_++;
  ev.kind = kind;
  ev.aux = aux;
  ev.payload = payload;
  sim_.post(ev);
}

inline void Context::stop() {
  sim_.stop_requested_ = true;
}

}  // namespace kt
