#include "headless/plan_mpi.hpp"

#include <stdexcept>

#ifdef KUBETWIN_WITH_MPI
#include <mpi.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <thread>

#include "headless/diagnostics_output.hpp"
#include "scenarios/loader.hpp"
#endif

namespace kt::cli {

#ifndef KUBETWIN_WITH_MPI

void mpi_plan_replications(MpiSession&, const PlanProbeSpec&, runs::PreparedRun&, std::uint64_t) {
  throw std::logic_error("MPI plan in a build without MPI");
}

int mpi_plan_worker(MpiSession&, const std::string&, std::optional<std::uint64_t>,
                    std::optional<std::int64_t>, std::uint64_t) {
  throw std::logic_error("an MPI plan worker in a build without MPI");
}

#else

namespace {

// The sweep's tags (sweep_mpi.cpp): kReady once from each worker, kWork (the probe and a
// replication) and kStop from rank 0, kResult (a replication's metrics) back.
constexpr int kReady = 1;
constexpr int kResult = 2;
constexpr int kWork = 3;
constexpr int kStop = 4;

void put_u64(std::string& out, std::uint64_t v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}
void put_text(std::string& out, const std::string& text) {
  put_u64(out, text.size());
  out += text;
}

class Reader {
 public:
  explicit Reader(const std::string& in) : in_(in) {}
  std::uint64_t u64() {
    std::uint64_t v = 0;
    if (at_ + sizeof v > in_.size()) throw std::runtime_error("a short MPI plan message");
    std::memcpy(&v, in_.data() + at_, sizeof v);
    at_ += sizeof v;
    return v;
  }
  std::string text() {
    const std::uint64_t n = u64();
    if (at_ + n > in_.size()) throw std::runtime_error("a short MPI plan message");
    std::string s = in_.substr(at_, n);
    at_ += n;
    return s;
  }
  double number() {
    const std::uint64_t bits = u64();
    double d = 0;
    std::memcpy(&d, &bits, sizeof d);
    return d;
  }

