#include "models/workload/exogenous_source.hpp"

#include <cmath>

#include "engine/distribution.hpp"

namespace kt::models {

std::optional<ExogenousEvent> PeriodicProcess::next(const std::optional<ExogenousEvent>& previous,
                                                    RandomStream&) {
  if (period_ <= 0 && previous) return std::nullopt;
  const SimTime at = previous ? previous->at + period_ : first_;
  return ExogenousEvent{at, kind_, payload_, 0};
}

std::optional<ExogenousEvent> OnOffProcess::next(const std::optional<ExogenousEvent>& previous,
                                                 RandomStream& rng) {
  // The length of the period that the previous event began (up before the first outage).
  const bool going_down = !previous || previous->kind == up_kind_;
  const SimTime mean = going_down ? mean_up_ : mean_down_;
  const SimTime gap = std::max<SimTime>(
      1, std::llround(sample_standard_exponential(rng) * static_cast<double>(mean)));
  const SimTime at = (previous ? previous->at : 0) + gap;
  return ExogenousEvent{at, going_down ? down_kind_ : up_kind_, payload_, 0};
}

void ExogenousSource::start(Simulation& sim, LpId self) {
  RandomStream& rng = sim.rng(self);
  next_ = process_->next(std::nullopt, rng);
  while (pending_before(end_) && next_->at < lead_) {
    sim.schedule_from(self, target_, next_->at, next_->kind, next_->payload, next_->aux);
    next_ = process_->next(next_, rng);
  }
  if (pending_before(end_)) sim.schedule(self, next_->at - lead_, kWake);
}

void ExogenousSource::handle(const Event&, Context& ctx) {
  for (int i = 0; i < kBatch && pending_before(end_); ++i) {
    ctx.schedule(target_, next_->at, next_->kind, next_->payload, next_->aux);
    next_ = process_->next(next_, ctx.rng());
  }
  if (pending_before(end_)) ctx.schedule(ctx.self(), next_->at - lead_, kWake);
}

}  // namespace kt::models
