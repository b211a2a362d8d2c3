#include "headless/mpi_farm.hpp"

#ifdef KUBETWIN_WITH_MPI
#include <mpi.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <stdexcept>
#include <thread>

namespace kt::cli {

using namespace mpi_tags;

namespace {

void send(int to, int tag, const std::string& message) {
  MPI_Send(message.data(), static_cast<int>(message.size()), MPI_BYTE, to, tag, MPI_COMM_WORLD);
}

std::string receive(const MPI_Status& status) {
  int bytes = 0;
  MPI_Get_count(&status, MPI_BYTE, &bytes);
  std::string message(static_cast<std::size_t>(bytes), '\0');
  MPI_Recv(message.data(), bytes, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  return message;
}

}  // namespace

void MpiSession::stop_workers() {
  if (!initialised_ || rank_ != 0) return;
  for (int r = 1; r < ranks_; ++r) {
    if (!stopped_[static_cast<std::size_t>(r)]) {
      send(r, kStop, {});
      stopped_[static_cast<std::size_t>(r)] = true;
    }
  }
  idle_.clear();
}

void mpi_farm(MpiSession& mpi, const std::vector<std::string>& work, bool stop_when_done,
              const FarmHooks& hooks) {
  std::deque<std::size_t> pending;
  for (std::size_t k = 0; k < work.size(); ++k)
    pending.push_back(k);
  std::vector<std::size_t> holding(static_cast<std::size_t>(mpi.ranks()), 0);  // per worker
  std::size_t finished = 0;
  const auto give = [&](int to) {
    if (pending.empty()) {
      if (stop_when_done) {
        send(to, kStop, {});
        mpi.stopped()[static_cast<std::size_t>(to)] = true;
      } else {
        mpi.idle().push_back(to);
      }
      return;
    }
    const std::size_t k = pending.front();
    pending.pop_front();
    holding[static_cast<std::size_t>(to)] = k;
    send(to, kWork, work[k]);
    if (hooks.started) hooks.started(k, to);
  };
  std::vector<int> waiting;  // left waiting by the last call
  waiting.swap(mpi.idle());
  for (int w : waiting)
    give(w);
  std::thread local;
  std::atomic<bool> local_done{false};
  bool local_busy = false;
  std::size_t local_item = 0;
  std::string local_result;
  while (finished < work.size()) {
    bool idle = true;
    int arrived = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &status);
    if (arrived) {
      idle = false;
      const std::string message = receive(status);
      if (status.MPI_TAG == kResult) {
        ++finished;
        hooks.finished(holding[static_cast<std::size_t>(status.MPI_SOURCE)], message);
      } else if (status.MPI_TAG != kReady) {
        throw std::runtime_error("an MPI message kubetwin does not know (tag " +
                                 std::to_string(status.MPI_TAG) + ")");
      }
      give(status.MPI_SOURCE);
    }
    if (local_busy && local_done.load()) {
      local.join();
      local_busy = false;
      ++finished;
      hooks.finished(local_item, local_result);
      idle = false;
    }
    if (!local_busy && !pending.empty()) {
      local_item = pending.front();
      pending.pop_front();
      local_busy = true;
      local_done = false;
      if (hooks.started) hooks.started(local_item, 0);
      local = std::thread([&] {
        local_result = hooks.run_here(local_item);
        local_done = true;
      });
      idle = false;
    }
    if (idle) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (local.joinable()) local.join();
}

std::string mpi_next_order(int& tag) {
  MPI_Status status;
  MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
  tag = status.MPI_TAG;
  return receive(status);
}

void mpi_reply(int tag, const std::string& message) {
  send(0, tag, message);
}

}  // namespace kt::cli

#endif
