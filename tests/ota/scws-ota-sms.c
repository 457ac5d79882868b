// SPDX-License-Identifier: GPL-2.0
/*
 * scws-ota-sms: TEST TOOLING.  Builds an SMS-DELIVER TPDU carrying a TS
 * 102 225 secured packet (TS 31.115 SMS dialect, AES-CBC / AES-CMAC), the
 * way an OTA server would, and checks the Proof of Receipt a card sends
 * back.  OpenSSL libcrypto does the cryptography, independently of the
 * card's mbed TLS.
 *
 *   scws-ota-sms [OPTIONS] DATA          print the TPDU (hex)
 *   scws-ota-sms --envelope [OPTIONS] DATA   ... the ENVELOPE C-APDU
 *   scws-ota-sms --check-por HEX [OPTIONS]   check a PoR / R-APDU
 *
 * DATA is the secured data (hex, e.g. a TS 102 226 command string).
 * Options (defaults in brackets):
 *   --spi HEX4 [1619]   --kic HEX2 [12]   --kid HEX2 [12]   --tar HEX6 [000000]
 *   --counter N [1]     (decimal, or 0x + up to 10 hex digits)
 *   --kic-key HEX, --kid-key HEX   AES keys (16/24/32 bytes)
 *   --cc-len N [8]      --oa DIGITS [1234]   --pid HEX2 [7F]   --dcs HEX2 [F6]
 *   --bad-cc            flip a bit of the checksum
 *   --truncate N        drop the last N bytes of the command packet
 *   --parts N [1]       send it as N concatenated SMS (IEI 00, one line
 *                       per part; IEI 70 in part 1 only), --ref HEX2 [42]
 *   --expect-status HEX2, --expect-data HEX   what --check-por must find
 * Exit status: 0 ok, 1 a check failed, 2 usage error.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#define MAXBUF 1024

struct opts {
	uint8_t spi[2], kic, kid, tar[3], cntr[5];
	uint8_t kic_key[32], kid_key[32];
	size_t kic_len, kid_len, cc_len, truncate;
	const char *oa;
	uint8_t pid, dcs;
	bool bad_cc, envelope;
	unsigned int parts;
	uint8_t ref;
	const char *check, *expect_data;
	int expect_status;
};

static long unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (isspace((unsigned char)*s) || *s == ':')
			continue;
		if (!isxdigit((unsigned char)*s))
			return -1;
		v = isdigit((unsigned char)*s) ? *s - '0'
					       : tolower((unsigned char)*s) - 'a' + 10;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (long)n : -1;
}

static void print_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02X", p[i]);
	putchar('\n');
}

static bool fixed_hex(const char *s, uint8_t *out, size_t n)
{
	return unhex(s, out, n) == (long)n;
}

static bool key_hex(const char *s, uint8_t *out, size_t *len)
{
	long n = unhex(s, out, 32);

	if (n != 16 && n != 24 && n != 32)
		return false;
	*len = (size_t)n;
	return true;
}

static const EVP_CIPHER *aes_cbc(size_t key_len)
{
	return key_len == 16 ? EVP_aes_128_cbc() : key_len == 24 ?
	       EVP_aes_192_cbc() : EVP_aes_256_cbc();
}

static bool cbc(bool enc, const uint8_t *key, size_t key_len, uint8_t *buf,
		size_t len)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t iv[16] = { 0 }, out[MAXBUF + 16];
	int n1 = 0, n2 = 0;
	bool ok = ctx && len <= MAXBUF &&
		  EVP_CipherInit_ex(ctx, aes_cbc(key_len), NULL, key, iv,
				    enc) == 1 &&
		  EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
		  EVP_CipherUpdate(ctx, out, &n1, buf, (int)len) == 1 &&
		  EVP_CipherFinal_ex(ctx, out + n1, &n2) == 1 &&
		  (size_t)(n1 + n2) == len;

	if (ok)
		memcpy(buf, out, len);
	EVP_CIPHER_CTX_free(ctx);
	return ok;
}

static bool cmac(const uint8_t *key, size_t key_len, const uint8_t *data,
		 size_t len, uint8_t *mac, size_t mac_len)
{
	EVP_MAC *m = EVP_MAC_fetch(NULL, "CMAC", NULL);
	EVP_MAC_CTX *ctx = m ? EVP_MAC_CTX_new(m) : NULL;
	const char *name = key_len == 16 ? "AES-128-CBC" : key_len == 24 ?
			   "AES-192-CBC" : "AES-256-CBC";
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER,
						 (char *)name, 0),
		OSSL_PARAM_construct_end(),
	};
	uint8_t full[16];
	size_t n = 0;
	bool ok = ctx && EVP_MAC_init(ctx, key, key_len, params) == 1 &&
		  EVP_MAC_update(ctx, data, len) == 1 &&
		  EVP_MAC_final(ctx, full, &n, sizeof(full)) == 1 && n == 16;

	if (ok)
		memcpy(mac, full, mac_len);	/* leftmost bytes */
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(m);
	return ok;
}

