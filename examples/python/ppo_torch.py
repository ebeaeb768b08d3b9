"""ppo_torch.py: a small PPO in PyTorch, trained through edgetune's step interface (edgetune.Env).

    python3 examples/python/ppo_torch.py [SCENARIO] [--episodes N] [--tasks N] [--seed N]
                                         [--out DIR]

Needs PyTorch (Debian: python3-torch); without it, it says so and exits 0. One actor-critic
shared by every UE (independent PPO on each UE's own observation): a Bernoulli head for the
location, a Gaussian head for the keep fraction (squashed into [k_min, k_max]), a value head.
Decisions are asynchronous: a UE's reward arrives when its task completes, before its next
decision, so each UE's decisions form one trajectory. Writes DIR/train.csv (default
out/py-ppo) with the columns of edgetune train's learning curve (docs/traces.md).
"""

import argparse
import csv
import os
import sys
import time

try:
    import edgetune
except ImportError:  # run from the source tree: the package is python/edgetune
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "..",
                                    "python"))
    import edgetune
import numpy as np

try:
    import torch
    from torch import nn
except ImportError:
    print("ppo_torch: skipped: PyTorch is not installed (Debian: python3-torch)")
    sys.exit(0)

COLUMNS = ["episode", "return", "total_delay_s", "mean_delay_s", "mean_ppl", "failed",
           "local_frac", "mean_keep", "policy_loss", "value_loss", "entropy_loc",
           "entropy_keep", "approx_kl", "clip_frac", "wall_s"]


class ActorCritic(nn.Module):
    def __init__(self, obs_dim, hidden=64):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(obs_dim, hidden), nn.Tanh(),
                                  nn.Linear(hidden, hidden), nn.Tanh())
        self.loc = nn.Linear(hidden, 1)
        self.keep = nn.Linear(hidden, 1)
        self.log_std = nn.Parameter(torch.tensor([-0.5]))
        self.value = nn.Sequential(nn.Linear(obs_dim, hidden), nn.Tanh(),
                                   nn.Linear(hidden, 1))

    def dists(self, obs):
        h = self.body(obs)
        loc = torch.distributions.Bernoulli(logits=self.loc(h).squeeze(-1))
        keep = torch.distributions.Normal(self.keep(h).squeeze(-1), self.log_std.exp())
        return loc, keep, self.value(obs).squeeze(-1)


def advantages(rewards, values, gamma, lam):
    """GAE over one UE's trajectory (the last decision ends it)."""
    adv, last = np.zeros(len(rewards)), 0.0
    for t in reversed(range(len(rewards))):
        next_v = values[t + 1] if t + 1 < len(rewards) else 0.0
        last = rewards[t] + gamma * next_v - values[t] + gamma * lam * last
        adv[t] = last
    return adv


def update(net, opt, batch, epochs=4, minibatch=64, clip=0.2):
    obs, loc, raw, logp_old, adv, ret = (torch.as_tensor(np.asarray(x), dtype=torch.float32)
                                         for x in batch)
    adv = (adv - adv.mean()) / (adv.std() + 1e-8)
    logs = {k: [] for k in COLUMNS[8:14]}
    for _ in range(epochs):
        for idx in torch.randperm(len(obs)).split(minibatch):
            d_loc, d_keep, v = net.dists(obs[idx])
            logp = d_loc.log_prob(loc[idx]) + d_keep.log_prob(raw[idx])
            ratio = (logp - logp_old[idx]).exp()
            a = adv[idx]
            pol = -torch.min(ratio * a, ratio.clamp(1 - clip, 1 + clip) * a).mean()
            vloss = ((v - ret[idx]) ** 2).mean()
            ent_loc, ent_keep = d_loc.entropy().mean(), d_keep.entropy().mean()
            loss = pol + 0.5 * vloss - 0.01 * (ent_loc + ent_keep)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 0.5)
            opt.step()
            with torch.no_grad():
                logs["policy_loss"].append(pol.item())
                logs["value_loss"].append(vloss.item())
                logs["entropy_loc"].append(ent_loc.item())
                logs["entropy_keep"].append(ent_keep.item())
                logs["approx_kl"].append((logp_old[idx] - logp).mean().item())
                logs["clip_frac"].append(((ratio - 1).abs() > clip).float().mean().item())
    return {k: float(np.mean(v)) for k, v in logs.items()}


