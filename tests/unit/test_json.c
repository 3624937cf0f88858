/* Unit tests: the streaming JSON writer. */
#include <criterion/criterion.h>
#include <jansson.h>

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
