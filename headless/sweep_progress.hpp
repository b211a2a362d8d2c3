#pragma once
// The finished points of a sweep in progress, kept beside its output folder (DEST.partial/)
// so that an interrupted sweep, or one whose MPI rank died, resumes where it stopped
// (`--resume DEST`): each point's result is written atomically (a temporary file renamed into
// place) as soon as the point finishes; the folder goes once the output folder is complete.
// `sweep.key` names the sweep (scenario file contents, grid, shard, seed, replications), so
// a resume never mixes the points of two different sweeps.

#include <cstddef>
#include <map>
#include <mutex>
#include <string>

#include "headless/sweep_grid.hpp"

namespace kt::cli {

class SweepProgress {
 public:
  // Opens DEST.partial for `grid`. With `resume`, the points already there are read (a
  // folder from another sweep is a UsageError); without, an earlier one is cleared.
  SweepProgress(const std::string& destination, const SweepGrid& grid, bool resume);

  const std::map<std::size_t, PointResult>& done() const { return done_; }
  const std::string& folder() const { return folder_; }
  // Keeps a finished point (thread-safe).
  void record(std::size_t point, const PointResult& result);
  // The output folder is complete: the partial results go.
  void finish();

 private:
  std::string folder_;
  std::map<std::size_t, PointResult> done_;
  std::mutex mutex_;
};

// The sweep's identity: what must be equal for a resume to continue it.
std::string sweep_key(const SweepGrid& grid);

}  // namespace kt::cli
