#include "engine/simulation.hpp"

namespace kt {

void Context::fail_causality(LpId target, SimTime at) const {
  throw CausalityError("LP " + std::to_string(self_) + " scheduled an event for LP " +
                       std::to_string(target) + " at " +
                       (at == kTimeMax ? std::string("the end of time") : format_duration(at)) +
                       ", before its current time " + format_duration(now_));
}

Simulation::Simulation(std::uint64_t seed, std::uint64_t replication)
    : seed_(seed), replication_(replication) {}

LpId Simulation::add(LogicalProcess& lp) {
  if (lps_.size() >= kNoLp) throw std::length_error("too many logical processes");
  const auto id = static_cast<LpId>(lps_.size());
  lps_.push_back(&lp);
  rngs_.emplace_back(seed_, replication_, id);
  next_seq_.push_back(0);
  return id;
}

void Simulation::schedule(LpId target, SimTime at, EventKind kind, std::uint32_t payload,
                          std::uint16_t aux) {
  if (target >= lps_.size()) {
    throw std::out_of_range("schedule: no LP " + std::to_string(target));
  }
  Context ctx(*this, now_, target, rngs_[target], next_seq_[target]);
  ctx.schedule(target, at, kind, payload, aux);
}

void Simulation::fail_no_target(const Event& event) const {
  throw std::out_of_range("LP " + std::to_string(event.source) + " sent an event to LP " +
                          std::to_string(event.target) + ", which does not exist");
}

RunStats Simulation::run_until(SimTime end) {
  RunStats stats;
  stop_requested_ = false;
  const std::uint64_t handled_before = handled_;
  Event ev;
  while (events_.pop_before(end, ev)) {
    now_ = ev.time;
    Context ctx(*this, now_, ev.target, rngs_[ev.target], next_seq_[ev.target]);
    lps_[ev.target]->handle(ev, ctx);
    ++handled_;
    if (stop_requested_) {
      stats.stopped = true;
      break;
    }
  }
  if (!stats.stopped && end > now_) now_ = end;
  stats.events_handled = handled_ - handled_before;
  stats.end_time = now_;
  return stats;
}

}  // namespace kt
