#pragma once
// Kubernetes value types the models work with: labels and selectors, taints and tolerations,
// resource lists and cron schedules. The scenario layer parses them from YAML; models only
// receive these typed, validated values (DESIGN.md guideline 3).

#include <bitset>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/time.hpp"

namespace kt::k8s {

using Labels = std::map<std::string, std::string>;  // ordered: iteration order never leaks

struct SelectorRequirement {
  enum class Op { In, NotIn, Exists, DoesNotExist, Gt, Lt };  // Gt, Lt: node affinity only
  std::string key;
  Op op = Op::In;
  std::vector<std::string> values;
};

// metav1.LabelSelector: every matchLabels pair and every expression must hold. An empty
// selector matches everything.
struct LabelSelector {
  Labels match_labels;
  std::vector<SelectorRequirement> expressions;
  bool empty() const { return match_labels.empty() && expressions.empty(); }
  bool matches(const Labels& labels) const;
};

enum class TaintEffect { NoSchedule, PreferNoSchedule, NoExecute };

struct Taint {
  std::string key;
  std::string value;
  TaintEffect effect = TaintEffect::NoSchedule;
};

// core/v1 Toleration. An empty key with operator Exists tolerates every taint; an empty effect
// matches every effect.
struct Toleration {
  // Lt and Gt compare the taint's value with the toleration's as decimal integers (upstream's
  // feature gate TaintTolerationComparisonOperators): Lt tolerates a taint whose value is
  // less than the toleration's, Gt one whose value is greater; a value that is not a decimal
  // integer tolerates nothing (k8s.io/api core/v1 toleration.go, compareNumericValues).
  enum class Op { Equal, Exists, Lt, Gt };
  std::string key;
  Op op = Op::Equal;
  std::string value;
  std::optional<TaintEffect> effect;               // unset: all effects
  std::optional<std::int64_t> toleration_seconds;  // NoExecute only; unset: forever
  bool tolerates(const Taint& taint) const;
};

// How long after its node is tainted node.kubernetes.io/unreachable:NoExecute a pod with these
// tolerations is evicted, as upstream's taint-eviction controller reads them
// (pkg/controller/tainteviction/taint_eviction.go, getMinTolerationTime): the least
// tolerationSeconds among those that match (0 at most: at once), -1 (never) when none of them
// has seconds; DefaultTolerationSeconds admission gives a pod that has none that matches
// `admission_default` (300 s).
SimTime unreachable_eviction_delay(const std::vector<Toleration>& tolerations,
                                   SimTime admission_default);

// A decimal integer as upstream's content.IsDecimalInteger accepts it (an optional '-', no
// leading zeros, int64 range); nullopt otherwise.
std::optional<std::int64_t> decimal_integer(const std::string& text);

// Resource quantities in milli-units: cpu "100m" -> 100, memory "128Mi" -> 134217728000,
// extended resources ("quantum.qubits": "50" -> 50000). Keys are resource names.
using ResourceList = std::map<std::string, std::int64_t>;

inline constexpr const char* kCpu = "cpu";
inline constexpr const char* kMemory = "memory";

// A cron schedule as Knative's PingSource reads it (five fields, or @every DURATION).
struct CronSchedule {
  std::bitset<60> minutes;
  std::bitset<24> hours;
  std::bitset<32> days_of_month;  // bit 1..31
  std::bitset<13> months;         // bit 1..12
  std::bitset<7> days_of_week;    // bit 0 = Sunday
  bool day_of_month_restricted = false;
  bool day_of_week_restricted = false;
  SimTime every = 0;  // > 0 for "@every DURATION"
};

// The first firing strictly after `t`, where simulated time 0 is midnight at the start of a
// Monday (documented in docs/scenario.md). Returns kTimeMax if the schedule never fires.
SimTime next_firing(const CronSchedule& schedule, SimTime t);

}  // namespace kt::k8s
