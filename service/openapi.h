/* SPDX-License-Identifier: Apache-2.0 */
/*
 * openapi.h: docs/openapi.yaml, embedded at build time (gen-openapi.py
 * writes openapi.c), served as GET /api/openapi.yaml.
 */
#ifndef LXKNS_SERVICE_OPENAPI_H
#define LXKNS_SERVICE_OPENAPI_H

#include <stddef.h>

extern const unsigned char openapi_yaml[];
extern const size_t openapi_yaml_len;

#endif
