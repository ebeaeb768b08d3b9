"""mappo_torch.py: HMPPO's learner in PyTorch, trained through edgetune.parallel_env.

    python3 examples/python/mappo_torch.py [SCENARIO] [--episodes N] [--seed N] [--tasks N]
                                           [--decision-interval S] [--out DIR]

Needs PyTorch (Debian: python3-torch); without it, it says so and exits 0. The same networks,
heads and hyperparameters as the C learner's defaults (docs/hmppo.md; agents/hmppo.c):

  actors   one per UE, its own observation (15) -> 64 tanh -> 64 tanh -> 2 location logits
           (categorical) and 2 Beta pre-activations u (alpha = 1 + softplus(u0), beta = 1 +
           softplus(u1)); keep = k_min + (k_max - k_min) x, x ~ Beta clamped to [1e-6, 1 - 1e-6];
           a keep within one block of the UE's cached emulator uses it (keep_deadzone 1);
  critic   the global state + one-hot UE id -> 64 tanh -> 64 tanh -> 1, normalised values
           (MAPPO's ValueNorm, b = 0.99999);
  update   after every episode: GAE per UE over its own decisions, discounted by simulated
           time (gamma^(elapsed / 100 s), lambda 0.95), advantages normalised; 10 epochs of one
           full batch: clipped surrogate (0.2), the keep's log-probability masked where the
           keep had no effect (keep_effective 0), location entropy 0.05 annealed linearly to 0,
           keep entropy 0.01, clipped value loss (0.2), Adam (5e-4, eps 1e-5) and gradient-norm
           clipping at 10 per network; orthogonal initialisation (gains sqrt 2, sqrt 2, 0.01 or 1).

Each UE's reward arrives when its task completes (infos[agent]["completed"]); it is credited
to that UE's oldest decision still waiting for one (a UE has one task in flight). Writes
DIR/train.csv (default out/py-mappo) with the columns of `edgetune train`'s learning curve
(docs/traces.md), episode by episode on the same episodes (seed, index) as `edgetune train
--seed N`.
"""

import argparse
import csv
import json
import math
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
    print("mappo_torch: skipped: PyTorch is not installed (Debian: python3-torch)")
    sys.exit(0)

COLUMNS = ["episode", "return", "total_delay_s", "mean_delay_s", "mean_ppl", "failed",
           "local_frac", "mean_keep", "policy_loss", "value_loss", "entropy_loc",
           "entropy_keep", "approx_kl", "clip_frac", "wall_s"]
# docs/hmppo.md, section 2: the C learner's defaults
HIDDEN, LR, ADAM_EPS, GAMMA, LAMBDA, TIME_SCALE_S = 64, 5e-4, 1e-5, 0.99, 0.95, 100.0
CLIP, VALUE_CLIP, ENT_LOC, ENT_LOC_END, ENT_KEEP = 0.2, 0.2, 0.05, 0.0, 0.01
VF_COEF, MAX_GRAD_NORM, EPOCHS, X_EPS, DEADZONE_BLOCKS = 1.0, 10.0, 10, 1e-6, 1.0


def mlp(n_in, n_out, out_gain):
    net = nn.Sequential(nn.Linear(n_in, HIDDEN), nn.Tanh(), nn.Linear(HIDDEN, HIDDEN), nn.Tanh(),
                        nn.Linear(HIDDEN, n_out))
    for layer, gain in zip((net[0], net[2], net[4]), (math.sqrt(2), math.sqrt(2), out_gain)):
        nn.init.orthogonal_(layer.weight, gain)
        nn.init.zeros_(layer.bias)
    return net


class Actors(nn.Module):
    """n separate actors (one per UE) evaluated together: the same MLP shape, its weights
    stacked along a first axis, each initialised as its own network."""

    def __init__(self, n, obs_dim):
        super().__init__()
        nets = [mlp(obs_dim, 4, 0.01) for _ in range(n)]
        self.w = nn.ParameterList([nn.Parameter(torch.stack([net[i].weight.T for net in nets]))
                                   for i in (0, 2, 4)])
        self.b = nn.ParameterList([nn.Parameter(torch.stack([net[i].bias[None] for net in nets]))
                                   for i in (0, 2, 4)])

    def forward(self, x):
        """x (n, B, obs_dim) -> (n, B, 4): actor u on x[u]."""
        h = torch.tanh(torch.baddbmm(self.b[0], x, self.w[0]))
        h = torch.tanh(torch.baddbmm(self.b[1], h, self.w[1]))
        return torch.baddbmm(self.b[2], h, self.w[2])

    def ue_params(self, u):
        """Actor u's parameters' gradients, for its own norm clipping."""
        return [p.grad[u] for p in list(self.w) + list(self.b) if p.grad is not None]


