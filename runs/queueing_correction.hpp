#pragma once
// A latency histogram measures service time plus the wait in a pod's queue (and any network
// between the origin and the pod); taken as service time, its fit overstates service by that
// much, and a twin given it adds its own wait on top. The correction (one step of indirect
// inference): run the twin with the fit as service time, fit the same family to the latency
// the twin then produces, and scale the service mean and cv by observed / twin, so that the
// twin's latency matches what was observed. Run by `kubetwin calibrate` unless
// --no-queueing-correction.

#include <cstdint>

#include "scenarios/calibrate.hpp"

namespace kt::runs {

// Corrects every fitted workload of `cal` in place (service_mean_s, service_cv; the twin's
// latency fit in twin_latency_*) and renders its scenario again for `out_dir`. False, with
// errors in `diags`, when the calibrated scenario cannot be run.
bool correct_for_queueing(scenario::Calibration& cal, const std::string& out_dir,
                          std::uint64_t replications, std::uint64_t threads,
                          scenario::Diagnostics& diags);

}  // namespace kt::runs
