#pragma once
// Inside the scenario layer only: Prometheus sample values and times as the exports write
// them (shared by prometheus_export.cpp and workload_observation.cpp).

#include <string>

namespace kt::scenario {

// "t=1795996800", for messages.
std::string format_sample_time(double unix_s);

// The value Prometheus writes as a string ("12.5", "NaN", "+Inf"), parsed strictly.
bool parse_sample(const std::string& text, double& out);

}  // namespace kt::scenario
