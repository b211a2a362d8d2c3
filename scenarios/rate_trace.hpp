#pragma once
// An observed request-rate curve (what `kubetwin calibrate` writes from a Prometheus export):
// a CSV of `start,rate` rows, replayed as a non-homogeneous Poisson process.

#include <string>
#include <vector>

#include "engine/time.hpp"
#include "scenarios/diagnostics.hpp"

namespace kt::scenario {

struct RateTrace {
  std::vector<SimTime> starts;  // from 0, ascending
  std::vector<double> rates;    // per second, from each start to the next
  SimTime span = 0;             // the end of the last interval
};

// Reads `path`: an optional header line, then `start,rate` per line (start in seconds or a
// duration, rate per second >= 0); starts ascending, shifted so that the first is 0 (Unix
// timestamps are fine); the last interval as long as the one before it. `#` starts a comment.
// Problems are errors at their file:line:col; a missing file is one at `named_at`.
bool load_rate_trace(const std::string& path, const SourcePos& named_at, RateTrace& out,
                     Diagnostics& diags);

// The CSV that load_rate_trace reads back to the same trace (shifted to start at 0).
std::string rate_trace_csv(const RateTrace& trace);

}  // namespace kt::scenario
