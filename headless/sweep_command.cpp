// `kubetwin sweep` and `kubetwin merge` (SPEC.md): a grid over scenario or manifest fields x
// policies x replications, run in parallel; `--shard K/N` runs every N-th grid point from the
// K-th, and `merge` joins shard folders into exactly what the unsharded sweep writes.

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "headless/args.hpp"
#include "headless/commands.hpp"
#include "headless/diagnostics_output.hpp"
#include "headless/interrupts.hpp"
#include "headless/output_folder.hpp"
#include "headless/progress_bar.hpp"
#include "headless/sweep_grid.hpp"
#include "headless/sweep_mpi.hpp"
#include "headless/sweep_progress.hpp"
#include "runs/runner.hpp"
#include "runs/summary_json.hpp"
#include "scenarios/loader.hpp"

namespace kt::cli {

using namespace runs;  // the run library: planning, execution, results, reports

namespace {

constexpr const char* kSweepUsage =
    "usage: kubetwin sweep SCENARIO --set PATH=V1,V2,... [--set ...] [--shard K/N|index/N]\n"
    "                      [--out DIR | --resume DIR] [--seed N] [--replications N]\n"
    "                      [--threads N] [--quiet]\n"
    "  PATH: spec.workloads[0].arrival.rate, or Kind/name:spec.replicas (a manifest field)\n"
    "  writes DIR/sweep.csv and DIR/sweep.json; exit 0 when every SLO holds everywhere, 1 when\n"
    "  one fails somewhere, 2 on invalid input\n"
    "  --shard index/N: K from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID (0-based) + 1\n"
    "  --resume DIR: finished points kept in DIR.partial are not run again\n"
    "  under mpirun (a build with KUBETWIN_WITH_MPI): rank 0 hands the points out\n";

constexpr const char* kMergeUsage =
    "usage: kubetwin merge DIR... [--out DIR]\n"
    "  joins the folders of a sharded sweep (kubetwin sweep --shard K/N) into one\n";

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, sep))
    out.push_back(item);
  if (!text.empty() && text.back() == sep) out.emplace_back();
  return out;
}

// --shard K/N; K may be `index`: the 0-based index a batch system gives each task, plus one
// (a Kubernetes Indexed Job's JOB_COMPLETION_INDEX, a Slurm job array's SLURM_ARRAY_TASK_ID
// run as --array=0-(N-1)).
void read_shard(const std::string& s, SweepGrid& grid) {
  const auto parts = split(s, '/');
  try {
    if (parts.size() != 2) throw std::invalid_argument(s);
    grid.shards = std::stoul(parts[1]);
    if (parts[0] == "index") {
      const char* index = std::getenv("JOB_COMPLETION_INDEX");
      if (!index) index = std::getenv("SLURM_ARRAY_TASK_ID");
      if (!index) {
        throw UsageError(
            "--shard index/N: neither JOB_COMPLETION_INDEX (a Kubernetes Indexed "
            "Job) nor SLURM_ARRAY_TASK_ID (a Slurm job array) is set");
      }
      grid.shard = std::stoul(index) + 1;
    } else {
      grid.shard = std::stoul(parts[0]);
    }
  } catch (const UsageError&) {
    throw;
  } catch (const std::exception&) {
    throw UsageError("--shard must be K/N (e.g. 2/4) or index/N, got '" + s + "'");
  }
  if (grid.shards == 0 || grid.shard == 0 || grid.shard > grid.shards) {
    throw UsageError("--shard K/N needs 1 <= K <= N, got '" + s + "' (shard " +
                     std::to_string(grid.shard) + ")");
  }
}

