#pragma once
// Which model handles which manifest kind (DESIGN.md guideline 2): each domain registers its
// kinds with a parser; the loader only asks the registry, so adding a kind touches one file.

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "scenarios/manifest.hpp"
#include "scenarios/plan_step.hpp"
#include "scenarios/yaml_reader.hpp"

namespace kt::scenario {

// Reads the kind-specific part of `root` into `object.spec`, reporting problems through `r`.
using KindParser = void (*)(const YAML::Node& root, ManifestObject& object, YamlReader& r);

struct KindHandler {
  std::string group;                  // "" for the core API ("v1"), "apps", "serving.knative.dev"
  std::vector<std::string> versions;  // the versions that API serves
  std::string kind;
  std::string model;          // the model that simulates it; "" when not simulated
  std::string not_simulated;  // why it changes no simulated behaviour (model == "")
  KindParser parse = nullptr;
  bool runnable = false;  // the model for this kind is built and `kubetwin run` uses it
  std::string caveat;     // said once per object: e.g. the API is not a real Kubernetes one
  // For kinds a workload can reach: builds the fleet's Deployment from the object
  // (scenarios/plan_step.hpp). None: the kind takes no requests, or its model is to come.
  PlanStep plan = nullptr;
  PlanCheck plan_check = nullptr;  // none: every object of the kind can be planned
  // Why this object cannot run on the kind's model whatever else is read (a ScaledObject
  // whose triggers have no simulated source), or "": said by validate, checked by plan_check.
  std::string (*unsupported)(const ManifestObject& object) = nullptr;
};

class KindRegistry {
 public:
  // Every kind kubetwin knows, registered by the domain files (kinds_*.cpp).
  static const KindRegistry& builtin();

  void add(KindHandler handler);
  const KindHandler* find(const std::string& group, const std::string& kind) const;
  const std::vector<KindHandler>& all() const { return handlers_; }

 private:
  std::vector<KindHandler> handlers_;
};

// Registration entry points, one per domain file.
void register_core_kinds(KindRegistry& registry);
void register_autoscaling_kinds(KindRegistry& registry);
void register_serverless_kinds(KindRegistry& registry);
void register_fleet_kinds(KindRegistry& registry);
void register_quantum_kinds(KindRegistry& registry);
void register_workflow_kinds(KindRegistry& registry);
void register_mesh_kinds(KindRegistry& registry);

// Shared by several kinds: a pod template (metadata + spec) and a container.
void read_pod_template(const YAML::Node& tmpl, PodTemplate& out, YamlReader& r,
                       const std::string& where);
void read_pod_spec(const YAML::Node& spec, PodTemplate& out, YamlReader& r,
                   const std::string& where);
bool read_container(const YAML::Node& node, Container& out, YamlReader& r,
                    const std::string& where);
ObjectRef read_object_ref(const YAML::Node& node, YamlReader& r, const std::string& where,
                          const std::string& default_kind);

}  // namespace kt::scenario
