#include "scenarios/field_schema.hpp"

#include <algorithm>
#include <map>
#include <sstream>

#include "scenarios/diagnostics.hpp"

namespace kt::scenario {

namespace {

// Each type: its field names; "name:Type" checks the field's map (or each map of its list)
// against Type, a bare name leaves the value to its parser; "@Type" includes Type's fields.
// Read from the published schemas:
//  - Kubernetes v1.33 OpenAPI (api/openapi-spec/v3 of kubernetes/kubernetes): ObjectMeta,
//    Deployment, PodTemplateSpec, PodSpec, Container, Toleration, Service, Job, Node,
//    RuntimeClass, HorizontalPodAutoscaler (autoscaling/v2: checked by its parser);
//  - KEDA v2.16 CRD keda.sh_scaledobjects.yaml: ScaledObject;
//  - Knative Serving v1.16 (serving.knative.dev/v1 Service; a revision's spec is a PodSpec
//    subset plus containerConcurrency, timeoutSeconds, responseStartTimeoutSeconds,
//    idleTimeoutSeconds);
//  - Istio v1.24 networking/v1 virtual_service.proto, destination_rule.proto;
//  - Argo Workflows workflow_types.go, v3.5 and the main branch at f016ad8 (podResources,
//    resourceClaims, executorPlugins, template annotations): Workflow, its spec,
//    templates, DAG tasks (a steps template's lists of lists are left to the parser).
const std::map<std::string, std::string>& types() {
  static const std::map<std::string, std::string> kTypes = {
      {"ObjectMeta",
       "name generateName namespace selfLink uid resourceVersion generation creationTimestamp "
       "deletionTimestamp deletionGracePeriodSeconds labels annotations ownerReferences "
       "finalizers managedFields"},
      {"Deployment", "apiVersion kind metadata:ObjectMeta spec:DeploymentSpec status"},
      {"DeploymentSpec",
       "replicas selector template:PodTemplateSpec strategy minReadySeconds "
       "revisionHistoryLimit paused progressDeadlineSeconds"},
      {"PodTemplateSpec", "metadata:ObjectMeta spec:PodSpec"},
      {"PodSpec",
       "volumes initContainers:Container containers:Container ephemeralContainers "
       "restartPolicy terminationGracePeriodSeconds activeDeadlineSeconds dnsPolicy "
       "nodeSelector serviceAccountName serviceAccount automountServiceAccountToken nodeName "
       "hostNetwork hostPID hostIPC shareProcessNamespace securityContext imagePullSecrets "
       "hostname subdomain affinity schedulerName tolerations:Toleration hostAliases "
       "priorityClassName priority dnsConfig readinessGates runtimeClassName "
       "enableServiceLinks preemptionPolicy overhead topologySpreadConstraints "
       "setHostnameAsFQDN os hostUsers schedulingGates resourceClaims resources"},
      {"Container",
       "name image command args workingDir ports envFrom env resources resizePolicy "
       "restartPolicy volumeMounts volumeDevices livenessProbe readinessProbe startupProbe "
       "lifecycle terminationMessagePath terminationMessagePolicy imagePullPolicy "
       "securityContext stdin stdinOnce tty"},
      {"Toleration", "key operator value effect tolerationSeconds"},
      {"Pod", "apiVersion kind metadata:ObjectMeta spec:PodSpec status"},
      {"Service", "apiVersion kind metadata:ObjectMeta spec:ServiceSpec status"},
      {"ServiceSpec",
       "ports:ServicePort selector clusterIP clusterIPs type externalIPs sessionAffinity "
       "loadBalancerIP loadBalancerSourceRanges externalName externalTrafficPolicy "
       "healthCheckNodePort publishNotReadyAddresses sessionAffinityConfig ipFamilies "
       "ipFamilyPolicy allocateLoadBalancerNodePorts loadBalancerClass internalTrafficPolicy "
       "trafficDistribution"},
      {"ServicePort", "name protocol appProtocol port targetPort nodePort"},
      {"Job", "apiVersion kind metadata:ObjectMeta spec:JobSpec status"},
      {"JobSpec",
       "parallelism completions activeDeadlineSeconds podFailurePolicy successPolicy "
       "backoffLimit backoffLimitPerIndex maxFailedIndexes selector manualSelector "
       "template:PodTemplateSpec ttlSecondsAfterFinished completionMode suspend "
       "podReplacementPolicy managedBy"},
      {"Node", "apiVersion kind metadata:ObjectMeta spec:NodeSpec status"},
      {"NodeSpec", "podCIDR podCIDRs providerID unschedulable taints configSource externalID"},
      {"RuntimeClass", "apiVersion kind metadata:ObjectMeta handler overhead scheduling"},
      {"HorizontalPodAutoscaler", "apiVersion kind metadata:ObjectMeta spec status"},
      {"ScaledObject", "apiVersion kind metadata:ObjectMeta spec:ScaledObjectSpec status"},
      {"ScaledObjectSpec",
       "scaleTargetRef:ScaleTarget pollingInterval initialCooldownPeriod cooldownPeriod "
       "idleReplicaCount minReplicaCount maxReplicaCount fallback advanced "
       "triggers:ScaleTrigger"},
      {"ScaleTarget", "apiVersion kind name envSourceContainerName"},
      {"ScaleTrigger", "type name useCachedMetrics metadata authenticationRef metricType"},
      {"KnativeService", "apiVersion kind metadata:ObjectMeta spec:KnativeServiceSpec status"},
      {"KnativeServiceSpec", "template:RevisionTemplate traffic:TrafficTarget"},
      {"RevisionTemplate", "metadata:ObjectMeta spec:RevisionSpec"},
      {"RevisionSpec",
       "@PodSpec containerConcurrency timeoutSeconds responseStartTimeoutSeconds "
       "idleTimeoutSeconds"},
      {"TrafficTarget", "tag revisionName configurationName latestRevision percent url"},
      {"VirtualService", "apiVersion kind metadata:ObjectMeta spec:VirtualServiceSpec status"},
      {"VirtualServiceSpec", "hosts gateways http:HTTPRoute tls tcp exportTo"},
      {"HTTPRoute",
       "name match route:HTTPRouteDestination redirect directResponse delegate rewrite timeout "
       "retries fault mirror mirrors mirrorPercentage mirror_percent mirrorPercent corsPolicy "
       "headers"},
      {"HTTPRouteDestination", "destination:Destination weight headers"},
      {"Destination", "host subset port"},
      {"DestinationRule", "apiVersion kind metadata:ObjectMeta spec:DestinationRuleSpec status"},
      {"DestinationRuleSpec",
       "host trafficPolicy:TrafficPolicy subsets:Subset exportTo "
       "workloadSelector"},
      {"TrafficPolicy",
       "loadBalancer connectionPool outlierDetection tls portLevelSettings tunnel "
       "proxyProtocol"},
      {"Subset", "name labels trafficPolicy:TrafficPolicy"},
      // Argo Workflows v3.5 (pkg/apis/workflow/v1alpha1/workflow_types.go).
      {"Workflow", "apiVersion kind metadata:ObjectMeta spec:WorkflowSpec status"},
      {"WorkflowSpec",
       "templates:ArgoTemplate entrypoint arguments serviceAccountName "
       "automountServiceAccountToken executor volumes volumeClaimTemplates parallelism "
       "artifactRepositoryRef suspend nodeSelector affinity tolerations imagePullSecrets "
       "hostNetwork dnsPolicy dnsConfig onExit ttlStrategy activeDeadlineSeconds priority "
       "schedulerName podGC podPriorityClassName podPriority hostAliases securityContext "
       "podSpecPatch podDisruptionBudget metrics shutdown workflowTemplateRef synchronization "
       "volumeClaimGC retryStrategy podMetadata templateDefaults archiveLogs hooks "
       "workflowMetadata artifactGC podResources resourceClaims executorPlugins"},
      {"ArgoTemplate",
       "name inputs outputs nodeSelector affinity metadata daemon steps container script "
       "resource dag:ArgoDAG suspend volumes initContainers sidecars archiveLocation "
       "activeDeadlineSeconds retryStrategy parallelism failFast tolerations schedulerName "
       "priorityClassName priority serviceAccountName automountServiceAccountToken executor "
       "hostAliases securityContext podSpecPatch metrics synchronization memoize timeout data "
       "http plugin containerSet archiveLogs annotations podResources resourceClaims"},
      {"ArgoDAG", "target tasks:ArgoTask failFast"},
      {"ArgoTask",
       "name template inline arguments templateRef dependencies withItems withParam "
       "withSequence when continueOn onExit depends hooks"},
  };
  return kTypes;
}

// The root type of each checked kind (group/kind).
const char* root_type(const std::string& group, const std::string& kind) {
  static const std::map<std::pair<std::string, std::string>, const char*> kRoots = {
      {{"apps", "Deployment"}, "Deployment"},
      {{"", "Pod"}, "Pod"},
      {{"", "Service"}, "Service"},
      {{"batch", "Job"}, "Job"},
      {{"", "Node"}, "Node"},
      {{"node.k8s.io", "RuntimeClass"}, "RuntimeClass"},
      {{"autoscaling", "HorizontalPodAutoscaler"}, "HorizontalPodAutoscaler"},
      {{"keda.sh", "ScaledObject"}, "ScaledObject"},
      {{"serving.knative.dev", "Service"}, "KnativeService"},
      {{"networking.istio.io", "VirtualService"}, "VirtualService"},
      {{"networking.istio.io", "DestinationRule"}, "DestinationRule"},
      {{"argoproj.io", "Workflow"}, "Workflow"},
  };
  const auto it = kRoots.find({group, kind});
  return it == kRoots.end() ? nullptr : it->second;
}

// field -> child type ("" when not checked further), with @includes expanded.
std::map<std::string, std::string> fields_of(const std::string& type) {
  std::map<std::string, std::string> out;
  std::istringstream in(types().at(type));
  std::string word;
  while (in >> word) {
    if (word[0] == '@') {
      for (auto& [k, v] : fields_of(word.substr(1)))
        out.emplace(k, v);
      continue;
    }
    const std::size_t colon = word.find(':');
    if (colon == std::string::npos) {
      out.emplace(word, "");
    } else {
      out.emplace(word.substr(0, colon), word.substr(colon + 1));
    }
  }
  return out;
}

void check(const YAML::Node& node, const std::string& type, const std::string& path,
           YamlReader& r) {
  if (!node.IsMap()) return;  // a shape error is the parser's to report
  const std::map<std::string, std::string> fields = fields_of(type);
  std::vector<std::string> names;
  for (const auto& [k, v] : fields)
    names.push_back(k);
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) continue;
    const std::string key = entry.first.Scalar();
    const auto it = fields.find(key);
    const std::string at = path.empty() ? key : path + "." + key;
    if (it == fields.end()) {
      const std::string suggestion = closest_match(key, names);
      r.warning(entry.first, "unknown field '" + at + "' (ignored)",
                suggestion.empty()
                    ? std::string()
                    : "did you mean '" + (path.empty() ? "" : path + ".") + suggestion + "'?");
      continue;
    }
    if (it->second.empty()) continue;
    if (entry.second.IsMap()) {
      check(entry.second, it->second, at, r);
    } else if (entry.second.IsSequence()) {
      for (const YAML::Node& item : entry.second)
        check(item, it->second, at + "[]", r);
    }
  }
}