// The last words of an interrupted sweep (InterruptDeferral): the points not finished, those
// an MPI rank was running, and how to go on. Kept current as points finish (any thread).
class LastWords {
 public:
  LastWords(const std::vector<std::size_t>& todo, std::string partial, std::string destination,
            std::size_t done)
      : missing_(todo.begin(), todo.end()),
        partial_(std::move(partial)),
        destination_(std::move(destination)),
        done_(done) {
    say();
  }
  void finished(std::size_t point) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (missing_.erase(point)) ++done_;
    say();
  }
  void running(const PointsRunning& now) {
    const std::lock_guard<std::mutex> lock(mutex_);
    running_ = now;
    say();
  }

 private:
  void say() const {
    // Appended piece by piece (GCC 12 warns falsely of "literal" + std::string chains).
    std::string text = "kubetwin: sweep stopped; ";
    text.append(std::to_string(missing_.size()));
    text.append(missing_.size() == 1 ? " grid point" : " grid points");
    text.append(" not finished:");
    std::size_t listed = 0;
    for (std::size_t point : missing_) {
      if (listed++ == 20) {
        text.append(" ...");
        break;
      }
      text.append(" ");
      text.append(std::to_string(point));
      if (const auto it = running_.find(point); it != running_.end()) {
        text.append(" (lost with rank ");
        text.append(std::to_string(it->second));
        text.append(")");
      }
    }
    text.append("\nkubetwin: the ");
    text.append(std::to_string(done_));
    text.append(" finished are kept in ");
    text.append(partial_);
    text.append("; run the same sweep with --resume ");
    text.append(destination_);
    text.append(" to run only the rest\n");
    InterruptDeferral::set_last_words(text);
    // Kept in the partial results too, renamed into place, for a stop no handler sees (a
    // SIGKILL, MPI aborting rank 0): --resume prints it.
    std::error_code ec;
    const std::filesystem::path file = std::filesystem::path(partial_) / "stopped.txt";
    const std::filesystem::path tmp = std::filesystem::path(partial_) / "stopped.txt.tmp";
    {
      std::ofstream out(tmp, std::ios::binary);
      out << text;
    }
    std::filesystem::rename(tmp, file, ec);
  }
  std::mutex mutex_;
  std::set<std::size_t> missing_;
  PointsRunning running_;
  std::string partial_;
  std::string destination_;
  std::size_t done_;
};

// Runs the points of `todo` on this process's threads, keeping each as it finishes.
class PointRecorder final : public RunObserver {
 public:
  PointRecorder(const SweepGrid& grid, std::vector<PreparedRun*> runs,
                std::vector<std::size_t> points, SweepProgress& progress, LastWords& last_words,
                RunObserver* inner)
      : grid_(grid),
        runs_(std::move(runs)),
        points_(std::move(points)),
        progress_(progress),
        last_words_(last_words),
        inner_(inner),
        finished_(runs_.size()) {}
  void begin(std::vector<models::RunProgress>& progress, SimTime longest) override {
    if (inner_) inner_->begin(progress, longest);
  }
  void end() override {
    if (inner_) inner_->end();
  }
  void run_finished(const RunRecord& record) override {
    for (std::size_t k = 0; k < runs_.size(); ++k) {
      const auto& all = runs_[k]->results.runs;
      if (all.empty() || &record < all.data() || &record >= all.data() + all.size()) continue;
      if (finished_[k].fetch_add(1) + 1 == all.size()) {
        // Every run of the point is done: summarise a copy (execute_runs summarises the
        // originals at the end) and keep it.
        RunResults copy = runs_[k]->results;
        summarize_runs(copy, runs_[k]->scenario.slos);
        progress_.record(points_[k], point_result(grid_, points_[k], copy));
        last_words_.finished(points_[k]);
      }
      return;
    }
  }

 private:
  const SweepGrid& grid_;
  std::vector<PreparedRun*> runs_;
  std::vector<std::size_t> points_;
  SweepProgress& progress_;
  LastWords& last_words_;
  RunObserver* inner_;
  std::vector<std::atomic<std::size_t>> finished_;
};

}  // namespace

