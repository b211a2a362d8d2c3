#include "models/workload/arrival_source.hpp"

#include <algorithm>

namespace kt::models {

SimTime ArrivalSource::lead_for_rate(double arrivals_per_s) {
  if (!(arrivals_per_s > 0)) return kHour;
  const double seconds = std::clamp(2000.0 / arrivals_per_s, 10.0, 3600.0);
  return static_cast<SimTime>(seconds) * kSecond;
}

void ArrivalSource::start(Simulation& sim, LpId self) {
  RandomStream& rng = sim.rng(self);
  next_ = process_.next(0, rng);
  while (next_ < end_ && next_ < lead_) {
    sim.schedule_from(self, target_, next_, kind_, draw_demand(rng), tag_);
    next_ = process_.next(next_, rng);
  }
  if (next_ < end_) sim.schedule(self, next_ - lead_, kWake);
}

// Woken `lead` before the next arrival: sends it and the following ones (all at least `lead`
// ahead), then sleeps until `lead` before the first one left.
void ArrivalSource::handle(const Event& /*event*/, Context& ctx) {
  for (int i = 0; i < kBatch && next_ < end_; ++i) {
    ctx.schedule(target_, next_, kind_, draw_demand(ctx.rng()), tag_);
    next_ = process_.next(next_, ctx.rng());
  }
  if (next_ < end_) ctx.schedule(ctx.self(), next_ - lead_, kWake);
}

std::vector<std::unique_ptr<ArrivalSource>> add_arrival_sources(
    Simulation& sim, const std::vector<ArrivalFeed>& feeds, EventKind kind, SimTime end,
    GroupId group, GroupId served) {
  double rate = 0;
  for (const ArrivalFeed& feed : feeds)
    rate += mean_arrival_rate(*feed.arrival, end);
  const SimTime lead = ArrivalSource::lead_for_rate(rate);
  std::vector<std::unique_ptr<ArrivalSource>> sources;
  for (std::size_t i = 0; i < feeds.size(); ++i) {
    sources.push_back(std::make_unique<ArrivalSource>(*feeds[i].arrival, feeds[i].target, kind,
                                                      static_cast<std::uint16_t>(i), end, lead,
                                                      feeds[i].demand));
    sources.back()->start(sim, sim.add(*sources.back(), group));
  }
  sim.set_lookahead(group, served, lead);
  sim.set_lookahead(served, group, Simulation::kNever);
  return sources;
}

}  // namespace kt::models
