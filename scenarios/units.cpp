#include "scenarios/units.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <vector>

#include "engine/time.hpp"

namespace kt::scenario {

namespace {

__extension__ typedef __int128 Int128;

std::string quoted(std::string_view text) {
  std::string out = "\"";
  out.append(text.substr(0, 64));
  if (text.size() > 64) out += "...";
  out += '"';
  return out;
}

}  // namespace

Parsed<std::int64_t> parse_quantity(std::string_view text) {
  Parsed<std::int64_t> out;
  const std::string bad = "invalid quantity " + quoted(text) +
                          " (expected a number with an optional suffix: m, k, M, G, T, P, E, "
                          "Ki, Mi, Gi, Ti, Pi, Ei)";
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    if (text[i] == '-') {
      out.error = "quantity " + quoted(text) + " is negative";
      return out;
    }
    ++i;
  }
  // Mantissa as an exact integer with a count of decimal places.
  Int128 mantissa = 0;
  int decimals = 0;
  bool digits = false;
  bool point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits = true;
      if (mantissa > (Int128(1) << 100)) {
        out.error = "quantity " + quoted(text) + " is too large";
        return out;
      }
      mantissa = mantissa * 10 + (c - '0');
      if (point) ++decimals;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      break;
    }
  }
  if (!digits || decimals > 9) {
    out.error = bad;
    return out;
  }
  const std::string_view suffix = text.substr(i);
  // The quantity is mantissa * 10^-decimals * base^power; in milli-units multiply by 1000.
  Int128 multiplier = 1000;
  int exponent10 = 0;
  static const std::array<std::pair<std::string_view, int>, 6> binary = {
      {{"Ki", 1}, {"Mi", 2}, {"Gi", 3}, {"Ti", 4}, {"Pi", 5}, {"Ei", 6}}};
  static const std::array<std::pair<std::string_view, int>, 9> decimal = {{{"n", -9},
                                                                           {"u", -6},
                                                                           {"m", -3},
                                                                           {"", 0},
                                                                           {"k", 3},
                                                                           {"M", 6},
                                                                           {"G", 9},
                                                                           {"T", 12},
                                                                           {"P", 15}}};
  bool known = false;
  for (const auto& [name, power] : binary) {
    if (suffix == name) {
      multiplier <<= 10 * power;
      known = true;
    }
  }
  for (const auto& [name, power] : decimal) {
    if (suffix == name) {
      exponent10 = power;
      known = true;
    }
  }
  if (suffix == "E") {
    exponent10 = 18;
    known = true;
  }
  if (!known && (suffix.size() >= 2 && (suffix[0] == 'e' || suffix[0] == 'E'))) {
    int e = 0;
    const char* first = suffix.data() + 1;
    const char* last = suffix.data() + suffix.size();
    if (*first == '+') ++first;
    const auto [ptr, ec] = std::from_chars(first, last, e);
    if (ec == std::errc() && ptr == last && e >= -18 && e <= 18) {
      exponent10 = e;
      known = true;
    }
  }
  if (!known) {
    out.error = "unknown unit '" + std::string(suffix.substr(0, 16)) + "' in quantity " +
                quoted(text) + " (units: m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei)";
    return out;
  }
  exponent10 -= decimals;
  Int128 value = mantissa * multiplier;
  const Int128 limit = Int128(std::numeric_limits<std::int64_t>::max());
  for (; exponent10 > 0; --exponent10) {
    value *= 10;
    if (value > limit) break;
  }
  if (value > limit) {
    out.error = "quantity " + quoted(text) + " is too large";
    return out;
  }
  // Negative exponent: divide, rounding up to the next milli-unit as upstream does.
  for (; exponent10 < 0; ++exponent10)
    value = (value + 9) / 10;
  out.value = static_cast<std::int64_t>(value);
  return out;
}

Parsed<double> parse_number(std::string_view text) {
  Parsed<double> out;
  double v = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (first != last && *first == '+') ++first;
  const auto [ptr, ec] = std::from_chars(first, last, v);
  if (text.empty() || ec != std::errc() || ptr != last || !std::isfinite(v)) {
    out.error = "invalid number " + quoted(text);
    return out;
  }
  out.value = v;
  return out;
}

Parsed<double> parse_percentage(std::string_view text) {
  Parsed<double> out;
  if (text.empty() || text.back() != '%') {
    out.error = "invalid percentage " + quoted(text) + " (expected e.g. \"40%\")";
    return out;
  }
  const Parsed<double> n = parse_number(text.substr(0, text.size() - 1));
  if (!n.ok()) {
    out.error = "invalid percentage " + quoted(text) + " (expected e.g. \"40%\")";
    return out;
  }
  if (n.value < 0 || n.value > 100) {
    out.error = "percentage " + quoted(text) + " is outside 0%..100%";
    return out;
  }
  out.value = n.value / 100.0;
  return out;
}

Parsed<double> parse_rate(std::string_view text) {
  Parsed<double> out;
  const std::size_t slash = text.find('/');
  const std::string expected = " (expected COUNT/UNIT, e.g. \"50/s\", \"2/h\", \"120/1m\")";
  if (slash == std::string_view::npos) {
    out.error = "invalid rate " + quoted(text) + expected;
    return out;
  }
  const Parsed<double> count = parse_number(text.substr(0, slash));
  if (!count.ok()) {
    out.error = "invalid rate " + quoted(text) + expected;
    return out;
  }
  std::string per(text.substr(slash + 1));
  if (!per.empty() && !std::isdigit(static_cast<unsigned char>(per[0]))) per.insert(0, "1");
  const DurationParse d = parse_duration(per);
  if (!d.ok() || d.value_ns <= 0) {
    out.error = "invalid rate " + quoted(text) + ": unknown time unit '" +
                std::string(text.substr(slash + 1, 16)) + "' (units: ns us ms s m h d)";
    return out;
  }
  if (count.value <= 0) {
    out.error = "rate " + quoted(text) + " must be positive";
    return out;
  }
  out.value = count.value / to_seconds(d.value_ns);
  return out;
}

