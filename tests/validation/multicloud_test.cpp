// Multicloud placement and the latency graph.

#include <gtest/gtest.h>

#include "models/multicloud/latency_graph.hpp"
#include "models/multicloud/min_cost_placement.hpp"
#include "models/multicloud/placement.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace kt::multicloud {
namespace {

// The seed's global-app: us-east 40 %, eu-west 35 %, ap-south 25 %.
std::vector<RegionOption> seed_regions() {
  return {{"us-east", 0.40, 0.096, 80 * kMillisecond, INT64_MAX, {}, {}},
          {"eu-west", 0.35, 0.107, 10 * kMillisecond, INT64_MAX, {}, {}},
          {"ap-south", 0.25, 0.086, 120 * kMillisecond, INT64_MAX, {}, {}}};
}

// The same, with demand from an origin in each region: multicloud.yaml's one-way latencies.
std::vector<RegionOption> seed_regions_from_three_origins() {
  auto regions = seed_regions();
  const SimTime ms = kMillisecond;
  const SimTime l[3][3] = {{0, 35 * ms, 95 * ms}, {35 * ms, 0, 60 * ms}, {95 * ms, 60 * ms, 0}};
  for (std::size_t r = 0; r < 3; ++r) {
    for (std::size_t o = 0; o < 3; ++o)
      regions[r].latency_from.push_back(l[o][r]);
  }
  return regions;
}

TEST(Placement, WeightedSplitsTheSeedsGlobalApp) {
  EXPECT_EQ(place_replicas(20, seed_regions(), PlacementStrategy::weighted),
            (std::vector<std::int64_t>{8, 7, 5}));
  // 21: 8.4 / 7.35 / 5.25 -> floors 8/7/5, the largest remainder (us-east) gets the 21st.
  EXPECT_EQ(place_replicas(21, seed_regions(), PlacementStrategy::weighted),
            (std::vector<std::int64_t>{9, 7, 5}));
  // 3: 1.2 / 1.05 / 0.75 -> 1/1/0, remainder to ap-south (0.75).
  EXPECT_EQ(place_replicas(3, seed_regions(), PlacementStrategy::weighted),
            (std::vector<std::int64_t>{1, 1, 1}));
}

TEST(Placement, ApportionAlwaysAddsUp) {
  for (std::int64_t total = 0; total < 200; ++total) {
    const auto parts = apportion(total, {0.4, 0.35, 0.25});
    EXPECT_EQ(parts[0] + parts[1] + parts[2], total);
  }
}

// Without demand to place near, cost-optimized takes the cheapest regions and
// latency-optimized the nearest, each holding at most half of the replicas (so one region's
// outage leaves half running); a region too small to hold its half passes the rest on.
TEST(Placement, WithoutDemandTheOptimisedPlacementsTakeTheBestRegionsUpToHalfEach) {
  auto regions = seed_regions();
  EXPECT_EQ(place_replicas(20, regions, PlacementStrategy::cost_optimized),
            (std::vector<std::int64_t>{10, 0, 10}));
  EXPECT_EQ(place_replicas(20, regions, PlacementStrategy::latency_optimized),
            (std::vector<std::int64_t>{10, 10, 0}));
  regions[2].capacity_pods = 4;  // ap-south is cheapest but holds 4
  EXPECT_EQ(place_replicas(20, regions, PlacementStrategy::cost_optimized),
            (std::vector<std::int64_t>{10, 6, 4}));
  // One region left (the others failed over): it takes everything.
  regions[0].capacity_pods = 0;
  regions[2].capacity_pods = 0;
  EXPECT_EQ(place_replicas(20, regions, PlacementStrategy::cost_optimized),
            (std::vector<std::int64_t>{0, 20, 0}));
  EXPECT_EQ(place_replicas(20, seed_regions(), PlacementStrategy::spread),
            (std::vector<std::int64_t>{7, 7, 6}));
}

// With demand from three origins, latency-optimized serves each origin from its own region
// (latency 0) in proportion to its rate: 40/30/20 of 20 replicas is 8.9/6.7/4.4, 9/7/4.
TEST(Placement, LatencyOptimizedServesEachOriginNearby) {
  auto regions = seed_regions_from_three_origins();
  Demand demand{{40, 30, 20}};
  EXPECT_EQ(place_replicas(20, regions, PlacementStrategy::latency_optimized, demand),
            (std::vector<std::int64_t>{9, 7, 4}));
  // us-east holds 5: the rest of its origin's 9 goes to the next nearest, eu-west (35 ms),
  // until eu-west holds half the replicas (10: its own 7 and 3), then to ap-south (95 ms).
  regions[0].capacity_pods = 5;
  EXPECT_EQ(place_replicas(20, regions, PlacementStrategy::latency_optimized, demand),
            (std::vector<std::int64_t>{5, 10, 5}));
}

// Where a node autoscaler makes the nodes follow the pods, a region's first pod costs a whole
// node: 20 pods of which 16 fit a node, egress (0.01 USD per pod-hour of demand served away
// from its origin) above the regions' per-pod price differences. Three regions would pay
// three nodes (1.26 USD/h); us-east and ap-south hold half each on one node apiece (0.81, plus
// 0.07 for europe's 7 pods' worth served away: 0.88, against 0.89 for us-east and eu-west),
// and cost-optimized takes them. Without node granularity the
// same demand is served near each origin.
TEST(Placement, CostOptimizedPaysWholeNodesWhereNodesFollowThePods) {
  auto regions = seed_regions();
  const double node_price[3] = {0.40, 0.45, 0.41};
  for (std::size_t r = 0; r < 3; ++r) {
    regions[r].price_usd_per_pod_hour = node_price[r] / 16;
    for (std::size_t o = 0; o < 3; ++o)
      regions[r].usd_per_pod_hour_from.push_back(regions[r].price_usd_per_pod_hour +
                                                 (o == r ? 0.0 : 0.01));
  }
  Demand demand{{40, 30, 20}};
  EXPECT_EQ(place_replicas(20, regions, PlacementStrategy::cost_optimized, demand),
            (std::vector<std::int64_t>{9, 7, 4}));
  for (std::size_t r = 0; r < 3; ++r) {
    regions[r].nodes_follow_pods = true;
    regions[r].node_price_usd_per_hour = node_price[r];
    regions[r].pods_per_node = 16;
  }
  EXPECT_EQ(place_replicas(20, regions, PlacementStrategy::cost_optimized, demand),
            (std::vector<std::int64_t>{10, 0, 10}));
  // A minimum of one node everywhere is paid anyway: then egress decides again.
  for (auto& r : regions)
    r.min_nodes = 1;
  EXPECT_EQ(place_replicas(20, regions, PlacementStrategy::cost_optimized, demand),
            (std::vector<std::int64_t>{9, 7, 4}));
  // When no two regions can hold the replicas (12 pods each, 30 wanted), all three are used.
  for (auto& r : regions) {
    r.min_nodes = 0;
    r.capacity_pods = 12;
  }
  const auto three = place_replicas(30, regions, PlacementStrategy::cost_optimized, demand);
  EXPECT_EQ(three[0] + three[1] + three[2], 30);
  EXPECT_TRUE(three[0] > 0 && three[1] > 0 && three[2] > 0);
}

// The min-cost flow against exhaustive search on small problems: every way to send each
// origin's units to the regions within the caps; the solver's split must admit a flow as
// cheap as the cheapest of them.
double cheapest_flow(const FlowProblem& p, const std::vector<std::int64_t>& supply,
                     std::vector<std::int64_t> room, std::size_t o, std::int64_t left) {
  if (o == supply.size()) return 0;
  if (left == 0)
    return cheapest_flow(p, supply, room, o + 1, o + 1 < supply.size() ? supply[o + 1] : 0);
  double best = INFINITY;
  for (std::size_t r = 0; r < room.size(); ++r) {
    if (room[r] == 0) continue;
    --room[r];
    best = std::min(best, p.cost[o][r] + cheapest_flow(p, supply, room, o, left - 1));
    ++room[r];
  }
  return best;
}

// Each region's room under the half rule, or its capacity alone when the rule cannot hold.
std::vector<std::int64_t> half_rule_caps(const FlowProblem& p) {
  std::vector<std::int64_t> caps;
  for (std::int64_t c : p.capacity)
    caps.push_back(std::min(c, spread_cap(p.replicas, p.capacity)));
  std::int64_t capped = 0;
  for (std::int64_t c : caps)
    capped += c;
  return capped < p.replicas ? p.capacity : caps;
}

TEST(Placement, MinCostFlowMatchesExhaustiveSearch) {
  std::uint64_t state = 12345;
  const auto next = [&]() {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(state >> 33) / static_cast<double>(1ull << 31);
  };
  for (int trial = 0; trial < 200; ++trial) {
    FlowProblem p;
    p.replicas = 1 + static_cast<std::int64_t>(next() * 6);
    p.origin_rate = {1 + next() * 9, 1 + next() * 9};
    for (int r = 0; r < 3; ++r)
      p.capacity.push_back(static_cast<std::int64_t>(next() * 5));
    p.cost.assign(2, std::vector<double>(3));
    for (auto& row : p.cost) {
      for (double& c : row)
        c = std::round(next() * 100) / 10;
    }
    const auto split = min_cost_placement(p);
    const auto supply = apportion(p.replicas, p.origin_rate);
    std::int64_t room = 0;
    for (std::int64_t c : p.capacity)
      room += c;
    std::int64_t placed = 0;
    for (std::size_t r = 0; r < 3; ++r) {
      EXPECT_LE(split[r], p.capacity[r]);
      placed += split[r];
    }
    if (room < p.replicas) continue;  // short of room: nothing to compare
    ASSERT_EQ(placed, p.replicas) << "trial " << trial;
    const std::vector<std::int64_t> caps = half_rule_caps(p);
    const double optimum = cheapest_flow(p, supply, caps, 0, supply[0]);
    const double achieved = cheapest_flow(p, supply, split, 0, supply[0]);
    EXPECT_NEAR(achieved, optimum, 1e-9) << "trial " << trial;
  }
}

// latency-optimized's node-loss rule on multicloud.yaml's trough: 9 replicas carrying 5.4
// pods' worth of load (16 + 12 + 8 requests/s x 150 ms), demand 40/30/20. Near each origin
// they would be 4/3/2; where a node autoscaler packs a region's pods onto one node (16 to a
// node), us-east's node failing would leave 5 pods for 5.4 of load, so no region may hold
// more than 9 - 6 = 3: 3/3/3. Over four fixed nodes per region one node holds at most one
// of them, and the split stays 4/3/2.
TEST(Placement, LatencyOptimizedSurvivesTheLossOfAnyOneNode) {
  auto regions = seed_regions_from_three_origins();
  for (auto& r : regions) {
    r.nodes_follow_pods = true;
    r.pods_per_node = 16;
  }
  Demand demand{{40, 30, 20}, 0.0};
  EXPECT_EQ(place_replicas(9, regions, PlacementStrategy::latency_optimized, demand),
            (std::vector<std::int64_t>{4, 3, 2}));
  demand.load_pods = 5.4;
  EXPECT_EQ(place_replicas(9, regions, PlacementStrategy::latency_optimized, demand),
            (std::vector<std::int64_t>{3, 3, 3}));
  // At the peak, 36 replicas for 21.6: the others must keep 22, so at most 14 in one region
  // (us-east's 16 less two, which go to the next nearest, eu-west).
  demand.load_pods = 21.6;
  EXPECT_EQ(place_replicas(36, regions, PlacementStrategy::latency_optimized, demand),
            (std::vector<std::int64_t>{14, 14, 8}));
  for (auto& r : regions)
    r.fixed_nodes = 4;
  demand.load_pods = 5.4;
  EXPECT_EQ(place_replicas(9, regions, PlacementStrategy::latency_optimized, demand),
            (std::vector<std::int64_t>{4, 3, 2}));
  // More load than any split survives (8.5 of 9): the split whose worst node loss is least.
  for (auto& r : regions)
    r.fixed_nodes = 0;
  demand.load_pods = 8.5;
  EXPECT_EQ(place_replicas(9, regions, PlacementStrategy::latency_optimized, demand),
            (std::vector<std::int64_t>{3, 3, 3}));
}

// What one node's loss takes from a region holding x pods, as the test reads FlowProblem's
// NodeSpread: packed, a full node; spread over fixed nodes, the fullest; else all of them.
std::int64_t node_loss(const FlowProblem::NodeSpread& s, std::int64_t x) {
  if (s.pods_per_node > 0) return std::min(x, s.pods_per_node);
  if (s.nodes > 0) return (x + s.nodes - 1) / s.nodes;
  return x;
}

// Every split of the replicas within capacity (and the half rule): the least worst-node-loss
// any of them achieves.
void splits(std::vector<std::int64_t>& x, std::size_t r, std::int64_t left,
            const std::vector<std::int64_t>& cap, const std::function<void()>& visit) {
  if (r + 1 == x.size()) {
    if (left > cap[r]) return;
    x[r] = left;
    visit();
    return;
  }
  for (std::int64_t k = 0; k <= std::min(left, cap[r]); ++k) {
    x[r] = k;
    splits(x, r + 1, left - k, cap, visit);
  }
}

// The node-loss rule against exhaustive search: among all splits within capacity and the
// half rule, those whose worst node loss leaves the others floor(load) + 1 pods (or, when
// none does, those with the least worst loss); the solver's split must be one of them and
// admit a flow as cheap as the cheapest of them.
TEST(Placement, NodeLossRuleMatchesExhaustiveSearch) {
  std::uint64_t state = 777;
  const auto next = [&]() {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(state >> 33) / static_cast<double>(1ull << 31);
  };
  int compared = 0;
  for (int trial = 0; trial < 300; ++trial) {
    FlowProblem p;
    p.replicas = 2 + static_cast<std::int64_t>(next() * 8);
    p.origin_rate = {1 + next() * 9, 1 + next() * 9};
    p.survive_load = next() * static_cast<double>(p.replicas);
    for (int r = 0; r < 3; ++r) {
      p.capacity.push_back(static_cast<std::int64_t>(next() * 8));
      FlowProblem::NodeSpread s;
      const double kind = next();
      if (kind < 0.4) {
        s.pods_per_node = 1 + static_cast<std::int64_t>(next() * 5);
      } else if (kind < 0.8) {
        s.nodes = 1 + static_cast<std::int64_t>(next() * 3);
      }
      p.node_spread.push_back(s);
    }
    p.cost.assign(2, std::vector<double>(3));
    for (auto& row : p.cost) {
      for (double& c : row)
        c = std::round(next() * 100) / 10;
    }
    std::int64_t room = 0;
    for (std::int64_t c : p.capacity)
      room += c;
    if (room < p.replicas) continue;  // short of room: nothing to compare
    const std::vector<std::int64_t> caps = half_rule_caps(p);
    const auto worst = [&](const std::vector<std::int64_t>& x) {
      std::int64_t w = 0;
      for (std::size_t r = 0; r < 3; ++r)
        w = std::max(w, node_loss(p.node_spread[r], x[r]));
      return w;
    };
    const auto keep = static_cast<std::int64_t>(std::floor(p.survive_load)) + 1;
    std::int64_t least = INT64_MAX;
    std::vector<std::int64_t> x(3);
    splits(x, 0, p.replicas, caps, [&] { least = std::min(least, worst(x)); });
    const std::int64_t budget = std::max(least, p.replicas - keep);
    const auto supply = apportion(p.replicas, p.origin_rate);
    double optimum = INFINITY;
    splits(x, 0, p.replicas, caps, [&] {
      if (worst(x) <= budget)
        optimum = std::min(optimum, cheapest_flow(p, supply, x, 0, supply[0]));
    });
    const auto split = min_cost_placement(p);
    ASSERT_EQ(split[0] + split[1] + split[2], p.replicas) << "trial " << trial;
    for (std::size_t r = 0; r < 3; ++r)
      EXPECT_LE(split[r], caps[r]) << "trial " << trial;
    EXPECT_LE(worst(split), budget) << "trial " << trial;
    EXPECT_NEAR(cheapest_flow(p, supply, split, 0, supply[0]), optimum, 1e-9) << "trial " << trial;
    ++compared;
  }
  EXPECT_GT(compared, 100);
}

TEST(LatencyGraph, ShortestPathsAndFailedLinks) {
  LatencyGraph g;
  const auto us = g.add_place("us-east");
  const auto eu = g.add_place("eu-west");
  const auto ap = g.add_place("ap-south");
  const auto edge = g.add_place("factory-1");
  g.add_link(us, eu, 80 * kMillisecond);
  g.add_link(us, ap, 190 * kMillisecond);
  g.add_link(eu, ap, 120 * kMillisecond);
  g.add_link(edge, us, 25 * kMillisecond);
  EXPECT_EQ(g.latency(us, ap), 190 * kMillisecond);
  EXPECT_EQ(g.latency(edge, eu), 105 * kMillisecond);  // via us-east
  EXPECT_EQ(g.latency(edge, ap), 215 * kMillisecond);  // via us-east directly
  g.set_link_up(us, ap, false);                        // the direct link fails
  EXPECT_EQ(g.latency(us, ap), 200 * kMillisecond);    // via eu-west
  g.set_link_up(edge, us, false);                      // the edge uplink fails
  EXPECT_EQ(g.latency(edge, us), kTimeMax);
  g.set_link_up(edge, us, true);
  EXPECT_EQ(g.latency(edge, us), 25 * kMillisecond);
  EXPECT_EQ(g.index_of("eu-west"), eu);
  EXPECT_EQ(g.index_of("mars"), g.places());
}

// An edge site is a stub: its two uplinks (15 + 60 = 75 ms) are shorter than the regions'
// own link (80 ms), but traffic between the regions never passes through the factory; the
// factory itself reaches either region over its best uplink, and another site over both.
TEST(LatencyGraph, EdgeSitesCarryNoTransit) {
  LatencyGraph g;
  const auto us = g.add_place("us-east");
  const auto eu = g.add_place("eu-west");
  const auto f3 = g.add_place("factory-3", true);
  const auto f1 = g.add_place("factory-1", true);
  g.add_link(us, eu, 80 * kMillisecond);
  g.add_link(f3, us, 15 * kMillisecond);
  g.add_link(f3, eu, 60 * kMillisecond);
  g.add_link(f1, us, 25 * kMillisecond);
  EXPECT_EQ(g.latency(us, eu), 80 * kMillisecond);
  EXPECT_EQ(g.latency(eu, us), 80 * kMillisecond);
  EXPECT_EQ(g.latency(f3, eu), 60 * kMillisecond);
  EXPECT_EQ(g.latency(eu, f3), 60 * kMillisecond);
  EXPECT_EQ(g.latency(f1, f3), 40 * kMillisecond);   // through us-east, not a stub
  EXPECT_EQ(g.latency(f1, eu), 105 * kMillisecond);  // not 25 + 15 + 60
  g.set_link_up(us, eu, false);
  EXPECT_EQ(g.latency(us, eu), kTimeMax);  // the factory does not bridge them
  g.set_link_up(f3, us, false);
  EXPECT_EQ(g.latency(f3, us), kTimeMax);
  EXPECT_EQ(g.latency(f1, f3), kTimeMax);
}

}  // namespace
}  // namespace kt::multicloud