def heads(out):
    """The categorical location and the Beta keep of actor outputs (..., 4)."""
    loc = torch.distributions.Categorical(logits=out[..., :2])
    ab = 1.0 + nn.functional.softplus(out[..., 2:4])
    return loc, torch.distributions.Beta(ab[..., 0], ab[..., 1])


class ValueNorm:
    """MAPPO's running normaliser of the value targets (docs/hmppo.md, value normalisation)."""

    def __init__(self, beta=0.99999):
        self.beta, self.m1, self.m2, self.d = beta, 0.0, 0.0, 0.0

    def stats(self):
        if self.d <= 0.0:  # before the first update: identity, as the C learner
            return 0.0, 1.0
        d = max(self.d, 1e-5)
        mu = self.m1 / d
        return mu, math.sqrt(max(self.m2 / d - mu * mu, 1e-2))

    def update(self, x):
        b = self.beta
        self.m1 = b * self.m1 + (1 - b) * float(np.mean(x))
        self.m2 = b * self.m2 + (1 - b) * float(np.mean(np.square(x)))
        self.d = b * self.d + (1 - b)


class Learner:
    def __init__(self, n_ue, obs_dim, state_dim, k_range, middle_blocks, seed):
        torch.manual_seed(seed)
        self.n_ue, self.k_min, self.k_max = n_ue, float(k_range[0]), float(k_range[1])
        self.middle_blocks = middle_blocks
        self.actors = Actors(n_ue, obs_dim)
        self.critic = mlp(state_dim + n_ue, 1, 1.0)
        # One Adam per network, as the C learner: each UE's actor moments are its own slices
        # of the stacked parameters (Adam is elementwise), and its gradient norm is clipped on
        # its own before the step.
        self.actor_opt = torch.optim.Adam(self.actors.parameters(), lr=LR, eps=ADAM_EPS)
        self.critic_opt = torch.optim.Adam(self.critic.parameters(), lr=LR, eps=ADAM_EPS)
        self.norm = ValueNorm()
        self.eye = np.eye(n_ue, dtype=np.float32)

    @torch.no_grad()
    def act(self, obs, state, cached_b):
        """Every UE's (location, keep) and record, sampled as HMPPO samples in training; obs
        (n_ue, obs_dim); cached_b: the cached emulator (blocks) of each UE (0: unknown)."""
        out = self.actors(torch.as_tensor(obs)[:, None, :])[:, 0, :]
        d_loc, d_keep = heads(out)
        loc = d_loc.sample()
        x = d_keep.sample().clamp(X_EPS, 1 - X_EPS)
        lp_loc, lp_keep = d_loc.log_prob(loc), d_keep.log_prob(x)
        cin = np.concatenate([np.repeat(state[None], self.n_ue, 0), self.eye], axis=1)
        v = self.critic(torch.as_tensor(cin))[:, 0]
        actions, records = [], []
        m = self.middle_blocks
        for u in range(self.n_ue):
            xu = float(x[u])
            keep = self.k_min + (self.k_max - self.k_min) * xu
            if m and cached_b[u] > 0:
                staying = cached_b[u] / m
                if abs(keep * m - cached_b[u]) <= DEADZONE_BLOCKS and \
                        self.k_min <= staying <= self.k_max:
                    keep = staying
            lu = int(loc[u])
            actions.append((edgetune.LOCAL if lu == 0 else edgetune.SERVER, keep))
            records.append({"obs": obs[u], "cin": cin[u], "ue": u, "loc": lu, "x": xu,
                            "lp_loc": float(lp_loc[u]), "lp_keep": float(lp_keep[u]),
                            "v": float(v[u])})
        return actions, records

    def update(self, trajectories, progress):
        """One PPO update on complete per-UE trajectories; returns the logged means."""
        mu, sigma = self.norm.stats()
        rows, returns = [], []
        for traj in trajectories:
            adv, last = np.zeros(len(traj)), 0.0
            values = [t["v"] * sigma + mu for t in traj]
            for i in reversed(range(len(traj))):
                t = traj[i]
                g = GAMMA ** (t["elapsed_s"] / TIME_SCALE_S)
                nxt = 0.0 if t["done"] or i + 1 == len(traj) else values[i + 1]
                delta = t["r"] + g * nxt - values[i]
                last = delta + (0.0 if t["done"] else g * LAMBDA * last)
                adv[i] = last
            for i, t in enumerate(traj):
                rows.append((t, adv[i]))
                returns.append(adv[i] + values[i])
        if not rows:
            return {}
        returns = np.asarray(returns)
        self.norm.update(returns)
        mu, sigma = self.norm.stats()
        target = torch.as_tensor((returns - mu) / sigma, dtype=torch.float32)
        adv = torch.as_tensor([a for _, a in rows], dtype=torch.float32)
        adv = (adv - adv.mean()) / (adv.std(unbiased=False) + 1e-5)
        t = [r for r, _ in rows]
        obs = torch.as_tensor(np.stack([r["obs"] for r in t]))
        cin = torch.as_tensor(np.stack([r["cin"] for r in t]))
        ue = torch.as_tensor([r["ue"] for r in t])
        loc = torch.as_tensor([r["loc"] for r in t])
        x = torch.as_tensor([r["x"] for r in t], dtype=torch.float32)
        mask = torch.as_tensor([r["mask"] for r in t], dtype=torch.float32)
        lp_old = torch.as_tensor([r["lp_loc"] + r["mask"] * r["lp_keep"] for r in t],
                                 dtype=torch.float32)
        v_old = torch.as_tensor([r["v"] for r in t], dtype=torch.float32)
        ent_loc = ENT_LOC + (ENT_LOC_END - ENT_LOC) * progress
        logs = {k: [] for k in COLUMNS[8:14]}
        rows_idx = torch.arange(len(t))
        for _ in range(EPOCHS):
            out = self.actors(obs[None].expand(self.n_ue, -1, -1))[ue, rows_idx]
            d_loc, d_keep = heads(out)
            lp = d_loc.log_prob(loc) + mask * d_keep.log_prob(x)
            ratio = (lp - lp_old).exp()
            pol = -torch.min(ratio * adv, ratio.clamp(1 - CLIP, 1 + CLIP) * adv).mean()
            h_loc, h_keep = d_loc.entropy().mean(), (mask * d_keep.entropy()).mean()
            v = self.critic(cin).squeeze(-1)
            v_clip = v_old + (v - v_old).clamp(-VALUE_CLIP, VALUE_CLIP)
            vloss = VF_COEF * (0.5 * torch.max((v - target) ** 2, (v_clip - target) ** 2)).mean()
            loss = pol - ent_loc * h_loc - ENT_KEEP * h_keep + vloss
            self.actor_opt.zero_grad()
            self.critic_opt.zero_grad()
            loss.backward()
            with torch.no_grad():  # per-network gradient-norm clipping: each UE's actor alone
                for u in range(self.n_ue):
                    grads = self.actors.ue_params(u)
                    norm = torch.sqrt(sum((g ** 2).sum() for g in grads))
                    if norm > MAX_GRAD_NORM:
                        for g in grads:
                            g.mul_(MAX_GRAD_NORM / (norm + 1e-6))
            nn.utils.clip_grad_norm_(self.critic.parameters(), MAX_GRAD_NORM)
            self.actor_opt.step()
            self.critic_opt.step()
            with torch.no_grad():
                logs["policy_loss"].append(pol.item())
                logs["value_loss"].append(vloss.item())
                logs["entropy_loc"].append(h_loc.item())
                logs["entropy_keep"].append(h_keep.item())
                r = ratio
                logs["approx_kl"].append(((r - 1) - r.log()).mean().item())
                logs["clip_frac"].append(((r - 1).abs() > CLIP).float().mean().item())
        return {k: float(np.mean(v)) for k, v in logs.items()}


