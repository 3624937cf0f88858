/* Unit tests: the parsers of untrusted input (urlencoded forms, routes) and small validators. */
#include <criterion/criterion.h>
#include <string.h>

#include "server.h"
#include "util.h"

Test(form, decodes_pairs_plus_and_percent)
{
	kvlist l = {0};
	cr_assert(form_urldecode("a=1&b=x+y&c=%E5%85%9A&d=&e", 27, &l));
	cr_assert_eq(l.n, 5);
	cr_assert_str_eq(kvlist_get(&l, "a")->val, "1");
	cr_assert_str_eq(kvlist_get(&l, "b")->val, "x y");
	cr_assert_str_eq(kvlist_get(&l, "c")->val, "党");
	cr_assert_str_eq(kvlist_get(&l, "d")->val, "");
	cr_assert_str_eq(kvlist_get(&l, "e")->val, "");
	kvlist_free(&l);
}

Test(form, refuses_broken_escapes)
{
	const char *bad[] = {"a=%", "a=%4", "a=%zz", "%=1", "a=1&b=%G0"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		kvlist l = {0};
		cr_assert_not(form_urldecode(bad[i], strlen(bad[i]), &l), "%s", bad[i]);
		kvlist_free(&l);
	}
}

Test(form, keeps_nul_bytes_counted)
{
	kvlist l = {0};
	cr_assert(form_urldecode("a=x%00y", 7, &l));
	cr_assert_eq(kvlist_get(&l, "a")->len, 3);
	kvlist_free(&l);
}

Test(route, matches_parameters_and_wildcards)
{
	kvlist p = {0};
	cr_assert(route_match("/orgs/:id", "/orgs/42", &p));
	cr_assert_str_eq(kvlist_get(&p, "id")->val, "42");
	kvlist_free(&p);
	cr_assert_not(route_match("/orgs/:id", "/orgs/", NULL));
	cr_assert_not(route_match("/orgs/:id", "/orgs/1/x", NULL));
	cr_assert_not(route_match("/orgs", "/orgs/1", NULL));
	cr_assert(route_match("/static/*", "/static/app.css", NULL));
	cr_assert(route_match("/a/:x/b/:y", "/a/1/b/2", &p));
	cr_assert_str_eq(kvlist_get(&p, "y")->val, "2");
	kvlist_free(&p);
}

Test(util, parse_id_accepts_only_positive_decimals)
{
	cr_assert_eq(parse_id("17"), 17);
	cr_assert_eq(parse_id("0"), 0);
	cr_assert_eq(parse_id("-1"), 0);
	cr_assert_eq(parse_id("1e3"), 0);
	cr_assert_eq(parse_id(""), 0);
	cr_assert_eq(parse_id(NULL), 0);
	cr_assert_eq(parse_id("9999999999999999999999"), 0);
}

Test(util, utf8_validation)
{
	cr_assert(utf8_valid("党建 abc\n"));
	cr_assert_not(utf8_valid("\xff"));
	cr_assert_not(utf8_valid("\xc0\xaf"));     /* overlong '/' */
	cr_assert_not(utf8_valid("\xed\xa0\x80")); /* surrogate */
	cr_assert_not(utf8_valid("a\x01"));        /* control */
	cr_assert_not(utf8_valid("\xe5\x85"));     /* truncated */
	cr_assert_eq(utf8_len("党建ab"), 4);
}

Test(util, trim)
{
	char s[] = "  \t 张三 \r\n";
	cr_assert_str_eq(str_trim(s), "张三");
}

Test(util, str_copy_cuts_at_a_character)
{
	char d[8];
	str_copy(d, sizeof d, "党建ab");
	cr_assert_str_eq(d, "党建a"); /* 7 bytes fit */
	str_copy(d, 7, "党建ab");
	cr_assert_str_eq(d, "党建");
	str_copy(d, 6, "党建ab"); /* 5 bytes: 建 would be cut, so it goes */
	cr_assert_str_eq(d, "党");
	str_copy(d, sizeof d, NULL);
	cr_assert_str_eq(d, "");
	str_copy(d, 1, "abc");
	cr_assert_str_eq(d, "");
	str_copy(d, sizeof d, "abc");
	cr_assert_str_eq(d, "abc");
}

Test(util, shanghai_time)
{
	char t[20];
	fmt_time(0, t);
	cr_assert_str_eq(t, "1970-01-01 08:00");
}
