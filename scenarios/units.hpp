#pragma once
// Parsers for the value syntaxes users write in manifests and scenarios. Each returns the value
// or a message that says what is wrong (the caller adds the place).

#include <cstdint>
#include <string>
#include <string_view>

#include "models/common/k8s_types.hpp"

namespace kt::scenario {

template <typename T>
struct Parsed {
  T value{};
  std::string error;  // empty when ok
  bool ok() const { return error.empty(); }
};

// A Kubernetes quantity ("100m", "8Gi", "128Mi", "1.5", "2e3") in milli-units, rounded up to
// the next milli-unit as resource.Quantity.MilliValue() does. Negative values are errors here
// because every quantity kubetwin reads is a resource amount.
Parsed<std::int64_t> parse_quantity(std::string_view text);

// "40%" -> 0.40. Must lie in [0, 100] %.
Parsed<double> parse_percentage(std::string_view text);

// "50/s", "2/h", "0.5/m", "120/1m": events per second. Must be > 0.
Parsed<double> parse_rate(std::string_view text);

// A plain decimal number ("2.5", "1e3"); no units, no trailing characters.
Parsed<double> parse_number(std::string_view text);

// Five-field cron ("*/5 * * * *") with lists, ranges, steps, month and weekday names, the
// @hourly/@daily/@weekly/@monthly/@yearly macros and "@every DURATION".
Parsed<k8s::CronSchedule> parse_cron(std::string_view text);

}  // namespace kt::scenario