int sweep_command(const std::vector<std::string>& argv) {
  const Args args(argv, {"shard", "out", "seed", "replications", "threads", "resume"},
                  {"help", "quiet"}, {"set"});
  if (args.flag("help")) {
    std::fputs(kSweepUsage, stdout);
    return 0;
  }
  if (args.positionals().size() != 1) {
    throw UsageError(std::string("sweep needs exactly one SCENARIO file\n") + kSweepUsage);
  }
  SweepGrid grid;
  grid.scenario_file = args.positionals().front();
  for (const std::string& set : args.values("set")) {
    const std::size_t eq = set.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == set.size()) {
      throw UsageError("--set " + set + ": expected PATH=V1,V2,...");
    }
    grid.params.push_back({set.substr(0, eq), split(set.substr(eq + 1), ',')});
  }
  if (grid.params.empty())
    throw UsageError(std::string("sweep needs at least one --set\n") + kSweepUsage);
  for (const SweepParameter& p : grid.params) {
    grid.points *= p.values.size();
    if (grid.points > 100'000) throw UsageError("the grid has more than 100000 points");
  }
  if (const auto s = args.value("shard")) read_shard(*s, grid);
  if (args.value("seed")) grid.seed = args.get_uint("seed", 0, 0, UINT64_MAX);
  if (args.value("replications")) {
    grid.replications = static_cast<std::int64_t>(args.get_uint("replications", 1, 1, 10000));
  }
  if (args.value("resume") && args.value("out") && *args.value("resume") != *args.value("out")) {
    throw UsageError(
        "--resume DIR is the sweep's output folder: give it alone, or the same as --out");
  }
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const std::uint64_t threads = args.get_uint("threads", cores, 1, 4096);
  const bool quiet = args.flag("quiet");
  InterruptDeferral::install();
  MpiSession mpi;
  if (mpi.worker()) return mpi_sweep_worker(mpi, grid, threads);
  // From here on this process decides (alone, or as MPI rank 0): every worker is told to stop
  // however it ends.
  MpiStopWorkers stop_workers(mpi);

  // Load every grid point of this shard; every problem of every point is reported.
  std::vector<std::unique_ptr<PreparedRun>> prepared;
  const std::vector<std::size_t> points = grid.shard_points();
  scenario::Diagnostics diags;
  std::string scenario_name;
  for (std::size_t point : points) {
    auto run = std::make_unique<PreparedRun>();
    if (!load_point(grid, point, *run, diags)) {
      print_diagnostics(diags);
      std::fprintf(stderr, "kubetwin: grid point %zu is invalid\n", point);
      return 2;
    }
    scenario_name = run->scenario.name;
    prepared.push_back(std::move(run));
  }
  std::string default_name = scenario_name;
  default_name.append("-sweep");
  if (grid.shards > 1) {
    default_name.append("-");
    default_name.append(std::to_string(grid.shard));
    default_name.append("-of-");
    default_name.append(std::to_string(grid.shards));
  }
  const std::string default_out = (std::filesystem::path("kubetwin-out") / default_name).string();
  const std::string destination =
      args.value("resume").value_or(args.value("out").value_or(default_out));
  OutputFolder folder(destination);
  SweepProgress progress(destination, grid, args.value("resume").has_value());
  const std::size_t resumed = progress.done().size();
  if (args.value("resume")) {
    // What the interrupted run said last (its points in flight and on which rank).
    std::ifstream said(std::filesystem::path(progress.folder()) / "stopped.txt");
    const std::string text((std::istreambuf_iterator<char>(said)),
                           std::istreambuf_iterator<char>());
    if (!text.empty())
      std::fprintf(stderr, "kubetwin: resuming; the run before said:\n%s", text.c_str());
  }

  std::vector<std::size_t> todo;
  std::vector<PreparedRun*> runs;
  for (std::size_t k = 0; k < points.size(); ++k) {
    if (progress.done().count(points[k])) continue;
    todo.push_back(points[k]);
    runs.push_back(prepared[k].get());
  }
  LastWords last_words(todo, progress.folder(), destination, resumed);
  if (mpi.ranks() > 1) {
    mpi_sweep_coordinate(mpi, grid, todo, runs, threads, progress,
                         [&](const PointsRunning& running, std::optional<std::size_t> finished) {
                           if (finished) last_words.finished(*finished);
                           last_words.running(running);
                         });
  } else {
    TerminalProgress bar(!quiet && ProgressBar::stderr_is_terminal());
    PointRecorder recorder(grid, runs, todo, progress, last_words, &bar);
    execute_runs(runs, threads, &recorder);
  }

  std::string csv = sweep_csv_header(grid);
  std::string table = sweep_table_header(grid);
  bool all_pass = true;
  for (std::size_t point : points) {
    const PointResult& r = progress.done().at(point);
    csv += r.csv_rows;
    table += r.table_rows;
    all_pass = all_pass && r.pass;
  }
  InterruptDeferral::set_last_words("");
  InterruptDeferral::begin();
  folder.write("sweep.csv", csv);
  folder.write("sweep.json", sweep_meta_json(grid, scenario_name));
  folder.commit();
  progress.finish();
  InterruptDeferral::end();
  std::fputs(table.c_str(), stdout);
  if (!quiet) {
    std::fprintf(
        stderr, "kubetwin: %zu grid point%s x policies x replications%s; results in %s\n",
        points.size(), points.size() == 1 ? "" : "s",
        resumed ? (", " + std::to_string(resumed) + " of them from the partial results").c_str()
                : "",
        folder.destination().c_str());
  }
  return all_pass ? 0 : 1;
}