def run_episode(env, net, k_min, k_max):
    """One episode through reset/step; returns per-UE trajectories and the statistics."""
    traj = {ue: {"obs": [], "loc": [], "raw": [], "logp": [], "v": [], "r": []}
            for ue in range(env.n_ue)}
    obs, info = env.reset()
    while True:
        for done in info["completed"]:  # rewards of tasks decided earlier
            traj[done["ue"]]["r"].append(done["reward"] / 10.0)
        if not info["waiting"]:
            return traj, info["stats"]
        ue = info["waiting"][0]
        o = torch.as_tensor(obs[ue])  # a copy of the UE's row of the C buffer
        with torch.no_grad():
            d_loc, d_keep, v = net.dists(o)
            loc, raw = d_loc.sample(), d_keep.sample()
            logp = d_loc.log_prob(loc) + d_keep.log_prob(raw)
        keep = k_min + (k_max - k_min) * torch.sigmoid(raw).item()
        t = traj[ue]
        for key, val in (("obs", o.numpy()), ("loc", loc.item()), ("raw", raw.item()),
                         ("logp", logp.item()), ("v", v.item())):
            t[key].append(val)
        # Bernoulli 1 = LOCAL (edgetune.LOCAL is 0)
        location = edgetune.LOCAL if loc.item() == 1 else edgetune.SERVER
        obs, _, _, _, info = env.step((location, keep))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?")
    ap.add_argument("--episodes", type=int, default=40)
    ap.add_argument("--episodes-per-update", type=int, default=2)
    ap.add_argument("--tasks", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="out/py-ppo")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(1)
    env = edgetune.Env(a.scenario, seed=a.seed, tasks=a.tasks)
    k_min, k_max = env.sim.k_range
    net = ActorCritic(edgetune.OBS_DIM)
    opt = torch.optim.Adam(net.parameters(), lr=3e-4)
    os.makedirs(a.out, exist_ok=True)
    path = os.path.join(a.out, "train.csv")
    start, batch, rows = time.time(), [[] for _ in range(6)], []
    try:
        for ep in range(a.episodes):
            traj, s = run_episode(env, net, k_min, k_max)
            for t in traj.values():
                adv = advantages(t["r"], t["v"], 0.99, 0.95)
                for i, x in enumerate((t["obs"], t["loc"], t["raw"], t["logp"], adv,
                                       adv + np.asarray(t["v"]))):
                    batch[i].extend(x)
            logs = {}
            if (ep + 1) % a.episodes_per_update == 0:
                logs = update(net, opt, batch)
                batch = [[] for _ in range(6)]
            rows.append([ep, s["episodic_reward"], s["total_delay_s"], s["mean_delay_s"],
                         s["mean_ppl"], s["failed"], s["local"] / s["tasks"], s["mean_keep"]]
                        + ["%.6g" % logs[k] if logs else "" for k in COLUMNS[8:14]]
                        + ["%.3f" % (time.time() - start)])
            print("episode %3d  return %9.2f  local %.2f  keep %.3f" % (
                ep, s["episodic_reward"], s["local"] / s["tasks"], s["mean_keep"]))
    finally:
        env.close()
    # Written whole at the end (tmp + rename): an interrupted run leaves no half-written file.
    with open(path + ".tmp", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        w.writerows(rows)
    os.replace(path + ".tmp", path)
    print("ppo_torch: %d episodes, return %.2f -> %.2f; learning curve in %s"
          % (a.episodes, rows[0][1], rows[-1][1], path))


if __name__ == "__main__":
    main()
