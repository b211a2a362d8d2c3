// Scenario + policy -> the edge part of the fleet's configuration: each site's cluster (the
// region of its first uplink) and buffer, the uplinks as links of the network with their
// bandwidth, their outages (on/off process, trace, linkOutage faults) and the edgeOutage
// policy (models/edge/edge_config.hpp, docs/models/edge.md).

#include "scenarios/fleet_plan.hpp"

namespace kt::scenario {

void plan_edge(const Scenario& sc, const Policy& policy,
               const std::map<std::string, std::uint32_t>& place_index, models::FleetConfig& f) {
  f.edge.mode =
      policy.edge_outage == "tolerate" ? edge::OutageMode::tolerate : edge::OutageMode::evict;
  // Links by their ends' names ("a~b" both ways): the network's, then the uplinks.
  std::map<std::string, std::vector<std::uint32_t>> links_named;
  for (std::uint32_t l = 0; l < f.links.size(); ++l) {
    const std::string& a = f.places[f.links[l].a].name;
    const std::string& b = f.places[f.links[l].b].name;
    links_named[a + "~" + b].push_back(l);
    links_named[b + "~" + a].push_back(l);
  }
  for (const EdgeSite& s : sc.infrastructure.edge_sites) {
    const std::uint32_t site = place_index.at(s.name);
    models::PlaceConfig& place = f.places[site];
    place.buffer = static_cast<std::uint32_t>(policy.edge_buffer ? *policy.edge_buffer : s.buffer);
    for (const Uplink& u : s.uplinks) {
      const auto region = place_index.find(u.region);
      if (region == place_index.end()) continue;  // reported when read
      if (place.cluster < 0) place.cluster = static_cast<std::int32_t>(region->second);
      const auto link = static_cast<std::uint32_t>(f.links.size());
      f.links.push_back({site, region->second, u.latency, u.bytes_per_s});
      links_named[s.name].push_back(link);
      links_named[s.name + "~" + u.region].push_back(link);
      links_named[u.region + "~" + s.name].push_back(link);
      edge::UplinkOutages o;
      o.link = link;
      if (u.outage) {
        o.mean_up = u.outage->mean_up;
        o.mean_down = u.outage->mean_down;
      }
      o.intervals = u.outage_intervals;
      if (o.mean_up > 0 || !o.intervals.empty()) f.edge.outages.push_back(std::move(o));
    }
  }
  // linkOutage faults: the site's uplinks, or the named link, down for the duration (for good
  // without one).
  for (const Fault& fault : sc.faults) {
    if (fault.kind != "linkOutage") continue;
    const auto named = links_named.find(fault.target);
    if (named == links_named.end()) continue;
    const SimTime end = fault.duration > 0 ? fault.at + fault.duration : sc.duration + kSecond;
    for (std::uint32_t link : named->second) {
      edge::UplinkOutages o;
      o.link = link;
      o.intervals.emplace_back(fault.at, end);
      f.edge.outages.push_back(std::move(o));
    }
  }
}

}  // namespace kt::scenario
