/* ops_web — /healthz and /metrics (Prometheus text); the server records each answer. */
#ifndef DJ_OPS_WEB_H
#define DJ_OPS_WEB_H
#include <stdint.h>

#include "server.h"

void metrics_record(int route_index, int status, uint64_t micros);
int server_inflight(void);

#endif
