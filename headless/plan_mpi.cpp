#include "headless/plan_mpi.hpp"

#include <stdexcept>

#ifdef KUBETWIN_WITH_MPI
#include <mpi.h>

#include <cstdio>
#include <cstring>

#include "headless/diagnostics_output.hpp"
#include "headless/mpi_farm.hpp"
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

}  // namespace

void mpi_plan_replications(MpiSession& mpi, const PlanProbeSpec& probe, runs::PreparedRun& run,
                           std::uint64_t threads) {
  const auto reps = static_cast<std::uint64_t>(run.scenario.replications);
  run.results.runs.assign(reps, runs::RunRecord{});
  std::vector<std::string> work;
  for (std::uint64_t r = 0; r < reps; ++r)
    work.push_back(encode_work(probe, r));
  FarmHooks hooks;
  hooks.run_here = [&](std::size_t k) {
    return encode_record(runs::run_replication(run, 0, k, static_cast<unsigned>(threads)));
  };
  hooks.finished = [&](std::size_t k, const std::string& message) {
    runs::RunRecord r;
    decode_record(message, r);
    if (r.replication != k) throw std::runtime_error("an MPI result for another replication");
    r.policy = run.plans.front().policy;
    r.seed = run.scenario.seed + r.replication;
    run.results.runs[k] = std::move(r);
  };
  mpi_farm(mpi, work, false, hooks);  // the workers wait for the next probe
  runs::summarize_runs(run.results, run.scenario.slos);
}

int mpi_plan_worker(MpiSession&, const std::string& scenario_file,
                    std::optional<std::uint64_t> seed, std::optional<std::int64_t> replications,
                    std::uint64_t threads) {
  mpi_reply(mpi_tags::kReady, {});
  std::string loaded_key;  // the probe loaded last: its replications usually come in a row
  runs::PreparedRun run;
  for (;;) {
    int tag = 0;
    const std::string message = mpi_next_order(tag);
    if (tag != mpi_tags::kWork) return 0;
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
    mpi_reply(mpi_tags::kResult, encode_record(r));
  }
}

#endif

}  // namespace kt::cli
