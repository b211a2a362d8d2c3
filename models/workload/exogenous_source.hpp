#pragma once
// Exogenous processes: events whose times do not depend on the fleet's state (a cron
// schedule, a warmer's ticks, an uplink's up and down times, a QPU's calibration windows).
// Like arrivals (models/workload/arrival_source.hpp) they are known ahead, so an LP of their
// own in another locality group sends each one `lead` before its time; the lead is the
// lookahead that lets the parallel executor run them beside the fleet, with the same events
// in the same order whatever the thread count.

#include <cstdint>
#include <memory>
#include <optional>

#include "engine/random.hpp"
#include "engine/simulation.hpp"

namespace kt::models {

struct ExogenousEvent {
  SimTime at = 0;
  EventKind kind = 0;
  std::uint64_t payload = 0;
  std::uint16_t aux = 0;
};

// A process's events in time order: the one after `previous` (nullopt for the first call),
// drawing from the source's own random stream; nullopt when it has no more.
class ExogenousProcess {
 public:
  virtual ~ExogenousProcess() = default;
  virtual std::optional<ExogenousEvent> next(const std::optional<ExogenousEvent>& previous,
                                             RandomStream& rng) = 0;
};

// Every `period` from `first`: cron-like schedules (a PingSource), a warmer's interval.
class PeriodicProcess final : public ExogenousProcess {
 public:
  PeriodicProcess(SimTime first, SimTime period, EventKind kind, std::uint64_t payload = 0)
      : first_(first), period_(period), kind_(kind), payload_(payload) {}
  std::optional<ExogenousEvent> next(const std::optional<ExogenousEvent>& previous,
                                     RandomStream& rng) override;

 private:
  SimTime first_;
  SimTime period_;
  EventKind kind_;
  std::uint64_t payload_;
};

// Alternating up and down periods with exponential lengths (means `mean_up`, `mean_down`),
// starting up: `down_kind` when a down period begins, `up_kind` when it ends. An uplink's
// outages; over a long run the fraction of time down is mean_down / (mean_up + mean_down).
class OnOffProcess final : public ExogenousProcess {
 public:
  OnOffProcess(SimTime mean_up, SimTime mean_down, EventKind down_kind, EventKind up_kind,
               std::uint64_t payload = 0)
      : mean_up_(mean_up),
        mean_down_(mean_down),
        down_kind_(down_kind),
        up_kind_(up_kind),
        payload_(payload) {}
  std::optional<ExogenousEvent> next(const std::optional<ExogenousEvent>& previous,
                                     RandomStream& rng) override;

 private:
  SimTime mean_up_;
  SimTime mean_down_;
  EventKind down_kind_;
  EventKind up_kind_;
  std::uint64_t payload_;
};

class ExogenousSource final : public LogicalProcess {
 public:
  // Sends `process`'s events before `end` to `target`, each `lead` ahead of its time.
  ExogenousSource(std::unique_ptr<ExogenousProcess> process, LpId target, SimTime end, SimTime lead)
      : process_(std::move(process)), target_(target), end_(end), lead_(lead) {}

  // Before the run: sends the events before `lead` and schedules the first wake-up.
  void start(Simulation& sim, LpId self);
  void handle(const Event& event, Context& ctx) override;

 private:
  static constexpr EventKind kWake = 1;
  static constexpr int kBatch = 64;
  bool pending_before(SimTime t) const { return next_ && next_->at < t; }

  std::unique_ptr<ExogenousProcess> process_;
  LpId target_;
  SimTime end_;
  SimTime lead_;
  std::optional<ExogenousEvent> next_;  // the first event not sent yet
};

}  // namespace kt::models
