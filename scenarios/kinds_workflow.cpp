// Argo Workflows (argoproj.io/v1alpha1): Workflow, read in full as Argo v3.5 defines it
// (pkg/apis/workflow/v1alpha1/workflow_types.go): templates of every type (steps, dag,
// container, script, containerSet, resource, suspend, http, data, plugin), steps and DAG
// tasks with dependencies and depends expressions, when conditions, withItems / withParam /
// withSequence loops, retryStrategy, templateRef, spec.onExit and workflowTemplateRef.
// A Workflow that requests a quantum resource is the quantum model's hybrid job; any other
// (a CI pipeline, a data job) is read and not simulated, said so. CronWorkflow,
// WorkflowTemplate and ClusterWorkflowTemplate are known kinds with no run of their own.

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>

#include "scenarios/kind_registry.hpp"

namespace kt::scenario {

namespace {

using Type = WorkflowTemplate::Type;

bool requests_quantum(const Container& c) {
  for (const auto* list : {&c.requests, &c.limits}) {
    for (const auto& [name, milli] : *list) {
      if (name.find("quantum") != std::string::npos || name.find("qpu") != std::string::npos) {
        return true;
      }
    }
  }
  return false;
}

// The task names a `depends` expression refers to: NAME or NAME.RESULT joined by &&, ||, !
// and parentheses (Argo's enhanced depends logic). An unknown result is an error, as Argo's
// validation makes it.
std::optional<std::vector<std::string>> depends_names(const std::string& expr, std::string& error) {
  static const std::set<std::string> kResults = {"Succeeded",    "Failed",   "Errored",
                                                 "Skipped",      "Omitted",  "Daemoned",
                                                 "AnySucceeded", "AllFailed"};
  std::vector<std::string> names;
  std::size_t i = 0;
  const auto name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
  };
  while (i < expr.size()) {
    const char c = expr[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '(' || c == ')' || c == '!') {
      ++i;
    } else if ((c == '&' || c == '|') && i + 1 < expr.size() && expr[i + 1] == c) {
      i += 2;
    } else if (name_char(c)) {
      std::size_t j = i;
      while (j < expr.size() && name_char(expr[j]))
        ++j;
      names.push_back(expr.substr(i, j - i));
      if (j < expr.size() && expr[j] == '.') {
        std::size_t k = j + 1;
        while (k < expr.size() && name_char(expr[k]))
          ++k;
        const std::string result = expr.substr(j + 1, k - j - 1);
        if (!kResults.count(result)) {
          error = "unknown task result '" + result + "' in depends";
          return std::nullopt;
        }
        j = k;
      }
      i = j;
    } else {
      error = std::string("unexpected '") + c + "' in depends";
      return std::nullopt;
    }
  }
  return names;
}

// The fields a step and a task share: template (or templateRef, or an inline template),
// when, the loops.
bool read_step_common(const YAML::Node& step, WorkflowStep& ws, YamlReader& r,
                      const std::string& where) {
  ws.pos = r.pos(step);
  if (step["name"]) {
    if (auto n = r.string(step["name"], where + ".name")) ws.name = *n;
  }
  if (step["template"]) {
    if (auto n = r.string(step["template"], where + ".template")) ws.template_name = *n;
  } else if (const YAML::Node ref = step["templateRef"]; ref && r.expect_map(ref, where)) {
    const std::string name = ref["name"] && ref["name"].IsScalar() ? ref["name"].Scalar() : "";
    const std::string tmpl =
        ref["template"] && ref["template"].IsScalar() ? ref["template"].Scalar() : "";
    ws.template_ref = name + "/" + tmpl;
  } else if (!step["inline"]) {
    r.error(step, "step '" + ws.name + "' names no template",
            "a step takes 'template', 'templateRef' or 'inline'");
    return false;
  }
  if (step["when"]) {
    if (auto w = r.string(step["when"], where + ".when")) ws.when = *w;
  }
  if (const YAML::Node items = step["withItems"]; items) {
    if (r.expect_sequence(items, where + ".withItems")) {
      ws.items = static_cast<std::int64_t>(items.size());
    }
  }
  if (step["withParam"]) ws.with_param = true;
  if (const YAML::Node seq = step["withSequence"]; seq && r.expect_map(seq, where)) {
    // count, or start..end (inclusive), as Argo expands it; expressions are run-time.
    const auto number = [](const YAML::Node& n) -> std::optional<std::int64_t> {
      if (!n || !n.IsScalar()) return std::nullopt;
      try {
        std::size_t used = 0;
        const long long v = std::stoll(n.Scalar(), &used);
        if (used == n.Scalar().size()) return v;
      } catch (...) {
      }
      return std::nullopt;
    };
    if (auto count = number(seq["count"])) {
      ws.items = *count;
    } else if (auto start = number(seq["start"]), end = number(seq["end"]); start && end) {
      ws.items = std::abs(*end - *start) + 1;
    } else {
      ws.with_param = true;  // an expression: known when the workflow runs
    }
  }
  return true;
}

void read_template(const YAML::Node& t, WorkflowTemplate& tmpl, YamlReader& r) {
  const std::string where = "template " + tmpl.name;
  struct Kind {
    const char* field;
    Type type;
  };
  static const Kind kKinds[] = {{"steps", Type::steps},
                                {"dag", Type::dag},
                                {"container", Type::container},
                                {"script", Type::script},
                                {"containerSet", Type::container_set},
                                {"resource", Type::resource},
                                {"suspend", Type::suspend},
                                {"http", Type::http},
                                {"data", Type::data},
                                {"plugin", Type::plugin}};
  int found = 0;
  for (const Kind& k : kKinds) {
    if (t[k.field]) {
      if (found == 0) tmpl.type = k.type;
      ++found;
    }
  }
  if (found == 0) {
    r.error(t, "template '" + tmpl.name + "' has no template type",
            "one of steps, dag, container, script, containerSet, resource, suspend, http, "
            "data, plugin");
    return;
  }
  if (found > 1) {
    r.error(t, "template '" + tmpl.name + "' has more than one template type",
            "Argo allows exactly one of steps, dag, container, script, containerSet, resource, "
            "suspend, http, data, plugin");
    return;
  }
  if (const YAML::Node steps = t["steps"]; steps && r.expect_sequence(steps, where + " steps")) {
    for (const YAML::Node& group : steps) {
      if (!r.expect_sequence(group, where + " steps[]")) continue;
      std::vector<WorkflowStep> parallel;
      for (const YAML::Node& step : group) {
        if (!r.expect_map(step, where + " step")) continue;
        WorkflowStep ws;
        if (read_step_common(step, ws, r, where + " step")) parallel.push_back(std::move(ws));
      }
      tmpl.steps.push_back(std::move(parallel));
    }
  }
  if (const YAML::Node dag = t["dag"]; dag && r.expect_map(dag, where + " dag")) {
    const YAML::Node tasks = dag["tasks"];
    if (!tasks) r.error(dag, where + " dag has no 'tasks'");
    if (tasks && r.expect_sequence(tasks, where + " dag.tasks")) {
      for (const YAML::Node& task : tasks) {
        if (!r.expect_map(task, where + " task")) continue;
        WorkflowStep ws;
        if (!read_step_common(task, ws, r, where + " task")) continue;
        if (task["dependencies"] && task["depends"]) {
          r.error(task["depends"], "task '" + ws.name + "' has both dependencies and depends",
                  "Argo accepts one of them");
        }
        if (task["dependencies"]) {
          if (auto d = r.string_list(task["dependencies"], where + " task.dependencies")) {
            ws.dependencies = *d;
          }
        }
        if (task["depends"]) {
          if (auto d = r.string(task["depends"], where + " task.depends")) {
            ws.depends = *d;
            std::string problem;
            if (auto names = depends_names(*d, problem)) {
              ws.dependencies = *names;
            } else {
              r.error(task["depends"], "task '" + ws.name + "': " + problem);
            }
          }
        }
        tmpl.tasks.push_back(std::move(ws));
      }
    }
  }
  if (t["container"]) {
    Container c;
    if (read_container(t["container"], c, r, where + " container")) tmpl.container = c;
  }
  if (t["script"]) {
    Container c;  // the script's image and resources; its source runs in it
    if (read_container(t["script"], c, r, where + " script")) tmpl.container = c;
  }
  if (const YAML::Node set = t["containerSet"]; set && r.expect_map(set, where + " containerSet")) {
    if (const YAML::Node cs = set["containers"];
        cs && r.expect_sequence(cs, where + " containerSet.containers")) {
      for (const YAML::Node& c : cs) {
        Container container;
        if (read_container(c, container, r, where + " containerSet container")) {
          tmpl.container_set.push_back(std::move(container));
        }
      }
    }
  }
  if (const YAML::Node sus = t["suspend"]; sus && sus.IsMap() && sus["duration"]) {
    // Argo's default unit is the second ("20"); "2m", "6h" are durations.
    const YAML::Node d = sus["duration"];
    const bool seconds = d.IsScalar() && !d.Scalar().empty() &&
                         d.Scalar().find_first_not_of("0123456789") == std::string::npos;
    if (seconds && d.Scalar().size() < 10) {
      tmpl.suspend_duration = std::stoll(d.Scalar()) * kSecond;
    } else if (!(d.IsScalar() && d.Scalar().find("{{") != std::string::npos)) {
      tmpl.suspend_duration = r.duration(d, where + " suspend.duration");
    }
  }
  if (const YAML::Node retry = t["retryStrategy"];
      retry && r.expect_map(retry, where + " retryStrategy") && retry["limit"]) {
    if (retry["limit"].IsScalar()) {
      try {
        tmpl.retry_limit = std::stoll(retry["limit"].Scalar());
      } catch (...) {
        // an expression ("{{inputs.parameters.limit}}"): known when the workflow runs
      }
    }
  }
}

// Argo's validation: every template a step or task names exists, DAG dependencies name
// tasks of their DAG, and no template reaches itself (that would never finish).
void check_references(const WorkflowSpec& spec, const std::map<std::string, std::size_t>& index,
                      const YAML::Node& s, YamlReader& r) {
  for (const WorkflowTemplate& t : spec.templates) {
    for (const WorkflowStep* step : t.calls()) {
      if (!step->template_name.empty() && !index.count(step->template_name)) {
        r.diags().error(step->pos, "step '" + step->name + "' uses template '" +
                                       step->template_name + "', which is not defined");
      }
    }
    std::set<std::string> task_names;
    for (const WorkflowStep& task : t.tasks)
      task_names.insert(task.name);
    for (const WorkflowStep& task : t.tasks) {
      for (const std::string& d : task.dependencies) {
        if (!task_names.count(d)) {
          r.diags().error(task.pos, "task '" + task.name + "' depends on '" + d +
                                        "', which is no task of template " + t.name);
        }
      }
    }
  }
  if (!spec.entrypoint.empty() && !index.count(spec.entrypoint)) {
    r.error(s["entrypoint"], "entrypoint '" + spec.entrypoint + "' names no template");
  }
  if (!spec.on_exit.empty() && !index.count(spec.on_exit)) {
    r.error(s["onExit"], "onExit '" + spec.on_exit + "' names no template");
  }
  // Cycles through template calls. Argo's own examples recurse on purpose behind a `when`
  // (coinflip-recursive, fibonacci): a cycle with a condition on any of its calls ends at
  // run time; only an unconditional one never ends.
  std::map<std::string, int> state;  // 0 unvisited, 1 on the current path, 2 done
  std::vector<std::string> path;
  std::vector<bool> conditional;  // conditional[i]: the call from path[i] to path[i + 1]
  std::function<bool(const WorkflowTemplate&)> visit = [&](const WorkflowTemplate& t) {
    state[t.name] = 1;
    path.push_back(t.name);
    const std::vector<const WorkflowStep*> calls = t.calls();
    for (const WorkflowStep* step : calls) {
      const auto it = index.find(step->template_name);
      if (it == index.end()) continue;
      const WorkflowTemplate& next = spec.templates[it->second];
      if (state[next.name] == 1) {
        bool guarded = !step->when.empty();
        const auto start = std::find(path.begin(), path.end(), next.name) - path.begin();
        for (std::size_t i = static_cast<std::size_t>(start); i < conditional.size(); ++i)
          guarded = guarded || conditional[i];
        if (guarded) continue;
        std::string cycle;
        for (const std::string& name : path)
          cycle += name + " -> ";
        r.diags().error(step->pos, "workflow steps form a cycle: " + cycle + next.name,
                        "a template may not call itself through its steps");
        return false;
      }
      if (state[next.name] == 0) {
        conditional.push_back(!step->when.empty());
        const bool ok = visit(next);
        conditional.pop_back();
        if (!ok) return false;
      }
    }
    state[t.name] = 2;
    path.pop_back();
    return true;
  };
  for (const WorkflowTemplate& t : spec.templates) {
    path.clear();
    conditional.clear();
    if (state[t.name] == 0 && !visit(t)) break;
  }
  // Cycles among a DAG's tasks.
  for (const WorkflowTemplate& t : spec.templates) {
    std::map<std::string, const WorkflowStep*> by_name;
    for (const WorkflowStep& task : t.tasks)
      by_name[task.name] = &task;
    std::map<std::string, int> seen;
    std::function<bool(const WorkflowStep&)> walk = [&](const WorkflowStep& task) {
      seen[task.name] = 1;
      for (const std::string& d : task.dependencies) {
        const auto it = by_name.find(d);
        if (it == by_name.end()) continue;
        if (seen[d] == 1) {
          r.diags().error(task.pos, "the tasks of dag " + t.name + " form a cycle through '" +
                                        task.name + "' and '" + d + "'");
          return false;
        }
        if (seen[d] == 0 && !walk(*it->second)) return false;
      }
      seen[task.name] = 2;
      return true;
    };
    for (const WorkflowStep& task : t.tasks) {
      if (seen[task.name] == 0 && !walk(task)) break;
    }
  }
}

void parse_workflow(const YAML::Node& root, ManifestObject& obj, YamlReader& r) {
  WorkflowSpec spec;
  const YAML::Node s = root["spec"];
  if (!s || !r.expect_map(s, "spec")) {
    if (!s) r.error(root, "Workflow has no 'spec'");
    return;
  }
  if (const YAML::Node ref = s["workflowTemplateRef"]; ref && ref.IsMap() && ref["name"]) {
    if (auto n = r.string(ref["name"], "spec.workflowTemplateRef.name")) {
      spec.workflow_template_ref = *n;
    }
  }
  if (s["entrypoint"]) {
    if (auto e = r.string(s["entrypoint"], "spec.entrypoint")) spec.entrypoint = *e;
  } else if (spec.workflow_template_ref.empty()) {
    r.error(s, "Workflow spec has no 'entrypoint'");
  }
  if (s["onExit"]) {
    if (auto e = r.string(s["onExit"], "spec.onExit")) spec.on_exit = *e;
  }
  const YAML::Node templates = s["templates"];
  if (!templates && spec.workflow_template_ref.empty()) {
    r.error(s, "Workflow spec has no 'templates'",
            "or a workflowTemplateRef to a WorkflowTemplate");
    return;
  }
  std::map<std::string, std::size_t> index;
  if (templates && r.expect_sequence(templates, "spec.templates")) {
    for (const YAML::Node& t : templates) {
      if (!r.expect_map(t, "spec.templates[]")) continue;
      WorkflowTemplate tmpl;
      tmpl.pos = r.pos(t);
      if (auto n = t["name"] ? r.string(t["name"], "spec.templates[].name") : std::nullopt) {
        tmpl.name = *n;
      } else {
        if (!t["name"]) r.error(t, "spec.templates[] has no 'name'");
        continue;
      }
      if (index.count(tmpl.name)) {
        r.error(t["name"], "duplicate template name '" + tmpl.name + "'");
        continue;
      }
      read_template(t, tmpl, r);
      index[tmpl.name] = spec.templates.size();
      spec.templates.push_back(std::move(tmpl));
    }
  }
  check_references(spec, index, s, r);
  for (const WorkflowTemplate& t : spec.templates) {
    if (t.container && requests_quantum(*t.container)) spec.quantum = true;
    for (const Container& c : t.container_set)
      spec.quantum = spec.quantum || requests_quantum(c);
  }
  if (const auto it = obj.annotations.find("kubetwin.io/quantum");
      it != obj.annotations.end() && it->second == "true") {
    spec.quantum = true;
  }
  if (!spec.quantum) {
    obj.model.clear();
    obj.not_simulated =
        "an Argo Workflow that requests no quantum resource; kubetwin simulates workflows as "
        "hybrid quantum jobs only (annotate kubetwin.io/quantum: \"true\" to make it one)";
  }
  obj.spec = std::move(spec);
}

}  // namespace

void register_workflow_kinds(KindRegistry& registry) {
  KindHandler workflow{"argoproj.io",  {"v1alpha1"}, "Workflow", "quantum", "",
                       parse_workflow, true,         ""};
  workflow.plan = plan_workflow;
  registry.add(workflow);
  registry.add({"argoproj.io",
                {"v1alpha1"},
                "CronWorkflow",
                "",
                "a schedule that submits Workflows; kubetwin runs the workloads a scenario "
                "declares, not Argo's schedules",
                nullptr,
                false,
                ""});
  for (const char* kind : {"WorkflowTemplate", "ClusterWorkflowTemplate"}) {
    registry.add({"argoproj.io",
                  {"v1alpha1"},
                  kind,
                  "",
                  "templates for Workflows to reference; a template runs only inside a Workflow",
                  nullptr,
                  false,
                  ""});
  }
}

}  // namespace kt::scenario
