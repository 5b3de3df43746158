/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the guest programs need of <linux/ipn.h>, for C libraries and
 * kernel headers that do not have AF_IPN yet.  IPN_SO_STATS is left
 * out on purpose: ipn-demo uses it to tell whether the header exists.
 */
#ifndef IPN_COMPAT_H
#define IPN_COMPAT_H

#include <linux/sockios.h>
#if __has_include(<linux/ipn.h>)
#include <linux/ipn.h>
#endif

#ifndef AF_IPN
#define AF_IPN 46
#endif
#ifndef SOL_IPN
#define SOL_IPN 288
#endif
#ifndef IPN_BROADCAST
#define IPN_BROADCAST 1
#endif
#ifndef IPN_VDESWITCH
#define IPN_VDESWITCH 2
#endif
#ifndef IPN_SO_NUMNODES
#define IPN_SO_NUMNODES 0x81
#endif
#ifndef IPN_SO_MSGPOOLSIZE
#define IPN_SO_MSGPOOLSIZE 0x82
#endif
#ifndef IPN_SO_FLAGS
#define IPN_SO_FLAGS 0x83
#endif
#ifndef IPN_FLAG_LOSSLESS
#define IPN_FLAG_LOSSLESS 1
#endif
#ifndef IPN_CONN_NETDEV
#define IPN_CONN_NETDEV (SIOCPROTOPRIVATE + 0)
#endif
#ifndef IPN_NODEFLAG_GRAB
#define IPN_NODEFLAG_GRAB 0x20
#endif

#endif /* IPN_COMPAT_H */
