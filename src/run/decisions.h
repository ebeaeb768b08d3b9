/* decisions.h: the decision log of a learned policy (decisions.csv).
 *
 * A decorator agent: it passes every call to the learned agent it wraps and,
 * after each decision, writes one row with the UE's observation, the action,
 * the location probability, the log-probabilities and the critic's value
 * (et_hmppo_last_decision). It changes no decision. */
#ifndef ET_DECISIONS_H
#define ET_DECISIONS_H

#include <stdio.h>

#include "agent.h"
#include "status.h"

/* The header line of decisions.csv (obs_0 .. obs_{ET_OBS_DIM-1} at the end). */
void et_decisions_header(FILE *f);

/* Wraps the learned agent inner (an HMPPO/MAPPO/IPPO agent; it stays the caller's) so that
 * its decisions are logged to f. Turns inner's decision log on. */
et_status et_decisions_wrap(et_agent *inner, FILE *f, et_agent **out, et_error *err);

#endif
