#pragma once
// Simulated time: signed 64-bit nanoseconds (about ±292 years), and durations written with units.

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace kt {

using SimTime = std::int64_t;  // nanoseconds since the start of the run

inline constexpr SimTime kNanosecond = 1;
inline constexpr SimTime kMicrosecond = 1'000;
inline constexpr SimTime kMillisecond = 1'000'000;
inline constexpr SimTime kSecond = 1'000'000'000;
inline constexpr SimTime kMinute = 60 * kSecond;
inline constexpr SimTime kHour = 60 * kMinute;
inline constexpr SimTime kDay = 24 * kHour;
inline constexpr SimTime kTimeMax = std::numeric_limits<SimTime>::max();

// Result of parsing a duration: either a value or a message saying what is wrong.
struct DurationParse {
  SimTime value_ns = 0;
  std::string error;  // empty when the text was valid
  bool ok() const { return error.empty(); }
};

// Parses "250ms", "1.5s", "24h", "7d", "1h30m", "0". Units: ns, us (or µs), ms, s, m, h, d.
// Fractions are exact to the nanosecond; negative, unit-less, overflowing or finer than 1 ns
// values are errors.
DurationParse parse_duration(std::string_view text);

// The shortest exact spelling that parse_duration reads back to the same value:
// 90 s -> "1m30s", 1.5 s -> "1.5s", 250 ms -> "250ms", 0 -> "0s". Negative values get a '-'.
std::string format_duration(SimTime ns);

// Seconds as a double, for reports and arithmetic that needs real numbers.
constexpr double to_seconds(SimTime ns) {
  return static_cast<double>(ns) / 1e9;  // a division: whole seconds come out exact
}

// Rounds seconds to the nearest nanosecond, saturating at the representable range.
SimTime from_seconds(double seconds);

}  // namespace kt
