#pragma once
// `mpirun -n N kubetwin sweep ...` (a build with -DKUBETWIN_WITH_MPI=ON): rank 0 loads and
// checks every grid point, then hands the points out one at a time to whichever rank asks
// (dynamic load balancing; rank 0 runs points too, on a thread of its own, while its main
// thread answers), each rank running a point's policies x replications on its oneTBB threads;
// every result comes back to rank 0 as the text a finished point writes (sweep_grid.hpp),
// which keeps it in DEST.partial and writes the same sweep.csv as one process would. Without
// MPI (or not under mpirun) there is one rank and none of this runs.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "headless/sweep_grid.hpp"
#include "headless/sweep_progress.hpp"

namespace kt::cli {

// Started by an MPI launcher with more than one process (OpenMPI's mpirun: OMPI_COMM_WORLD_SIZE;
// PMI launchers such as MPICH's or Slurm's srun: PMI_SIZE, PMIX_SIZE), whether or not this
// build has MPI.
bool launched_with_several_ranks();

class MpiSession {
 public:
  MpiSession();  // MPI_Init when built with MPI and started by mpirun (or srun) with N > 1
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return rank_; }
  int ranks() const { return ranks_; }
  bool worker() const { return ranks_ > 1 && rank_ != 0; }
  // Rank 0: tells every worker not yet told to stop (on every way out of the sweep).
  void stop_workers();
  std::vector<bool>& stopped() { return stopped_; }
  // Workers that asked for work and were given none yet (a plan's, between its probes).
  std::vector<int>& idle() { return idle_; }

 private:
  int rank_ = 0;
  int ranks_ = 1;
  bool initialised_ = false;
  std::vector<bool> stopped_;
  std::vector<int> idle_;
};

// Stops the workers when rank 0 leaves the sweep, by any path (an invalid point included).
class MpiStopWorkers {
 public:
  explicit MpiStopWorkers(MpiSession& mpi) : mpi_(mpi) {}
  ~MpiStopWorkers() { mpi_.stop_workers(); }
  MpiStopWorkers(const MpiStopWorkers&) = delete;
  MpiStopWorkers& operator=(const MpiStopWorkers&) = delete;

 private:
  MpiSession& mpi_;
};

// A worker rank: asks for points, runs them, sends their results, until told to stop.
int mpi_sweep_worker(MpiSession& mpi, const SweepGrid& grid, std::uint64_t threads);

// Which rank runs which point now (rank 0's own included).
using PointsRunning = std::map<std::size_t, int>;

// Rank 0: runs `todo` (runs[k] is todo[k], prepared) over every rank; each finished point is
// recorded in `progress`; `on_change` hears of every point handed out or finished (the one
// finished, if any; from this thread), with the points running where.
void mpi_sweep_coordinate(
    MpiSession& mpi, const SweepGrid& grid, const std::vector<std::size_t>& todo,
    const std::vector<runs::PreparedRun*>& runs, std::uint64_t threads, SweepProgress& progress,
    const std::function<void(const PointsRunning&, std::optional<std::size_t>)>& on_change);

}  // namespace kt::cli
