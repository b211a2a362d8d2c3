#include "headless/sweep_mpi.hpp"

#include "headless/args.hpp"

#include <cstdlib>
#include <stdexcept>

#ifdef KUBETWIN_WITH_MPI
#include <mpi.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <string>
#include <thread>

#include "headless/diagnostics_output.hpp"
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

// Messages: a worker sends kReady once, then kResult (the point, then its text) per point;
// rank 0 answers each with kWork (a point) or kStop.
constexpr int kReady = 1;
constexpr int kResult = 2;
constexpr int kWork = 3;
constexpr int kStop = 4;

void send_point(int to, int tag, std::uint64_t point) {
  MPI_Send(&point, 1, MPI_UINT64_T, to, tag, MPI_COMM_WORLD);
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

void MpiSession::stop_workers() {
  if (!initialised_ || rank_ != 0) return;
  for (int r = 1; r < ranks_; ++r) {
    if (!stopped_[static_cast<std::size_t>(r)]) {
      send_point(r, kStop, 0);
      stopped_[static_cast<std::size_t>(r)] = true;
    }
  }
}

int mpi_sweep_worker(MpiSession&, const SweepGrid& grid, std::uint64_t threads) {
  MPI_Send(nullptr, 0, MPI_BYTE, 0, kReady, MPI_COMM_WORLD);
  for (;;) {
    std::uint64_t point = 0;
    MPI_Status status;
    MPI_Recv(&point, 1, MPI_UINT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
    if (status.MPI_TAG == kStop) return 0;
    runs::PreparedRun run;
    scenario::Diagnostics diags;
    if (!load_point(grid, point, run, diags)) {
      // Rank 0 loaded the same point without error: the files changed under the sweep.
      print_diagnostics(diags);
      std::fprintf(stderr, "kubetwin: rank %d: grid point %zu no longer loads\n", status.MPI_SOURCE,
                   static_cast<std::size_t>(point));
      MPI_Abort(MPI_COMM_WORLD, 3);
    }
    runs::execute_runs({&run}, threads);
    const std::string text = encode_point(point_result(grid, point, run.results));
    std::string message(sizeof point, '\0');
    std::memcpy(message.data(), &point, sizeof point);
    message += text;
    MPI_Send(message.data(), static_cast<int>(message.size()), MPI_BYTE, 0, kResult,
             MPI_COMM_WORLD);
  }
}

void mpi_sweep_coordinate(
    MpiSession& mpi, const SweepGrid& grid, const std::vector<std::size_t>& todo,
    const std::vector<runs::PreparedRun*>& runs, std::uint64_t threads, SweepProgress& progress,
    const std::function<void(const PointsRunning&, std::optional<std::size_t>)>& on_change) {
  std::map<std::size_t, runs::PreparedRun*> prepared;
  for (std::size_t k = 0; k < todo.size(); ++k)
    prepared[todo[k]] = runs[k];
  std::deque<std::size_t> pending(todo.begin(), todo.end());
  std::size_t finished = 0;
  // Rank 0's own point, on a thread of its own.
  std::thread local;
  std::atomic<bool> local_done{false};
  bool local_busy = false;
  std::size_t local_point = 0;
  PointResult local_result;
  PointsRunning running;
  const auto hand_out = [&](int to) {
    if (pending.empty()) {
      send_point(to, kStop, 0);
      mpi.stopped()[static_cast<std::size_t>(to)] = true;
      return;
    }
    send_point(to, kWork, pending.front());
    running[pending.front()] = to;
    pending.pop_front();
    on_change(running, std::nullopt);
  };
  while (finished < todo.size()) {
    bool idle = true;
    int arrived = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &status);
    if (arrived) {
      idle = false;
      int bytes = 0;
      MPI_Get_count(&status, MPI_BYTE, &bytes);
      std::string message(static_cast<std::size_t>(bytes), '\0');
      MPI_Recv(message.data(), bytes, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
      if (status.MPI_TAG == kResult) {
        std::uint64_t point = 0;
        PointResult r;
        if (message.size() < sizeof point) throw std::runtime_error("a short MPI result");
        std::memcpy(&point, message.data(), sizeof point);
        if (!decode_point(message.substr(sizeof point), r))
          throw std::runtime_error("an MPI result that is not a sweep point's");
        progress.record(static_cast<std::size_t>(point), r);
        running.erase(static_cast<std::size_t>(point));
        ++finished;
        on_change(running, static_cast<std::size_t>(point));
      }
      hand_out(status.MPI_SOURCE);
    }
    if (local_busy && local_done.load()) {
      local.join();
      local_busy = false;
      progress.record(local_point, local_result);
      running.erase(local_point);
      ++finished;
      on_change(running, local_point);
      idle = false;
    }
    if (!local_busy && !pending.empty()) {
      local_point = pending.front();
      pending.pop_front();
      local_busy = true;
      local_done = false;
      running[local_point] = 0;
      on_change(running, std::nullopt);
      runs::PreparedRun* run = prepared.at(local_point);
      local = std::thread([&, run] {
        runs::execute_runs({run}, threads);
        local_result = point_result(grid, local_point, run->results);
        local_done = true;
      });
      idle = false;
    }
    if (idle) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (local.joinable()) local.join();
}

#endif

}  // namespace kt::cli
