// SPDX-License-Identifier: GPL-2.0
/*
 * The PKCS#15 application holding the ARF (see arf.h): SELECT by FID of
 * its EFs and READ BINARY (ISO 7816-4 / TS 102 221 11.1.1 and 11.1.3).
 * Its files are a view of the ARA-M's rules, built again when they change.
 */
#include "arf.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

const uint8_t arf_aid[ARF_AID_LEN] = {
	0xA0, 0x00, 0x00, 0x00, 0x63, 0x50, 0x4B, 0x43, 0x53, 0x2D, 0x31, 0x35
};

enum {
	INS_SELECT = 0xA4,
	INS_READ_BINARY = 0xB0,
	SEL_FID = 0x00,
	SEL_RESP_MASK = 0x0C,
	SEL_RESP_NONE = 0x0C,
};

struct arf {
	struct aram *aram;
	struct arf_files files;
	bool built;
	uint64_t gen;		/* the ARA-M generation built from */
	bool no_rules;		/* --access-rules aram: no GP files */
	const struct arf_object *obj;	/* e.g. the DM bootstrap file */
};

struct arf *arf_open(struct aram *rules)
{
	struct arf *f = calloc(1, sizeof(*f));

	if (f)
		f->aram = rules;
	return f;
}

void arf_set_contents(struct arf *f, bool access_rules,
		      const struct arf_object *obj)
{
	f->no_rules = !access_rules;
	f->obj = obj;
	f->built = false;
}

void arf_close(struct arf *f)
{
	if (!f)
		return;
	arf_files_free(&f->files);
	free(f);
}

bool arf_is_aid(const uint8_t *aid, size_t len)
{
	return len >= 5 && len <= ARF_AID_LEN && !memcmp(aid, arf_aid, len);
}

void arf_select(struct arf_session *s, struct apdu_resp *r)
{
	/* FCP: 82 DF (shareable), 84 the DF name */
	uint8_t fcp[2 + 3 + 2 + ARF_AID_LEN] = {
		0x62, 3 + 2 + ARF_AID_LEN, 0x82, 0x01, 0x78, 0x84, ARF_AID_LEN
	};

	s->ef = -1;
	memcpy(fcp + 7, arf_aid, ARF_AID_LEN);
	if (r)
		apdu_put(r, fcp, sizeof(fcp));
}

bool arf_handles(const struct apdu *c)
{
	return (c->ins == INS_SELECT && c->p1 == SEL_FID) ||
	       c->ins == INS_READ_BINARY;
}

/* The files as the ARA-M's rules stand now. */
static bool files(struct arf *f)
{
	const uint8_t *rules, *tag;
	uint64_t gen;
	size_t len;
	bool corrupt;

	aram_view(f->aram, &rules, &len, &tag, &gen, &corrupt);
	if (f->built && gen == f->gen)
		return true;
	arf_files_free(&f->files);
	if (f->no_rules)
		f->built = arf_files_build_bare(&f->files) == 0;
	else
		f->built = arf_files_build(rules, len, tag, corrupt,
					   &f->files) == 0;
	if (f->built && f->obj &&
	    arf_files_add_object(&f->files, f->obj)) {
		arf_files_free(&f->files);
		f->built = false;
	}
	f->gen = gen;
	if (f->built && !f->no_rules)
		card_info("ARF: %zu files built from the ARA-M's rules "
			  "(%u left out: not expressible in ARF)",
			  f->files.n, f->files.skipped);
	return f->built;
}

static uint16_t select_fid(struct arf *f, struct arf_session *s,
			   const struct apdu *c, struct apdu_resp *r)
{
	uint16_t fid;

	if (c->nc != 2)
		return SW_WRONG_LENGTH;
	if (!files(f))
		return SW_MEMORY;
	fid = (uint16_t)(c->data[0] << 8 | c->data[1]);
	for (size_t i = 0; i < f->files.n; i++) {
		const struct arf_ef *e = &f->files.ef[i];
		uint8_t fcp[] = {
			0x62, 0x0C, 0x82, 0x02, 0x41, 0x21,	/* EF */
			0x83, 0x02, c->data[0], c->data[1],
			0x80, 0x02, (uint8_t)(e->size >> 8), (uint8_t)e->size,
		};

		if (e->fid != fid)
			continue;
		s->ef = (int)i;
		if ((c->p2 & SEL_RESP_MASK) != SEL_RESP_NONE)
			apdu_put(r, fcp, sizeof(fcp));
		return SW_OK;
	}
	return SW_FILE_NOT_FOUND;
}

static uint16_t read_binary(struct arf *f, struct arf_session *s,
			    const struct apdu *c, struct apdu_resp *r)
{
	const struct arf_ef *e;
	size_t off = (size_t)(c->p1 << 8 | c->p2), n;

	if (!c->ne || c->nc)
		return SW_WRONG_LENGTH;
	if (c->p1 & 0x80)
		return SW_FILE_NOT_FOUND;	/* no short file identifiers */
	if (s->ef < 0 || !files(f) || (size_t)s->ef >= f->files.n)
		return SW_NO_EF;
	e = &f->files.ef[s->ef];
	if (off > e->size)
		return SW_WRONG_OFFSET;
	n = e->size - off < c->ne ? e->size - off : c->ne;
	if (!apdu_put(r, e->data + off, n))
		return SW_TECHNICAL;
	/* Le 00 means "up to the end"; a number must be met. */
	if (n < c->ne && c->ne != 256 && c->ne != 65536)
		return SW_EOF_WARNING;
	return SW_OK;
}

uint16_t arf_command(struct arf *f, struct arf_session *s,
		     const struct apdu *c, struct apdu_resp *r)
{
	if (c->cla & 0x80)
		return SW_CLA_UNSUPPORTED;
	if (c->ins == INS_SELECT)
		return select_fid(f, s, c, r);
	return read_binary(f, s, c, r);
}
