#include "engine/time.hpp"

#include <array>
#include <cmath>

namespace kt {
namespace {

struct Unit {
  std::string_view name;
  SimTime ns;
};

constexpr std::array<Unit, 8> kUnits{{{"ns", kNanosecond},
                                      {"us", kMicrosecond},
                                      {"\xC2\xB5s", kMicrosecond},  // µs
                                      {"ms", kMillisecond},
                                      {"s", kSecond},
                                      {"m", kMinute},
                                      {"h", kHour},
                                      {"d", kDay}}};

// 128-bit intermediates make overflow checks exact; __extension__ keeps -Wpedantic quiet.
__extension__ typedef __int128 Int128;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

const Unit* find_unit(std::string_view name) {
  for (const Unit& u : kUnits) {
    if (u.name == name) return &u;
  }
  return nullptr;
}

DurationParse fail(std::string message) {
  return DurationParse{0, std::move(message)};
}

}  // namespace

DurationParse parse_duration(std::string_view text) {
  std::string quoted(1, '\'');
  quoted.append(text).push_back('\'');
  if (text.empty()) return fail("empty duration; expected e.g. 250ms, 1.5s, 24h");
  if (text.front() == '-') return fail("negative duration " + quoted);
  if (text.front() == '+') text.remove_prefix(1);
  if (text == "0") return DurationParse{0, {}};

  Int128 total = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    // Integer part.
    Int128 whole = 0;
    std::size_t digits = 0;
    while (pos < text.size() && is_digit(text[pos])) {
      whole = whole * 10 + (text[pos] - '0');
      if (whole > kTimeMax) return fail("duration " + quoted + " overflows 64-bit nanoseconds");
      ++pos;
      ++digits;
    }
    // Fraction: kept as numerator / 10^k, exact.
    Int128 frac_num = 0;
    Int128 frac_den = 1;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      while (pos < text.size() && is_digit(text[pos])) {
        if (frac_den < static_cast<Int128>(1'000'000'000'000'000'000LL)) {
          frac_num = frac_num * 10 + (text[pos] - '0');
          frac_den *= 10;
        } else if (text[pos] != '0') {
          return fail("duration " + quoted + " has more digits than nanoseconds can hold");
        }
        ++pos;
        ++digits;
      }
    }
    if (digits == 0) return fail("expected a number in duration " + quoted);
    if (pos >= text.size()) {
      return fail("missing unit in duration " + quoted + "; units: ns us ms s m h d (e.g. 250ms)");
    }
    // The unit is everything up to the next number, so "5sec" names the unit "sec".
    std::size_t end = pos;
    while (end < text.size() && !is_digit(text[end]) && text[end] != '.')
      ++end;
    const std::string_view name = text.substr(pos, end - pos);
    const Unit* unit = find_unit(name);
    if (name.empty()) {
      return fail("missing unit after a number in duration " + quoted +
                  "; units: ns us ms s m h d");
    }
    if (!unit) {
      return fail("unknown unit '" + std::string(name) + "' in duration " + quoted +
                  "; units: ns us ms s m h d");
    }
    pos = end;
    const Int128 scaled_frac = frac_num * unit->ns;
    if (scaled_frac % frac_den != 0) {
      return fail("duration " + quoted + " is finer than one nanosecond");
    }
    total += whole * unit->ns + scaled_frac / frac_den;
    if (total > kTimeMax) return fail("duration " + quoted + " overflows 64-bit nanoseconds");
  }
  return DurationParse{static_cast<SimTime>(total), {}};
}

std::string format_duration(SimTime ns) {
  if (ns == 0) return "0s";
  if (ns < 0) {
    // -kTimeMax-1 has no positive counterpart; print it through unsigned arithmetic.
    if (ns == std::numeric_limits<SimTime>::min()) return "-106751d23h47m16.854775808s";
    std::string out(1, '-');
    return out.append(format_duration(-ns));
  }
  // Below one second: one unit with an exact decimal fraction ("1.5ms", "250us", "7ns").
  auto with_fraction = [](SimTime value, SimTime unit_ns, std::string_view unit) {
    std::string out = std::to_string(value / unit_ns);
    SimTime rest = value % unit_ns;
    if (rest != 0) {
      std::string frac;
      for (SimTime scale = unit_ns / 10; scale > 0; scale /= 10) {
        frac += static_cast<char>('0' + (rest / scale) % 10);
      }
      while (!frac.empty() && frac.back() == '0')
        frac.pop_back();
      out += "." + frac;
    }
    out += unit;
    return out;
  };
  if (ns < kMicrosecond) return std::to_string(ns) + "ns";
  if (ns < kMillisecond) return with_fraction(ns, kMicrosecond, "us");
  if (ns < kSecond) return with_fraction(ns, kMillisecond, "ms");

  std::string out;
  SimTime rest = ns;
  for (const auto& [unit_ns, name] :
       {std::pair{kDay, "d"}, std::pair{kHour, "h"}, std::pair{kMinute, "m"}}) {
    if (rest >= unit_ns) {
      out += std::to_string(rest / unit_ns) + name;
      rest %= unit_ns;
    }
  }
  if (rest != 0) out += with_fraction(rest, kSecond, "s");
  return out;
}

SimTime from_seconds(double seconds) {
  const double ns = std::nearbyint(seconds * 1e9);
  if (!(ns < 9.2233720368547748e18)) return std::isnan(ns) ? 0 : kTimeMax;
  if (ns < -9.2233720368547748e18) return std::numeric_limits<SimTime>::min();
  return static_cast<SimTime>(ns);
}

}  // namespace kt
