// SPDX-License-Identifier: GPL-2.0
/* Content types by file extension, for the content folder's import. */
#include <string.h>
#include <strings.h>

#include "site.h"

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{ "html", "text/html; charset=utf-8" },
	{ "htm", "text/html; charset=utf-8" },
	{ "css", "text/css; charset=utf-8" },
	{ "js", "text/javascript; charset=utf-8" },
	{ "txt", "text/plain; charset=utf-8" },
	{ "xml", "application/xml" },
	{ "json", "application/json" },
	{ "png", "image/png" },
	{ "gif", "image/gif" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "svg", "image/svg+xml" },
	{ "ico", "image/vnd.microsoft.icon" },
	{ "wbmp", "image/vnd.wap.wbmp" },
	{ "mid", "audio/midi" },
	{ "midi", "audio/midi" },
	{ "mp3", "audio/mpeg" },
	{ "amr", "audio/amr" },
	{ "wav", "audio/wav" },
	{ "ogg", "audio/ogg" },
	{ "pdf", "application/pdf" },
	{ "jad", "text/vnd.sun.j2me.app-descriptor" },
	{ "jar", "application/java-archive" },
};

const char *site_content_type(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *dot = strrchr(slash ? slash : name, '.');

	if (dot && dot[1])
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (!strcasecmp(dot + 1, types[i].ext))
				return types[i].type;
	return "application/octet-stream";
}
