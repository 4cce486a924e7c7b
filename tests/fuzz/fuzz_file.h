/* For fuzz targets whose parser reads a file: the input written to a
 * private temporary file. */
#ifndef VIOPERF_FUZZ_FILE_H
#define VIOPERF_FUZZ_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* Write data to a new temporary file; its name goes to path (at least 32
 * bytes). 0, or -1 when it could not be written (nothing is left). */
static inline int fuzz_file(const uint8_t *data, size_t size, char *path)
{
	static const char tmpl[] = "/tmp/vioperf-fuzz-XXXXXX";
	int fd, ok;

	for (size_t i = 0; i < sizeof(tmpl); i++)
		path[i] = tmpl[i];
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	ok = write(fd, data, size) == (ssize_t)size;
	close(fd);
	if (!ok) {
		unlink(path);
		return -1;
	}
	return 0;
}

#endif
