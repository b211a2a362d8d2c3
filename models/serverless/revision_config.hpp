#pragma once
// A serverless function as the fleet runs it: a Knative revision (its KPA, activator and
// scale bounds), or a function of a platform that starts one instance per concurrent request
// on demand and keeps idle ones by its keep-alive policy (OpenFaaS, Kubeless, and the FaaS
// clouds whose traces Shahrad et al. characterise). Values as upstream defaults them;
// docs/models/serverless.md names each source.

#include <cstdint>

#include "engine/time.hpp"
#include "models/autoscaling/kpa.hpp"
#include "models/serverless/keep_alive.hpp"

namespace kt::serverless {

struct RevisionConfig {
  enum class Platform : std::uint8_t {
    knative,    // the KPA every 2 s, the activator in the path at zero or low burst capacity
    on_demand,  // a gateway holds a request until an instance is free or started
  };
  Platform platform = Platform::knative;
  // Requests a pod serves at once (containerConcurrency); 0: unlimited.
  std::uint32_t container_concurrency = 0;
  autoscaling::KpaSpec kpa;
  bool rps_metric = false;     // autoscaling.knative.dev/metric: rps (else concurrency)
  std::int32_t min_scale = 0;  // autoscaling.knative.dev/min-scale
  std::int32_t max_scale = 0;  // 0: unbounded
  std::int32_t initial_scale = 1;
  SimTime scale_to_zero_grace = 30 * kSecond;  // config-autoscaler
  SimTime pod_retention = 0;                   // scale-to-zero-pod-retention-period
  bool enable_scale_to_zero = true;
  std::uint32_t activator_queue = 10000;     // the activator's breakerQueueDepth
  SimTime revision_timeout = 300 * kSecond;  // timeoutSeconds: a held request fails then
  KeepAliveConfig keep_alive;
  double memory_gb = 0;  // what one pod holds (its memory limit, else request): GB-s billed
};

// Prices a FaaS provider bills per GB-second of provisioned instances and per request
// (defaults: AWS Lambda's x86 list price, us-east-1, docs/models/serverless.md).
struct ServerlessPricing {
  double usd_per_gb_s = 0.0000166667;
  double usd_per_million_requests = 0.20;
};

}  // namespace kt::serverless
