// `kubetwin bench schedule`: the scheduler benchmark of SPEC.md. Places P pods on N nodes
// with the kube-scheduler cycle (models/scheduling) and prints the rate, then the memory per
// node and per pod measured from the resident set.

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "engine/random.hpp"
#include "headless/args.hpp"
#include "headless/commands.hpp"
#include "headless/process_memory.hpp"
#include "models/scheduling/scheduler.hpp"
#include "models/synthetic/schedule_workload.hpp"

namespace kt::cli {

namespace {

constexpr const char* kScheduleUsage =
    "usage: kubetwin bench schedule [--nodes N] [--pods P] [--seed S]\n"
    "                               [--scoring least-allocated|most-allocated|balanced]\n"
    "  places P pods (mixed requests, 20 % with nodeSelectors, 10 % tolerating the taint)\n"
    "  on N nodes (mixed sizes over three zones, 10 % tainted); the last line is\n"
    "  pods=... wall_s=... placements_per_sec=...\n";

}  // namespace

int bench_schedule(const std::vector<std::string>& argv) {
  const Args args(argv, {"nodes", "pods", "seed", "scoring"}, {"help"});
  if (args.flag("help")) {
    std::fputs(kScheduleUsage, stdout);
    return 0;
  }
  if (!args.positionals().empty()) {
    throw UsageError("unexpected argument '" + args.positionals().front() + "'\n" + kScheduleUsage);
  }
  const auto nodes = static_cast<std::uint32_t>(args.get_uint("nodes", 1000, 1, 5'000'000));
  const auto pods = args.get_uint("pods", 10'000, 0, 100'000'000);
  const auto seed = args.get_uint("seed", 1, 0, UINT64_MAX);
  const std::string scoring = args.value("scoring").value_or("least-allocated");
  scheduling::SchedulerConfig config;
  if (scoring == "most-allocated") {
    config.strategy = scheduling::ScoringStrategy::most_allocated;
  } else if (scoring == "balanced") {
    config.strategy = scheduling::ScoringStrategy::balanced;
  } else if (scoring != "least-allocated") {
    throw UsageError("--scoring must be least-allocated, most-allocated or balanced");
  }

  RandomStream rng(seed, 0, 0);
  const std::size_t rss_start = resident_bytes();
  scheduling::NodeTable table;
  synthetic::build_bench_nodes(table, nodes, rng);
  scheduling::Scheduler scheduler(table, config);
  std::vector<scheduling::PreparedPod> templates;
  for (const scheduling::PodSpecView& pod : synthetic::bench_pod_templates()) {
    templates.push_back(scheduler.prepare(pod));
  }
  const std::size_t rss_nodes = resident_bytes();
  // Per pod: where it runs (or kNoNode: Pending) and which template it came from.
  constexpr std::uint32_t kNoNode = 0xFFFFFFFFu;
  std::vector<std::uint32_t> placement(pods, kNoNode);
  std::vector<std::uint8_t> template_of(pods, 0);
  for (std::uint64_t p = 0; p < pods; ++p) {
    template_of[p] = static_cast<std::uint8_t>(synthetic::draw_bench_template(rng));
  }

  std::uint64_t placed = 0;
  const auto start = std::chrono::steady_clock::now();
  for (std::uint64_t p = 0; p < pods; ++p) {
    if (const auto node = scheduler.schedule(templates[template_of[p]])) {
      placement[p] = *node;
      ++placed;
    }
  }
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::size_t rss_end = resident_bytes();
  const std::size_t peak = peak_resident_bytes();

  const std::int32_t to_find =
      scheduling::feasible_nodes_to_find(static_cast<std::int32_t>(nodes), 0);
  std::printf("schedule nodes=%u pods=%llu seed=%llu scoring=%s feasible_nodes_to_find=%d\n", nodes,
              static_cast<unsigned long long>(pods), static_cast<unsigned long long>(seed),
              scoring.c_str(), to_find);
  std::printf(
      "placed=%llu unschedulable=%llu nodes_examined_per_pod=%.0f\n",
      static_cast<unsigned long long>(placed), static_cast<unsigned long long>(pods - placed),
      pods ? static_cast<double>(scheduler.nodes_examined()) / static_cast<double>(pods) : 0.0);
  // Memory, measured from the resident set: the node table (with the scheduler's per-node
  // bitmaps and score caches counted at the end), the per-pod records, and the whole peak
  // divided by the node count as an upper bound per node.
  std::printf(
      "rss_bytes_per_node=%.0f rss_bytes_per_pod=%.1f peak_rss_mib=%.1f "
      "peak_rss_bytes_per_node=%.0f\n",
      static_cast<double>(rss_nodes - std::min(rss_nodes, rss_start)) / nodes,
      pods ? static_cast<double>(rss_end - std::min(rss_end, rss_nodes)) / static_cast<double>(pods)
           : 0.0,
      static_cast<double>(peak) / 1048576.0, static_cast<double>(peak) / nodes);
  std::printf("pods=%llu wall_s=%.6f placements_per_sec=%.0f\n",
              static_cast<unsigned long long>(pods), wall_s,
              wall_s > 0 ? std::floor(static_cast<double>(placed) / wall_s) : 0.0);
  return 0;
}

}  // namespace kt::cli
