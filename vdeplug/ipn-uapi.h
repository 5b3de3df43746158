/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The numbers of the AF_IPN user API that libvdeplug_ipn uses.
 *
 * <linux/ipn.h> is used when the system has it.  Until distributions
 * ship it, each name falls back to its value here, which must stay equal
 * to the kernel's include/uapi/linux/ipn.h and include/linux/socket.h:
 * "make -C vdeplug check-uapi" compares them.  Define IPN_UAPI_FALLBACK
 * to ignore the system header (the check does).
 */
#ifndef VDEPLUG_IPN_UAPI_H
#define VDEPLUG_IPN_UAPI_H

#include <sys/socket.h>

#if !defined(IPN_UAPI_FALLBACK) && defined(__has_include)
#if __has_include(<linux/ipn.h>)
#include <linux/ipn.h>
#endif
#endif

/* The family and the level come from the C library, as for every family */
#ifndef AF_IPN
#define AF_IPN			46
#endif
#ifndef SOL_IPN
#define SOL_IPN			288
#endif

/* Policies: the protocol argument of socket(AF_IPN, SOCK_RAW, protocol) */
#ifndef IPN_ANY
#define IPN_ANY			0
#endif
#ifndef IPN_BROADCAST
#define IPN_BROADCAST		1
#endif
#ifndef IPN_VDESWITCH
#define IPN_VDESWITCH		2
#endif

#ifndef IPN_PORTNO_ANY
#define IPN_PORTNO_ANY		-1
#endif
#ifndef IPN_DESCRLEN
#define IPN_DESCRLEN		128
#endif

/* Socket options, level SOL_IPN */
#ifndef IPN_SO_PORT
#define IPN_SO_PORT		0
#endif
#ifndef IPN_SO_DESCR
#define IPN_SO_DESCR		1
#endif
#ifndef IPN_SO_MTU
#define IPN_SO_MTU		0x80
#endif
#ifndef IPN_SO_NUMNODES
#define IPN_SO_NUMNODES		0x81
#endif
#ifndef IPN_SO_FLAGS
#define IPN_SO_FLAGS		0x83
#endif
#ifndef IPN_SO_MODE
#define IPN_SO_MODE		0x84
#endif

/* IPN_SO_FLAGS */
#ifndef IPN_FLAG_LOSSLESS
#define IPN_FLAG_LOSSLESS	0x1
#endif

#endif /* VDEPLUG_IPN_UAPI_H */
