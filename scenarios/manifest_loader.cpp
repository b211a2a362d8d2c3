#include "scenarios/manifest_loader.hpp"
#include "scenarios/raw_yaml.hpp"

#include <map>
#include <set>

#include "scenarios/field_schema.hpp"
#include "scenarios/kind_registry.hpp"
#include "scenarios/yaml_reader.hpp"

namespace kt::scenario {

namespace {

std::string version_of(const std::string& api_version) {
  const std::size_t slash = api_version.find('/');
  return slash == std::string::npos ? api_version : api_version.substr(slash + 1);
}

bool is_openfaas_stack(const YAML::Node& root) {
  return root.IsMap() && !root["apiVersion"] && !root["kind"] && root["functions"] &&
         root["provider"];
}

// An OpenFaaS stack file (faas-cli's format) holds one function per key of `functions`.
void read_openfaas_stack(const YamlDocument& doc, ManifestSet& out, Diagnostics& diags) {
  YamlReader r(doc.file, diags, doc.line_offset);
  const YAML::Node provider = doc.root["provider"];
  if (r.expect_map(provider, "provider")) {
    if (!provider["name"] || !provider["name"].IsScalar() ||
        provider["name"].Scalar() != "openfaas") {
      r.error(provider, "provider.name must be \"openfaas\" in an OpenFaaS stack file");
    }
  }
  const YAML::Node functions = doc.root["functions"];
  if (!r.expect_map(functions, "functions")) return;
  for (const auto& entry : functions) {
    ManifestObject obj;
    obj.api_version = "openfaas.com/v1";
    obj.kind = "Function";
    obj.pos = r.pos(entry.first);
    obj.model = "serverless";
    obj.raw = wrap_yaml(entry.second);
    auto name = r.name(entry.first, "function name");
    if (!name) continue;
    obj.name = *name;
    FunctionSpec spec;
    spec.framework = "openfaas";
    const YAML::Node f = entry.second;
    if (!r.expect_map(f, "functions." + obj.name)) continue;
    // The fields of faas-cli's stack schema (github.com/openfaas/go-sdk stack/schema.go,
    // type Function, as vendored by faas-cli at 8d803bf).
    r.check_keys(f,
                 {"lang", "handler", "image", "fprocess", "environment", "environment_file",
                  "labels", "annotations", "limits", "requests", "secrets", "build_args",
                  "build_secrets", "constraints", "readonly_root_filesystem", "skip_build",
                  "namespace", "build_options", "platforms"},
                 "functions." + obj.name, Severity::warning);
    if (f["lang"]) {
      if (auto v = r.string(f["lang"], "lang")) spec.runtime = *v;
    }
    if (f["handler"]) {
      if (auto v = r.string(f["handler"], "handler")) spec.handler = *v;
    }
    if (f["image"]) {
      if (auto v = r.string(f["image"], "image")) spec.image = *v;
    } else {
      r.error(f, "function " + obj.name + " has no 'image'");
    }
    if (const YAML::Node env = f["environment"]) {
      if (auto m = r.string_map(env, "environment")) {
        for (const auto& [k, v] : *m)
          spec.env.push_back({k, v});
        // The OpenFaaS watchdog reads these as Go durations.
        for (const char* key : {"read_timeout", "write_timeout"}) {
          const auto it = m->find(key);
          if (it == m->end()) continue;
          const DurationParse d = parse_duration(it->second);
          if (!d.ok()) {
            r.error(env[key], std::string("environment.") + key + ": " + d.error);
          } else if (std::string(key) == "read_timeout") {
            spec.read_timeout = d.value_ns;
          } else {
            spec.write_timeout = d.value_ns;
          }
        }
      }
    }
    if (const YAML::Node labels = f["labels"]) {
      if (auto m = r.string_map(labels, "labels")) spec.labels = *m;
    }
    // faas-cli's FunctionResources: memory and cpu, as Kubernetes quantities.
    for (const char* section : {"requests", "limits"}) {
      const YAML::Node res = f[section];
      if (!res || !r.expect_map(res, section)) continue;
      r.check_keys(res, {"memory", "cpu"}, section, Severity::warning);
      for (const char* key : {"memory", "cpu"}) {
        if (!res[key]) continue;
        const auto text = r.string(res[key], std::string(section) + "." + key);
        if (!text) continue;
        const Parsed<std::int64_t> q = parse_quantity(*text);
        if (!q.ok()) {
          r.error(res[key], std::string(section) + "." + key + ": " + q.error);
          continue;
        }
        const bool limits = std::string(section) == "limits";
        if (std::string(key) == "memory" && (limits || spec.memory_bytes == 0)) {
          spec.memory_bytes = q.value / 1000;
        } else if (std::string(key) == "cpu" && (!limits || spec.cpu_milli == 0)) {
          spec.cpu_milli = q.value;
        }
      }
    }
    for (const EnvVar& e : spec.env) {
      if (e.name != "max_inflight") continue;
      const Parsed<double> n = parse_number(e.value);
      if (!n.ok() || n.value < 0 ||
          n.value != static_cast<double>(static_cast<std::int64_t>(n.value))) {
        r.error(f["environment"]["max_inflight"],
                "environment.max_inflight must be a whole number >= 0");
      } else {
        spec.max_inflight = static_cast<std::int64_t>(n.value);
      }
    }
    obj.spec = std::move(spec);
    out.objects.push_back(std::move(obj));
  }
}

// The controller in metadata.ownerReferences ("Kind/name"), or the first owner when none is
// marked controller; "" when the object has no owner.
std::string controller_of(const YAML::Node& meta) {
  const YAML::Node refs = meta["ownerReferences"];
  if (!refs || !refs.IsSequence()) return "";
  std::string first;
  for (const YAML::Node& ref : refs) {
    if (!ref.IsMap() || !ref["kind"] || !ref["name"] || !ref["kind"].IsScalar() ||
        !ref["name"].IsScalar()) {
      continue;
    }
    std::string id = ref["kind"].Scalar();
    id.append("/").append(ref["name"].Scalar());
    const YAML::Node controller = ref["controller"];
    if (controller && controller.IsScalar() && controller.Scalar() == "true") return id;
    if (first.empty()) first = id;
  }
  return first;
}

// `kubectl get -o yaml|json` answers with a v1 List; the API itself with a typed list
// (DeploymentList) whose items carry no apiVersion and kind: those come from the list.
bool is_object_list(const YAML::Node& root) {
  if (!root.IsMap() || !root["kind"] || !root["kind"].IsScalar() || !root["items"]) return false;
  const std::string& kind = root["kind"].Scalar();
  return kind.size() >= 4 && kind.compare(kind.size() - 4, 4, "List") == 0;
}

void read_object_list(const YamlDocument& doc, ManifestSet& out, Diagnostics& diags) {
  YamlReader r(doc.file, diags, doc.line_offset);
  const YAML::Node items = doc.root["items"];
  if (items.IsNull()) return;  // an empty list: `items: null` is what the API writes
  if (!r.expect_sequence(items, "items")) return;
  const std::string list_kind = doc.root["kind"].Scalar();
  const std::string item_kind = list_kind.substr(0, list_kind.size() - 4);
  const YAML::Node list_version = doc.root["apiVersion"];
  for (YAML::Node item : items) {
    if (item.IsMap() && !item_kind.empty() && !item["kind"]) {
      item["kind"] = item_kind;
      if (!item["apiVersion"] && list_version && list_version.IsScalar())
        item["apiVersion"] = list_version.Scalar();
    }
    ManifestObject obj;
    if (parse_object(item, doc.file, obj, diags, doc.line_offset) || !obj.name.empty()) {
      if (!obj.kind.empty() && !obj.name.empty()) out.objects.push_back(std::move(obj));
    }
  }
}

}  // namespace

// The 5-character suffix the API server appends to generateName (apiserver's
// names.SimpleNameGenerator draws from utilrand's alphanums, vowels and look-alikes left out),
// here derived from the object's file and place instead of a random source.
static std::string generated_suffix(const std::string& file, int line, int column) {
  static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  const auto mix = [&](unsigned char c) { h = (h ^ c) * 1099511628211ull; };
  for (char c : file)
    mix(static_cast<unsigned char>(c));
  for (char c : std::to_string(line) + ":" + std::to_string(column))
    mix(static_cast<unsigned char>(c));
  std::string out;
  for (int i = 0; i < 5; ++i) {
    out += kAlphabet[h % (sizeof kAlphabet - 1)];
    h /= sizeof kAlphabet - 1;
  }
  return out;
}

bool is_scenario_document(const YAML::Node& root) {
  return root.IsMap() && root["kind"] && root["kind"].IsScalar() &&
         root["kind"].Scalar() == "Scenario" && root["apiVersion"] &&
         root["apiVersion"].IsScalar() && root["apiVersion"].Scalar().rfind("kubetwin.io/", 0) == 0;
}

bool parse_object(const YAML::Node& root, const std::string& file, ManifestObject& obj,
                  Diagnostics& diags, int line_offset) {
  YamlReader r(file, diags, line_offset);
  obj.pos = r.pos(root);
  obj.raw = wrap_yaml(root);
  if (!root.IsMap()) {
    r.error(root, "expected a Kubernetes object (a map with apiVersion, kind and metadata), got " +
                      describe_node(root));
    return false;
  }
  bool ok = true;
  if (auto v = root["apiVersion"] ? r.string(root["apiVersion"], "apiVersion") : std::nullopt) {
    obj.api_version = *v;
  } else {
    if (!root["apiVersion"]) r.error(root, "object has no 'apiVersion'");
    ok = false;
  }
  if (auto k = root["kind"] ? r.string(root["kind"], "kind") : std::nullopt) {
    obj.kind = *k;
  } else {
    if (!root["kind"]) r.error(root, "object has no 'kind'");
    ok = false;
  }
  const YAML::Node meta = root["metadata"];
  if (!meta) {
    r.error(root, "object has no 'metadata'");
    ok = false;
  } else if (r.expect_map(meta, "metadata")) {
    if (auto n = meta["name"] ? r.name(meta["name"], "metadata.name") : std::nullopt) {
      obj.name = *n;
    } else if (!meta["name"] && meta["generateName"]) {
      // The API server names it generateName + 5 random characters; kubetwin draws them from
      // the same alphabet, but from the object's place, so that the name is the same on every
      // run.
      if (auto g = r.string(meta["generateName"], "metadata.generateName")) {
        obj.name = *g + generated_suffix(file, obj.pos.line, obj.pos.column);
      } else {
        ok = false;
      }
    } else {
      if (!meta["name"]) r.error(meta, "metadata has no 'name'", "or a 'generateName' prefix");
      ok = false;
    }
    if (meta["namespace"]) {
      if (auto ns = r.name(meta["namespace"], "metadata.namespace")) obj.name_space = *ns;
    }
    if (meta["labels"]) r.string_map(meta["labels"], "metadata.labels");
    if (meta["annotations"]) {
      if (auto a = r.string_map(meta["annotations"], "metadata.annotations")) obj.annotations = *a;
    }
  } else {
    ok = false;
  }
  if (!ok) return false;
  // An object a controller made (a ReplicaSet's Pod, a Deployment's ReplicaSet, a CronJob's
  // Job, as `kubectl get -o yaml` lists them): its controller's model simulates it, so it is
  // listed as owned and not simulated a second time.
  if (const std::string owner = controller_of(meta); !owner.empty()) {
    obj.owner = owner;
    obj.not_simulated = "owned by " + owner + " (metadata.ownerReferences); its owner makes it";
    return true;
  }
  const KindHandler* handler = KindRegistry::builtin().find(obj.group(), obj.kind);
  if (!handler) {
    obj.not_simulated = "unknown kind (apiVersion " + obj.api_version + ")";
    // A known kind under the wrong API group is a common slip (Deployment in "v1").
    std::string hint;
    for (const KindHandler& h : KindRegistry::builtin().all()) {
      if (h.kind == obj.kind && hint.empty()) {
        hint = "did you mean apiVersion " + (h.group.empty() ? "" : h.group + "/") +
               h.versions.front() + "?";
      }
    }
    r.warning(root["kind"],
              "unknown kind " + obj.kind + " (apiVersion " + obj.api_version +
                  "); it is listed but not simulated",
              hint);
    return true;
  }
  const std::string version = version_of(obj.api_version);
  bool served = false;
  for (const std::string& v : handler->versions)
    served = served || v == version;
  if (!served) {
    std::string known;
    for (const std::string& v : handler->versions) {
      known +=
          (known.empty() ? "" : ", ") + (handler->group.empty() ? v : handler->group + "/" + v);
    }
    r.warning(root["apiVersion"], "apiVersion " + obj.api_version + " does not serve " + obj.kind,
              "served versions: " + known + "; kubetwin reads it as those");
  }
  if (!handler->caveat.empty()) r.warning(root["apiVersion"], handler->caveat);
  obj.model = handler->model;
  obj.not_simulated = handler->not_simulated;
  check_fields(root, obj.group(), obj.kind, r);
  obj.unsimulated_fields = unsimulated_fields(root, obj.group(), obj.kind);
  if (handler->parse) {
    const std::size_t before = diags.error_count();
    try {
      handler->parse(root, obj, r);
    } catch (const YAML::Exception& e) {
      // A shape the parser did not expect: report it at the object rather than crash.
      r.error(root, obj.id() + " could not be read: " + e.msg);
    }
    return diags.error_count() == before;
  }
  return true;
}

void read_manifests(const std::vector<YamlDocument>& documents, ManifestSet& out,
                    Diagnostics& diags) {
  for (const YamlDocument& doc : documents) {
    if (is_scenario_document(doc.root)) {
      out.scenario_documents.push_back(doc);
      continue;
    }
    if (is_openfaas_stack(doc.root)) {
      read_openfaas_stack(doc, out, diags);
      continue;
    }
    if (is_object_list(doc.root)) {
      read_object_list(doc, out, diags);
      continue;
    }
    if (doc.root.IsMap() && doc.root["status"] && doc.root["data"] && !doc.root["kind"]) {
      // A folder of manifests may hold the exports kubetwin calibrate reads beside them.
      YamlReader r(doc.file, diags, doc.line_offset);
      r.error(doc.root, "a Prometheus API answer, not a Kubernetes object",
              "give it to kubetwin calibrate or backtest with --prometheus");
      continue;
    }
    ManifestObject obj;
    if (parse_object(doc.root, doc.file, obj, diags, doc.line_offset) || !obj.name.empty()) {
      if (!obj.kind.empty() && !obj.name.empty()) out.objects.push_back(std::move(obj));
    }
  }
}

const ManifestObject* find_object(const std::vector<ManifestObject>& objects,
                                  const std::string& kind, const std::string& name,
                                  bool* ambiguous) {
  const ManifestObject* found = nullptr;
  if (ambiguous) *ambiguous = false;
  for (const ManifestObject& obj : objects) {
    if (obj.kind != kind || obj.name != name) continue;
    if (found && ambiguous) *ambiguous = true;
    if (!found) found = &obj;
  }
  return found;
}

namespace {

std::string place(const SourcePos& pos) {
  return pos.file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
}

void check_ref(const ObjectRef& ref, const std::string& owner,
               const std::vector<ManifestObject>& objects, Diagnostics& diags) {
  if (ref.name.empty()) return;
  if (!find_object(objects, ref.kind, ref.name)) {
    diags.warning(ref.pos,
                  owner + " refers to " + ref.kind + "/" + ref.name +
                      ", which is not among the manifests read",
                  "it is assumed to exist outside the simulation; add it to simulate it");
  }
}

}  // namespace

void check_manifest_set(std::vector<ManifestObject>& objects, Diagnostics& diags) {
  // Later documents update earlier ones of the same object; each object is kept once, at
  // the place of its last definition.
  std::map<std::string, std::size_t> last;  // key -> index of its latest definition
  std::vector<bool> replaced(objects.size(), false);
  for (std::size_t i = 0; i < objects.size(); ++i) {
    const ManifestObject& obj = objects[i];
    const std::string key = obj.api_version.substr(0, obj.api_version.find('/')) + "|" + obj.kind +
                            "|" + obj.name_space + "|" + obj.name;
    const auto [it, inserted] = last.emplace(key, i);
    if (!inserted) {
      diags.warning(obj.pos, obj.id() + " is defined again (first at " +
                                 place(objects[it->second].pos) +
                                 "); this document updates it, as kubectl apply does");
      replaced[it->second] = true;
      it->second = i;
    }
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    if (!replaced[i]) {
      if (kept != i) objects[kept] = std::move(objects[i]);
      ++kept;
    }
  }
  objects.resize(kept);
  std::set<std::string> function_names;
  for (const ManifestObject& obj : objects) {
    if (std::holds_alternative<FunctionSpec>(obj.spec) ||
        std::holds_alternative<KnativeServiceSpec>(obj.spec)) {
      function_names.insert(obj.name);
    }
  }
  for (const ManifestObject& obj : objects) {
    if (const auto* ping = std::get_if<PingSourceSpec>(&obj.spec)) {
      check_ref(ping->sink, obj.id() + " sink", objects, diags);
    } else if (const auto* so = std::get_if<ScaledObjectSpec>(&obj.spec)) {
      check_ref(so->target, obj.id() + " scaleTargetRef", objects, diags);
    } else if (const auto* hpa = std::get_if<HorizontalPodAutoscalerSpec>(&obj.spec)) {
      check_ref(hpa->target, obj.id() + " scaleTargetRef", objects, diags);
    } else if (const auto* vs = std::get_if<VirtualServiceSpec>(&obj.spec)) {
      // Once per host, at the host's own line; short names are relative to the
      // VirtualService's namespace, as Istio reads them.
      std::set<std::string> warned;
      for (std::size_t i = 0; i < vs->destinations.size(); ++i) {
        std::string host = vs->destinations[i];
        for (const std::string suffix : {".svc.cluster.local", ".svc"}) {
          if (host.size() > suffix.size() &&
              host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0) {
            host.resize(host.size() - suffix.size());
            break;
          }
        }
        const std::size_t dot = host.find('.');
        const std::string name = host.substr(0, dot);
        const std::string ns = dot == std::string::npos ? obj.name_space : host.substr(dot + 1);
        bool found = false;
        for (const ManifestObject& other : objects) {
          found =
              found || (other.kind == "Service" && other.name == name && other.name_space == ns);
        }
        if (!found && warned.insert(vs->destinations[i]).second) {
          const SourcePos at = i < vs->destination_pos.size() ? vs->destination_pos[i] : obj.pos;
          diags.warning(at, obj.id() + " routes to host '" + vs->destinations[i] +
                                "', which is no Service among the manifests read");
        }
      }
    } else if (const auto* dep = std::get_if<DeploymentSpec>(&obj.spec); dep && dep->warmer) {
      for (const std::string& target : dep->warmer->targets) {
        if (!function_names.count(target)) {
          diags.warning(obj.pos, obj.id() + " warms function '" + target +
                                     "' (TARGET_FUNCTIONS), which is not among the manifests read");
        }
      }
    }
  }
}

}  // namespace kt::scenario
