#pragma once
// Serverless functions as a fleet component: it owns the Deployments of Knative revisions
// (and FaaS functions) and takes their requests (FleetCore::take_arrivals_of).
//  - Knative (knative/serving @98e5ef90; docs/models/serverless.md): the activator is in the
//    path while the revision is at zero, has no ready pod, or its excess burst capacity is
//    negative. It holds requests (at most breakerQueueDepth; beyond, 503) and forwards each
//    to a pod with a free slot (its lb policy by containerConcurrency); held requests count
//    in the concurrency the autoscaler sees, and the first one at zero pokes the autoscaler.
//    Otherwise requests go straight to the pods, whose queue-proxies queue what exceeds
//    containerConcurrency (at most 10 x containerConcurrency). The autoscaler scrapes each
//    second (the time-average of the requests outstanding at the revision's pods plus those
//    the activator holds, or the request rate), and the KPA decides every 2 s
//    (models/autoscaling/kpa); the scaler applies min/max/initial scale and the rules for
//    scaling to zero (active for a stable window, inactive for the grace period and the
//    pod retention).
//  - Keep-alive policies (the keepAlive knob, models/serverless/keep_alive): with fixed:D or
//    hybrid-histogram, an idle revision keeps (or pre-warms) one pod for the policy's
//    windows instead of Knative's scale-to-zero timing.
// A request that waited for a pod to start (it was held, and the pod it went to became ready
// after it arrived) is a cold start.

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "models/autoscaling/kpa.hpp"
#include "models/cluster/fleet_component.hpp"
#include "models/serverless/keep_alive.hpp"
#include "models/serverless/revision_config.hpp"

namespace kt::models {

class ServerlessController final : public FleetComponent {
 public:
  // Takes every Deployment of the core's config that has a serverless configuration.
  explicit ServerlessController(FleetCore& core);

  void start() override;
  void handle(EventKind local_kind, std::uint64_t payload, std::uint16_t aux) override;
  void reconcile(std::uint32_t deployment) override;
  bool on_arrival(std::uint32_t workload, SimTime service) override;
  bool on_retry(std::uint32_t workload, std::uint32_t request) override;
  void on_pod_ready(std::uint32_t pod) override;
  void on_request_done(std::uint32_t pod) override;
  void on_pod_removed(std::uint32_t pod) override;
  void restart_statistics(SimTime at) override;
  void export_metrics(SimTime end, MetricMap& out) override;
  void series_columns(std::vector<std::string>& columns) const override;
  void series_values(std::vector<double>& row) const override;

 private:
  static constexpr std::uint32_t kNotOurs = 0xFFFFFFFFu;  // revision_index_ of others' Deployments
  static constexpr EventKind kScrape = 0;  // payload: revision; each second while active
  static constexpr EventKind kPoke = 1;    // payload: revision; a decision now
  static constexpr EventKind kWindow = 2;  // payload: revision, aux: generation; a window edge
  static constexpr EventKind kInstanceIdle = 3;  // payload: pod, aux: its idle epoch

  struct Held {
    std::uint32_t workload;
    SimTime service;
    SimTime arrived;
    std::uint32_t request = 0xFFFFFFFFu;  // a retried request the core already holds
  };
  struct Revision {
    std::uint32_t deployment = 0;
    std::uint32_t place = 0;
    const serverless::RevisionConfig* cfg = nullptr;
    std::optional<autoscaling::KpaDecider> decider;
    autoscaling::WindowBuckets stable{60 * kSecond};
    autoscaling::WindowBuckets panic{6 * kSecond};
    std::deque<Held> held;  // the activator's buffer, oldest first
    double held_area = 0;   // request-ns held since the last scrape
    SimTime held_since = 0;
    std::uint64_t arrivals = 0;  // since the last scrape (rps)
    SimTime last_scrape = 0;
    bool ticking = false;
    bool decide_next = false;  // scrapes alternate: the KPA decides every 2 s
    std::int32_t want = 0;     // the desired count last set
    bool reached_initial = false;
    SimTime active_since = 0;     // -1: inactive
    SimTime inactive_since = -1;  // -1: active
    bool proxy = true;            // the activator is in the path
    SimTime proxy_since = 0;
    std::size_t rr = 0;       // the activator's round-robin position
    SimTime idle_since = -1;  // nothing outstanding or held since; -1: busy
    std::optional<serverless::HybridHistogram> histogram;
    serverless::KeepAliveWindows windows;
    std::uint16_t window_generation = 0;
    // Statistics from the warm-up on.
    double idle_pod_ns = 0;       // ready pods with nothing outstanding, integrated
    std::uint32_t idle_pods = 0;  // at the last scrape (on demand: now)
    SimTime idle_changed = 0;     // on demand: when idle_pods last changed
  };

  Revision& revision_of(std::uint32_t deployment) {
    return revisions_[revision_index_[deployment]];
  }
  std::uint32_t in_flight(const Revision& rev) const;
  bool uses_windows(const Revision& rev) const;
  void start_ticking(Revision& rev);
  void scrape(Revision& rev);
  void decide(Revision& rev);
  std::int32_t apply_scale_rules(Revision& rev, std::int32_t want, std::int32_t ready);
  void went_idle(Revision& rev, SimTime now);
  void became_busy(Revision& rev);
  std::uint32_t pick_free(Revision& rev);
  void forward(Revision& rev, const Held& h, std::uint32_t pod);
  void drain(Revision& rev);
  void admit(Revision& rev, const Held& h);
  void hold(Revision& rev, const Held& h);
  void fail_held(const Held& h, bool dropped);
  void note_held(Revision& rev);  // the held area up to now
  void sample_idle(Revision& rev, SimTime elapsed);
  // The on-demand platform: an instance more when a request finds no free slot; idle
  // instances go by the keep-alive policy.
  bool on_demand(const Revision& rev) const {
    return rev.cfg->platform == serverless::RevisionConfig::Platform::on_demand;
  }
  void scale_up_for_held(Revision& rev);
  void fit_idle_on_demand(Revision& rev);
  SimTime instance_keep_alive(const Revision& rev) const;
  void instance_idle(std::uint32_t pod, std::uint16_t epoch);
  void on_request_done_idle(Revision& rev, std::uint32_t pod);
  std::int32_t live_pods(const Revision& rev) const;
  bool group_has_revision(std::int32_t group) const;
  // On demand every request passes here, so idle instances are counted exactly.
  void count_idle(std::uint32_t pod, bool idle);

  std::vector<Revision> revisions_;
  std::vector<std::uint32_t> revision_index_;  // per Deployment (kNone-like when not ours)
  std::vector<SimTime> ready_at_;              // per pod: when it last became ready
  std::vector<std::uint16_t> idle_epoch_;      // per pod: bumped each time it goes idle
  std::vector<std::uint8_t> counted_idle_;     // per pod: in its revision's idle_pods (on demand)
  std::vector<std::uint64_t> cold_;            // per workload, from the warm-up on
};

}  // namespace kt::models
