#include "models/multicloud/min_cost_placement.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include <boost/graph/adjacency_list.hpp>

#include "models/multicloud/placement.hpp"

namespace kt::multicloud {

namespace {

using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using Graph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<boost::edge_capacity_t, long,
                    boost::property<boost::edge_residual_capacity_t, long,
                                    boost::property<boost::edge_reverse_t, Traits::edge_descriptor,
                                                    boost::property<boost::edge_weight_t, long>>>>>;
using Edge = Traits::edge_descriptor;

// Costs as integers for the solver: 10^6 units per unit of cost, unreachable far above any
// reachable path.
constexpr double kScale = 1e6;
constexpr long kUnreachable = 1L << 50;

Edge add_arc(Graph& g, std::size_t from, std::size_t to, long capacity, long weight) {
  const Edge e = boost::add_edge(from, to, g).first;
  const Edge back = boost::add_edge(to, from, g).first;
  boost::put(boost::edge_capacity, g, e, capacity);
  boost::put(boost::edge_capacity, g, back, 0);
  boost::put(boost::edge_weight, g, e, weight);
  boost::put(boost::edge_weight, g, back, -weight);
  boost::put(boost::edge_reverse, g, e, back);
  boost::put(boost::edge_reverse, g, back, e);
  return e;
}

// Successive shortest paths: each round, the cheapest path from source to sink in the
// residual graph (Bellman-Ford, since reverse arcs cost minus their forward arc), and its
// bottleneck pushed along it, until the sink cannot be reached. Boost's own
// successive_shortest_path_nonnegative_weights adds the infinite distances of vertices it
// cannot reach to its potentials, an integer overflow (undefined behaviour: UBSan caught it,
// and it made runs differ between thread counts); this loop never adds to an infinity.
void cheapest_max_flow(Graph& g, std::size_t source, std::size_t sink) {
  const std::size_t n = boost::num_vertices(g);
  constexpr long kInf = std::numeric_limits<long>::max();
  // Every arc, through each vertex's out-edges (GCC 12 warns of an uninitialised member in
  // boost::edges()' iterator).
  std::vector<Edge> all;
  for (std::size_t u = 0; u < n; ++u) {
    auto [it, end] = boost::out_edges(u, g);
    for (; it != end; ++it)
      all.push_back(*it);
  }
  for (const Edge& e : all)
    boost::put(boost::edge_residual_capacity, g, e, boost::get(boost::edge_capacity, g, e));
  while (true) {
    std::vector<long> dist(n, kInf);
    std::vector<Edge> pred(n);
    dist[source] = 0;
    for (std::size_t round = 0; round + 1 < n; ++round) {
      bool changed = false;
      for (const Edge& e : all) {
        if (boost::get(boost::edge_residual_capacity, g, e) <= 0) continue;
        const std::size_t u = boost::source(e, g);
        const std::size_t v = boost::target(e, g);
        if (dist[u] == kInf) continue;
        const long d = dist[u] + boost::get(boost::edge_weight, g, e);
        if (d < dist[v]) {
          dist[v] = d;
          pred[v] = e;
          changed = true;
        }
      }
      if (!changed) break;
    }
    if (dist[sink] == kInf) return;
    long push = kInf;
    for (std::size_t v = sink; v != source; v = boost::source(pred[v], g))
      push = std::min(push, boost::get(boost::edge_residual_capacity, g, pred[v]));
    for (std::size_t v = sink; v != source; v = boost::source(pred[v], g)) {
      const Edge e = pred[v];
      const Edge back = boost::get(boost::edge_reverse, g, e);
      boost::put(boost::edge_residual_capacity, g, e,
                 boost::get(boost::edge_residual_capacity, g, e) - push);
      boost::put(boost::edge_residual_capacity, g, back,
                 boost::get(boost::edge_residual_capacity, g, back) + push);
    }
  }
}

}  // namespace

std::int64_t spread_cap(std::int64_t replicas, const std::vector<std::int64_t>& capacity) {
  const auto open =
      std::count_if(capacity.begin(), capacity.end(), [](std::int64_t c) { return c > 0; });
  return open >= 2 ? (replicas + 1) / 2 : replicas;
}

namespace {

std::vector<std::int64_t> solve(const FlowProblem& p, std::int64_t cap, double* cost);

}  // namespace

namespace {

// The most pods a region may hold when one node's loss may take at most `budget` of them.
std::int64_t region_cap(const FlowProblem::NodeSpread& spread, std::int64_t budget) {
  if (spread.pods_per_node > 0) return budget >= spread.pods_per_node ? INT64_MAX : budget;
  if (spread.nodes > 0)
    return budget > INT64_MAX / spread.nodes ? INT64_MAX : budget * spread.nodes;
  return budget;
}

}  // namespace

std::vector<std::int64_t> survivable_capacity(const FlowProblem& p) {
  const std::size_t n = p.capacity.size();
  std::int64_t half = spread_cap(p.replicas, p.capacity);
  std::int64_t room = 0;
  for (std::int64_t c : p.capacity)
    room = c > INT64_MAX - room ? INT64_MAX : room + std::max<std::int64_t>(c, 0);
  const std::int64_t want = std::min(p.replicas, room);
  const auto held = [&](std::int64_t cap, std::int64_t budget) {
    std::int64_t sum = 0;
    for (std::size_t r = 0; r < n; ++r) {
      const FlowProblem::NodeSpread spread =
          r < p.node_spread.size() ? p.node_spread[r] : FlowProblem::NodeSpread{};
      sum += std::min({cap, std::max<std::int64_t>(p.capacity[r], 0), region_cap(spread, budget)});
    }
    return sum;
  };
  // The half rule, unless the other regions are too small for it (then capacity alone).
  if (held(half, p.replicas) < want) half = p.replicas;
  // The budget the load leaves: the others keep floor(load) + 1 pods.
  const double keep = std::floor(std::max(p.survive_load, 0.0)) + 1.0;
  std::int64_t budget =
      keep >= static_cast<double>(p.replicas) ? 0 : p.replicas - static_cast<std::int64_t>(keep);
  // No split keeps it: the least budget that still places every replica it can.
  if (held(half, budget) < want) {
    std::int64_t lo = budget;  // held(lo) < want
    std::int64_t hi = p.replicas;
    while (hi - lo > 1) {
      const std::int64_t mid = lo + (hi - lo) / 2;
      (held(half, mid) >= want ? hi : lo) = mid;
    }
    budget = hi;
  }
  std::vector<std::int64_t> out(n);
  for (std::size_t r = 0; r < n; ++r) {
    const FlowProblem::NodeSpread spread =
        r < p.node_spread.size() ? p.node_spread[r] : FlowProblem::NodeSpread{};
    out[r] = std::min({half, std::max<std::int64_t>(p.capacity[r], 0), region_cap(spread, budget)});
  }
  return out;
}

std::vector<std::int64_t> min_cost_placement(const FlowProblem& p, double* cost) {
  if (p.survive_load > 0 && p.replicas > 0) {
    FlowProblem capped = p;
    capped.capacity = survivable_capacity(p);
    return solve(capped, p.replicas, cost);
  }
  std::vector<std::int64_t> out = solve(p, spread_cap(p.replicas, p.capacity), cost);
  std::int64_t placed = 0;
  std::int64_t room = 0;
  for (std::size_t r = 0; r < out.size(); ++r) {
    placed += out[r];
    room = p.capacity[r] > INT64_MAX - room ? INT64_MAX : room + p.capacity[r];
  }
  // The spread rule cannot be kept (the other regions are too small): capacity alone.
  if (placed < std::min(p.replicas, room)) out = solve(p, p.replicas, cost);
  return out;
}

namespace {

std::vector<std::int64_t> solve(const FlowProblem& p, std::int64_t cap, double* cost) {
  const std::size_t origins = p.origin_rate.size();
  const std::size_t regions = p.capacity.size();
  std::vector<std::int64_t> out(regions, 0);
  if (p.replicas <= 0 || regions == 0 || origins == 0) return out;
  // Each origin supplies its share of the replicas (largest remainder, by rate).
  std::vector<std::int64_t> supply = apportion(p.replicas, p.origin_rate);
  if (std::all_of(supply.begin(), supply.end(), [](std::int64_t s) { return s == 0; }))
    supply = apportion(p.replicas, std::vector<double>(origins, 1.0));
  // Vertices: 0 source, 1 .. origins, then regions, then the sink.
  const std::size_t source = 0;
  const std::size_t sink = 1 + origins + regions;
  Graph g(sink + 1);
  for (std::size_t o = 0; o < origins; ++o)
    add_arc(g, source, 1 + o, static_cast<long>(supply[o]), 0);
  for (std::size_t o = 0; o < origins; ++o) {
    for (std::size_t r = 0; r < regions; ++r) {
      const double c = p.cost[o][r];
      // Beyond 10^9 (a failed-over region's 1e300 price) is as good as unreachable.
      const long w =
          std::isfinite(c) && c < 1e9 ? std::lround(std::max(0.0, c) * kScale) : kUnreachable;
      add_arc(g, 1 + o, 1 + origins + r, static_cast<long>(p.replicas), w);
    }
  }
  std::vector<std::vector<Edge>> arcs(origins);  // origin -> region
  for (std::size_t o = 0; o < origins; ++o) {
    auto [it, end] = boost::out_edges(1 + o, g);
    for (; it != end; ++it) {
      if (boost::target(*it, g) > origins && boost::target(*it, g) < sink) arcs[o].push_back(*it);
    }
  }
  std::vector<Edge> to_sink;
  for (std::size_t r = 0; r < regions; ++r) {
    to_sink.push_back(
        add_arc(g, 1 + origins + r, sink, static_cast<long>(std::min(cap, p.capacity[r])), 0));
  }
  cheapest_max_flow(g, source, sink);
  for (std::size_t r = 0; r < regions; ++r) {
    out[r] = boost::get(boost::edge_capacity, g, to_sink[r]) -
             boost::get(boost::edge_residual_capacity, g, to_sink[r]);
  }
  if (cost) {
    *cost = 0;
    for (std::size_t o = 0; o < origins; ++o) {
      for (const Edge& e : arcs[o]) {
        const long flow = boost::get(boost::edge_capacity, g, e) -
                          boost::get(boost::edge_residual_capacity, g, e);
        const std::size_t r = boost::target(e, g) - 1 - origins;
        if (flow > 0) *cost += static_cast<double>(flow) * p.cost[o][r];
      }
    }
  }
  return out;
}

}  // namespace

}  // namespace kt::multicloud