 private:
  const std::string& in_;
  std::size_t at_ = 0;
};

std::string encode_work(const PlanProbeSpec& probe, std::uint64_t replication) {
  std::string out;
  put_u64(out, replication);
  put_text(out, probe.policy);
  put_u64(out, probe.settings.size());
  for (const auto& [path, value] : probe.settings) {
    put_text(out, path);
    put_text(out, value);
  }
  return out;
}

// A replication's record as its metrics, each double's bits as they are (bit for bit).
std::string encode_record(const runs::RunRecord& r) {
  std::string out;
  put_u64(out, r.replication);
  put_u64(out, r.events);
  put_u64(out, r.metrics.size());
  for (const auto& [key, value] : r.metrics) {
    put_text(out, key);
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    put_u64(out, bits);
  }
  return out;
}

void decode_record(const std::string& in, runs::RunRecord& r) {
  Reader read(in);
  r.replication = read.u64();
  r.events = read.u64();
  const std::uint64_t n = read.u64();
  for (std::uint64_t k = 0; k < n; ++k) {
    std::string key = read.text();
    r.metrics[key] = read.number();
  }
}

void send_text(int to, int tag, const std::string& text) {
  MPI_Send(text.data(), static_cast<int>(text.size()), MPI_BYTE, to, tag, MPI_COMM_WORLD);
}

std::string receive(int from, int* tag, int* source) {
  MPI_Status status;
  MPI_Probe(from, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
  *tag = status.MPI_TAG;
  *source = status.MPI_SOURCE;
  if (status.MPI_TAG == kStop) {  // MpiSession::stop_workers sends it as one 64-bit number
    std::uint64_t ignored = 0;
    MPI_Recv(&ignored, 1, MPI_UINT64_T, status.MPI_SOURCE, kStop, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    return {};
  }
  int bytes = 0;
  MPI_Get_count(&status, MPI_BYTE, &bytes);
  std::string message(static_cast<std::size_t>(bytes), '\0');
  MPI_Recv(message.data(), bytes, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  return message;
}

}  // namespace

void mpi_plan_replications(MpiSession& mpi, const PlanProbeSpec& probe, runs::PreparedRun& run,
                           std::uint64_t threads) {
  const auto reps = static_cast<std::uint64_t>(run.scenario.replications);
  run.results.runs.assign(reps, runs::RunRecord{});
  std::deque<std::uint64_t> pending;
  for (std::uint64_t r = 0; r < reps; ++r)
    pending.push_back(r);
  std::uint64_t finished = 0;
  const auto give = [&](int to) {
    if (pending.empty()) {
      mpi.idle().push_back(to);
      return;
    }
    send_text(to, kWork, encode_work(probe, pending.front()));
    pending.pop_front();
  };
  // The workers left waiting by the last probe start at once.
  std::vector<int> waiting;
  waiting.swap(mpi.idle());
  for (int w : waiting)
    give(w);
  std::thread local;
  std::atomic<bool> local_done{false};
  bool local_busy = false;
  std::uint64_t local_rep = 0;
  runs::RunRecord local_record;
  while (finished < reps) {
    bool idle = true;
    int arrived = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &status);
    if (arrived) {
      idle = false;
      int tag = 0;
      int source = 0;
      const std::string message = receive(status.MPI_SOURCE, &tag, &source);
      if (tag == kResult) {
        runs::RunRecord r;
        decode_record(message, r);
        if (r.replication >= reps) throw std::runtime_error("an MPI result for no replication");
        r.policy = run.plans.front().policy;
        r.seed = run.scenario.seed + r.replication;
        run.results.runs[r.replication] = std::move(r);
        ++finished;
      }
      give(source);
    }
    if (local_busy && local_done.load()) {
      local.join();
      local_busy = false;
      run.results.runs[local_rep] = std::move(local_record);
      ++finished;
      idle = false;
    }
    if (!local_busy && !pending.empty()) {
      local_rep = pending.front();
      pending.pop_front();
      local_busy = true;
      local_done = false;
      local = std::thread([&] {
        local_record = runs::run_replication(run, 0, local_rep, static_cast<unsigned>(threads));
        local_done = true;
      });
      idle = false;
    }
    if (idle) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (local.joinable()) local.join();
  runs::summarize_runs(run.results, run.scenario.slos);
}

int mpi_plan_worker(MpiSession&, const std::string& scenario_file,
                    std::optional<std::uint64_t> seed, std::optional<std::int64_t> replications,
                    std::uint64_t threads) {
  MPI_Send(nullptr, 0, MPI_BYTE, 0, kReady, MPI_COMM_WORLD);
  std::string loaded_key;  // the probe loaded last: its replications usually come in a row
  runs::PreparedRun run;
  for (;;) {
    int tag = 0;
    int source = 0;
    const std::string message = receive(0, &tag, &source);
    if (tag != kWork) return 0;
    Reader read(message);
    const std::uint64_t replication = read.u64();
    PlanProbeSpec probe;
    probe.policy = read.text();
    const std::uint64_t n = read.u64();
    for (std::uint64_t k = 0; k < n; ++k) {
      std::string path = read.text();
      probe.settings.emplace_back(std::move(path), read.text());
    }
    const std::string key = message.substr(sizeof(std::uint64_t));
    if (key != loaded_key) {
      run = runs::PreparedRun{};
      scenario::Diagnostics diags;
      if (!scenario::load_scenario_file(scenario_file, run.scenario, diags, probe.settings) ||
          !runs::prepare_run(run, {probe.policy}, diags)) {
        print_diagnostics(diags);
        std::fprintf(stderr, "kubetwin: a plan probe no longer loads on this rank\n");
        MPI_Abort(MPI_COMM_WORLD, 3);
      }
      if (seed) run.scenario.seed = *seed;
      if (replications) run.scenario.replications = *replications;
      loaded_key = key;
    }
    const runs::RunRecord r =
        runs::run_replication(run, 0, replication, static_cast<unsigned>(threads));
    send_text(0, kResult, encode_record(r));
  }
}

#endif

}  // namespace kt::cli
