#pragma once
// Edge sites on intermittent uplinks, as a fleet component (docs/models/edge.md). It takes the
// uplinks down and up (an exponential on/off process per uplink, sent by an exogenous source,
// plus the intervals of a trace and of linkOutage faults), and answers a site's loss of its
// control plane the way the policy says:
//   evict     as Kubernetes does (UPSTREAM.md §5): the site's nodes NotReady after the
//             node-monitor grace period, tainted unreachable; each pod evicted after its
//             toleration (300 s unless its own says otherwise) and replaced where it fits; the
//             evicted pods run on, serving the site, until the link is back and the kubelet
//             learns of the deletion;
//   tolerate  as KubeEdge's edge autonomy: the pods stay bound and serve the site; requests
//             that need the cloud wait in the site's bounded buffer, forwarded when the link
//             is back, dropped when it is full.

#include <cstdint>
#include <deque>
#include <vector>

#include "engine/statistics.hpp"
#include "models/cluster/fleet_component.hpp"

namespace kt::edge {

class EdgeSites final : public models::FleetComponent {
 public:
  // Local kinds an exogenous source sends (payload: the link).
  static constexpr EventKind kLinkDown = 0;
  static constexpr EventKind kLinkUp = 1;

  explicit EdgeSites(models::FleetCore& core);
  // Whether the run has edge sites with uplinks or links that fail (else the component is not
  // added).
  bool active() const { return !sites_.empty() || has_outages_; }

  void start() override;
  void handle(EventKind local_kind, std::uint64_t payload, std::uint16_t aux) override;
  bool on_unroutable(std::uint32_t workload, SimTime service, SimTime arrived) override;
  void restart_statistics(SimTime at) override;
  void export_metrics(SimTime end, models::MetricMap& out) override;
  void series_columns(std::vector<std::string>& columns) const override;
  void series_values(std::vector<double>& row) const override;

 private:
  static constexpr EventKind kNotReady = 2;  // payload: site index, aux: its cut generation
  static constexpr EventKind kEvict = 3;     // payload: pod | generation << 32, aux: cut

  struct Held {
    std::uint32_t workload;
    SimTime service;
    SimTime arrived;
  };
  struct Site {
    std::uint32_t place = 0;
    std::uint32_t cluster = 0;  // the region of its control plane
    std::vector<std::uint32_t> nodes;
    bool connected = true;
    std::uint16_t cut = 0;  // counts losses of the control plane, to drop stale events
    TimeWeighted up;        // 1 while it reaches its control plane
    std::deque<Held> buffer;
    std::uint32_t capacity = 0;
    std::uint64_t dropped = 0;
  };

  void link_changed(std::uint32_t link, bool down);
  void cut_off(Site& site);
  void reconnected(Site& site);
  void not_ready(std::uint32_t site, std::uint16_t cut);
  void evict(std::uint32_t pod, std::uint16_t generation, std::uint16_t cut, std::uint32_t site);
  Site* site_of_place(std::uint32_t place);

  std::vector<Site> sites_;
  bool has_outages_ = false;
  std::vector<std::int32_t> site_index_;   // per place: its index in sites_, or -1
  std::vector<std::uint32_t> down_count_;  // per link: overlapping reasons it is down
  // Per Deployment: how long its pods tolerate an unreachable node (-1: forever).
  std::vector<std::int64_t> toleration_ns_;
};

}  // namespace kt::edge