/* CPL CHL SPI KIc KID TAR | CNTR PCNTR CC data pad */
static size_t command_packet(const struct opts *o, const uint8_t *data,
			     size_t dlen, uint8_t *out)
{
	bool ciph = o->spi[0] & 0x04, cc = (o->spi[0] & 3) == 2;
	size_t cc_len = cc ? o->cc_len : 0, pad = 0, plain, cpl;
	uint8_t *p = out;

	plain = 5 + 1 + cc_len + dlen;
	if (ciph && plain % 16)
		pad = 16 - plain % 16;
	cpl = 1 + 13 + cc_len + dlen + pad;
	if (cpl + 2 > MAXBUF)
		return 0;
	*p++ = (uint8_t)(cpl >> 8);
	*p++ = (uint8_t)cpl;
	*p++ = (uint8_t)(13 + cc_len);
	*p++ = o->spi[0];
	*p++ = o->spi[1];
	*p++ = o->kic;
	*p++ = o->kid;
	memcpy(p, o->tar, 3);
	p += 3;
	memcpy(p, o->cntr, 5);
	p += 5;
	*p++ = (uint8_t)pad;
	memcpy(p + cc_len, data, dlen);
	memset(p + cc_len + dlen, 0, pad);
	if (cc) {
		/* TS 31.115: CPL..PCNTR, then the data and padding. */
		uint8_t tmp[MAXBUF];
		size_t hl = (size_t)(p - out);

		memcpy(tmp, out, hl);
		memcpy(tmp + hl, p + cc_len, dlen + pad);
		if (!cmac(o->kid_key, o->kid_len, tmp, hl + dlen + pad, p,
			  cc_len))
			return 0;
		if (o->bad_cc)
			p[0] ^= 0x01;
	}
	if (ciph && !cbc(true, o->kic_key, o->kic_len, out + 10, plain + pad))
		return 0;
	return 2 + cpl;
}

/* One SMS-DELIVER: udh (IEs, without UDHL) then body. */
static size_t tpdu(const struct opts *o, const uint8_t *udh, size_t udh_len,
		   const uint8_t *cp, size_t cp_len, uint8_t *out)
{
	static const uint8_t scts[7] = { 0x62, 0x21, 0x30, 0x01, 0x00, 0x00,
					 0x00 };
	size_t digits = strlen(o->oa), n = 0;

	out[n++] = 0x40;			/* SMS-DELIVER, UDHI */
	out[n++] = (uint8_t)digits;
	out[n++] = 0x81;			/* unknown / ISDN */
	for (size_t i = 0; i < digits; i += 2) {
		uint8_t lo = (uint8_t)(o->oa[i] - '0');
		uint8_t hi = i + 1 < digits ? (uint8_t)(o->oa[i + 1] - '0')
					    : 0x0F;

		out[n++] = (uint8_t)(hi << 4 | lo);
	}
	out[n++] = o->pid;
	out[n++] = o->dcs;
	memcpy(out + n, scts, 7);
	n += 7;
	out[n++] = (uint8_t)(1 + udh_len + cp_len);	/* UDL */
	out[n++] = (uint8_t)udh_len;			/* UDHL */
	memcpy(out + n, udh, udh_len);
	n += udh_len;
	memcpy(out + n, cp, cp_len);
	return n + cp_len;
}

static size_t envelope(const uint8_t *t, size_t tlen, uint8_t *out)
{
	size_t body = 4 + 2 + (tlen > 127 ? 1 : 0) + tlen, n = 0;

	out[n++] = 0x80;
	out[n++] = 0xC2;
	out[n++] = 0x00;
	out[n++] = 0x00;
	out[n++] = (uint8_t)(2 + (body > 127 ? 1 : 0) + body);
	out[n++] = 0xD1;
	if (body > 127)
		out[n++] = 0x81;
	out[n++] = (uint8_t)body;
	out[n++] = 0x82;			/* devices: network -> UICC */
	out[n++] = 0x02;
	out[n++] = 0x83;
	out[n++] = 0x81;
	out[n++] = 0x8B;			/* SMS TPDU */
	if (tlen > 127)
		out[n++] = 0x81;
	out[n++] = (uint8_t)tlen;
	memcpy(out + n, t, tlen);
	n += tlen;
	out[n++] = 0x00;			/* Le */
	return n;
}

