#pragma once
// Request arrival processes: Poisson, constant, diurnal (sinusoidal rate, by thinning) and
// trace replay. Each produces the next arrival time from the previous one.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/random.hpp"
#include "engine/time.hpp"
#include "models/common/k8s_types.hpp"

namespace kt::models {

struct ArrivalConfig {
  enum class Process { poisson, constant, diurnal, trace, per_minute, cron, rate_trace };
  Process process = Process::poisson;
  double rate_per_s = 0;  // poisson rate; diurnal mean rate
  SimTime interval = 0;   // constant
  // diurnal: rate(t) = mean * (1 + amplitude * sin(2 pi t / period + phase))
  double amplitude = 0;
  SimTime period = kDay;
  double phase = 0;                             // radians; 0 puts the peak at period / 4
  const std::vector<SimTime>* trace = nullptr;  // ascending arrival times
  // per_minute: invocations in each minute of a day (the Azure Functions 2019 traces), the
  // day repeating; each minute's invocations fall at independent uniform times within it
  // (a Poisson process given the minute's count).
  const std::vector<std::uint32_t>* per_minute = nullptr;
  // cron: one arrival at each firing of a five-field schedule (a CronJob's, a PingSource's),
  // simulated time 0 being midnight at the start of a Monday.
  k8s::CronSchedule cron;
  // rate_trace: a non-homogeneous Poisson process whose rate is rates[i] (per second) from
  // rate_starts[i] to the next start (the last until rate_span), the whole repeating every
  // rate_span: an observed rate curve replayed.
  const std::vector<SimTime>* rate_starts = nullptr;
  const std::vector<double>* rates = nullptr;
  SimTime rate_span = 0;
};

// The mean arrivals per second of a process over a run of `duration`.
double mean_arrival_rate(const ArrivalConfig& config, SimTime duration);

// The expected arrivals per second at time t: the rate curve where the process has one
// (poisson, diurnal, rate_trace), else its mean over a run of `duration`. What a controller
// that knows the demand's daily pattern forecasts.
double arrival_rate_at(const ArrivalConfig& config, SimTime t, SimTime duration);

class ArrivalProcess {
 public:
  explicit ArrivalProcess(const ArrivalConfig& config);
  // The arrival after the one at `previous` (0 for the first call), or kTimeMax when the
  // process has no more arrivals. Poisson gaps are rounded to the nanosecond.
  SimTime next(SimTime previous, RandomStream& rng);

 private:
  ArrivalConfig config_;
  double mean_gap_ns_ = 0;  // poisson: 1/rate; diurnal: 1/peak rate
  std::size_t trace_index_ = 0;
  // per_minute: the minute being replayed and its arrival times, sorted.
  std::int64_t minute_ = -1;
  std::vector<SimTime> in_minute_;
  std::size_t in_minute_index_ = 0;
  bool any_per_minute_ = false;  // a day with at least one invocation
  bool first_cron_ = true;
  SimTime next_rate_trace(SimTime previous, RandomStream& rng) const;
};

}  // namespace kt::models
