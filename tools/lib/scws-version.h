/* SPDX-License-Identifier: GPL-2.0 */
/* The project's version, one place for every tool and the Makefile's
 * install (debian/changelog names it too). */
#ifndef SCWS_VERSION_H
#define SCWS_VERSION_H
#define SCWS_VERSION "0.1"
#endif
