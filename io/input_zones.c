/**
 * @file input_zones.c
 * @brief Time-zone names of the input: whether a name is a zone of the
 *        system's database (a TZif file), the loader's table of distinct
 *        zones, and the system's zone names for "did you mean"
 *        suggestions (zone1970.tab, read once per process).
 */
#define _POSIX_C_SOURCE 200809L
#include "io/input_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool zone_file_ok(const char *name)
{
    if (strcmp(name, "UTC") == 0)
        return true;
    if (!bs_tz_exists(name))
        return false;
    /* bs_tz_exists accepts any regular file of the database folder; only
     * TZif files are zones (leapseconds, for one, is not). */
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", bs_tz_dir(), name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return false;
    char magic[4] = {0};
    size_t n = fread(magic, 1, 4, f);
    fclose(f);
    return n == 4 && memcmp(magic, "TZif", 4) == 0;
}

/* Zone names of the system for suggestions, read once per process. */
typedef struct zone_names {
    char **names;
    size_t count;
    bool loaded;
} zone_names;

static zone_names g_zone_names;

static void load_zone_names(void)
{
    if (g_zone_names.loaded)
        return;
    g_zone_names.loaded = true;
    char path[4096];
    snprintf(path, sizeof path, "%s/zone1970.tab", bs_tz_dir());
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    char line[512];
    size_t cap = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        if (line[0] == '#')
            continue;
        char *tab1 = strchr(line, '\t');
        char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (tab2 == NULL)
            continue;
        char *name = tab2 + 1;
        name[strcspn(name, "\t\n")] = '\0';
        if (g_zone_names.count == cap) {
            size_t ncap = cap ? cap * 2 : 512;
            char **grown = bs_reallocarray(g_zone_names.names, ncap, sizeof *grown);
            if (grown == NULL)
                break;
            g_zone_names.names = grown;
            cap = ncap;
        }
        char *copy = bs_strdup(name);
        if (copy == NULL)
            break;
        g_zone_names.names[g_zone_names.count++] = copy;
    }
    fclose(f);
}

int bs__zone_ref(bs__ld *ld, const char *key, const char *name)
{
    int z = bs__strmap_get(&ld->zone_map, name);
    if (z < 0) {
        if (ld->n_zones == ld->zones_cap) {
            size_t ncap = ld->zones_cap ? ld->zones_cap * 2 : 8;
            bs__zone *grown = bs_reallocarray(ld->zones, ncap, sizeof *grown);
            if (grown == NULL) {
                ld->oom = true;
                return -1;
            }
            ld->zones = grown;
            ld->zones_cap = ncap;
        }
        bs__zone *zn = &ld->zones[ld->n_zones];
        zn->name = bs__dup_or_oom(ld, name);
        if (zn->name == NULL)
            return -1;
        zn->valid = zone_file_ok(name);
        zn->tz = NULL;
        if (bs__strmap_put(&ld->zone_map, zn->name, (int)ld->n_zones) != BS_OK) {
            free(zn->name);
            ld->oom = true;
            return -1;
        }
        z = (int)ld->n_zones++;
    }
    if (!ld->zones[z].valid && !bs_tz_database_present()) {
        /* not the input's fault: the machine has no zone data (exit 3) */
        char q[160];
        ld->tz_missing = true;
        bs__error_key(ld, key,
                      "time zone %s cannot be loaded: no time-zone data in %s (install tzdata, "
                      "or set TZDIR to a zoneinfo folder)",
                      bs__q(name, q, sizeof q), bs_tz_dir());
        return -1;
    }
    if (!ld->zones[z].valid) {
        char q[160], dym[200] = "";
        load_zone_names();
        bs__error_key(ld, key, "unknown time zone %s%s", bs__q(name, q, sizeof q),
                      bs__dym(ld, name, (const char *const *)g_zone_names.names, g_zone_names.count,
                              dym, sizeof dym));
        return -1;
    }
    return z;
}
