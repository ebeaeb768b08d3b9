/* fuzz_platform.c: a platform XML through the safe loader. et_platform_check (what
 * edgetune checks before SimGrid sees the file) runs in this process, with coverage; a
 * file it passes is then loaded into SimGrid and its roles discovered in a forked child
 * (SimGrid loads one platform per process), which must come back with a value, never die:
 * an abort or a sanitizer report in the child is reported here as a crash. */
#include <sys/wait.h>

#include "fuzz_common.h"
#include "platform.h"
#include "sim.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    char arg0[] = "fuzz_platform", arg1[] = "--log=root.thres:critical";
    char *sg_argv[] = {arg0, arg1, NULL};
    int sg_argc = 2;
    et_error err;
    if (et_engine_init(&sg_argc, sg_argv, NULL, &err) != ET_OK) abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".xml");
    et_error err;
    et_error_clear(&err);
    if (et_platform_check(path, &err) != ET_OK) {
        if (!err.msg[0]) abort();
        return 0;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) return 0;
    if (pid == 0) {
        et_topology topo;
        if (et_platform_load(path, &err) == ET_OK &&
            et_topology_discover(&topo, path, 0, &err) == ET_OK)
            et_topology_clear(&topo);
        _exit(0);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) abort();
    return 0;
}
