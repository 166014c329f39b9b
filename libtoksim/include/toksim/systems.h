/*
 * PURPOSE: umbrella of the systems layer: findings (findings.h), the Service Control
 * Manager (scm.h), IIS application pools and requests (iis.h), COM calls and WMI
 * providers (wmi.h), ISAPI extensions of the IIS 5/6 model (isapi.h). Each operation
 * takes the world it runs in, returns a result struct (what Windows would answer:
 * Win32/NTSTATUS/HRESULT/HTTP/WBEM codes, levels, findings) and appends its decisions to
 * a caller's toksim_trace.
 */
#ifndef TOKSIM_SYSTEMS_H
#define TOKSIM_SYSTEMS_H

#include "findings.h"
#include "scm.h"
#include "iis.h"
#include "wmi.h"
#include "isapi.h"
#include "com_activation.h"
#include "potato.h"

#endif
