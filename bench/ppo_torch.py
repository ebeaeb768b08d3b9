#!/usr/bin/env python3
"""ppo_torch.py: the PyTorch reference for bench/bench_ppo.c.

One full PPO update of the HMPPO learner (agents/hmppo.c) written the usual PyTorch way, at the
same shapes and with the same loss, so that its samples per second can be compared with the C
update's:

  actor   in_a -> H tanh -> H tanh -> 4: two location logits (categorical) and two Beta
          pre-activations u, alpha = 1 + softplus(u0), beta = 1 + softplus(u1);
  critic  in_c -> H tanh -> H tanh -> 1;
  loss    clipped surrogate on r = exp(logp_new - logp_old), logp = logp_loc + mask logp_keep,
          minus ent_loc * mean(H_loc) and ent_keep * mean(mask H_keep); plus
          vf_coef * mean(0.5 max((v - t)^2, (v_clip - t)^2)) with v_clip within value_clip of
          the old value;
  step    zero_grad, backward, clip_grad_norm_(10) per network, Adam (lr 5e-4, eps 1e-5) per
          network; the k3 KL estimate and the clip fractions are accumulated as the C update
          does.
One update = advantage normalisation, then `epochs` epochs of one shuffled minibatch of every row.
float32, CPU, torch.set_num_threads(1), orthogonal initialisation (gains sqrt 2, 0.01, 1).

  python3 bench/ppo_torch.py [--hidden 64,256] [--batch 300,2048] [--epochs 10] [--reps 5]
  python3 bench/ppo_torch.py --serve     (what bench_ppo runs: reads "HIDDEN BATCH UPDATES"
                                          lines, answers "WALL CPU": the wall and process CPU
                                          seconds those updates took)

--keep gaussian swaps the Beta keep head for a Gaussian (mean = u0, log-std = u1), the usual
continuous head of PPO code, to see what the Beta costs PyTorch. Not a test.
"""
import argparse
import statistics
import sys
import time

import torch
import torch.nn as nn

IN_ACTOR, IN_CRITIC, N_LOC = 16, 100, 2
LR, ADAM_EPS, MAX_GRAD_NORM = 5e-4, 1e-5, 10.0
CLIP, VALUE_CLIP, ENT_LOC, ENT_KEEP, VF_COEF = 0.2, 0.2, 0.01, 0.01, 1.0


