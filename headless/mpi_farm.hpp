#pragma once
// Rank 0's side of kubetwin's MPI work (a build with KUBETWIN_WITH_MPI): a list of items, each
// a message a worker knows how to run, handed out one at a time to whichever rank asks
// (dynamic load balancing), while rank 0 runs items too on a thread of its own and its main
// thread answers (MPI_THREAD_FUNNELED: only that thread calls MPI). A worker sends kReady
// once, then a kResult per item it ran; rank 0 answers each with kWork (the next item) or,
// when none is left, kStop (a sweep) or nothing until the next batch (a plan's next probe).
// The workers' loops are the sweep's and the plan's own (sweep_mpi.cpp, plan_mpi.cpp).

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "headless/sweep_mpi.hpp"

namespace kt::cli {

namespace mpi_tags {
inline constexpr int kReady = 1;
inline constexpr int kResult = 2;
inline constexpr int kWork = 3;
inline constexpr int kStop = 4;
}  // namespace mpi_tags

struct FarmHooks {
  // Runs item k on rank 0's own thread; returns what a worker would have sent back.
  std::function<std::string(std::size_t)> run_here;
  // Item k's result arrived (from any rank; called on the main thread, in arrival order).
  std::function<void(std::size_t, const std::string&)> finished;
  // Item k went to `rank` (0: rank 0's own thread). May be empty.
  std::function<void(std::size_t, int)> started;
};

// Rank 0: runs every item of `work`; returns once all have finished. With `stop_when_done`
// each worker is told to stop when nothing is left for it; else it is kept waiting in
// mpi.idle() for the next call.
void mpi_farm(MpiSession& mpi, const std::vector<std::string>& work, bool stop_when_done,
              const FarmHooks& hooks);

// A worker: the next message from rank 0 (its tag in `tag`; kStop's carries nothing).
std::string mpi_next_order(int& tag);
// A worker: sends rank 0 the result of the item it ran (or kReady, empty, to begin).
void mpi_reply(int tag, const std::string& message);

}  // namespace kt::cli