def middle_blocks(env):
    """The model's middle blocks (for the keep dead zone), or 0 when the model file cannot
    be read (the dead zone is then off)."""
    try:
        with open(env.sim.scenario["model"]) as f:
            m = json.load(f)
        return int(m["blocks"]) - int(m.get("adapter_bottom", 0)) - int(m.get("adapter_top", 0))
    except (OSError, KeyError, ValueError, TypeError):
        return 0


def run_episode(env, learner):
    """One episode through parallel_env; returns the complete per-UE trajectories and the
    episode's statistics."""
    obs, infos = env.reset()
    trajs = {a: [] for a in env.possible_agents}
    waiting = {a: [] for a in env.possible_agents}  # decisions whose task has not completed
    ue_of = {a: i for i, a in enumerate(env.possible_agents)}
    stats = None
    cached = np.zeros(env.sim.n_ue)
    while env.agents:
        cached[:] = 0  # the pending UE's cached emulator (the others' are not known yet)
        pending = next((a for a in env.agents if infos.get(a, {}).get("due")), None)
        if pending is not None:
            cached[ue_of[pending]] = env.sim.task["cached_b"]
        all_obs = np.stack([obs.get(a, np.zeros(edgetune.OBS_DIM, np.float32))
                            for a in env.possible_agents])
        acts, recs = learner.act(all_obs, env.state(), cached)
        actions = {a: acts[ue_of[a]] for a in env.agents}
        records = {a: recs[ue_of[a]] for a in env.agents}
        obs, _, _, _, infos = env.step(actions)
        for a, info in infos.items():
            if info["acted"]:
                trajs[a].append(records[a])
                waiting[a].append(records[a])
            for done in info["completed"]:
                rec = waiting[a].pop(0)
                rec.update(r=done["reward"], done=done["done"], elapsed_s=done["elapsed_s"],
                           mask=1.0 if done["keep_effective"] != 0 else 0.0)
            stats = info.get("stats", stats)
    complete = [t for t in trajs.values() if t and t[-1].get("done")]
    return complete, stats


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?")
    ap.add_argument("--episodes", type=int, default=40)
    ap.add_argument("--tasks", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--decision-interval", type=float, default=0.0,
                    help="parallel_env's decision_interval_s (default 0)")
    ap.add_argument("--out", default="out/py-mappo")
    a = ap.parse_args()
    if a.episodes < 1:
        ap.error("--episodes: expected an integer >= 1, got %d" % a.episodes)
    torch.set_num_threads(1)
    torch.distributions.Distribution.set_default_validate_args(False)
    env = edgetune.parallel_env(a.scenario, seed=a.seed, tasks=a.tasks,
                                decision_interval_s=a.decision_interval)
    learner = Learner(env.sim.n_ue, edgetune.OBS_DIM, env.sim.state_dim, env.sim.k_range,
                      middle_blocks(env), a.seed)
    os.makedirs(a.out, exist_ok=True)
    path = os.path.join(a.out, "train.csv")
    start, rows = time.time(), []
    try:
        for ep in range(a.episodes):
            trajs, s = run_episode(env, learner)
            progress = ep / a.episodes  # update ep of episodes, as et_hmppo_ent_loc_at
            logs = learner.update(trajs, progress)
            rows.append([ep, s["episodic_reward"], s["total_delay_s"], s["mean_delay_s"],
                         s["mean_ppl"], s["failed"], s["local"] / s["tasks"], s["mean_keep"]]
                        + ["%.6g" % logs[k] if logs else "" for k in COLUMNS[8:14]]
                        + ["%.3f" % (time.time() - start)])
            print("episode %4d  return %9.2f  local %.2f  failed %3d" % (
                ep, s["episodic_reward"], s["local"] / s["tasks"], s["failed"]), flush=True)
    finally:
        env.close()
    # Written whole at the end (tmp + rename): an interrupted run leaves no half-written file.
    with open(path + ".tmp", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        w.writerows(rows)
    os.replace(path + ".tmp", path)
    print("mappo_torch: %d episodes, return %.2f -> %.2f; learning curve in %s"
          % (a.episodes, rows[0][1], rows[-1][1], path))


if __name__ == "__main__":
    main()