int merge_command(const std::vector<std::string>& argv) {
  const Args args(argv, {"out"}, {"help"});
  if (args.flag("help")) {
    std::fputs(kMergeUsage, stdout);
    return 0;
  }
  if (args.positionals().empty())
    throw UsageError(std::string("merge needs folders\n") + kMergeUsage);
  std::string header;
  std::string meta_first;
  std::map<std::size_t, std::string> rows_by_point;  // point -> its rows, in order
  std::size_t total_points = 0;
  std::string scenario;
  std::vector<std::string> parameter_lines;
  for (const std::string& dir : args.positionals()) {
    const std::filesystem::path csv_path = std::filesystem::path(dir) / "sweep.csv";
    const std::filesystem::path meta_path = std::filesystem::path(dir) / "sweep.json";
    std::ifstream csv(csv_path);
    std::ifstream meta(meta_path);
    if (!csv || !meta) throw UsageError(dir + ": not a sweep folder (no sweep.csv / sweep.json)");
    std::string meta_text((std::istreambuf_iterator<char>(meta)), std::istreambuf_iterator<char>());
    // Everything but the shard line must agree between shards.
    const std::string common = meta_text.substr(0, meta_text.find("  \"shard\""));
    if (meta_first.empty()) {
      meta_first = common;
    } else if (common != meta_first) {
      throw UsageError(dir + ": from a different sweep (scenario, parameters or grid differ)");
    }
    const std::size_t points_at = meta_text.find("\"points\": ");
    total_points = std::stoul(meta_text.substr(points_at + 10));
    std::string line;
    std::getline(csv, line);
    if (header.empty()) {
      header = line;
    } else if (line != header) {
      throw UsageError(dir + ": sweep.csv has other columns than the first folder's");
    }
    while (std::getline(csv, line)) {
      const std::size_t point = std::stoul(line.substr(0, line.find(',')));
      rows_by_point[point] += line + "\n";
    }
  }
  for (std::size_t p = 0; p < total_points; ++p) {
    if (!rows_by_point.count(p)) {
      throw UsageError("grid point " + std::to_string(p) + " is in none of the folders");
    }
  }
  std::string csv = header + "\n";
  for (const auto& [point, rows] : rows_by_point)
    csv += rows;
  std::string meta = meta_first + "  \"shard\": \"1/1\"\n}\n";
  const std::string out = args.value("out").value_or("kubetwin-out/merged-sweep");
  OutputFolder folder(out);
  InterruptDeferral::install();
  InterruptDeferral::begin();
  folder.write("sweep.csv", csv);
  folder.write("sweep.json", meta);
  folder.commit();
  InterruptDeferral::end();
  std::fprintf(stderr, "kubetwin: merged %zu folders, %zu grid points, into %s\n",
               args.positionals().size(), total_points, out.c_str());
  return 0;
}

}  // namespace kt::cli
