/* SPDX-License-Identifier: Apache-2.0 */
/*
 * curl-stub.c: a stand-in for libcurl in tests/unit/test-curl-load.c, built
 * as libcurl-gnutls.so.4 (every function the transport binds) and as
 * libcurl-partial.so.4 (STUB_PARTIAL: curl_global_init only). None of them
 * is ever called but lxkns_curl_stub_flavour(), which names the build.
 */
#define STUB(name)                                                                                 \
	int name(void);                                                                            \
	int name(void)                                                                             \
	{                                                                                          \
		return 0;                                                                          \
	}

const char *lxkns_curl_stub_flavour(void);
const char *lxkns_curl_stub_flavour(void)
{
	return STUB_FLAVOUR;
}

STUB(curl_global_init)
#ifndef STUB_PARTIAL
STUB(curl_easy_init)
STUB(curl_easy_cleanup)
STUB(curl_easy_setopt)
STUB(curl_easy_getinfo)
STUB(curl_easy_perform)
STUB(curl_easy_strerror)
STUB(curl_multi_init)
STUB(curl_multi_cleanup)
STUB(curl_multi_add_handle)
STUB(curl_multi_remove_handle)
STUB(curl_multi_setopt)
STUB(curl_multi_perform)
STUB(curl_multi_poll)
STUB(curl_multi_wakeup)
STUB(curl_multi_info_read)
STUB(curl_multi_strerror)
STUB(curl_slist_append)
STUB(curl_slist_free_all)
#endif
