#!/usr/bin/env python3
"""NumPy peer for neurorl's bandit simulations: the same agents on the same task, written the way a
competent NumPy user would (one array per quantity, vectorised over agents, a Python loop over trials).

Task: two-armed Bernoulli bandit, p1, p2 ~ U(0, 1) independently per agent, T trials, each agent one
episode from scratch. Agents (MODELS.md §3-4): tabular softmax Q (eta, beta), latent Q with K latent
units (one cue), UCB1, Thompson sampling (Beta-Bernoulli). Prints one JSON object: agent-trials per
second for each agent (median of --repeats runs) and the mean cumulative regret at trial T, so the Java
side can check that both simulate the same thing.

Usage: numpy_bandits.py [--agents 1000000] [--trials 100] [--repeats 3] [--seed 1]
"""
import argparse
import json
import platform
import statistics
import time

import numpy as np


def tabular_q(rng, p, trials, eta, beta):
    n = p.shape[0]
    q = np.zeros((n, 2))
    rows = np.arange(n)
    best = p.max(axis=1)
    regret = np.zeros(n)
    for _ in range(trials):
        p1 = 1.0 / (1.0 + np.exp(-beta * (q[:, 1] - q[:, 0])))
        a = (rng.random(n) < p1).astype(np.intp)
        pa = p[rows, a]
        r = (rng.random(n) < pa).astype(np.float64)
        q[rows, a] += eta * (r - q[rows, a])
        regret += best - pa
    return regret.mean()


def latent_q(rng, p, trials, eta, beta, k, init):
    n = p.shape[0]
    w = rng.uniform(-init, init, (n, k))          # W[s=0, :]
    qm = rng.uniform(-init, init, (n, k, 2))      # Q (K x A)
    rows = np.arange(n)
    best = p.max(axis=1)
    regret = np.zeros(n)
    for _ in range(trials):
        qa = np.einsum("nk,nka->na", w, qm)
        p1 = 1.0 / (1.0 + np.exp(-beta * (qa[:, 1] - qa[:, 0])))
        a = (rng.random(n) < p1).astype(np.intp)
        pa = p[rows, a]
        r = (rng.random(n) < pa).astype(np.float64)
        delta = r - qa[rows, a]
        q_old = qm[rows, :, a]                     # (n, k), a copy
        qm[rows, :, a] += eta * delta[:, None] * w
        w += eta * delta[:, None] * q_old
        regret += best - pa
    return regret.mean()


def ucb1(rng, p, trials):
    n = p.shape[0]
    counts = np.zeros((n, 2))
    sums = np.zeros((n, 2))
    rows = np.arange(n)
    best = p.max(axis=1)
    regret = np.zeros(n)
    for t in range(trials):
        if t < 2:
            a = np.full(n, t, dtype=np.intp)
        else:
            score = sums / counts + np.sqrt(2.0 * np.log(t) / counts)
            a = np.argmax(score, axis=1)
        pa = p[rows, a]
        r = (rng.random(n) < pa).astype(np.float64)
        counts[rows, a] += 1
        sums[rows, a] += r
        regret += best - pa
    return regret.mean()


def thompson(rng, p, trials):
    n = p.shape[0]
    s = np.zeros((n, 2))
    f = np.zeros((n, 2))
    rows = np.arange(n)
    best = p.max(axis=1)
    regret = np.zeros(n)
    for _ in range(trials):
        theta = rng.beta(1.0 + s, 1.0 + f)
        a = np.argmax(theta, axis=1)
        pa = p[rows, a]
        r = (rng.random(n) < pa).astype(np.float64)
        s[rows, a] += r
        f[rows, a] += 1.0 - r
        regret += best - pa
    return regret.mean()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agents", type=int, default=1_000_000)
    ap.add_argument("--trials", type=int, default=100)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--eta", type=float, default=0.1)
    ap.add_argument("--beta", type=float, default=5.0)
    ap.add_argument("--latent", type=int, default=2)
    ap.add_argument("--init-scale", type=float, default=0.5)
    args = ap.parse_args()
    runs = {
        "tabular-q": lambda rng, p: tabular_q(rng, p, args.trials, args.eta, args.beta),
        "latent-q": lambda rng, p: latent_q(rng, p, args.trials, args.eta, args.beta, args.latent, args.init_scale),
        "ucb1": lambda rng, p: ucb1(rng, p, args.trials),
        "thompson": lambda rng, p: thompson(rng, p, args.trials),
    }
    out = {"numpy": np.__version__, "python": platform.python_version(), "agents": args.agents,
           "trials": args.trials, "threads": 1, "results": {}}
    for name, fn in runs.items():
        seconds, cpu, regrets = [], [], []
        for rep in range(args.repeats):
            rng = np.random.default_rng(args.seed + rep)
            p = rng.random((args.agents, 2))
            t0, c0 = time.perf_counter(), time.process_time()
            regrets.append(float(fn(rng, p)))
            seconds.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        med = statistics.median(seconds)
        # CPU seconds of the process: on a machine shared with other jobs the wall time also counts
        # the time the process waited for a core; the CPU time does not
        out["results"][name] = {"seconds": seconds, "median_seconds": med,
                                "agent_trials_per_second": args.agents * args.trials / med,
                                "cpu_seconds": cpu,
                                "agent_trials_per_cpu_second": args.agents * args.trials / statistics.median(cpu),
                                "mean_regret_at_T": statistics.mean(regrets)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
