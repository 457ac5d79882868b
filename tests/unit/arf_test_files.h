/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the unit tests that walk the card's PKCS#15 files share: hex test
 * vectors, and a file reader over the card's own ARF files (struct
 * arf_files), as arf_walk() and the DM bootstrap walk call it.  Include
 * after cmocka.h, arf/arf.h, arf-rules.h and hex.h.
 */
#ifndef SCWS_ARF_TEST_FILES_H
#define SCWS_ARF_TEST_FILES_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Hex (spaces allowed) into @out; the byte count. */
static inline size_t unhex(const char *s, uint8_t *out)
{
	size_t n = 0;

	for (; *s; s++) {
		if (*s == ' ')
			continue;
		out[n++] = (uint8_t)(hex_digit(s[0]) << 4 | hex_digit(s[1]));
		s++;
	}
	return n;
}

/* Reads the EF that a two-byte path names from @arg, a struct arf_files. */
static inline int rd(void *arg, const struct arf_path *p, uint8_t **data,
		     size_t *len)
{
	const struct arf_files *f = arg;

	if (p->len != 2)
		return -ENOENT;
	for (size_t i = 0; i < f->n; i++) {
		if (f->ef[i].fid != (p->b[0] << 8 | p->b[1]))
			continue;
		*data = malloc(f->ef[i].size + 1);
		assert_non_null(*data);
		memcpy(*data, f->ef[i].data, f->ef[i].size);
		*len = f->ef[i].size;
		return 0;
	}
	return -ENOENT;
}

#endif /* SCWS_ARF_TEST_FILES_H */
