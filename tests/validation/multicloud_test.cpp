// Multicloud placement and the latency graph.

#include <gtest/gtest.h>

#include "models/multicloud/latency_graph.hpp"
#include "models/multicloud/min_cost_placement.hpp"
#include "models/multicloud/placement.hpp"

#include <algorithm>
#include <cmath>

namespace kt::multicloud {
namespace {

// The seed's global-app: us-east 40 %, eu-west 35 %, ap-south 25 %.
std::vector<RegionOption> seed_regions() {
  return {{"us-east", 0.40, 0.096, 80 * kMillisecond, INT64_MAX, {}, {}},
          {"eu-west", 0.35, 0.107, 10 * kMillisecond, INT64_MAX, {}, {}},
          {"ap-south", 0.25, 0.086, 120 * kMillisecond, INT64_MAX, {}, {}}};
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
  auto regions = seed_regions();
  const SimTime ms = kMillisecond;
  const SimTime l[3][3] = {{0, 35 * ms, 95 * ms}, {35 * ms, 0, 60 * ms}, {95 * ms, 60 * ms, 0}};
  for (std::size_t r = 0; r < 3; ++r) {
    for (std::size_t o = 0; o < 3; ++o)
      regions[r].latency_from.push_back(l[o][r]);
  }
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
    std::vector<std::int64_t> caps;
    for (std::int64_t c : p.capacity)
      caps.push_back(std::min(c, spread_cap(p.replicas, p.capacity)));
    std::int64_t capped = 0;
    for (std::int64_t c : caps)
      capped += c;
    if (capped < p.replicas) caps = p.capacity;  // the spread rule cannot hold
    const double optimum = cheapest_flow(p, supply, caps, 0, supply[0]);
    const double achieved = cheapest_flow(p, supply, split, 0, supply[0]);
    EXPECT_NEAR(achieved, optimum, 1e-9) << "trial " << trial;
  }
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