static int check_por(const struct opts *o)
{
	uint8_t buf[MAXBUF], exp[MAXBUF], mac[16];
	long n = unhex(o->check, buf, sizeof(buf));
	size_t len, rhl, rpl, cc_len, data_at, pcntr;
	bool ciph = o->spi[1] & 0x10, cc = ((o->spi[1] >> 2) & 3) == 2;

	if (n < 0)
		return 2;
	len = (size_t)n;
	/* An R-APDU ends in 90 00 / 91 xx; a bare PoR starts 02 71 00. */
	if (len >= 2 && (buf[len - 2] == 0x90 || buf[len - 2] == 0x91))
		len -= 2;
	if (len < 16 || buf[0] != 0x02 || buf[1] != 0x71 || buf[2] != 0x00) {
		fprintf(stderr, "not a response packet (UDH 02 71 00)\n");
		return 1;
	}
	rpl = (size_t)buf[3] << 8 | buf[4];
	rhl = buf[5];
	if (rpl != len - 5 || rhl < 10 || 1 + rhl > rpl) {
		fprintf(stderr, "RPL %zu / RHL %zu do not match %zu bytes\n",
			rpl, rhl, len);
		return 1;
	}
	cc_len = rhl - 10;
	/* A plain PoR (an error status) has no checksum even when the
	 * SPI asked for one, and is not ciphered. */
	if (ciph && cc_len && !cbc(false, o->kic_key, o->kic_len, buf + 9,
				   len - 9)) {
		fprintf(stderr, "PoR does not decipher\n");
		return 1;
	}
	pcntr = buf[14];
	data_at = 16 + cc_len;
	if (pcntr > len - data_at) {
		fprintf(stderr, "PCNTR %zu too big\n", pcntr);
		return 1;
	}
	if (cc && cc_len) {
		uint8_t tmp[MAXBUF];

		memcpy(tmp, buf, 16);
		memcpy(tmp + 16, buf + data_at, len - data_at);
		if (!cmac(o->kid_key, o->kid_len, tmp, 16 + len - data_at, mac,
			  cc_len) || memcmp(mac, buf + 16, cc_len)) {
			fprintf(stderr, "PoR checksum wrong\n");
			return 1;
		}
	}
	printf("status %02X tar %02X%02X%02X cntr %02X%02X%02X%02X%02X "
	       "cc %zu data ", buf[15], buf[6], buf[7], buf[8], buf[9],
	       buf[10], buf[11], buf[12], buf[13], cc_len);
	print_hex(buf + data_at, len - data_at - pcntr);
	if (o->expect_status >= 0 && buf[15] != o->expect_status) {
		fprintf(stderr, "status %02X, expected %02X\n", buf[15],
			o->expect_status);
		return 1;
	}
	if (o->expect_data) {
		long e = unhex(o->expect_data, exp, sizeof(exp));

		if (e < 0 || (size_t)e != len - data_at - pcntr ||
		    memcmp(exp, buf + data_at, (size_t)e)) {
			fprintf(stderr, "additional data differs\n");
			return 1;
		}
	}
	return 0;
}

static bool parse_counter(const char *s, uint8_t cntr[5])
{
	unsigned long long v;
	char *end;

	v = strtoull(s, &end, 0);
	if (*end || end == s || v > 0xFFFFFFFFFFull)
		return false;
	for (int i = 4; i >= 0; i--, v >>= 8)
		cntr[i] = (uint8_t)v;
	return true;
}

