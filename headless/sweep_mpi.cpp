#include "headless/sweep_mpi.hpp"

#include "headless/args.hpp"

#include <cstdlib>
#include <stdexcept>

#ifdef KUBETWIN_WITH_MPI
#include <mpi.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "headless/diagnostics_output.hpp"
#include "headless/mpi_farm.hpp"
#endif

namespace kt::cli {

bool launched_with_several_ranks() {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
    if (const char* v = std::getenv(var); v && std::atoi(v) > 1) return true;
  }
  return false;
}

#ifndef KUBETWIN_WITH_MPI

MpiSession::MpiSession() {
  // Each rank would run the whole sweep into the same folder.
  if (launched_with_several_ranks()) {
    throw UsageError(
        "this kubetwin was built without MPI (configure with -DKUBETWIN_WITH_MPI=ON "
        "and OpenMPI installed, docs/distributed.md): run the sweep without mpirun, "
        "or shard it with --shard");
  }
}
MpiSession::~MpiSession() = default;
void MpiSession::stop_workers() {}

int mpi_sweep_worker(MpiSession&, const SweepGrid&, std::uint64_t) {
  throw std::logic_error("an MPI worker in a build without MPI");
}

void mpi_sweep_coordinate(
    MpiSession&, const SweepGrid&, const std::vector<std::size_t>&,
    const std::vector<runs::PreparedRun*>&, std::uint64_t, SweepProgress&,
    const std::function<void(const PointsRunning&, std::optional<std::size_t>)>&) {
  throw std::logic_error("MPI coordination in a build without MPI");
}

#else

namespace {

std::string point_message(std::uint64_t point) {
  return std::string(reinterpret_cast<const char*>(&point), sizeof point);
}

std::uint64_t message_point(const std::string& message) {
  std::uint64_t point = 0;
  if (message.size() != sizeof point) throw std::runtime_error("an MPI sweep order of no point");
  std::memcpy(&point, message.data(), sizeof point);
  return point;
}

}  // namespace

MpiSession::MpiSession() {
  if (!launched_with_several_ranks()) return;
  int provided = 0;
  // Only the main thread calls MPI; rank 0 runs its own points on another thread.
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  initialised_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks_);
  stopped_.assign(static_cast<std::size_t>(ranks_), false);
  stopped_[0] = true;
}

MpiSession::~MpiSession() {
  if (initialised_) MPI_Finalize();
}

int mpi_sweep_worker(MpiSession& mpi, const SweepGrid& grid, std::uint64_t threads) {
  mpi_reply(mpi_tags::kReady, {});
  for (;;) {
    int tag = 0;
    const std::string order = mpi_next_order(tag);
    if (tag != mpi_tags::kWork) return 0;
    const std::uint64_t point = message_point(order);
    runs::PreparedRun run;
    scenario::Diagnostics diags;
    if (!load_point(grid, point, run, diags)) {
      // Rank 0 loaded the same point without error: the files changed under the sweep.
      print_diagnostics(diags);
      std::fprintf(stderr, "kubetwin: rank %d: grid point %zu no longer loads\n", mpi.rank(),
                   static_cast<std::size_t>(point));
      MPI_Abort(MPI_COMM_WORLD, 3);
    }
    runs::execute_runs({&run}, threads);
    mpi_reply(mpi_tags::kResult, encode_point(point_result(grid, point, run.results)));
  }
}

void mpi_sweep_coordinate(
    MpiSession& mpi, const SweepGrid& grid, const std::vector<std::size_t>& todo,
    const std::vector<runs::PreparedRun*>& runs, std::uint64_t threads, SweepProgress& progress,
    const std::function<void(const PointsRunning&, std::optional<std::size_t>)>& on_change) {
  std::vector<std::string> work;
  for (std::size_t point : todo)
    work.push_back(point_message(point));
  PointsRunning running;
  FarmHooks hooks;
  hooks.run_here = [&](std::size_t k) {
    runs::execute_runs({runs[k]}, threads);
    return encode_point(point_result(grid, todo[k], runs[k]->results));
  };
  hooks.finished = [&](std::size_t k, const std::string& text) {
    PointResult r;
    if (!decode_point(text, r)) throw std::runtime_error("an MPI result that is not a point's");
    progress.record(todo[k], r);
    running.erase(todo[k]);
    on_change(running, todo[k]);
  };
  hooks.started = [&](std::size_t k, int rank) {
    running[todo[k]] = rank;
    on_change(running, std::nullopt);
  };
  mpi_farm(mpi, work, true, hooks);
}

#endif

}  // namespace kt::cli
