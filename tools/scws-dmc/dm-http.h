/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dm-http.h - POST one SyncML DM message and read the answer (libcurl).
 */
#ifndef SCWS_DM_HTTP_H
#define SCWS_DM_HTTP_H

#include <stddef.h>

/* 0 with a malloc'd NUL-terminated answer body, or -1 and a reason. */
int dm_http_post(const char *url, const char *cafile, const char *body,
		 size_t len, char **resp, size_t *resp_len, char *err,
		 size_t err_size);

#endif
