#pragma once
// The executors and the narrow façade models use. A model sees only:
//   - LogicalProcess::handle(event, ctx): its LPs receive events;
//   - Context: now(), self(), rng(), schedule(...), stop();
//   - Simulation: add LPs (each in a locality group), declare the lookahead between groups,
//     schedule initial events, run.
// Every event, local or to another LP, goes through schedule(): LPs never call each other, so
// the executor can place groups of LPs in partitions that run in parallel, without touching
// models. One thread gives the sequential executor; more give conservative synchronous
// windows (docs/engine.md). Both handle every LP's events in the same order, so results do not
// depend on the thread count.

#include <cstdint>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/cache_aligned.hpp"
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

// A model sent an event from one group to another sooner than the lookahead it declared for
// that pair. Reported whatever the thread count, never reordered.
class LookaheadError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// A locality group: LPs that interact without delay (a region, an edge site, a QPU pool).
using GroupId = std::uint32_t;

class Simulation;

// The LPs one worker handles in a window, with their pending events and the events they sent
// to other partitions in the window. Engine-internal: models reach it only through Context.
// Cache-line aligned: two partitions' hot fields must never share a line between threads.
class alignas(kCacheLine) Partition {
 public:
  Partition(Simulation& sim, std::uint32_t id, std::size_t partitions);
  inline void post(const Event& ev, SimTime now);
  void request_stop(SimTime now);

 private:
  friend class Simulation;
  void post_across_groups(const Event& ev, SimTime now, GroupId from, GroupId to);
  [[noreturn]] void fail_no_target(const Event& ev) const;
  void drain_inbox(std::size_t parity);  // others' events for this partition, sent last window
  void run_window(SimTime horizon, std::size_t parity);

  Simulation& sim_;
  std::uint32_t id_;
  LadderEventSet events_;
  struct alignas(kCacheLine) Outbox {
    std::vector<Event, CacheAlignedAllocator<Event>> events;
    SimTime earliest = kTimeMax;
  };
  // Per window parity and destination: what this partition sent there. A window writes one
  // parity while the destinations read the other, so no two threads touch the same outbox.
  std::vector<Outbox, CacheAlignedAllocator<Outbox>> outbox_[2];
  // Per destination: events sent this window, in memory no other core reads. Measured: when
  // handlers wrote straight into the outboxes, whose lines the destination's core had just
  // read, every store waited for the line (176 ns here) and the speedup fell from 1.7x to
  // 1.35x; one bulk copy per window at its end costs far less.
  std::vector<Outbox, CacheAlignedAllocator<Outbox>> staged_;
  void publish();  // staged_ -> outbox_[parity_]
  std::size_t parity_ = 0;
  std::uint64_t handled_ = 0;
  bool stopped_ = false;
  SimTime stop_time_ = 0;
  std::exception_ptr error_;
};

class Context {
 public:
  Context(Partition& part, SimTime now, LpId self, RandomStream& rng, std::uint32_t& next_seq)
      : part_(part), now_(now), self_(self), rng_(rng), next_seq_(next_seq) {}

  SimTime now() const { return now_; }
  LpId self() const { return self_; }
  // The handling LP's own random stream.
  RandomStream& rng() { return rng_; }

  // Schedules `kind` for `target` at absolute time `at` (>= now). Throws CausalityError, or
  // LookaheadError when `target` is in another group and `at` is closer than the lookahead.
  void schedule(LpId target, SimTime at, EventKind kind, std::uint64_t payload = 0,
                std::uint16_t aux = 0);
  void schedule_in(LpId target, SimTime delay, EventKind kind, std::uint64_t payload = 0,
                   std::uint16_t aux = 0) {
    schedule(target, now_ + delay, kind, payload, aux);
  }
  // Ends the run after the current event (sequential executor) or after the current window
  // (parallel executor; docs/engine.md says why that is not reproducible across threads).
  void stop() { part_.request_stop(now_); }

 private:
  [[noreturn]] void fail_causality(LpId target, SimTime at) const;

  Partition& part_;
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
  // Lookahead of a pair of groups that never exchange events.
  static constexpr SimTime kNever = kTimeMax;

  // Random streams are derived from (seed, replication, LP id).
  Simulation(std::uint64_t seed, std::uint64_t replication);
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;
  ~Simulation();

  // Registers an LP (not owned; it must outlive the simulation) in a locality group and
  // returns its id.
  LpId add(LogicalProcess& lp, GroupId group = 0);
  std::size_t lp_count() const { return lps_.size(); }
  // An LP's random stream, for drawing its initial events. The reference is good until the
  // next run_until(), which may move the streams (see LpState).
  RandomStream& rng(LpId lp) { return lp_state_[state_slot_.at(lp)].rng; }

