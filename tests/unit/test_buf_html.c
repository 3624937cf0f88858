/* Unit tests: buf, html_printf (escaping by construction), url_encode. */
#include <criterion/criterion.h>
#include <string.h>

#include "buf.h"
#include "html.h"

Test(buf, grows_and_detaches)
{
	buf b = {0};
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	cr_assert(b.len > 3000);
	cr_assert_eq(strncmp(b.p, "0,1,2,", 6), 0);
	char *p = buf_detach(&b);
	cr_assert_null(b.p);
	cr_assert_eq(b.len, 0);
	free(p);
	cr_assert_str_eq(buf_str(&b), "");
}

Test(html, escapes_every_string_argument)
{
	buf b = {0};
	html_printf(&b, "<a href=\"/x?q=%s\">%s</a>", "\"><script>", "<b>&'");
	cr_assert_str_eq(b.p, "<a href=\"/x?q=&quot;&gt;&lt;script&gt;\">&lt;b&gt;&amp;&#39;</a>");
	buf_free(&b);
}

Test(html, formats_numbers_and_precision)
{
	buf b = {0};
	html_printf(&b, "%d|%lld|%5.2f|%.3s|%zu|%%|%x|%*d", -7, 1234567890123LL, 3.14159, "abcdef", (size_t)42, 255, 4, 7);
	cr_assert_str_eq(b.p, "-7|1234567890123| 3.14|abc|42|%|ff|   7");
	buf_free(&b);
}

Test(html, null_string_is_empty)
{
	buf b = {0};
	const char *volatile none = NULL; /* hidden from the compiler's format check */
	html_printf(&b, "[%s]", none);
	cr_assert_str_eq(b.p, "[]");
	buf_free(&b);
}

Test(html, precision_never_splits_an_escape)
{
	buf b = {0};
	html_printf(&b, "%.2s", "<<<<");
	cr_assert_str_eq(b.p, "&lt;&lt;");
	buf_free(&b);
}

Test(html, url_encode_keeps_unreserved)
{
	buf b = {0};
	url_encode(&b, "a b/党?&=~");
	cr_assert_str_eq(b.p, "a%20b%2F%E5%85%9A%3F%26%3D~");
	buf_free(&b);
}
