/*
 * test_stacks.c - the declared stacks (stacks.c): where an output may go, how
 * two spellings of one path compare, and which stacks hold a file, however
 * it is spelled, in the order the stacks were declared.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/stacks.c"

static void test_stays_below(void **state)
{
	(void)state;
	assert_true(stays_below("manifests/prod.yaml"));
	assert_true(stays_below("a/../b.yaml"));
	assert_true(stays_below("./a//b.yaml"));
	assert_false(stays_below("../b.yaml"));
	assert_false(stays_below("a/../../b.yaml"));
	assert_false(stays_below("/etc/passwd"));
	assert_false(stays_below("."));
	assert_false(stays_below("a/.."));
	assert_false(stays_below(""));
}

static void test_lexically_clean(void **state)
{
	(void)state;
	struct arena arena;
	arena_init(&arena);
	assert_string_equal(lexically_clean(&arena, "manifests/./policy.yaml"),
			    "manifests/policy.yaml");
	assert_string_equal(lexically_clean(&arena, "manifests//policy.yaml"),
			    "manifests/policy.yaml");
	assert_string_equal(lexically_clean(&arena, "a/b/../policy.yaml"), "a/policy.yaml");
	assert_string_equal(lexically_clean(&arena, "../../x/y.yaml"), "../../x/y.yaml");
	assert_string_equal(lexically_clean(&arena, "../a/../x.yaml"), "../x.yaml");
	assert_string_equal(lexically_clean(&arena, "/srv/./repo/x.yaml"), "/srv/repo/x.yaml");
	arena_free(&arena);
}

/* A folder of files to declare stacks over, made fresh for each test. */
static int make_files(void **state)
{
	char *dir = strdup("/tmp/test_stacks.XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(mkdir("values", 0700), 0);
	const char *names[] = { "values/common.yaml", "values/prod.yaml", "values/dev.yaml" };
	for (size_t i = 0; i < 3; i++) {
		FILE *f = fopen(names[i], "w");
		assert_non_null(f);
		fputs("x: 1\n", f);
		fclose(f);
	}
	*state = dir;
	return 0;
}

static int remove_files(void **state)
{
	char *dir = *state;
	unlink("values/common.yaml");
	unlink("values/prod.yaml");
	unlink("values/dev.yaml");
	rmdir("values");
	assert_int_equal(chdir("/"), 0);
	rmdir(dir);
	free(dir);
	return 0;
}

static struct config_text text(const char *s, unsigned line)
{
	struct config_text t = { s, mark_at(".dkfpolicy.yaml", line, 5) };
	return t;
}

/* A stack named name over values[0..count). */
static struct config_stack stack_of(const char *name, unsigned line, struct config_text *values,
				    size_t count)
{
	struct config_stack s;
	memset(&s, 0, sizeof(s));
	s.at = mark_at(".dkfpolicy.yaml", line, 5);
	s.name = text(name, line);
	s.values = values;
	s.value_count = count;
	s.has_values = true;
	return s;
}

static void test_holders_of_a_shared_base(void **state)
{
	(void)state;
	struct arena arena;
	arena_init(&arena);
	struct diag_list diags;
	diag_list_init(&diags, &arena);
	struct config_text prod[] = { text("values/common.yaml", 3), text("values/prod.yaml", 3) };
	struct config_text dev[] = { text("./values/common.yaml", 5), text("values/dev.yaml", 5) };
	struct config_text qa[] = { text("values/common.yaml", 7) };
	struct config_stack stacks[] = { stack_of("prod", 2, prod, 2), stack_of("dev", 4, dev, 2),
					 stack_of("qa", 6, qa, 1) };
	struct dkf_config config;
	memset(&config, 0, sizeof(config));
	config.path = ".dkfpolicy.yaml";
	config.stacks = stacks;
	config.stack_count = 3;
	struct stack_decls decls;
	stacks_resolve(&config, &arena, &diags, &decls);
	assert_int_equal(diags.count, 0);
	assert_int_equal(decls.count, 3);
	assert_string_equal(decls.folder, ".");
	/* "./" says nothing */
	assert_string_equal(decls.items[1].values[0], "values/common.yaml");

	/* the base is in every stack, found from any spelling, each stack once */
	struct file_id id;
	assert_true(stacks_file_id("values/../values/common.yaml", &id));
	bool seen[3] = { false, false, false };
	size_t count = 0;
	for (const struct stack_holder *h = stacks_first_holder(&decls, &id); h;
	     h = stacks_next_holder(&decls, h)) {
		assert_false(seen[h->stack]);
		seen[h->stack] = true;
		assert_int_equal(h->layer, 0);
		count++;
	}
	assert_int_equal(count, 3);
	/* an overlay only in its own */
	assert_true(stacks_file_id("values/dev.yaml", &id));
	const struct stack_holder *h = stacks_first_holder(&decls, &id);
	assert_non_null(h);
	assert_int_equal(h->stack, 1);
	assert_int_equal(h->layer, 1);
	assert_null(stacks_next_holder(&decls, h));

	/* an Application's values file, learnt later */
	assert_true(stacks_file_id("values/prod.yaml", &id));
	stacks_add_application_file(&decls, 2, &id, &arena);
	count = 0;
	for (h = stacks_first_holder(&decls, &id); h; h = stacks_next_holder(&decls, h))
		count++;
	assert_int_equal(count, 2);
	stacks_release(&decls);
	diag_list_release(&diags);
	arena_free(&arena);
}

static void test_bad_entries(void **state)
{
	(void)state;
	struct arena arena;
	arena_init(&arena);
	struct diag_list diags;
	diag_list_init(&diags, &arena);
	struct config_text twice[] = { text("values/common.yaml", 3), text("values/prod.yaml", 3),
				       text("values/./common.yaml", 3) };
	struct config_text missing[] = { text("values/nope.yaml", 5) };
	struct config_text ok[] = { text("values/dev.yaml", 7) };
	struct config_stack stacks[] = { stack_of("twice", 2, twice, 3),
					 stack_of("missing", 4, missing, 1),
					 stack_of("twice", 6, ok, 1), stack_of("dev", 8, ok, 1) };
	stacks[3].output = text("../policy.yaml", 9);
	struct dkf_config config;
	memset(&config, 0, sizeof(config));
	config.path = "conf/.dkfpolicy.yaml";
	config.stacks = stacks;
	config.stack_count = 4;
	/* the configuration is in conf/: its paths are conf/... from here */
	assert_int_equal(mkdir("conf", 0700), 0);
	assert_int_equal(rename("values", "conf/values"), 0);
	struct stack_decls decls;
	stacks_resolve(&config, &arena, &diags, &decls);
	assert_int_equal(rename("conf/values", "values"), 0);
	rmdir("conf");
	assert_string_equal(decls.folder, "conf");
	assert_string_equal(decls.items[0].values[0], "conf/values/common.yaml");
	assert_int_equal(diags.count, 4);
	for (size_t i = 0; i < diags.count; i++)
		assert_int_equal(diags.items[i].code, DKF123);
	assert_non_null(strstr(diags.items[0].message, "listed twice in stack 'twice'"));
	assert_non_null(strstr(diags.items[1].message, "'values/nope.yaml' is not there"));
	assert_non_null(strstr(diags.items[2].message, "declared already, on line 2"));
	assert_non_null(strstr(diags.items[3].message, "not inside the folder"));
	assert_false(decls.items[0].is_valid);
	assert_false(decls.items[1].is_valid);
	assert_false(decls.items[2].is_valid);
	assert_false(decls.items[3].is_valid);
	stacks_release(&decls);
	diag_list_release(&diags);
	arena_free(&arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stays_below),
		cmocka_unit_test(test_lexically_clean),
		cmocka_unit_test_setup_teardown(test_holders_of_a_shared_base, make_files,
						remove_files),
		cmocka_unit_test_setup_teardown(test_bad_entries, make_files, remove_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
