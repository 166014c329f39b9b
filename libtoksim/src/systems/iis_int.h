/*
 * PURPOSE: what the IIS request code (iis_request.c) needs from the pool code (iis.c).
 */
#ifndef TOKSIM_IIS_INT_H
#define TOKSIM_IIS_INT_H

#include "internal.h"

/** The w3wp process of a started pool, NULL when stopped (borrowed). */
toksim_process *ts_iis_pool_process(const toksim_iis_pool *pool);
/** IIS APPPOOL\<name> (borrowed). */
const toksim_sid *ts_iis_pool_sid(const toksim_iis_pool *pool);

#endif