int main(int argc, char **argv)
{
	enum { O_SPI = 256, O_KIC, O_KID, O_TAR, O_CNTR, O_KICKEY, O_KIDKEY,
	       O_CCLEN, O_OA, O_PID, O_DCS, O_BADCC, O_TRUNC, O_ENV, O_CHECK,
	       O_XSTATUS, O_XDATA, O_PARTS, O_REF };
	static const struct option lo[] = {
		{ "spi", 1, NULL, O_SPI }, { "kic", 1, NULL, O_KIC },
		{ "kid", 1, NULL, O_KID }, { "tar", 1, NULL, O_TAR },
		{ "counter", 1, NULL, O_CNTR },
		{ "kic-key", 1, NULL, O_KICKEY },
		{ "kid-key", 1, NULL, O_KIDKEY },
		{ "cc-len", 1, NULL, O_CCLEN }, { "oa", 1, NULL, O_OA },
		{ "pid", 1, NULL, O_PID }, { "dcs", 1, NULL, O_DCS },
		{ "bad-cc", 0, NULL, O_BADCC },
		{ "truncate", 1, NULL, O_TRUNC },
		{ "envelope", 0, NULL, O_ENV },
		{ "check-por", 1, NULL, O_CHECK },
		{ "parts", 1, NULL, O_PARTS }, { "ref", 1, NULL, O_REF },
		{ "expect-status", 1, NULL, O_XSTATUS },
		{ "expect-data", 1, NULL, O_XDATA },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .spi = { 0x16, 0x19 }, .kic = 0x12, .kid = 0x12,
			  .cntr = { 0, 0, 0, 0, 1 }, .cc_len = 8, .oa = "1234",
			  .pid = 0x7F, .dcs = 0xF6, .expect_status = -1,
			  .parts = 1, .ref = 0x42 };
	uint8_t data[MAXBUF], cp[MAXBUF + 64], t[MAXBUF], env[MAXBUF];
	long dlen = 0;
	size_t cpl, tl;
	int c;
	bool ok = true;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case O_SPI: ok = fixed_hex(optarg, o.spi, 2); break;
		case O_KIC: ok = fixed_hex(optarg, &o.kic, 1); break;
		case O_KID: ok = fixed_hex(optarg, &o.kid, 1); break;
		case O_TAR: ok = fixed_hex(optarg, o.tar, 3); break;
		case O_CNTR: ok = parse_counter(optarg, o.cntr); break;
		case O_KICKEY: ok = key_hex(optarg, o.kic_key, &o.kic_len); break;
		case O_KIDKEY: ok = key_hex(optarg, o.kid_key, &o.kid_len); break;
		case O_CCLEN:
			o.cc_len = strtoul(optarg, NULL, 10);
			ok = o.cc_len >= 1 && o.cc_len <= 16;
			break;
		case O_OA:
			o.oa = optarg;
			ok = strlen(optarg) <= 20 &&
			     strspn(optarg, "0123456789") == strlen(optarg);
			break;
		case O_PID: ok = fixed_hex(optarg, &o.pid, 1); break;
		case O_DCS: ok = fixed_hex(optarg, &o.dcs, 1); break;
		case O_BADCC: o.bad_cc = true; break;
		case O_TRUNC: o.truncate = strtoul(optarg, NULL, 10); break;
		case O_ENV: o.envelope = true; break;
		case O_CHECK: o.check = optarg; break;
		case O_XSTATUS: {
			uint8_t s;

			ok = fixed_hex(optarg, &s, 1);
			o.expect_status = s;
			break;
		}
		case O_XDATA: o.expect_data = optarg; break;
		case O_PARTS:
			o.parts = (unsigned int)strtoul(optarg, NULL, 10);
			ok = o.parts >= 1 && o.parts <= 255;
			break;
		case O_REF: ok = fixed_hex(optarg, &o.ref, 1); break;
		default: ok = false;
		}
		if (!ok) {
			fprintf(stderr, "scws-ota-sms: bad option (see the "
				"comment at the top of scws-ota-sms.c)\n");
			return 2;
		}
	}
	if ((((o.spi[0] | o.spi[1]) & 0x14) && !o.kic_len) ||
	    (((o.spi[0] & 3) == 2 || ((o.spi[1] >> 2) & 3) == 2) &&
	     !o.kid_len)) {
		fprintf(stderr, "scws-ota-sms: the SPI needs --kic-key/--kid-key\n");
		return 2;
	}
	if (o.check)
		return check_por(&o);
	if (optind < argc && (dlen = unhex(argv[optind], data, 900)) < 0) {
		fprintf(stderr, "scws-ota-sms: DATA is not hex\n");
		return 2;
	}
	cpl = command_packet(&o, data, (size_t)dlen, cp);
	if (!cpl) {
		fprintf(stderr, "scws-ota-sms: crypto failed\n");
		return 1;
	}
	cpl = o.truncate < cpl ? cpl - o.truncate : 0;
	/* Even parts; part 1's UDH also holds IEI 70. */
	size_t chunk = (cpl + o.parts - 1) / o.parts, at = 0;

	for (unsigned int i = 1; i <= o.parts; i++) {
		uint8_t udh[8];
		size_t ul = 0, take = cpl - at < chunk ? cpl - at : chunk;

		if (o.parts > 1) {
			udh[ul++] = 0x00;
			udh[ul++] = 0x03;
			udh[ul++] = o.ref;
			udh[ul++] = (uint8_t)o.parts;
			udh[ul++] = (uint8_t)i;
		}
		if (i == 1) {
			udh[ul++] = 0x70;
			udh[ul++] = 0x00;
		}
		if (1 + ul + take > 140) {
			fprintf(stderr, "scws-ota-sms: %zu bytes do not fit "
				"one SMS (try --parts)\n", 1 + ul + take);
			return 2;
		}
		tl = tpdu(&o, udh, ul, cp + at, take, t);
		at += take;
		if (o.envelope)
			print_hex(env, envelope(t, tl, env));
		else
			print_hex(t, tl);
	}
	return 0;
}
