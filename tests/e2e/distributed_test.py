#!/usr/bin/env python3
"""Sweeps beyond one process (docs/distributed.md), each checked byte for byte against the
single-process sweep of the same grid:
- mpirun -n 3 (a build with MPI): the same sweep.csv, sweep.json and table; the same plan
  (plan.csv, plan.svg, table) with each probe's replications spread over the ranks;
- a rank killed mid-sweep: mpirun fails, rank 0 names the points not finished and the rank
  one was lost with; --resume (one process) completes it;
- a single-process sweep stopped by SIGTERM: its last words, then --resume; a resume of
  another grid is refused (exit 2);
- deploy/kubernetes: both manifests pass `kubetwin validate`; the Indexed Job's shards run
  locally with the JOB_COMPLETION_INDEX the Job controller sets, and the merge Job's command
  joins them;
- deploy/slurm: the job array's script run for each SLURM_ARRAY_TASK_ID, then the merge's.
usage: distributed_test.py KUBETWIN REPO_ROOT MPI(ON|OFF)"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import yaml

KUBETWIN, ROOT, MPI = sys.argv[1], sys.argv[2], sys.argv[3] == "ON"
QUICKSTART = os.path.join(ROOT, "data/scenarios/quickstart.yaml")
failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL " + msg)


def ok(msg):
    print("ok   " + msg)


def same_outputs(a, b):
    for name in ("sweep.csv", "sweep.json"):
        with open(os.path.join(a, name), "rb") as x, open(os.path.join(b, name), "rb") as y:
            if x.read() != y.read():
                return name
    return None


def sweep(grid, out, *extra, env=None):
    return subprocess.run([KUBETWIN, "sweep", QUICKSTART, "--set", grid, "--out", out, "--quiet",
                           *extra], capture_output=True, text=True, env=env)


def wait_for_points(partial, n, proc, timeout=120):
    start = time.time()
    while time.time() - start < timeout and proc.poll() is None:
        if os.path.isdir(partial) and sum(f.startswith("point-") and f.endswith(".txt")
                                          for f in os.listdir(partial)) >= n:
            return True
        time.sleep(0.05)
    return False


def rank_pids(rank):
    pids = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read().split(b"\0")
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read()
        except OSError:
            continue
        if b"OMPI_COMM_WORLD_RANK=%d" % rank in env and b"sweep" in cmd:
            pids.append(int(pid))
    return pids


def mpirun(n):
    cmd = ["mpirun", "--oversubscribe", "-n", str(n)]
    if os.geteuid() == 0:
        cmd.append("--allow-run-as-root")
    return cmd


# Under the asan preset: OpenMPI's own components leak at MPI_Finalize (ompi_op_base_op_select
# and dlopen'ed MCA plugins LeakSanitizer cannot name), so leak checking is off for ranks
# started by mpirun; the same code's single-process runs here keep it on.
MPI_ENV = dict(os.environ, ASAN_OPTIONS=(os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":"))


GRID8 = "spec.workloads[0].arrival.rate=1.6/s,2/s,2.4/s,2.8/s,3.2/s,3.6/s,4/s,4.4/s"
GRID12 = "spec.workloads[0].arrival.rate=" + ",".join(f"{1.6 + 0.2 * i:.1f}/s" for i in range(12))

with tempfile.TemporaryDirectory() as tmp:
    ref8 = os.path.join(tmp, "ref8")
    r = sweep(GRID8, ref8, "--threads", "2")
    table8 = r.stdout
    if r.returncode not in (0, 1):
        fail(f"reference sweep: exit {r.returncode}\n{r.stderr}")
    ref12 = os.path.join(tmp, "ref12")
    if sweep(GRID12, ref12, "--threads", "2").returncode not in (0, 1):
        fail("reference sweep of 12 points failed")

    if MPI and shutil.which("mpirun"):
        out = os.path.join(tmp, "mpi3")
        r = subprocess.run(mpirun(3) + [KUBETWIN, "sweep", QUICKSTART, "--set", GRID8, "--out", out,
                                        "--quiet", "--threads", "1"], capture_output=True, text=True,
                           env=MPI_ENV)
        diff = same_outputs(out, ref8) if os.path.isdir(out) else "no output folder"
        if diff or r.stdout != table8:
            fail(f"mpirun -n 3: {diff or 'the table'} differs from the single-process sweep\n{r.stderr}")
        else:
            ok("mpirun -n 3 writes the single-process sweep byte for byte")

        # plan: the search on rank 0, each probe's replications over the ranks.
        plan_args = ["plan", QUICKSTART, "--vary", "Deployment/checkout:spec.replicas=2..12",
                     "--replications", "6"]
        single = subprocess.run([KUBETWIN] + plan_args + ["--out", os.path.join(tmp, "plan1")],
                                capture_output=True, text=True)
        ranks = subprocess.run(mpirun(3) + [KUBETWIN] + plan_args +
                               ["--threads", "1", "--out", os.path.join(tmp, "plan3")],
                               capture_output=True, text=True, env=MPI_ENV)
        same = os.path.exists(os.path.join(tmp, "plan3", "plan.csv")) and all(
            open(os.path.join(tmp, "plan1", f), "rb").read() ==
            open(os.path.join(tmp, "plan3", f), "rb").read() for f in ("plan.csv", "plan.svg"))
        if single.returncode != 0 or ranks.returncode != 0 or not same or single.stdout != ranks.stdout:
            fail(f"mpirun -n 3 plan: exit {ranks.returncode} (one process {single.returncode}), "
                 f"outputs {'equal' if same else 'differ'}\n{ranks.stderr}")
        else:
            ok("mpirun -n 3 kubetwin plan writes the single-process plan byte for byte")

        # Points long enough (10 replications) that rank 1 is inside one when it is killed.
        ref12k = os.path.join(tmp, "ref12k")
        sweep(GRID12, ref12k, "--threads", "2", "--replications", "10")
        out = os.path.join(tmp, "mpikill")
        proc = subprocess.Popen(mpirun(3) + [KUBETWIN, "sweep", QUICKSTART, "--set", GRID12, "--out",
                                             out, "--quiet", "--threads", "1", "--replications", "10"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=MPI_ENV)
        killed = False
        start = time.time()
        pids = []
        while not pids and proc.poll() is None and time.time() - start < 60:
            pids = rank_pids(1)
        if pids and wait_for_points(out + ".partial", 1, proc):
            for pid in pids:
                os.kill(pid, signal.SIGKILL)
                killed = True
        _, err = proc.communicate(timeout=300)
        # Rank 0's last words reach its stderr only when mpirun stops it by a signal (MPI may
        # abort it first, and mpirun may stop forwarding its output); they are also kept in
        # DIR.partial, and the resume prints them: that is what is checked.
        if not killed:
            fail("could not kill rank 1 mid-sweep (the sweep ended first): the check did not run")
        elif proc.returncode == 0:
            fail(f"a killed rank: mpirun exit 0\n{err}")
        else:
            r = subprocess.run([KUBETWIN, "sweep", QUICKSTART, "--set", GRID12, "--resume", out,
                                "--quiet", "--threads", "2", "--replications", "10"],
                               capture_output=True, text=True)
            if "not finished:" not in r.stderr or "(lost with rank 1)" not in r.stderr:
                fail(f"after a killed rank: the resume does not name the points lost with it\n{r.stderr}")
            else:
                ok("a rank killed mid-sweep fails the run; the points lost with it are named")
            diff = same_outputs(out, ref12k) if os.path.isdir(out) else "no output folder"
            if r.returncode not in (0, 1) or diff:
                fail(f"--resume after the killed rank: exit {r.returncode}, {diff}\n{r.stderr}")
            else:
                ok("--resume completes it, byte for byte the uninterrupted sweep")
    elif MPI:
        fail("built with MPI but no mpirun on PATH")
    else:
        print("note built without MPI (no OpenMPI found at configure time): mpirun checks not run")

    # One process, stopped by SIGTERM, then resumed.
    out = os.path.join(tmp, "term")
    proc = subprocess.Popen([KUBETWIN, "sweep", QUICKSTART, "--set", GRID12, "--out", out,
                             "--quiet", "--threads", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stopped = wait_for_points(out + ".partial", 1, proc)
    if stopped:
        proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=300)
    if not stopped or proc.returncode != -signal.SIGTERM:
        fail(f"SIGTERM mid-sweep: stopped={stopped}, exit {proc.returncode}")
    elif "not finished:" not in err or "--resume " + out not in err:
        fail(f"SIGTERM mid-sweep: no word of the unfinished points\n{err}")
    else:
        r = subprocess.run([KUBETWIN, "sweep", QUICKSTART, "--set", GRID8, "--resume", out,
                            "--quiet"], capture_output=True, text=True)
        if r.returncode != 2 or "another sweep's points" not in r.stderr:
            fail(f"--resume of another grid: exit {r.returncode}\n{r.stderr}")
        done = len([f for f in os.listdir(out + ".partial") if f.startswith("point-")])
        r = subprocess.run([KUBETWIN, "sweep", QUICKSTART, "--set", GRID12, "--resume", out,
                            "--threads", "2"], capture_output=True, text=True)
        diff = same_outputs(out, ref12) if os.path.isdir(out) else "no output folder"
        if f", {done} of them from the partial results" not in r.stderr:
            fail(f"--resume ran the {done} finished points again\n{r.stderr}")
        if r.returncode not in (0, 1) or diff or os.path.exists(out + ".partial"):
            fail(f"--resume after SIGTERM: exit {r.returncode}, {diff}\n{r.stderr}")
        else:
            ok("a sweep stopped by SIGTERM says what is missing; --resume completes it byte for byte")

    # The Indexed Job, run locally.
    job_file = os.path.join(ROOT, "deploy/kubernetes/sweep-indexed-job.yaml")
    merge_file = os.path.join(ROOT, "deploy/kubernetes/sweep-merge-job.yaml")
    v = subprocess.run([KUBETWIN, "validate", job_file, merge_file], capture_output=True, text=True)
    if v.returncode != 0:
        fail(f"kubetwin validate deploy/kubernetes: exit {v.returncode}\n{v.stdout}{v.stderr}")
    else:
        ok("kubetwin validate accepts the Indexed Job and the merge Job")
    docs = [d for d in yaml.safe_load_all(open(job_file)) if d and d.get("kind") == "Job"]
    job = docs[0]["spec"]
    if job.get("completionMode") != "Indexed":
        fail("the sweep Job is not an Indexed Job")
    results = os.path.join(tmp, "results")
    os.makedirs(results)
    container = job["template"]["spec"]["containers"][0]
    if container["command"] != ["sh", "-c"]:
        fail("the sweep Job's container is not the sh -c wrapper the test runs")
    script = (container["args"][0].replace("/opt/kubetwin/data", os.path.join(ROOT, "data"))
              .replace("/results", results))
    path = os.path.dirname(os.path.abspath(KUBETWIN)) + ":" + os.environ["PATH"]
    for index in range(job["completions"]):
        # What the Job controller sets in the pod of each index.
        env = dict(os.environ, JOB_COMPLETION_INDEX=str(index), PATH=path)
        r = subprocess.run(["sh", "-c", script], capture_output=True, text=True, env=env)
        if r.returncode != 0:
            fail(f"Indexed Job shard {index}: exit {r.returncode} (the pod would fail)\n{r.stderr}")
    # A retried pod resumes: the pod of index 0 killed once its shard had begun, a finished
    # point 0 left in its partial results (marked, so that a rerun of it would show), then the
    # pod again: its output must hold the marked point, not a fresh run of it.
    retry = os.path.join(tmp, "retry")
    os.makedirs(retry)
    retry_script = script.replace(results, retry)
    env = dict(os.environ, JOB_COMPLETION_INDEX="0", PATH=path)
    pod = subprocess.Popen(["sh", "-c", retry_script], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, start_new_session=True)
    key = os.path.join(retry, "shard-0.partial", "sweep.key")
    start = time.time()
    while not os.path.exists(key) and pod.poll() is None and time.time() - start < 60:
        time.sleep(0.005)
    os.killpg(pod.pid, signal.SIGKILL)
    pod.wait()
    partial = os.path.join(retry, "shard-0.partial")
    if not os.path.exists(key) or os.path.exists(os.path.join(retry, "shard-0")):
        fail("the retried-pod check could not stop the pod mid-shard")
    else:
        with open(os.path.join(results, "shard-0", "sweep.csv")) as f:
            rows = [line for line in f if line.startswith("0,")]
        marked = [line.replace(",three-replicas,", ",marked,") for line in rows]
        with open(os.path.join(partial, "point-000000.txt"), "w") as f:
            f.write("#kubetwin-sweep-point 1\n#pass 0\n" + "".join(marked) + "#table\n")
        r = subprocess.run(["sh", "-c", retry_script], capture_output=True, text=True, env=env)
        with open(os.path.join(retry, "shard-0", "sweep.csv")) as f:
            text = f.read()
        with open(os.path.join(results, "shard-0", "sweep.csv")) as f:
            want = f.read().replace("".join(rows), "".join(marked))
        if r.returncode != 0 or text != want or os.path.exists(partial):
            fail(f"a retried pod: exit {r.returncode}, "
                 f"{'resumed' if ',marked,' in text else 'ran its shard again'}\n{r.stderr}")
        else:
            ok("a retried pod of the Indexed Job resumes its shard from the points it had finished")
    merge = yaml.safe_load(open(merge_file))["spec"]["template"]["spec"]["containers"][0]
    r = subprocess.run(["sh", "-c", merge["args"][0].replace("/results", results)],
                       capture_output=True, text=True, env=dict(os.environ, PATH=path))
    diff = same_outputs(os.path.join(results, "merged"), ref8) if r.returncode == 0 else r.stderr
    if diff:
        fail(f"the Indexed Job's shards merged differ from the single-process sweep: {diff}")
    else:
        ok(f"the Indexed Job's {job['completions']} shards, merged, are the single-process sweep byte for byte")

    # The Slurm job array, run locally.
    out = os.path.join(tmp, "slurm")
    env = dict(os.environ, KUBETWIN=os.path.abspath(KUBETWIN), SCENARIO=QUICKSTART, OUT=out)
    for task in range(4):
        r = subprocess.run(["bash", os.path.join(ROOT, "deploy/slurm/sweep-array.sbatch")],
                           capture_output=True, text=True,
                           env=dict(env, SLURM_ARRAY_TASK_ID=str(task), SLURM_CPUS_PER_TASK="2"))
        if r.returncode != 0:
            fail(f"sweep-array.sbatch task {task}: exit {r.returncode}\n{r.stderr}")
    r = subprocess.run(["bash", os.path.join(ROOT, "deploy/slurm/sweep-merge.sbatch")],
                       capture_output=True, text=True, env=env)
    diff = same_outputs(os.path.join(out, "merged"), ref8) if r.returncode == 0 else r.stderr
    if diff:
        fail(f"the Slurm array's shards merged differ from the single-process sweep: {diff}")
    else:
        ok("the Slurm array's 4 tasks, merged, are the single-process sweep byte for byte")

print(f"{failures} failed")
sys.exit(1 if failures else 0)
