// SPDX-License-Identifier: GPL-2.0
/*
 * HTTP-date (RFC 9110 5.6.7): written as IMF-fixdate only, read in all
 * three forms a recipient must accept:
 *   IMF-fixdate  "Sun, 06 Nov 1994 08:49:37 GMT"
 *   RFC 850      "Sunday, 06-Nov-94 08:49:37 GMT"
 *   asctime      "Sun Nov  6 08:49:37 1994"
 * By hand rather than strftime/strptime: those follow the locale, and the
 * wire format does not.  Days are counted on the proleptic Gregorian
 * calendar from 1970-01-01 (a Thursday).
 */
#include <string.h>

#include "card.h"
#include "http.h"

static const char days[7][4] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
};
static const char *const long_days[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday",
};
static const char months[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* Days from 1970-01-01 to y-m-d (m 1..12); March-based years put the leap
 * day last, so one formula covers every month. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static bool leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

void http_date_format(int64_t t, char *out)
{
	int64_t day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int64_t sec = t - day * 86400, y;
	int m, d;

	civil_from_days(day, &y, &m, &d);
	if (y < 0 || y > 9999) {	/* not representable: the epoch */
		http_date_format(0, out);
		return;
	}
	/* 29 characters and the NUL, by construction. */
	memcpy(out, days[((day % 7) + 11) % 7], 3);
	out[3] = ',';
	out[4] = ' ';
	out[5] = (char)('0' + d / 10);
	out[6] = (char)('0' + d % 10);
	out[7] = ' ';
	memcpy(out + 8, months[m - 1], 3);
	out[11] = ' ';
	out[12] = (char)('0' + y / 1000);
	out[13] = (char)('0' + y / 100 % 10);
	out[14] = (char)('0' + y / 10 % 10);
	out[15] = (char)('0' + y % 10);
	out[16] = ' ';
	out[17] = (char)('0' + sec / 36000);
	out[18] = (char)('0' + sec / 3600 % 10);
	out[19] = ':';
	out[20] = (char)('0' + sec % 3600 / 600);
	out[21] = (char)('0' + sec % 3600 / 60 % 10);
	out[22] = ':';
	out[23] = (char)('0' + sec % 60 / 10);
	out[24] = (char)('0' + sec % 10);
	memcpy(out + 25, " GMT", 5);
}

/* n digits at *s (a leading space allowed with space_ok), advancing. */
static bool digits(const char **s, int n, bool space_ok, int64_t *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*s)[i];

		if (c == ' ' && space_ok && i == 0 && n > 1)
			continue;
		if (c < '0' || c > '9')
			return false;
		*v = *v * 10 + (c - '0');
	}
	*s += n;
	return true;
}

static bool lit(const char **s, const char *want)
{
	size_t n = strlen(want);

	if (strncmp(*s, want, n))
		return false;
	*s += n;
	return true;
}

static bool month(const char **s, int *m)
{
	for (int i = 0; i < 12; i++)
		if (!strncmp(*s, months[i], 3)) {
			*m = i + 1;
			*s += 3;
			return true;
		}
	return false;
}

/* "HH:MM:SS" (a leap second's :60 accepted, as 59). */
static bool clock_time(const char **s, int64_t *secs)
{
	int64_t h, m, sec;

	if (!digits(s, 2, false, &h) || !lit(s, ":") ||
	    !digits(s, 2, false, &m) || !lit(s, ":") ||
	    !digits(s, 2, false, &sec) || h > 23 || m > 59 || sec > 60)
		return false;
	*secs = h * 3600 + m * 60 + (sec == 60 ? 59 : sec);
	return true;
}

/* RFC 850's two-digit year: the one not more than 50 years ahead. */
static int64_t full_year(int64_t yy)
{
	int64_t now = card_clock_now(), cur, y;
	int m, d;

	if (now > 0)
		civil_from_days(now / 86400, &cur, &m, &d);
	else
		cur = 2000;
	y = cur - cur % 100 + yy;
	return y > cur + 50 ? y - 100 : y;
}

bool http_date_parse(const char *s, int64_t *t)
{
	int64_t y, d, secs;
	int m = 0, wd;
	size_t n;

	for (wd = 0; wd < 7; wd++)
		if (!strncmp(s, days[wd], 3))
			break;
	if (wd == 7)
		return false;
	n = strlen(long_days[wd]);
	if (s[3] == ',') {			/* IMF-fixdate */
		s += 4;
		if (!lit(&s, " ") || !digits(&s, 2, false, &d) ||
		    !lit(&s, " ") || !month(&s, &m) || !lit(&s, " ") ||
		    !digits(&s, 4, false, &y) || !lit(&s, " ") ||
		    !clock_time(&s, &secs) || !lit(&s, " GMT"))
			return false;
	} else if (!strncmp(s, long_days[wd], n) && s[n] == ',') {
		s += n + 1;			/* RFC 850 */
		if (!lit(&s, " ") || !digits(&s, 2, false, &d) ||
		    !lit(&s, "-") || !month(&s, &m) || !lit(&s, "-") ||
		    !digits(&s, 2, false, &y) || !lit(&s, " ") ||
		    !clock_time(&s, &secs) || !lit(&s, " GMT"))
			return false;
		y = full_year(y);
	} else if (s[3] == ' ') {		/* asctime */
		s += 4;
		if (!month(&s, &m) || !lit(&s, " ") ||
		    !digits(&s, 2, true, &d) || !lit(&s, " ") ||
		    !clock_time(&s, &secs) || !lit(&s, " ") ||
		    !digits(&s, 4, false, &y))
			return false;
	} else {
		return false;
	}
	if (*s || d < 1 || d > 31 ||
	    d > (m == 2 ? 28 + leap(y) : 30 + ((m + (m > 7)) & 1)))
		return false;
	*t = days_from_civil(y, m, (int)d) * 86400 + secs;
	return true;
}