// Fields that change behaviour upstream and that no model reads yet, by the type they
// belong to; each with why it is not simulated.
struct Unsimulated {
  const char* type;
  const char* field;
  const char* why;
};
constexpr Unsimulated kUnsimulated[] = {
    {"PodSpec", "initContainers", "init containers add no start-up time"},
    {"Container", "readinessProbe",
     "a pod is ready when its containers have started; probe delays are not added"},
    {"Container", "startupProbe",
     "a pod is ready when its containers have started; probe delays are not added"},
    {"PodSpec", "topologySpreadConstraints", "the scheduler does not spread by topology"},
    {"PodSpec", "priorityClassName", "pods have no priority and nothing is preempted"},
    {"PodSpec", "overhead", "scheduling counts the containers' requests only"},
    {"JobSpec", "successPolicy", "a Job succeeds when its completions are reached"},
    {"JobSpec", "backoffLimitPerIndex", "failures count against backoffLimit only"},
    {"JobSpec", "suspend", "a Job runs when its workload starts it"},
    {"HTTPRoute", "fault", "no delay or abort is injected"},
    {"HTTPRoute", "match",
     "simulated requests carry no headers or paths: they take the first route without match "
     "conditions"},
    {"HTTPRoute", "mirror", "mirrored traffic is not sent"},
    {"TrafficPolicy", "connectionPool", "connections are not limited"},
    {"TrafficPolicy", "outlierDetection", "no endpoint is ejected"},
    {"KnativeServiceSpec", "traffic",
     "every request goes to the latest revision (no split between revisions or tags)"},
};

