/* Unit tests: the streaming JSON writer. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "json.h"

Test(json, nested_objects_and_arrays)
{
	buf b = {0};
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_kint(&w, "n", -3);
	jw_kstr(&w, "s", "党建\"\\\n<");
	jw_key(&w, "a");
	jw_arr(&w);
	jw_int(&w, 1);
	jw_str(&w, NULL);
	jw_bool(&w, true);
	jw_obj(&w);
	jw_end(&w);
	jw_aend(&w);
	jw_kbool(&w, "f", false);
	jw_end(&w);
	cr_assert_str_eq(b.p, "{\"n\":-3,\"s\":\"党建\\\"\\\\\\n\\u003c\",\"a\":[1,null,true,{}],\"f\":false}");
	/* and an independent parser agrees */
	json_error_t e;
	json_t *j = json_loads(b.p, JSON_REJECT_DUPLICATES, &e);
	cr_assert_not_null(j, "%s", e.text);
	cr_assert_str_eq(json_string_value(json_object_get(j, "s")), "党建\"\\\n<");
	json_decref(j);
	buf_free(&b);
}

Test(json, control_characters_are_escaped)
{
	buf b = {0};
	json_escape(&b, "\x01\t");
	cr_assert_str_eq(b.p, "\"\\u0001\\t\"");
	buf_free(&b);
}

/* The fast paths (issue 9 §2): a string with nothing to escape copied at
 * once, into an empty buffer and across a growth; the digits by hand for
 * every int64, the extremes included — each as printf would write them. */
Test(json, plain_strings_and_every_integer_as_printf_writes_them)
{
	buf b = {0};
	json_escape(&b, "");
	cr_assert_str_eq(b.p, "\"\"");
	buf_reset(&b);
	char big[1000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	jw w;
	jw_init(&w, &b);
	jw_arr(&w);
	for (int i = 0; i < 3; i++)
		jw_str(&w, big);
	const int64_t ints[] = {0, 7, -1, 10, -10, 1234567890123LL, INT64_MAX, INT64_MIN};
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
		jw_int(&w, ints[i]);
	jw_aend(&w);
	buf want = {0};
	buf_putc(&want, '[');
	for (int i = 0; i < 3; i++)
		buf_printf(&want, "\"%s\",", big);
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
		buf_printf(&want, i ? ",%lld" : "%lld", (long long)ints[i]);
	buf_putc(&want, ']');
	cr_assert_str_eq(b.p, want.p);
	cr_assert_eq(b.len, strlen(b.p), "the length is the string's");
	buf_free(&b);
	buf_free(&want);
}
