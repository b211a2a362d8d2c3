#include "models/workload/arrival_process.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "engine/distribution.hpp"

namespace kt::models {

double mean_arrival_rate(const ArrivalConfig& config, SimTime duration) {
  switch (config.process) {
    case ArrivalConfig::Process::poisson:
    case ArrivalConfig::Process::diurnal:
      return config.rate_per_s;
    case ArrivalConfig::Process::constant:
      return config.interval > 0 ? 1e9 / static_cast<double>(config.interval) : 0.0;
    case ArrivalConfig::Process::trace:
      return config.trace && duration > 0
                 ? static_cast<double>(config.trace->size()) / to_seconds(duration)
                 : 0.0;
    case ArrivalConfig::Process::cron: {
      // Firings in the run (or in a week when it is longer than that): their rate.
      const SimTime span = std::min<SimTime>(std::max<SimTime>(duration, 1), 7 * kDay);
      std::uint64_t n = 0;
      for (SimTime t = k8s::next_firing(config.cron, -kMinute); t < span && n < 10'000'000;
           t = k8s::next_firing(config.cron, t)) {
        ++n;
      }
      return static_cast<double>(n) / to_seconds(span);
    }
    case ArrivalConfig::Process::rate_trace: {
      if (!config.rates || config.rate_span <= 0) return 0.0;
      double area = 0;  // expected arrivals over one span
      for (std::size_t i = 0; i < config.rates->size(); ++i) {
        const SimTime end =
            i + 1 < config.rate_starts->size() ? (*config.rate_starts)[i + 1] : config.rate_span;
        area += (*config.rates)[i] * to_seconds(end - (*config.rate_starts)[i]);
      }
      return area / to_seconds(config.rate_span);
    }
    case ArrivalConfig::Process::per_minute: {
      if (!config.per_minute || config.per_minute->empty()) return 0.0;
      double total = 0;
      for (std::uint32_t n : *config.per_minute)
        total += n;
      return total / (60.0 * static_cast<double>(config.per_minute->size()));
    }
  }
  return 0.0;
}

double arrival_rate_at(const ArrivalConfig& config, SimTime t, SimTime duration) {
  switch (config.process) {
    case ArrivalConfig::Process::diurnal: {
      if (config.period <= 0) return config.rate_per_s;
      const double omega = 2.0 * std::numbers::pi / static_cast<double>(config.period);
      return config.rate_per_s *
             (1.0 + config.amplitude *
                        std::sin(omega * static_cast<double>(t % config.period) + config.phase));
    }
    case ArrivalConfig::Process::rate_trace: {
      if (!config.rates || !config.rate_starts || config.rate_span <= 0 || config.rates->empty())
        return 0.0;
      const SimTime at = t % config.rate_span;
      const auto& starts = *config.rate_starts;
      const auto it = std::upper_bound(starts.begin(), starts.end(), at);
      if (it == starts.begin()) return 0.0;
      return (*config.rates)[static_cast<std::size_t>(it - starts.begin()) - 1];
    }
    default:
      return mean_arrival_rate(config, duration);
  }
}

ArrivalProcess::ArrivalProcess(const ArrivalConfig& config) : config_(config) {
  if (config_.per_minute) {
    for (std::uint32_t n : *config_.per_minute)
      any_per_minute_ = any_per_minute_ || n > 0;
  }
  if (config_.process == ArrivalConfig::Process::poisson && config_.rate_per_s > 0) {
    mean_gap_ns_ = 1e9 / config_.rate_per_s;
  } else if (config_.process == ArrivalConfig::Process::diurnal && config_.rate_per_s > 0) {
    mean_gap_ns_ = 1e9 / (config_.rate_per_s * (1.0 + config_.amplitude));
  }
}

SimTime ArrivalProcess::next(SimTime previous, RandomStream& rng) {
  switch (config_.process) {
    case ArrivalConfig::Process::poisson: {
      if (mean_gap_ns_ <= 0) return kTimeMax;
      const double gap = sample_standard_exponential(rng) * mean_gap_ns_;
      return previous + std::llround(gap);
    }
    case ArrivalConfig::Process::constant: {
      return previous + config_.interval;
    }
    case ArrivalConfig::Process::diurnal: {
      if (mean_gap_ns_ <= 0) return kTimeMax;
      // Lewis-Shedler thinning against the peak rate mean * (1 + amplitude).
      SimTime t = previous;
      const double peak = 1.0 + config_.amplitude;
      const double omega = 2.0 * std::numbers::pi / static_cast<double>(config_.period);
      for (;;) {
        t += std::llround(sample_standard_exponential(rng) * mean_gap_ns_);
        const double ratio =
            (1.0 + config_.amplitude *
                       std::sin(omega * static_cast<double>(t % config_.period) + config_.phase)) /
            peak;
        if (rng.next_double() < ratio) return t;
      }
    }
    case ArrivalConfig::Process::trace: {
      if (!config_.trace || trace_index_ >= config_.trace->size()) return kTimeMax;
      return (*config_.trace)[trace_index_++];
    }
    case ArrivalConfig::Process::cron: {
      // The first firing at or after 0 (next_firing is strictly after its argument), then
      // each one after the last.
      const SimTime t = k8s::next_firing(config_.cron, first_cron_ ? -kMinute : previous);
      first_cron_ = false;
      return t;
    }
    case ArrivalConfig::Process::rate_trace:
      return next_rate_trace(previous, rng);
    case ArrivalConfig::Process::per_minute: {
      const std::vector<std::uint32_t>* counts = config_.per_minute;
      if (!any_per_minute_) return kTimeMax;
      while (in_minute_index_ >= in_minute_.size()) {
        ++minute_;
        const std::uint32_t n = (*counts)[static_cast<std::size_t>(
            minute_ % static_cast<std::int64_t>(counts->size()))];
        in_minute_.resize(n);
        for (SimTime& t : in_minute_)
          t = minute_ * kMinute + static_cast<SimTime>(rng.next_below(kMinute));
        std::sort(in_minute_.begin(), in_minute_.end());
        in_minute_index_ = 0;
      }
      return std::max(previous, in_minute_[in_minute_index_++]);
    }
  }
  return kTimeMax;
}

// One unit-rate exponential spent across the piecewise-constant rate (time change of a
// Poisson process): exact, and no thinning however much the rate varies.
SimTime ArrivalProcess::next_rate_trace(SimTime previous, RandomStream& rng) const {
  const std::vector<SimTime>& starts = *config_.rate_starts;
  const std::vector<double>& rates = *config_.rates;
  const SimTime span = config_.rate_span;
  if (span <= 0 || !(mean_arrival_rate(config_, span) > 0)) return kTimeMax;
  double budget = sample_standard_exponential(rng);  // arrivals' worth of rate x time
  SimTime t = previous;
  for (;;) {
    const SimTime cycle = t / span * span;
    const SimTime offset = t - cycle;
    const auto i = static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), offset) -
                                            starts.begin() - 1);
    const SimTime end = cycle + (i + 1 < starts.size() ? starts[i + 1] : span);
    const double seconds_left = to_seconds(end - t);
    if (rates[i] > 0 && budget < rates[i] * seconds_left) {
      return std::max<SimTime>(t + std::llround(budget / rates[i] * 1e9), previous);
    }
    budget -= rates[i] * seconds_left;
    t = end;
  }
}

}  // namespace kt::models