  // The lookahead: the least delay between the sending of an event and its time when sender
  // and target are in different groups. One value for every pair of groups, then overrides
  // for ordered pairs (kNever: `from` never sends to `to`). Zero, the default, lets events
  // between the groups be immediate: such groups always share a partition.
  void set_lookahead(SimTime between_groups);
  void set_lookahead(GroupId from, GroupId to, SimTime delay);
  SimTime lookahead(GroupId from, GroupId to) const {
    if (from == to) return 0;
    return lookahead_overrides_.empty() ? uniform_lookahead_ : overridden_lookahead(from, to);
  }

  // Worker threads of later runs. 1 (the default) is the sequential executor; more split the
  // groups into at most that many partitions run in parallel windows on oneTBB.
  void set_threads(unsigned threads);
  // Partitions of the current plan (1 before the first run or with one thread).
  std::size_t partition_count() const { return partitions_.size(); }

  // An initial event, scheduled before or between runs. Its source is the target itself, or
  // `source` in schedule_from (which lets a model prime another LP's first events with the
  // source's own random stream and order). Initial events are not subject to the lookahead.
  void schedule(LpId target, SimTime at, EventKind kind, std::uint64_t payload = 0,
                std::uint16_t aux = 0);
  void schedule_from(LpId source, LpId target, SimTime at, EventKind kind,
                     std::uint64_t payload = 0, std::uint16_t aux = 0);

  // Handles, in (time, source, seq) order for every LP, every event with time < end; later
  // events stay pending and now() becomes `end`. Returns early if a handler calls stop().
  RunStats run_until(SimTime end);

  SimTime now() const { return now_; }
  std::uint64_t events_handled() const;
  std::size_t pending() const;
  std::size_t event_set_bytes() const;

 private:
  friend class Partition;
  SimTime overridden_lookahead(GroupId from, GroupId to) const;
  void prepare();  // (re)plans the partitions when LPs, groups, lookahead or threads changed
  void lay_out_lp_state();  // groups lp_state_ by partition, each on cache lines of its own
  void plan_partitions(std::vector<std::uint32_t>& partition_of_group, std::size_t& count);
  RunStats run_sequential(SimTime end);
  RunStats run_parallel(SimTime end);
  [[noreturn]] void fail_lookahead(const Event& ev, SimTime now, GroupId from, GroupId to,
                                   SimTime lookahead) const;

  std::uint64_t seed_;
  std::uint64_t replication_;
  std::vector<LogicalProcess*> lps_;
  // What an LP's handler writes in the engine: its random stream and the sequence number of
  // its next event. Written on every event, so the states of LPs in different partitions must
  // not share a cache line: measured on a fleet run (one fleet LP beside its arrival sources,
  // ids 0, 1, 2...), the line they shared cost the fleet's thread 11 % of its time. Before a
  // run they are laid out partition by partition, each partition's from a fresh line.
  struct LpState {
    RandomStream rng;
    std::uint32_t next_seq = 0;
  };
  std::vector<LpState, CacheAlignedAllocator<LpState>> lp_state_;
  std::vector<std::uint32_t> state_slot_;  // per LP: its index in lp_state_
  bool layout_stale_ = false;
  std::vector<GroupId> group_of_;  // per LP
  GroupId group_count_ = 1;
  SimTime uniform_lookahead_ = 0;
  std::unordered_map<std::uint64_t, SimTime> lookahead_overrides_;  // key: from << 32 | to
  std::vector<SimTime> group_lookahead_;  // [from * group_count_ + to], built by prepare()
  unsigned threads_ = 1;
  bool plan_stale_ = true;

  std::vector<std::unique_ptr<Partition>> partitions_;
  std::vector<std::uint32_t> partition_of_group_;
  std::vector<SimTime> partition_lookahead_;  // row-major [from][to]
  SimTime window_cap_ = kNever;               // the smallest finite partition lookahead
  std::uint64_t handled_before_plan_ = 0;     // by partitions of earlier plans
  SimTime now_ = 0;
};

inline void Context::schedule(LpId target, SimTime at, EventKind kind, std::uint64_t payload,
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
  part_.post(ev, now_);
}

// Within a group events go straight into the partition's event set; only events between
// groups take the out-of-line path that checks the lookahead and routes them.
inline void Partition::post(const Event& ev, SimTime now) {
  const std::vector<GroupId>& group_of = sim_.group_of_;
  if (ev.target >= group_of.size()) fail_no_target(ev);
  const GroupId to = group_of[ev.target];
  const GroupId from = group_of[ev.source];
  if (to == from) {
    events_.push(ev);
  } else {
    post_across_groups(ev, now, from, to);
  }
}

}  // namespace kt
