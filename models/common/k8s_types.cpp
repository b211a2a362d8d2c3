#include "models/common/k8s_types.hpp"

#include <cstdint>

#include <algorithm>
#include <cstdlib>

namespace kt::k8s {

bool LabelSelector::matches(const Labels& labels) const {
  for (const auto& [key, value] : match_labels) {
    const auto it = labels.find(key);
    if (it == labels.end() || it->second != value) return false;
  }
  for (const SelectorRequirement& req : expressions) {
    const auto it = labels.find(req.key);
    const bool present = it != labels.end();
    const auto listed = [&] {
      return present &&
             std::find(req.values.begin(), req.values.end(), it->second) != req.values.end();
    };
    switch (req.op) {
      case SelectorRequirement::Op::In:
        if (!listed()) return false;
        break;
      case SelectorRequirement::Op::NotIn:
        if (listed()) return false;  // absent keys satisfy NotIn, as upstream
        break;
      case SelectorRequirement::Op::Exists:
        if (!present) return false;
        break;
      case SelectorRequirement::Op::DoesNotExist:
        if (present) return false;
        break;
      case SelectorRequirement::Op::Gt:
      case SelectorRequirement::Op::Lt: {
        // Node affinity's numeric comparison: the label and the single value are integers.
        if (!present || req.values.size() != 1) return false;
        char* end = nullptr;
        const long long label = std::strtoll(it->second.c_str(), &end, 10);
        if (it->second.empty() || *end != '\0') return false;
        const long long bound = std::strtoll(req.values[0].c_str(), &end, 10);
        if (req.op == SelectorRequirement::Op::Gt ? !(label > bound) : !(label < bound)) {
          return false;
        }
        break;
      }
    }
  }
  return true;
}

std::optional<std::int64_t> decimal_integer(const std::string& text) {
  std::size_t i = text.size() > 1 && text[0] == '-' ? 1 : 0;
  if (i == text.size() || (text[i] == '0' && text.size() > i + 1)) return std::nullopt;
  std::int64_t v = 0;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    const int digit = text[i] - '0';
    if (v > (INT64_MAX - digit) / 10) return std::nullopt;
    v = v * 10 + digit;
  }
  return text[0] == '-' ? -v : v;
}

SimTime unreachable_eviction_delay(const std::vector<Toleration>& tolerations,
                                   SimTime admission_default) {
  const Taint taint{"node.kubernetes.io/unreachable", "", TaintEffect::NoExecute};
  bool matched = false;
  std::optional<std::int64_t> least;
  for (const Toleration& t : tolerations) {
    if (!t.tolerates(taint)) continue;
    matched = true;
    if (t.toleration_seconds) {
      const std::int64_t s = std::max<std::int64_t>(0, *t.toleration_seconds);
      least = least ? std::min(*least, s) : s;
    }
  }
  if (!matched) return admission_default;
  return least ? *least * kSecond : -1;
}

bool Toleration::tolerates(const Taint& taint) const {
  if (effect && *effect != taint.effect) return false;
  if (key.empty()) return op == Op::Exists;  // empty key: only with Exists, matches all keys
  if (key != taint.key) return false;
  switch (op) {
    case Op::Exists:
      return true;
    case Op::Equal:
      return value == taint.value;
    case Op::Lt:
    case Op::Gt: {
      const auto mine = decimal_integer(value);
      const auto theirs = decimal_integer(taint.value);
      if (!mine || !theirs) return false;
      return op == Op::Lt ? *theirs < *mine : *theirs > *mine;
    }
  }
  return false;
}

SimTime next_firing(const CronSchedule& s, SimTime t) {
  if (s.every > 0) return (t / s.every + 1) * s.every;
  // Walk minute by minute over at most 5 years of calendar: enough for "29 Feb" schedules.
  // Calendar: day 0 is a Monday in a non-leap January; months have their usual lengths.
  static constexpr int kDaysInMonth[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  SimTime minute = t / kMinute + 1;
  const SimTime limit = minute + 5LL * 366 * 24 * 60;
  for (; minute < limit; ++minute) {
    const SimTime day = minute / (24 * 60);
    const int hour = static_cast<int>((minute / 60) % 24);
    const int min = static_cast<int>(minute % 60);
    if (!s.minutes[static_cast<std::size_t>(min)] || !s.hours[static_cast<std::size_t>(hour)]) {
      continue;
    }
    // Day of year within a 4-year cycle whose last year is a leap year.
    SimTime d = day % (365 * 4 + 1);
    int year_in_cycle = 0;
    while (year_in_cycle < 3 && d >= 365) {
      d -= 365;
      ++year_in_cycle;
    }
    int month = 1;
    for (; month <= 12; ++month) {
      int len = kDaysInMonth[month] + (month == 2 && year_in_cycle == 3 ? 1 : 0);
      if (d < len) break;
      d -= len;
    }
    const int dom = static_cast<int>(d) + 1;
    const int dow = static_cast<int>((day + 1) % 7);  // day 0 is Monday; bit 0 is Sunday
    if (!s.months[static_cast<std::size_t>(month)]) continue;
    const bool dom_ok = s.days_of_month[static_cast<std::size_t>(dom)];
    const bool dow_ok = s.days_of_week[static_cast<std::size_t>(dow)];
    // Vixie cron: when both day fields are restricted, either may match.
    const bool day_ok = (s.day_of_month_restricted && s.day_of_week_restricted)
                            ? (dom_ok || dow_ok)
                            : (dom_ok && dow_ok);
    if (day_ok) return minute * kMinute;
  }
  return kTimeMax;
}

}  // namespace kt::k8s
