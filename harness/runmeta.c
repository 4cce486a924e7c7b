/* run.json writer: a few fixed fields, escaped strings, atomic rename. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <rte_version.h>

#include "commands.h"
#include "runmeta.h"
#include "util.h"

void runmeta_host(struct runmeta *m, const char *proc)
{
	struct utsname u;
	char path[256], line[512];
	FILE *f;

	if (gethostname(m->host, sizeof(m->host)) < 0)
		util_strlcpy(m->host, "unknown", sizeof(m->host));
	m->host[sizeof(m->host) - 1] = '\0';
	if (uname(&u) == 0)
		snprintf(m->kernel, sizeof(m->kernel), "%s %s %s %s", u.sysname,
			 u.release, u.version, u.machine);
	util_strlcpy(m->dpdk_version, rte_version(), sizeof(m->dpdk_version));
	m->vioperf_version = vioperf_version;
	util_strlcpy(m->cpu_model, "unknown", sizeof(m->cpu_model));
	snprintf(path, sizeof(path), "%s/cpuinfo", proc);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) || !colon)
			continue;
		colon++;
		while (*colon == ' ' || *colon == '\t')
			colon++;
		colon[strcspn(colon, "\n")] = '\0';
		util_strlcpy(m->cpu_model, colon, sizeof(m->cpu_model));
		break;
	}
	fclose(f);
}

int runmeta_opt(struct runmeta *m, const char *key, int is_num,
		const char *fmt, ...)
{
	struct runmeta_opt *o;
	va_list ap;

	if (m->nb_opts >= RUNMETA_MAX_OPTS)
		return -E2BIG;
	o = &m->opts[m->nb_opts++];
	util_strlcpy(o->key, key, sizeof(o->key));
	o->is_num = is_num;
	va_start(ap, fmt);
	vsnprintf(o->val, sizeof(o->val), fmt, ap);
	va_end(ap);
	return 0;
}

void runmeta_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void iso_time(char *buf, size_t len, uint64_t ns)
{
	time_t t = (time_t)(ns / 1000000000ull);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void kv_str(FILE *f, const char *key, const char *val, int last)
{
	fprintf(f, "  \"%s\": ", key);
	runmeta_json_str(f, val);
	fputs(last ? "\n" : ",\n", f);
}

static void dp_list(FILE *f, const char *key, const struct runmeta_dp *dps,
		    int n, int with_variant)
{
	fprintf(f, "  \"%s\": [", key);
	for (int i = 0; i < n; i++) {
		fputs(i ? ",\n    { \"name\": " : "\n    { \"name\": ", f);
		runmeta_json_str(f, dps[i].name);
		if (with_variant) {
			fputs(", \"variant\": ", f);
			runmeta_json_str(f, dps[i].variant);
			fputs(", \"status\": ", f);
		} else {
			fputs(", \"reason\": ", f);
		}
		runmeta_json_str(f, dps[i].status);
		fputs(" }", f);
	}
	fputs(n ? "\n  ],\n" : "],\n", f);
}

void runmeta_json(const struct runmeta *m, FILE *f)
{
	char t[32];

	fputs("{\n", f);
	kv_str(f, "run_id", m->run_id, 0);
	iso_time(t, sizeof(t), m->start_ns);
	kv_str(f, "start_time", t, 0);
	if (m->end_ns) {
		iso_time(t, sizeof(t), m->end_ns);
		kv_str(f, "end_time", t, 0);
	} else {
		fputs("  \"end_time\": null,\n", f);
	}
	kv_str(f, "host", m->host, 0);
	kv_str(f, "cpu_model", m->cpu_model, 0);
	fprintf(f, "  \"tsc_hz\": %.0f,\n", m->tsc_hz);
	kv_str(f, "kernel", m->kernel, 0);
	kv_str(f, "dpdk_version", m->dpdk_version, 0);
	kv_str(f, "vioperf_version",
	       m->vioperf_version ? m->vioperf_version : "unknown", 0);
	fputs("  \"command\": [", f);
	for (int i = 0; i < m->argc; i++) {
		if (i)
			fputs(", ", f);
		runmeta_json_str(f, m->argv[i]);
	}
	fputs("],\n  \"options\": {", f);
	for (int i = 0; i < m->nb_opts; i++) {
		fprintf(f, "%s\n    ", i ? "," : "");
		runmeta_json_str(f, m->opts[i].key);
		fputs(": ", f);
		if (m->opts[i].is_num)
			fputs(m->opts[i].val, f);
		else
			runmeta_json_str(f, m->opts[i].val);
	}
	fputs(m->nb_opts ? "\n  },\n" : "},\n", f);
	dp_list(f, "datapaths", m->dps, m->nb_dps, 1);
	dp_list(f, "unavailable", m->unavail, m->nb_unavail, 0);
	fprintf(f, "  \"nb_rows\": %d,\n  \"nb_failed\": %d,\n", m->nb_rows,
		m->nb_failed);
	fprintf(f, "  \"interrupted\": %s\n}\n",
		m->interrupted ? "true" : "false");
}

int runmeta_write(const struct runmeta *m, const char *dir)
{
	char tmp[4200], path[4200];
	FILE *f;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/run.json", dir);
	snprintf(tmp, sizeof(tmp), "%s/.run.json.tmp", dir);
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	runmeta_json(m, f);
	if (fflush(f) != 0 || fdatasync(fileno(f)) < 0)
		rc = -errno;
	if (fclose(f) != 0 && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path) < 0)
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}
