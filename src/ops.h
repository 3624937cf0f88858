/* ops — /healthz and /metrics (Prometheus text). */
#ifndef DJ_OPS_H
#define DJ_OPS_H
#include <stdint.h>

#include "server.h"

void metrics_record(int route_index, int status, uint64_t micros);
int server_inflight(void);
void ops_healthz(req *r);
void ops_metrics(req *r);

#endif
