#pragma once
// `mpirun -n N kubetwin plan ...` (a build with MPI): the search stays on rank 0, which
// spreads each probe's replications over the ranks (rank 0 runs some on a thread of its own);
// each comes back as its metrics, bit for bit, so the probe's summary, the search and every
// output are those of one process (docs/distributed.md).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "headless/sweep_mpi.hpp"
#include "runs/runner.hpp"

namespace kt::cli {

// What a worker needs to load a probe as rank 0 did.
struct PlanProbeSpec {
  std::string policy;
  std::vector<std::pair<std::string, std::string>> settings;
};

// Rank 0: every replication of `run`'s one planned policy over the ranks, filling
// run.results.runs in order and summarising them as execute_runs does.
void mpi_plan_replications(MpiSession& mpi, const PlanProbeSpec& probe, runs::PreparedRun& run,
                           std::uint64_t threads);

// A worker rank: runs the replications it is given until told to stop.
int mpi_plan_worker(MpiSession& mpi, const std::string& scenario_file,
                    std::optional<std::uint64_t> seed, std::optional<std::int64_t> replications,
                    std::uint64_t threads);

}  // namespace kt::cli
