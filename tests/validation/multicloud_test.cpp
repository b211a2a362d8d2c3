// Multicloud placement and the latency graph.

#include <gtest/gtest.h>

#include "models/multicloud/latency_graph.hpp"
#include "models/multicloud/placement.hpp"

namespace kt::multicloud {
namespace {

// The seed's global-app: us-east 40 %, eu-west 35 %, ap-south 25 %.
std::vector<RegionOption> seed_regions() {
  return {{"us-east", 0.40, 0.096, 80 * kMillisecond, INT64_MAX},
          {"eu-west", 0.35, 0.107, 10 * kMillisecond, INT64_MAX},
          {"ap-south", 0.25, 0.086, 120 * kMillisecond, INT64_MAX}};
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

TEST(Placement, CostAndLatencyOptimizedFillTheBestRegionFirst) {
  auto regions = seed_regions();
  EXPECT_EQ(place_replicas(20, regions, PlacementStrategy::cost_optimized),
            (std::vector<std::int64_t>{0, 0, 20}));
  regions[2].capacity_pods = 12;  // ap-south is cheapest but holds 12
  EXPECT_EQ(place_replicas(20, regions, PlacementStrategy::cost_optimized),
            (std::vector<std::int64_t>{8, 0, 12}));
  EXPECT_EQ(place_replicas(20, regions, PlacementStrategy::latency_optimized),
            (std::vector<std::int64_t>{0, 20, 0}));
  EXPECT_EQ(place_replicas(20, regions, PlacementStrategy::spread),
            (std::vector<std::int64_t>{7, 7, 6}));
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