void collect(const YAML::Node& node, const std::string& type, const std::string& path,
             std::vector<std::string>& out) {
  if (!node.IsMap()) return;
  const std::map<std::string, std::string> fields = fields_of(type);
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) continue;
    const std::string key = entry.first.Scalar();
    const auto it = fields.find(key);
    if (it == fields.end()) continue;
    const std::string at = path.empty() ? key : path + "." + key;
    for (const Unsimulated& u : kUnsimulated) {
      const bool of_type =
          type == u.type || (type == "RevisionSpec" && std::string(u.type) == "PodSpec");
      if (of_type && key == u.field) out.push_back(at + " -> not simulated: " + u.why);
    }
    if (it->second.empty()) continue;
    if (entry.second.IsMap()) {
      collect(entry.second, it->second, at, out);
    } else if (entry.second.IsSequence()) {
      for (const YAML::Node& item : entry.second)
        collect(item, it->second, at + "[]", out);
    }
  }
}

}  // namespace

void check_fields(const YAML::Node& root, const std::string& group, const std::string& kind,
                  YamlReader& r) {
  if (const char* type = root_type(group, kind)) check(root, type, "", r);
}

std::vector<std::string> unsimulated_fields(const YAML::Node& root, const std::string& group,
                                            const std::string& kind) {
  std::vector<std::string> out;
  if (const char* type = root_type(group, kind)) collect(root, type, "", out);
  // One line per field path, however many containers carry it.
  std::vector<std::string> unique;
  for (const std::string& line : out) {
    if (std::find(unique.begin(), unique.end(), line) == unique.end()) unique.push_back(line);
  }
  return unique;
}

}  // namespace kt::scenario
