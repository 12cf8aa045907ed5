/**
 * @file test_write.c
 * @brief Criterion units of the output writer (core/bs.c): atomic
 *        replacement, write groups (commit renames all, abort changes no
 *        path, stdout held until the commit), devices written in place,
 *        symbolic links and permissions kept, errors that name the path.
 */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/bs.h"

static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/bs-write.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[512];
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

TestSuite(write, .init = make_dir, .fini = remove_dir);

static char *in_dir(const char *name)
{
    static char paths[4][256];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, 256, "%s/%s", dir, name);
    return p;
}

static char *slurp(const char *path)
{
    char *data = NULL;
    size_t len = 0;
    bs_err err = {0};
    if (bs_read_file(path, 0, &data, &len, &err) != BS_OK)
        return NULL;
    return data;
}

/* Entries of the folder: outputs plus any temporary file left behind. */
static int entries(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

Test(write, replaces_a_file_and_leaves_no_temporary)
{
    bs_err err = {0};
    char *p = in_dir("a.json");
    cr_assert_eq(bs_write_file_atomic(p, "one", 3, &err), BS_OK);
    cr_assert_eq(bs_write_file_atomic(p, "second", 6, &err), BS_OK);
    char *got = slurp(p);
    cr_assert_str_eq(got, "second");
    free(got);
    cr_assert_eq(entries(), 1);
}

Test(write, group_commit_renames_every_file)
{
    bs_err err = {0};
    char *a = in_dir("a"), *b = in_dir("b");
    bs_write_group_begin();
    cr_assert_eq(bs_write_file_atomic(a, "A", 1, &err), BS_OK);
    cr_assert_eq(bs_write_file_atomic(b, "B", 1, &err), BS_OK);
    cr_expect_eq(access(a, F_OK), -1, "not renamed before the commit");
    cr_assert_eq(bs_write_group_commit(&err), BS_OK);
    char *ga = slurp(a), *gb = slurp(b);
    cr_expect_str_eq(ga, "A");
    cr_expect_str_eq(gb, "B");
    free(ga);
    free(gb);
    cr_expect_eq(entries(), 2);
}

Test(write, group_abort_changes_no_path)
{
    bs_err err = {0};
    char *a = in_dir("a"), *b = in_dir("b");
    cr_assert_eq(bs_write_file_atomic(a, "old", 3, &err), BS_OK);
    bs_write_group_begin();
    cr_assert_eq(bs_write_file_atomic(a, "new", 3, &err), BS_OK);
    cr_assert_eq(bs_write_file_atomic(b, "new", 3, &err), BS_OK);
    /* a later output fails: the command aborts the group */
    cr_assert_eq(bs_write_file_atomic(in_dir("missing/c"), "x", 1, &err), BS_EIO);
    cr_expect(strstr(err.msg, "missing/c") != NULL, "names the path: %s", err.msg);
    bs_write_group_abort();
    char *ga = slurp(a);
    cr_expect_str_eq(ga, "old");
    free(ga);
    cr_expect_eq(access(b, F_OK), -1);
    cr_expect_eq(entries(), 1, "temporary files removed");
}

Test(write, group_holds_stdout_until_the_commit)
{
    bs_err err = {0};
    char *out = in_dir("stdout");
    fflush(stdout);
    FILE *f = freopen(out, "w", stdout);
    cr_assert_not_null(f);
    bs_write_group_begin();
    cr_assert_eq(bs_write_file_atomic("-", "doc", 3, &err), BS_OK);
    struct stat st;
    cr_assert_eq(stat(out, &st), 0);
    cr_expect_eq(st.st_size, 0, "nothing on stdout before the commit");
    bs_write_group_abort();
    cr_assert_eq(stat(out, &st), 0);
    cr_expect_eq(st.st_size, 0, "nothing on stdout after an abort");
    bs_write_group_begin();
    cr_assert_eq(bs_write_file_atomic("-", "doc", 3, &err), BS_OK);
    cr_assert_eq(bs_write_group_commit(&err), BS_OK);
    cr_assert_eq(stat(out, &st), 0);
    cr_expect_eq(st.st_size, 3, "written at the commit");
}

/* /dev/zero and /dev/full, not /dev/null: a shared machine's /dev/null may
 * already have been replaced by a file (by a writer without this check) */
Test(write, devices_are_written_in_place)
{
    bs_err err = {0};
    struct stat st;
    cr_assert(stat("/dev/zero", &st) == 0 && S_ISCHR(st.st_mode), "/dev/zero is a device");
    cr_assert(stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode), "/dev/full is a device");
    cr_assert_eq(bs_write_file_atomic("/dev/zero", "x", 1, &err), BS_OK);
    cr_assert_eq(stat("/dev/zero", &st), 0);
    cr_expect(S_ISCHR(st.st_mode), "/dev/zero is still a device");
    cr_expect_eq(bs_write_file_atomic("/dev/full", "x", 1, &err), BS_EIO);
    cr_expect(strstr(err.msg, "/dev/full: cannot write: No space left") != NULL, "%s", err.msg);
    cr_assert_eq(stat("/dev/full", &st), 0);
    cr_expect(S_ISCHR(st.st_mode), "/dev/full is still a device");
}

Test(write, a_folder_is_refused)
{
    bs_err err = {0};
    cr_expect_eq(bs_write_file_atomic(dir, "x", 1, &err), BS_EIO);
    cr_expect(strstr(err.msg, "Is a directory") != NULL, "%s", err.msg);
}

Test(write, a_symbolic_link_keeps_pointing_at_the_file)
{
    bs_err err = {0};
    char *target = in_dir("target"), *link = in_dir("link");
    cr_assert_eq(bs_write_file_atomic(target, "old", 3, &err), BS_OK);
    cr_assert_eq(symlink(target, link), 0);
    cr_assert_eq(bs_write_file_atomic(link, "new", 3, &err), BS_OK);
    struct stat st;
    cr_assert_eq(lstat(link, &st), 0);
    cr_expect(S_ISLNK(st.st_mode), "still a link");
    char *got = slurp(target);
    cr_expect_str_eq(got, "new");
    free(got);
}

Test(write, permissions_kept_or_from_the_umask)
{
    bs_err err = {0};
    char *p = in_dir("perm"), *q = in_dir("fresh");
    cr_assert_eq(bs_write_file_atomic(p, "a", 1, &err), BS_OK);
    cr_assert_eq(chmod(p, 0600), 0);
    cr_assert_eq(bs_write_file_atomic(p, "b", 1, &err), BS_OK);
    struct stat st;
    cr_assert_eq(stat(p, &st), 0);
    cr_expect_eq(st.st_mode & 0777, 0600, "a replaced file keeps its mode");
    mode_t old = umask(027);
    cr_assert_eq(bs_write_file_atomic(q, "c", 1, &err), BS_OK);
    umask(old);
    cr_assert_eq(stat(q, &st), 0);
    cr_expect_eq(st.st_mode & 0777, 0640, "a new file gets 0666 less the umask");
}
