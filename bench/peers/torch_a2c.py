#!/usr/bin/env python3
"""PyTorch peer of neurorl's A2C update (A2C-SPEC.md): the same network, loss, clipping and optimizer,
written the way a competent PyTorch user would (batched tensors, autograd, torch.optim), so neurorl's
A2cTrainer.update() can be timed against it side by side.

One update = B episodes of T trials of the two-armed bandit (arm probabilities ~ U(0, 1) independently),
run step by step (each action feeds the next input: [one-hot(a_{t-1}), r_{t-1}], zero at t = 0), then

  L = (1/B) sum_b sum_t [ -A_t log pi(a_t) + c_v 1/2 (R_t - V_t)^2 - c_e H(pi_t) ],  A_t = R_t - V_t detached,
  R_t = r_t + gamma R_{t+1} (no bootstrap), backward through time, clip_grad_norm_(50), Adam(7e-4) step.

Networks: "lstm" = torch.nn.LSTMCell (gate order i, f, g, o, as neurorl's LSTM; its second bias is frozen at
zero so the trainable tensors are those of neurorl: Wx, Wh, b, Wpi, bpi, wv, bv) with linear policy and value
heads; "plastic" = MODELS.md section 1 (modulated rule: eligibility trace e, antisymmetric STDP term E, fast
weights dU clipped to [-c, c], neuromodulator M = tanh(wM . h + bM)) in torch ops, autograd through e, E, dU, M.

Prints one JSON object: wall-clock and process CPU seconds per update for each repeat, their medians,
episodes/s = B / median wall time, the torch version and threads. Installs Debian's python3-torch with apt-get when torch is missing (needs root).

Usage: torch_a2c.py --network lstm|plastic [--hidden 48] [--batch 32] [--trials 100] [--updates 5]
                    [--warmup 2] [--repeats 3] [--threads 2] [--seed 1]
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time


def import_torch():
    try:
        import torch  # noqa: F401
    except ImportError:
        print("torch_a2c.py: torch missing; running apt-get install -y python3-torch", file=sys.stderr)
        subprocess.run(["apt-get", "install", "-y", "python3-torch"], check=True,
                       stdout=sys.stderr, stderr=sys.stderr)
    import torch
    return torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--network", choices=["lstm", "plastic"], default="lstm")
    ap.add_argument("--hidden", type=int, default=48)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--trials", type=int, default=100)
    ap.add_argument("--updates", type=int, default=5, help="timed updates per repeat")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lr", type=float, default=7e-4)
    ap.add_argument("--gamma", type=float, default=0.9)
    ap.add_argument("--value-coef", type=float, default=0.05)
    ap.add_argument("--entropy-coef", type=float, default=0.05)
    ap.add_argument("--max-grad-norm", type=float, default=50.0)
    ap.add_argument("--trace-rate", type=float, default=0.1)
    ap.add_argument("--stdp-rate", type=float, default=0.1)
    ap.add_argument("--plasticity-rate", type=float, default=0.1)
    ap.add_argument("--plasticity-clip", type=float, default=1.0)
    args = ap.parse_args()

    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    torch = import_torch()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    nn = torch.nn
    F = torch.nn.functional

    A, I, N, B, T = 2, 3, args.hidden, args.batch, args.trials

    class Lstm(nn.Module):
        def __init__(self):
            super().__init__()
            self.cell = nn.LSTMCell(I, N)
            with torch.no_grad():
                self.cell.bias_hh.zero_()
            self.cell.bias_hh.requires_grad_(False)
            self.pi = nn.Linear(N, A)
            self.v = nn.Linear(N, 1)

        def initial(self):
            return (torch.zeros(B, N), torch.zeros(B, N))

        def step(self, x, state):
            h, c = self.cell(x, state)
            return self.pi(h), self.v(h).squeeze(1), (h, c)

    class Plastic(nn.Module):
        def __init__(self):
            super().__init__()
            sI, sN = 1 / I ** 0.5, 1 / N ** 0.5

            def u(shape, s):
                return nn.Parameter((torch.rand(shape) * 2 - 1) * s)

            self.W, self.U, self.b = u((N, I), sI), u((N, N), sN), nn.Parameter(torch.zeros(N))
            self.Wz, self.Uz, self.bz = u((N, I), sI), u((N, N), sN), nn.Parameter(torch.zeros(N))
            self.alpha = u((N, N), sN)
            self.wM, self.bM = u((N,), sN), nn.Parameter(torch.zeros(1))
            self.pi = nn.Linear(N, A)
            self.v = nn.Linear(N, 1)

        def initial(self):
            z = torch.zeros(B, N)
            return (z, z, z, torch.zeros(B, N, N), torch.zeros(B, N, N))

        def step(self, x, state):
            v, h, e, E, dU = state
            plastic = torch.bmm(self.alpha * dU, h.unsqueeze(2)).squeeze(2)
            g = F.linear(x, self.W) + F.linear(h, self.U) + plastic + self.b
            z = torch.sigmoid(F.linear(x, self.Wz) + F.linear(h, self.Uz) + self.bz)
            v = (1 - z) * v + z * g
            h = torch.relu(v)
            M = torch.tanh(h @ self.wM + self.bM)
            e = (1 - args.trace_rate) * e + args.trace_rate * h
            outer = h.unsqueeze(2) * e.unsqueeze(1) - e.unsqueeze(2) * h.unsqueeze(1)
            E = (1 - args.stdp_rate) * E + args.stdp_rate * outer
            dU = torch.clamp((1 - args.plasticity_rate) * dU + args.plasticity_rate * M[:, None, None] * E,
                             -args.plasticity_clip, args.plasticity_clip)
            return self.pi(h), self.v(h).squeeze(1), (v, h, e, E, dU)

    net = Lstm() if args.network == "lstm" else Plastic()
    params = [p for p in net.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=args.lr)

    def update():
        p = torch.rand(B, A)
        rows = torch.arange(B)
        x = torch.zeros(B, I)
        state = net.initial()
        logps, ents, vals, rews = [], [], [], []
        for t in range(T):
            logits, value, state = net.step(x, state)
            logp = F.log_softmax(logits, dim=1)
            probs = logp.exp()
            with torch.no_grad():
                a = (torch.rand(B) >= probs[:, 0]).long()  # inverse CDF, as neurorl samples
                r = (torch.rand(B) < p[rows, a]).float()
            logps.append(logp[rows, a])
            ents.append(-(probs * logp).sum(1))
            vals.append(value)
            rews.append(r)
            x = torch.cat([F.one_hot(a, A).float(), r.unsqueeze(1)], dim=1)
        returns, ret = [], torch.zeros(B)
        for t in reversed(range(T)):
            ret = rews[t] + args.gamma * ret
            returns.append(ret)
        returns = torch.stack(returns[::-1])
        logp, ent, val = torch.stack(logps), torch.stack(ents), torch.stack(vals)
        adv = (returns - val).detach()
        loss = (-(adv * logp) + args.value_coef * 0.5 * (returns - val) ** 2 - args.entropy_coef * ent).sum() / B
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, args.max_grad_norm)
        opt.step()
        return float(torch.stack(rews).mean())

    for _ in range(args.warmup):
        update()
    seconds, cpu = [], []
    for _ in range(args.repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(args.updates):
            update()
        seconds.append((time.perf_counter() - t0) / args.updates)
        cpu.append((time.process_time() - c0) / args.updates)
    median = statistics.median(seconds)
    print(json.dumps({
        "network": args.network, "hidden": N, "batch": B, "trials": T,
        "parameters": sum(p.numel() for p in params),
        "secondsPerUpdate": seconds, "medianSecondsPerUpdate": median, "episodesPerSecond": B / median,
        "cpuSecondsPerUpdate": cpu, "medianCpuSecondsPerUpdate": statistics.median(cpu),
        "torch": torch.__version__, "torchThreads": torch.get_num_threads(),
        "python": platform.python_version(), "executable": sys.executable,
    }))


if __name__ == "__main__":
    main()