def mlp(n_in, hidden, n_out, out_gain):
    net = nn.Sequential(nn.Linear(n_in, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh(),
                        nn.Linear(hidden, n_out))
    for layer, gain in zip((net[0], net[2], net[4]), (2 ** 0.5, 2 ** 0.5, out_gain)):
        nn.init.orthogonal_(layer.weight, gain)
        nn.init.zeros_(layer.bias)
    return net


class Problem:
    """Networks, optimizers and one recorded batch of `batch` transitions."""

    def __init__(self, hidden, batch, epochs, keep, seed=1):
        g = torch.Generator().manual_seed(seed)
        torch.manual_seed(seed)
        self.batch, self.epochs, self.keep = batch, epochs, keep
        self.actor = mlp(IN_ACTOR, hidden, N_LOC + 2, 0.01)
        self.critic = mlp(IN_CRITIC, hidden, 1, 1.0)
        self.actor_opt = torch.optim.Adam(self.actor.parameters(), lr=LR, eps=ADAM_EPS)
        self.critic_opt = torch.optim.Adam(self.critic.parameters(), lr=LR, eps=ADAM_EPS)
        self.ain = torch.randn(batch, IN_ACTOR, generator=g)
        self.cin = torch.randn(batch, IN_CRITIC, generator=g)
        with torch.no_grad():
            loc_d, keep_d = self.dists(self.actor(self.ain))
            self.loc = loc_d.sample()
            self.x = keep_d.sample()
            if keep == "beta":
                self.x = self.x.clamp(1e-6, 1 - 1e-6)
            self.lp_old = loc_d.log_prob(self.loc) + keep_d.log_prob(self.x)
            self.v_old = self.critic(self.cin).squeeze(-1)
        self.mask = (torch.rand(batch, generator=g) < 2.0 / 3.0).float()
        self.adv = torch.randn(batch, generator=g)
        self.target = self.v_old + 0.5 * torch.randn(batch, generator=g)

    def dists(self, out):
        loc_d = torch.distributions.Categorical(logits=out[:, :N_LOC])
        u = out[:, N_LOC:]
        if self.keep == "beta":
            sp = nn.functional.softplus(u)
            keep_d = torch.distributions.Beta(1.0 + sp[:, 0], 1.0 + sp[:, 1])
        else:
            keep_d = torch.distributions.Normal(u[:, 0], u[:, 1].exp())
        return loc_d, keep_d

    def update(self):
        adv_n = (self.adv - self.adv.mean()) / (self.adv.std(unbiased=False) + 1e-5)
        kl_sum = torch.zeros(())
        clipped = torch.zeros(())
        vclipped = torch.zeros(())
        for _ in range(self.epochs):
            perm = torch.randperm(self.batch)
            ain, cin, loc, x = self.ain[perm], self.cin[perm], self.loc[perm], self.x[perm]
            mask, adv, lp_old = self.mask[perm], adv_n[perm], self.lp_old[perm]
            v_old, target = self.v_old[perm], self.target[perm]

            loc_d, keep_d = self.dists(self.actor(ain))
            lp_new = loc_d.log_prob(loc) + mask * keep_d.log_prob(x)
            log_ratio = lp_new - lp_old
            ratio = log_ratio.exp()
            s1 = ratio * adv
            s2 = ratio.clamp(1.0 - CLIP, 1.0 + CLIP) * adv
            actor_loss = (-torch.min(s1, s2).mean() - ENT_LOC * loc_d.entropy().mean()
                          - ENT_KEEP * (mask * keep_d.entropy()).mean())

            v = self.critic(cin).squeeze(-1)
            v_clip = v_old + (v - v_old).clamp(-VALUE_CLIP, VALUE_CLIP)
            critic_loss = VF_COEF * (0.5 * torch.max((v - target) ** 2,
                                                     (v_clip - target) ** 2)).mean()

            self.actor_opt.zero_grad()
            self.critic_opt.zero_grad()
            (actor_loss + critic_loss).backward()
            nn.utils.clip_grad_norm_(self.actor.parameters(), MAX_GRAD_NORM)
            nn.utils.clip_grad_norm_(self.critic.parameters(), MAX_GRAD_NORM)
            self.actor_opt.step()
            self.critic_opt.step()
            with torch.no_grad():
                kl_sum += ((ratio - 1.0) - log_ratio).sum()
                clipped += ((ratio - 1.0).abs() > CLIP).sum()
                vclipped += ((v - v_old).abs() > VALUE_CLIP).sum()
        return kl_sum.item(), clipped.item(), vclipped.item()


def seconds(problem, updates):
    """Wall and CPU seconds of `updates` updates."""
    w0, c0 = time.perf_counter(), time.process_time()
    for _ in range(updates):
        problem.update()
    return time.perf_counter() - w0, time.process_time() - c0


def serve(args):
    problems = {}
    print(f"ready torch {torch.__version__} threads {torch.get_num_threads()}", flush=True)
    for line in sys.stdin:
        fields = line.split()
        if len(fields) != 3:
            print("error: expected HIDDEN BATCH UPDATES", flush=True)
            continue
        hidden, batch, updates = (int(f) for f in fields)
        key = (hidden, batch)
        if key not in problems:
            problems[key] = Problem(hidden, batch, args.epochs, args.keep)
            problems[key].update()  # warm-up: allocator, thread pools, first-call dispatch
        wall, cpu = seconds(problems[key], updates)
        print(f"{wall:.9f} {cpu:.9f}", flush=True)


def standalone(args):
    hiddens = [int(h) for h in args.hidden.split(",")]
    batches = [int(b) for b in args.batch.split(",")]
    print(f"ppo_torch: torch {torch.__version__}, {torch.get_num_threads()} thread(s), "
          f"keep head {args.keep}, {args.epochs} epochs of one minibatch, median of {args.reps}")
    print(f"{'hidden':>6} {'batch':>6} {'ms/update':>10} {'samples/s':>11} {'cpu ms':>10} "
          f"{'samples/cpu s':>13}")
    for hidden in hiddens:
        for batch in batches:
            p = Problem(hidden, batch, args.epochs, args.keep)
            p.update()
            per = [seconds(p, 1) for _ in range(args.reps)]
            wall = statistics.median(w for w, _ in per)
            cpu = statistics.median(c for _, c in per)
            print(f"{hidden:6d} {batch:6d} {1e3 * wall:10.2f} {batch * args.epochs / wall:11.0f} "
                  f"{1e3 * cpu:10.2f} {batch * args.epochs / cpu:13.0f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--serve", action="store_true")
    ap.add_argument("--hidden", default="64,256")
    ap.add_argument("--batch", default="300,2048")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--keep", choices=("beta", "gaussian"), default="beta")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_default_dtype(torch.float32)
    # Argument checks off: they cost PyTorch time the C update does not spend.
    torch.distributions.Distribution.set_default_validate_args(False)
    if args.serve:
        serve(args)
    else:
        standalone(args)


if __name__ == "__main__":
    main()
