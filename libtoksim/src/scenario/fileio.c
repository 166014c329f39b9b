/*
 * PURPOSE: read a user-named file (scenario, world, security template) with a size cap,
 * regular files only; and find the scenario files of a directory.
 */
/* d_type of struct dirent (readdir) is a BSD/XSI extension */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "scenario/scen_int.h"

toksim_status
ts_read_file(char **out, size_t *len, const char *path, size_t cap, toksim_error *err)
{
    *out = NULL;
    *len = 0;
    /* Opened non-blocking and checked before any read: a FIFO or a device must be
     * refused, never waited on (open() of a FIFO without a writer blocks unless
     * O_NONBLOCK). */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    struct stat st = {0};
    if (fd < 0) {
        ts_error_set(err, TOKSIM_EIO, 0, "cannot open: %s", strerror(errno));
        if (err)
            snprintf(err->where, sizeof err->where, "%s", path);
        return TOKSIM_EIO;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        bool dir = S_ISDIR(st.st_mode);
        bool fifo = S_ISFIFO(st.st_mode);
        close(fd);
        ts_error_set(err, TOKSIM_EIO, 0, "cannot open: %s",
                     dir    ? "a directory, not a file"
                     : fifo ? "not a regular file (a FIFO)"
                            : "not a regular file");
        if (err)
            snprintf(err->where, sizeof err->where, "%s", path);
        return TOKSIM_EIO;
    }
    /* O_NONBLOCK stays set: it changes nothing for a regular file (always readable),
     * and not clearing it saves two system calls a file (issue 11). A file whose size
     * fstat gives is read straight into a buffer one byte larger (the read that finds
     * the end); what comes beyond, if the file grew, through a chunk. */
    ts_buf b = {0};
    toksim_status rc = TOKSIM_OK;
    if (st.st_size > 0 && (uint64_t)st.st_size < cap &&
        !ts_grow((void **)&b.data, &b.cap, (size_t)st.st_size + 2, 1))
        rc = ts_error_set(err, TOKSIM_ENOMEM, 0, "cannot read: out of memory");
    char chunk[8192];
    while (!rc) {
        bool direct = b.cap > b.len + 1;
        ssize_t r = direct ? read(fd, b.data + b.len, b.cap - b.len - 1)
                           : read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = ts_error_set(err, TOKSIM_EIO, 0, "read error");
            break;
        }
        size_t n = (size_t)r;
        if (n == 0)
            break;
        if (n > cap - b.len) {
            rc = ts_error_set(err, TOKSIM_ELIMIT, cap,
                              "the file is larger than %zu bytes", cap);
            break;
        }
        if (direct) {
            b.len += n;
            b.data[b.len] = '\0';
        } else if (ts_buf_appendn(&b, chunk, n), b.failed) {
            rc = ts_error_set(err, TOKSIM_ENOMEM, 0, "cannot read: out of memory");
            break;
        }
    }
    close(fd);
    if (rc) {
        if (err)
            snprintf(err->where, sizeof err->where, "%s", path);
        ts_buf_dispose(&b);
        return rc;
    }
    *len = b.len;
    *out = ts_buf_take(&b);
    if (!*out) {
        *out = ts_strdup("");
        if (!*out)
            return TOKSIM_ENOMEM;
    }
    return TOKSIM_OK;
}

/* ---- finding scenario files ---- */

#include <dirent.h>
#include <sys/stat.h>

#define TS_FIND_MAX_FILES 4096
#define TS_FIND_MAX_DEPTH 8

typedef struct file_list {
    char **v;
    size_t n, cap;
} file_list;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_scenario_name(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".json") == 0 &&
           strcmp(name, "schema.json") != 0 && name[0] != '.';
}

static toksim_status add_file(file_list *l, const char *path, toksim_error *err)
{
    if (l->n >= TS_FIND_MAX_FILES)
        return ts_error_set(err, TOKSIM_ELIMIT, 0, "more than %d scenario files",
                            TS_FIND_MAX_FILES);
    if (!ts_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v) ||
        !(l->v[l->n] = ts_strdup(path)))
        return TOKSIM_ENOMEM;
    l->n++;
    return TOKSIM_OK;
}

static toksim_status walk_dir(file_list *l, const char *dir, int depth, toksim_error *err)
{
    if (depth > TS_FIND_MAX_DEPTH)
        return ts_error_set(err, TOKSIM_ELIMIT, 0,
                            "%s: directories nested deeper than %d", dir,
                            TS_FIND_MAX_DEPTH);
    DIR *d = opendir(dir);
    if (!d) {
        ts_error_set(err, TOKSIM_EIO, 0, "cannot open directory: %s", strerror(errno));
        if (err)
            snprintf(err->where, sizeof err->where, "%s", dir);
        return TOKSIM_EIO;
    }
    toksim_status rc = TOKSIM_OK;
    struct dirent *e;
    while (!rc && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        size_t need = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(need);
        if (!p) {
            rc = TOKSIM_ENOMEM;
            break;
        }
        size_t dl = strlen(dir);
        snprintf(p, need, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", e->d_name);
        /* the entry's type from readdir when the file system gives it; stat (which
         * follows a symbolic link) otherwise: one system call less a file (issue 11) */
        struct stat st;
        bool is_dir =
            e->d_type == DT_DIR || ((e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) &&
                                    stat(p, &st) == 0 && S_ISDIR(st.st_mode));
        if (is_dir)
            rc = walk_dir(l, p, depth + 1, err);
        else if (is_scenario_name(e->d_name))
            rc = add_file(l, p, err);
        free(p);
    }
    closedir(d);
    return rc;
}

toksim_status toksim_scenario_find_files(char ***out,
                                         size_t *count,
                                         const char *path,
                                         toksim_error *err)
{
    if (!out || !count || !path)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "toksim_scenario_find_files: NULL argument");
    *out = NULL;
    *count = 0;
    file_list l = {0};
    struct stat st;
    toksim_status rc;
    if (stat(path, &st) != 0) {
        rc = ts_error_set(err, TOKSIM_EIO, 0, "cannot open: %s", strerror(errno));
        if (err)
            snprintf(err->where, sizeof err->where, "%s", path);
    } else if (S_ISDIR(st.st_mode)) {
        rc = walk_dir(&l, path, 0, err);
        if (!rc && l.n == 0) {
            rc = ts_error_set(err, TOKSIM_ENOTFOUND, 0,
                              "no scenario (*.json) in this directory");
            if (err)
                snprintf(err->where, sizeof err->where, "%s", path);
        }
    } else {
        rc = add_file(&l, path, err);
    }
    if (rc) {
        toksim_scenario_files_free(l.v, l.n);
        return rc;
    }
    qsort(l.v, l.n, sizeof *l.v, cmp_str);
    *out = l.v;
    *count = l.n;
    return TOKSIM_OK;
}

void toksim_scenario_files_free(char **files, size_t count)
{
    for (size_t i = 0; files && i < count; i++)
        free(files[i]);
    free(files);
}
