/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-curl-load.c: how the container transport finds libcurl
 * (ct_curl_load in lib/containers/http.c). Run with LD_LIBRARY_PATH set to
 * a directory holding the stubs libcurl-gnutls.so.4 and libcurl-partial.so.4
 * (tests/unit/curl-stub.c), which the loader finds there before any real
 * libcurl of the host.
 *
 * usage: test-curl-load STUBDIR
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>

#include "containers/containers-internal.h"
#include "tap.h"

static const char *flavour(void *h)
{
	const char *(*fn)(void);
	*(void **)&fn = dlsym(h, "lxkns_curl_stub_flavour");
	return fn ? fn() : "(not a stub)";
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test-curl-load STUBDIR\n");
		return 2;
	}
	char partial[4096];
	snprintf(partial, sizeof(partial), "%s/libcurl-partial.so.4", argv[1]);

	/* the order is the OpenSSL flavour, then the GnuTLS one */
	CHECK_STR(ct_curl_sonames[0], "libcurl.so.4", "first soname");
	CHECK_STR(ct_curl_sonames[1], "libcurl-gnutls.so.4", "fallback soname");
	CHECK(ct_curl_sonames[2] == NULL, "two sonames");

	/* libcurl.so.4 missing: the GnuTLS flavour is loaded (the stub, by its
	 * soname through LD_LIBRARY_PATH) */
	const char *missing_first[] = { "libcurl-lxkns-test-missing.so.4", ct_curl_sonames[1],
					NULL };
	void *h = NULL;
	CHECK_INT(ct_curl_load(missing_first, &h), 1, "missing first: the fallback's index");
	CHECK(h != NULL, "missing first: a handle");
	if (h)
		CHECK_STR(flavour(h), "gnutls", "missing first: the GnuTLS stub");

	/* a library that opens but lacks functions is passed over */
	const char *partial_first[] = { partial, ct_curl_sonames[1], NULL };
	h = NULL;
	CHECK_INT(ct_curl_load(partial_first, &h), 1, "incomplete first: the fallback's index");
	if (h)
		CHECK_STR(flavour(h), "gnutls", "incomplete first: the GnuTLS stub");

	/* nothing usable: -ELIBACC, what engines then report */
	const char *none[] = { "libcurl-lxkns-test-missing.so.4", partial, NULL };
	CHECK_INT(ct_curl_load(none, NULL), -ELIBACC, "none usable");
	const char *empty[] = { NULL };
	CHECK_INT(ct_curl_load(empty, NULL), -ELIBACC, "empty list");

	/* the real list: libcurl.so.4 where the host has it (not a stub),
	 * else the GnuTLS stub */
	void *real = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	h = NULL;
	int got = ct_curl_load(ct_curl_sonames, &h);
	CHECK_INT(got, real ? 0 : 1, "the real list");
	if (h)
		CHECK_STR(flavour(h), real ? "(not a stub)" : "gnutls",
			  "the real list: which library");
	if (real)
		dlclose(real);

	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
