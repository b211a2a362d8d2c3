#pragma once
// The LP that turns a workload's arrival process into events for the LP serving it. An
// open-loop source knows its future: it sends each arrival `lead` ahead of its time. That
// lead is the lookahead from the sources' group to the served group, which lets the parallel
// executor run the two side by side without changing a single event.
//
// A source also draws each request's service demand (its work, in nanoseconds, sent as the
// event's payload), as a load generator gives each request its size. Two reasons: the draws
// leave the served LP, which is the critical path of a run on several threads (lognormal and
// gamma samples were a fifth of a fleet run's time); and every policy of a scenario sees the
// same requests, arrivals and sizes alike (common random numbers), so their differences are
// the policies', not the draws'.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/distribution.hpp"
#include "engine/simulation.hpp"
#include "models/workload/arrival_process.hpp"

namespace kt::models {

class ArrivalSource final : public LogicalProcess {
 public:
  // Ahead by 10 s: on a day-long run that is 8,640 windows, each with ample work, while the
  // arrivals in flight stay at rate x 10 s.
  static constexpr SimTime kDefaultLead = 10 * kSecond;

  // A lead that gives the served group about 2,000 arrivals per window (measured on M/M/3 at
  // 2.4 requests/s: with 10 s, 24 arrivals a window, synchronisation cost more than the
  // sources' share of the work), between 10 s and one hour.
  static SimTime lead_for_rate(double arrivals_per_s);

  // Sends `kind` with aux `tag` to `target` at every arrival before `end`, with payload a
  // service demand drawn from `demand` (in seconds; 0 without one).
  ArrivalSource(const ArrivalConfig& arrival, LpId target, EventKind kind, std::uint16_t tag,
                SimTime end, SimTime lead = kDefaultLead, const Distribution* demand = nullptr)
      : process_(arrival),
        target_(target),
        kind_(kind),
        tag_(tag),
        end_(end),
        lead_(lead),
        demand_(demand) {}

  // Before the run: sends the arrivals before `lead` (no wake-up could send them early
  // enough) and schedules the first wake-up.
  void start(Simulation& sim, LpId self);
  void handle(const Event& event, Context& ctx) override;

 private:
  static constexpr EventKind kWake = 1;
  static constexpr int kBatch = 64;  // arrivals sent per wake-up: two events per request

  std::uint64_t draw_demand(RandomStream& rng) const {
    return demand_ ? static_cast<std::uint64_t>(
                         std::max<SimTime>(0, from_seconds(demand_->sample(rng))))
                   : 0;
  }

  ArrivalProcess process_;
  LpId target_;
  EventKind kind_;
  std::uint16_t tag_;
  SimTime end_;
  SimTime lead_;
  const Distribution* demand_;
  SimTime next_ = kTimeMax;  // the first arrival not sent yet
};

// What one workload's source feeds: its arrival process, the LP that serves it and the
// requests' service demand (seconds; none: payload 0).
struct ArrivalFeed {
  const ArrivalConfig* arrival = nullptr;
  LpId target = 0;
  const Distribution* demand = nullptr;
};

// Adds and starts one source per feed (feed i sends `kind` with aux i until `end`) in group
// `group`, with the lead for their total rate, and declares that lead as the lookahead from
// `group` to `served`, which never sends back.
std::vector<std::unique_ptr<ArrivalSource>> add_arrival_sources(
    Simulation& sim, const std::vector<ArrivalFeed>& feeds, EventKind kind, SimTime end,
    GroupId group, GroupId served);

}  // namespace kt::models
