/* view.h: `edgetune view OUT`, a self-contained HTML page that plays a run back: the map of
 * cells, servers and moving UEs coloured by task phase, handovers, link rates and server queues
 * over time, a Gantt chart of the tasks and a time slider (docs/viewer.md). */
#ifndef ET_VIEW_H
#define ET_VIEW_H

/* The command's help text. */
const char *et_view_usage(void);

/* `edgetune view ...` (argv[1] is "view"); returns the exit status: 0, or 2 with one line
 * naming the file for a missing or malformed input. */
int et_view_main(int argc, char **argv);

#endif