namespace {

struct CronField {
  const char* name;
  int min;
  int max;
  std::vector<std::string_view> names;  // index = value - name_base
  int name_base;
};

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(sep, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

bool parse_cron_value(std::string_view text, const CronField& field, int& out) {
  for (std::size_t i = 0; i < field.names.size(); ++i) {
    std::string upper(text);
    for (char& c : upper)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper == field.names[i]) {
      out = static_cast<int>(i) + field.name_base;
      return true;
    }
  }
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && ptr == text.data() + text.size();
}

// Sets bits [min, max] of `bits` for one field; returns an error message or "".
template <std::size_t N>
std::string parse_cron_field(std::string_view text, const CronField& field, std::bitset<N>& bits,
                             bool& restricted) {
  restricted = text != "*" && text != "?";
  for (std::string_view item : split(text, ',')) {
    int step = 1;
    if (const std::size_t slash = item.find('/'); slash != std::string_view::npos) {
      const std::string_view step_text = item.substr(slash + 1);
      const auto [ptr, ec] =
          std::from_chars(step_text.data(), step_text.data() + step_text.size(), step);
      if (step_text.empty() || ec != std::errc() || ptr != step_text.data() + step_text.size() ||
          step <= 0) {
        return std::string("invalid step in ") + field.name + " field '" + std::string(item) + "'";
      }
      item = item.substr(0, slash);
    }
    int lo = field.min;
    int hi = field.max;
    if (item != "*" && item != "?") {
      const std::size_t dash = item.find('-');
      if (dash == std::string_view::npos) {
        if (!parse_cron_value(item, field, lo)) {
          return std::string("invalid ") + field.name + " '" + std::string(item) + "'";
        }
        hi = step > 1 ? field.max : lo;  // "5/15" means 5, 20, 35, 50
      } else if (!parse_cron_value(item.substr(0, dash), field, lo) ||
                 !parse_cron_value(item.substr(dash + 1), field, hi)) {
        return std::string("invalid ") + field.name + " range '" + std::string(item) + "'";
      }
    }
    if (lo < field.min || hi > field.max || lo > hi) {
      return std::string(field.name) + " '" + std::string(item) + "' is outside " +
             std::to_string(field.min) + "-" + std::to_string(field.max);
    }
    for (int v = lo; v <= hi; v += step)
      bits.set(static_cast<std::size_t>(v % static_cast<int>(N)));
  }
  return {};
}

}  // namespace

Parsed<k8s::CronSchedule> parse_cron(std::string_view text) {
  Parsed<k8s::CronSchedule> out;
  std::string_view spec = text;
  while (!spec.empty() && spec.front() == ' ')
    spec.remove_prefix(1);
  while (!spec.empty() && spec.back() == ' ')
    spec.remove_suffix(1);
  if (spec.rfind("@every ", 0) == 0) {
    const DurationParse d = parse_duration(spec.substr(7));
    if (!d.ok() || d.value_ns <= 0) {
      out.error = "invalid cron schedule " + quoted(text) + ": " +
                  (d.ok() ? std::string("interval must be positive") : d.error);
      return out;
    }
    out.value.every = d.value_ns;
    return out;
  }
  static const std::array<std::pair<std::string_view, std::string_view>, 7> macros = {{
      {"@yearly", "0 0 1 1 *"},
      {"@annually", "0 0 1 1 *"},
      {"@monthly", "0 0 1 * *"},
      {"@weekly", "0 0 * * 0"},
      {"@daily", "0 0 * * *"},
      {"@midnight", "0 0 * * *"},
      {"@hourly", "0 * * * *"},
  }};
  for (const auto& [name, expansion] : macros) {
    if (spec == name) spec = expansion;
  }
  std::vector<std::string_view> fields;
  for (std::string_view part : split(spec, ' ')) {
    if (!part.empty()) fields.push_back(part);
  }
  if (fields.size() != 5) {
    out.error = "invalid cron schedule " + quoted(text) + ": expected 5 fields (minute hour " +
                "day-of-month month day-of-week), got " + std::to_string(fields.size());
    return out;
  }
  static const CronField minute{"minute", 0, 59, {}, 0};
  static const CronField hour{"hour", 0, 23, {}, 0};
  static const CronField dom{"day-of-month", 1, 31, {}, 0};
  static const CronField month{
      "month",
      1,
      12,
      {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"},
      1};
  static const CronField dow{
      "day-of-week", 0, 7, {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}, 0};
  k8s::CronSchedule& s = out.value;
  bool unused = false;
  std::bitset<8> dow_bits;
  std::string problem = parse_cron_field(fields[0], minute, s.minutes, unused);
  if (problem.empty()) problem = parse_cron_field(fields[1], hour, s.hours, unused);
  if (problem.empty()) {
    problem = parse_cron_field(fields[2], dom, s.days_of_month, s.day_of_month_restricted);
  }
  if (problem.empty()) problem = parse_cron_field(fields[3], month, s.months, unused);
  if (problem.empty()) {
    problem = parse_cron_field(fields[4], dow, dow_bits, s.day_of_week_restricted);
  }
  if (!problem.empty()) {
    out.error = "invalid cron schedule " + quoted(text) + ": " + problem;
    return out;
  }
  for (std::size_t d = 0; d < 7; ++d)
    s.days_of_week[d] = dow_bits[d];
  if (dow_bits[7]) s.days_of_week[0] = true;  // 7 is Sunday too
  return out;
}

}  // namespace kt::scenario
