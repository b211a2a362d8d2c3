#pragma once
// Inside the scenario layer: the parameters a policy may give the hybrid histogram keep-alive
// policy, `keepAlive: hybrid-histogram:KEY=VALUE,...` (kubetwin extension, docs/scenario.md),
// so that its trade-off can be explored as the paper explores its histogram range.

#include <string>

#include "models/serverless/keep_alive.hpp"

namespace kt::scenario {

// Reads "range=2h,head=5,tail=99,cv=2,margin=10" (any subset, any order) into `out`, whose
// other fields keep their defaults. The problem in words, or empty when there is none.
std::string parse_hybrid_params(const std::string& text, serverless::HybridHistogramParams& out);

}  // namespace kt::scenario
