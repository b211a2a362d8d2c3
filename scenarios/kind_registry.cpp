#include "scenarios/kind_registry.hpp"

namespace kt::scenario {

const KindRegistry& KindRegistry::builtin() {
  static const KindRegistry registry = [] {
    KindRegistry r;
    register_core_kinds(r);
    register_autoscaling_kinds(r);
    register_serverless_kinds(r);
    register_fleet_kinds(r);
    register_quantum_kinds(r);
    register_workflow_kinds(r);
    register_mesh_kinds(r);
    return r;
  }();
  return registry;
}

void KindRegistry::add(KindHandler handler) {
  handlers_.push_back(std::move(handler));
}

const KindHandler* KindRegistry::find(const std::string& group, const std::string& kind) const {
  for (const KindHandler& h : handlers_) {
    if (h.group == group && h.kind == kind) return &h;
  }
  return nullptr;
}

std::string ManifestObject::group() const {
  const std::size_t slash = api_version.find('/');
  return slash == std::string::npos ? std::string() : api_version.substr(0, slash);
}

const std::string* Container::env_value(const std::string& key) const {
  for (const EnvVar& e : env) {
    if (e.name == key) return &e.value;
  }
  return nullptr;
}

k8s::ResourceList PodTemplate::total_requests() const {
  k8s::ResourceList total;
  for (const Container& c : containers) {
    for (const auto& [name, milli] : c.requests)
      total[name] += milli;
  }
  return total;
}

}  // namespace kt::scenario
