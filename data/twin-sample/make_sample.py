#!/usr/bin/env python3
"""Makes the twin sample from a stated ground truth (truth/scenario.yaml).

usage: make_sample.py KUBETWIN [--out DIR]

Writes, under DIR (default: this folder):
  cluster-dump.yaml    what `kubectl get nodes,deployments,replicasets,services,hpa -A -o yaml`
                       prints for the sample cluster (server-side fields and all)
  prometheus/day1/     Prometheus /api/v1/query_range answers for 2026-11-30 (seed 1001), the
                       window `kubetwin calibrate` fits
  prometheus/day2/     the same queries for 2026-12-01 (seed 1002), the window `kubetwin
                       backtest` predicts
The seeds lie far from those of the replications a back-test runs (the scenario's seed, 1, and
up: 1..39), so that no replication shares the random streams that made the observations.
Each day's folder holds three files, one per query (step 60 s):
  requests.json  sum by (namespace, service) (rate(http_server_requests_total[1m]))
  latency.json   sum by (namespace, service, le)
                   (increase(http_server_request_duration_seconds_bucket[1m]))
  replicas.json  kube_deployment_status_replicas{namespace="shop"}
The exports are the ground truth run by kubetwin itself (`kubetwin run truth/scenario.yaml
--latency-buckets ...`), one seed per day, its time series written in the API's format.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DAY1 = 1795996800  # 2026-11-30T00:00:00Z
STEP = 60
BUCKETS = [0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10]
SERVICES = {"checkout": "checkout", "catalog": "catalog"}  # workload -> Service/Deployment


def node(i, name, itype, zone, cpu, mem, pool, taints=None):
    n = {"apiVersion": "v1", "kind": "Node",
         "metadata": {
             "annotations": {"alpha.kubernetes.io/provided-node-ip": "10.0.%d.17" % (i + 1),
                             "node.alpha.kubernetes.io/ttl": "0",
                             "volumes.kubernetes.io/controller-managed-attach-detach": "true"},
             "creationTimestamp": "2026-11-02T08:%02d:11Z" % (i * 3),
             "labels": {"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/instance-type": itype,
                        "beta.kubernetes.io/os": "linux", "eks.amazonaws.com/nodegroup": pool,
                        "failure-domain.beta.kubernetes.io/region": "us-east-1",
                        "failure-domain.beta.kubernetes.io/zone": zone,
                        "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name,
                        "kubernetes.io/os": "linux", "node.kubernetes.io/instance-type": itype,
                        "topology.kubernetes.io/region": "us-east-1",
                        "topology.kubernetes.io/zone": zone},
             "name": name, "resourceVersion": str(41000 + i),
             "uid": "5c1d%04x-2b1e-4c8a-9d7e-0f2a7b3c%04x" % (i, i)},
         "spec": {"providerID": "aws:///%s/i-0%010x" % (zone, 0x4f3a2b1c00 + i * 7919)},
         "status": {
             "addresses": [{"address": "10.0.%d.17" % (i + 1), "type": "InternalIP"},
                           {"address": name, "type": "Hostname"}],
             "allocatable": {"cpu": cpu, "ephemeral-storage": "76224326324", "hugepages-1Gi": "0",
                             "hugepages-2Mi": "0", "memory": mem, "pods": "58"},
             "capacity": {"cpu": "4" if itype == "m5.xlarge" else "8",
                          "ephemeral-storage": "83873772Ki", "hugepages-1Gi": "0",
                          "hugepages-2Mi": "0",
                          "memory": "16078036Ki" if itype == "m5.xlarge" else "15896432Ki",
                          "pods": "58"},
             "conditions": [{"lastHeartbeatTime": "2026-11-30T23:58:02Z",
                             "lastTransitionTime": "2026-11-02T08:00:41Z",
                             "message": "kubelet is posting ready status", "reason": "KubeletReady",
                             "status": "True", "type": "Ready"}],
             "nodeInfo": {"architecture": "amd64", "containerRuntimeVersion": "containerd://1.7.22",
                          "kernelVersion": "6.1.112-124.190.amzn2023.x86_64",
                          "kubeProxyVersion": "v1.31.2-eks-94953ac",
                          "kubeletVersion": "v1.31.2-eks-94953ac", "operatingSystem": "linux",
                          "osImage": "Amazon Linux 2023.6.20241111"}}}
    if taints:
        n["spec"]["taints"] = taints
    return n


def uid(name):
    return "a7f0%s-1111-4bbb-8ccc-2d3e4f5a6b7c" % name[:4].encode().hex()


def deployment(name, replicas, cpu, mem, concurrency, image):
    applied = {"apiVersion": "apps/v1", "kind": "Deployment",
               "metadata": {"annotations": {}, "name": name, "namespace": "shop"},
               "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}}}}
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {
                "annotations": {"deployment.kubernetes.io/revision": "4",
                                "kubectl.kubernetes.io/last-applied-configuration":
                                    json.dumps(applied, separators=(",", ":")) + "\n"},
                "creationTimestamp": "2026-11-02T09:14:07Z", "generation": 4,
                "labels": {"app": name},
                "managedFields": [{"apiVersion": "apps/v1", "fieldsType": "FieldsV1",
                                   "fieldsV1": {"f:spec": {"f:replicas": {}}},
                                   "manager": "kube-controller-manager", "operation": "Update",
                                   "subresource": "scale", "time": "2026-11-30T22:40:19Z"}],
                "name": name, "namespace": "shop", "resourceVersion": "88123", "uid": uid(name)},
            "spec": {
                "progressDeadlineSeconds": 600, "replicas": replicas, "revisionHistoryLimit": 10,
                "selector": {"matchLabels": {"app": name}},
                "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                             "type": "RollingUpdate"},
                "template": {
                    # How many requests one pod serves at once: an application property no
                    # Kubernetes field holds; the team wrote it down for the twin.
                    "metadata": {"annotations": {"kubetwin.io/container-concurrency": str(concurrency)},
                                 "creationTimestamp": None, "labels": {"app": name}},
                    "spec": {"containers": [{
                        "image": image, "imagePullPolicy": "IfNotPresent", "name": name,
                        "ports": [{"containerPort": 8080, "name": "http", "protocol": "TCP"}],
                        "resources": {"requests": {"cpu": cpu, "memory": mem}},
                        "terminationMessagePath": "/dev/termination-log",
                        "terminationMessagePolicy": "File"}],
                        "dnsPolicy": "ClusterFirst", "restartPolicy": "Always",
                        "schedulerName": "default-scheduler", "securityContext": {},
                        "terminationGracePeriodSeconds": 30}}},
            "status": {"availableReplicas": replicas,
                       "conditions": [{"lastTransitionTime": "2026-11-02T09:14:30Z",
                                       "lastUpdateTime": "2026-11-02T09:14:30Z",
                                       "message": "Deployment has minimum availability.",
                                       "reason": "MinimumReplicasAvailable", "status": "True",
                                       "type": "Available"}],
                       "observedGeneration": 4, "readyReplicas": replicas, "replicas": replicas,
                       "updatedReplicas": replicas}}


def replicaset(name, template_hash, replicas):
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {
                "annotations": {"deployment.kubernetes.io/desired-replicas": str(replicas),
                                "deployment.kubernetes.io/max-replicas": str(replicas + 1),
                                "deployment.kubernetes.io/revision": "4"},
                "creationTimestamp": "2026-11-20T10:02:55Z", "generation": 9,
                "labels": {"app": name, "pod-template-hash": template_hash},
                "name": name + "-" + template_hash, "namespace": "shop",
                "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": True,
                                     "controller": True, "kind": "Deployment", "name": name,
                                     "uid": uid(name)}],
                "resourceVersion": "88120",
                "uid": "c0ffee%s-0000-4000-8000-000000000001" % template_hash[:2]},
            "spec": {"replicas": replicas,
                     "selector": {"matchLabels": {"app": name, "pod-template-hash": template_hash}},
                     "template": {"metadata": {"labels": {"app": name,
                                                          "pod-template-hash": template_hash}},
                                  "spec": {"containers": [{"image": "x", "name": name}]}}},
            "status": {"availableReplicas": replicas, "fullyLabeledReplicas": replicas,
                       "observedGeneration": 9, "readyReplicas": replicas, "replicas": replicas}}


def service(name, namespace, selector, ip, port=80, target=8080):
    s = {"apiVersion": "v1", "kind": "Service",
         "metadata": {"creationTimestamp": "2026-11-02T09:14:07Z",
                      "labels": {"app": name} if selector else
                      {"component": "apiserver", "provider": "kubernetes"},
                      "name": name, "namespace": namespace, "resourceVersion": "5412",
                      "uid": "0d0c%s-aaaa-4bbb-8ccc-9d8e7f6a5b4c" % name[:4].encode().hex()},
         "spec": {"clusterIP": ip, "clusterIPs": [ip], "internalTrafficPolicy": "Cluster",
                  "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                  "ports": [{"name": "http" if selector else "https", "port": port,
                             "protocol": "TCP", "targetPort": target}],
                  "sessionAffinity": "None", "type": "ClusterIP"},
         "status": {"loadBalancer": {}}}
    if selector:
        s["spec"]["selector"] = selector
    return s


HPA = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
       "metadata": {"creationTimestamp": "2026-11-02T09:20:00Z", "name": "checkout",
                    "namespace": "shop", "resourceVersion": "88130",
                    "uid": "4e4e4e4e-5555-4666-8777-888899990000"},
       "spec": {"maxReplicas": 10,
                "metrics": [{"resource": {"name": "cpu",
                                          "target": {"averageUtilization": 60,
                                                     "type": "Utilization"}},
                             "type": "Resource"}],
                "minReplicas": 2,
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                   "name": "checkout"}},
       "status": {"conditions": [{"lastTransitionTime": "2026-11-02T09:20:15Z",
                                  "message": "recommended size matches current size",
                                  "reason": "ReadyForNewScale", "status": "True",
                                  "type": "AbleToScale"}],
                  "currentMetrics": [{"resource": {"current": {"averageUtilization": 41,
                                                               "averageValue": "205m"},
                                                   "name": "cpu"},
                                      "type": "Resource"}],
                  "currentReplicas": 3, "desiredReplicas": 3,
                  "lastScaleTime": "2026-11-30T22:40:19Z"}}


def write_dump(path):
    zones = ["us-east-1a", "us-east-1a", "us-east-1a", "us-east-1b", "us-east-1b"]
    items = [node(i, "ip-10-0-%d-17.ec2.internal" % (i + 1), "m5.xlarge", z, "3920m",
                  "15155124Ki", "general") for i, z in enumerate(zones)]
    items.append(node(8, "ip-10-0-9-17.ec2.internal", "c5.2xlarge", "us-east-1a", "7910m",
                      "14973520Ki", "batch",
                      [{"effect": "NoSchedule", "key": "dedicated", "value": "batch"}]))
    items += [deployment("checkout", 3, "500m", "512Mi", 8,
                         "registry.example.com/shop/checkout:2.7.1"),
              deployment("catalog", 2, "250m", "256Mi", 4,
                         "registry.example.com/shop/catalog:1.19.0"),
              replicaset("checkout", "7c9d5b8f4", 3), replicaset("catalog", "5f6b7d9c8", 2),
              service("kubernetes", "default", None, "10.100.0.1", 443, 443),
              service("checkout", "shop", {"app": "checkout"}, "10.100.41.7"),
              service("catalog", "shop", {"app": "catalog"}, "10.100.77.12"), HPA]
    dump = {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}
    with open(path, "w") as f:
        yaml.safe_dump(dump, f, sort_keys=True, default_flow_style=False, width=1000)


def value(v):
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def matrix(series):
    return {"status": "success", "data": {"resultType": "matrix", "result": series}}


def write_exports(kubetwin, seed, start, folder):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "run")
        subprocess.run([kubetwin, "run", os.path.join(HERE, "truth", "scenario.yaml"), "--seed",
                        str(seed), "--quiet", "--out", out, "--latency-buckets",
                        ",".join(str(b) for b in BUCKETS)], check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(out, "timeseries.csv")) as f:
            rows = list(csv.DictReader(f))
    requests, latency, replicas = [], [], []
    for w, name in SERVICES.items():
        labels = {"namespace": "shop", "service": name}
        rate, le_values, reps = [], {b: [] for b in BUCKETS + ["+Inf"]}, []
        previous = None
        for row in rows:
            t = start + int(float(row["time_s"]))
            if previous is not None:  # each sample covers the minute before it
                rate.append([t, value((float(row[w + ".completed"]) - previous) / STEP)])
                for b in BUCKETS:
                    le_values[b].append([t, value(float(row["%s.latency_le_%s" % (w, b)]))])
                le_values["+Inf"].append([t, value(float(row[w + ".latency_count"]))])
                reps.append([t, value(float(row[w + ".replicas"]))])
            previous = float(row[w + ".completed"])
        requests.append({"metric": labels, "values": rate})
        for b, values in le_values.items():
            latency.append({"metric": dict(labels, le=str(b)), "values": values})
        replicas.append({"metric": {"__name__": "kube_deployment_status_replicas",
                                    "container": "kube-state-metrics", "deployment": name,
                                    "endpoint": "http", "instance": "10.0.3.44:8080",
                                    "job": "kube-state-metrics", "namespace": "shop",
                                    "pod": "kube-state-metrics-6f7d9c8b5-x2x7q",
                                    "service": "kube-state-metrics"},
                         "values": reps})
    os.makedirs(folder, exist_ok=True)
    for name, series in (("requests", requests), ("latency", latency), ("replicas", replicas)):
        with open(os.path.join(folder, name + ".json"), "w") as f:
            json.dump(matrix(series), f, separators=(",", ":"))
            f.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kubetwin")
    parser.add_argument("--out", default=HERE)
    args = parser.parse_args()
    write_dump(os.path.join(args.out, "cluster-dump.yaml"))
    write_exports(args.kubetwin, 1001, DAY1, os.path.join(args.out, "prometheus", "day1"))
    write_exports(args.kubetwin, 1002, DAY1 + 86400, os.path.join(args.out, "prometheus", "day2"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
