#include "models/synthetic/phold.hpp"

#include <cmath>
#include <stdexcept>

#include "engine/distribution.hpp"

namespace kt::models {

namespace {
constexpr EventKind kPholdEvent = 1;
}

SimTime exponential_delay(RandomStream& rng, SimTime mean) {
  return static_cast<SimTime>(static_cast<double>(mean) * sample_standard_exponential(rng));
}

void PholdLp::handle(const Event& /*event*/, Context& ctx) {
  ++handled_;
  RandomStream& rng = ctx.rng();
  LpId target = ctx.self();
  SimTime delay = 0;
  if (lps_ > 1 && rng.next_double() < remote_probability_) {
    // A uniformly random LP other than this one.
    target = static_cast<LpId>(rng.next_below(lps_ - 1));
    if (target >= ctx.self()) ++target;
    delay = lookahead_;
  }
  delay += exponential_delay(rng, kSecond);
  ctx.schedule_in(target, delay, kPholdEvent);
}

PholdModel::PholdModel(const PholdConfig& config) : config_(config), sim_(config.seed, 0) {
  if (config.lps == 0) throw std::invalid_argument("PHOLD needs at least one LP");
  if (!(config.remote_probability >= 0 && config.remote_probability <= 1)) {
    throw std::invalid_argument("PHOLD remote probability must be in [0, 1]");
  }
  if (!(config.end_time >= 0 && config.end_time < 9e9)) {
    throw std::invalid_argument("PHOLD end time must be in [0, 9e9) time units");
  }
  if (!(config.lookahead >= 0 && config.lookahead < 9e9)) {
    throw std::invalid_argument("PHOLD lookahead must be in [0, 9e9) time units");
  }
  const SimTime lookahead = from_seconds(config.lookahead);
  lps_.reserve(config.lps);
  for (std::uint32_t i = 0; i < config.lps; ++i) {
    lps_.emplace_back(config.lps, config.remote_probability, lookahead);
    sim_.add(lps_.back(), i);
  }
  sim_.set_lookahead(lookahead);
  sim_.set_threads(config.threads);
}

void PholdModel::schedule_initial_events() {
  for (LpId lp = 0; lp < config_.lps; ++lp) {
    for (std::uint32_t e = 0; e < config_.events_per_lp; ++e) {
      sim_.schedule(lp, exponential_delay(sim_.rng(lp), kSecond), kPholdEvent);
    }
  }
}

RunStats PholdModel::run() {
  return sim_.run_until(from_seconds(config_.end_time));
}

}  // namespace kt::models
