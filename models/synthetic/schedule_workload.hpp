#pragma once
// The scheduler benchmark's cluster and pods (SPEC.md, `kubetwin bench schedule`): nodes of
// mixed sizes over three zones with 10 % tainted, and pods of mixed requests of which 20 %
// carry a nodeSelector and 10 % tolerate the taint. Deterministic for a seed.

#include <cstdint>
#include <vector>

#include "engine/random.hpp"
#include "models/scheduling/node_table.hpp"
#include "models/scheduling/scheduler.hpp"

namespace kt::synthetic {

// Adds `count` nodes to `nodes`.
void build_bench_nodes(scheduling::NodeTable& nodes, std::uint32_t count, RandomStream& rng);

// The pod templates the benchmark draws from, and the draw itself.
std::vector<scheduling::PodSpecView> bench_pod_templates();
std::uint32_t draw_bench_template(RandomStream& rng);

}  // namespace kt::synthetic
