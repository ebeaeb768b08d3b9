/* build_commit.h: the commit the program was built from. */
#ifndef ET_BUILD_COMMIT_H
#define ET_BUILD_COMMIT_H

/* git's 12-digit short hash of the sources at build time, with "-dirty" when tracked files
 * differed from it, or "unknown" outside a git checkout (scripts/commit_stamp.cmake). */
extern const char et_build_commit[];

#endif
