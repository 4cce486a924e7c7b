/* Walk the backend and topology tables: mandatory members set, names
 * unique, lookups find every entry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../generators/io.h"
#include "../../topologies/topology.h"

static void test_io_table(void **state)
{
	int n = 0;

	(void)state;
	for (const struct io_ops *const *o = io_table; *o; o++, n++) {
		const struct io_ops *ops = *o;

		assert_non_null(ops->name);
		assert_true(ops->name[0] != '\0');
		assert_non_null(ops->open);
		assert_non_null(ops->info);
		assert_non_null(ops->close);
		/* a backend moves frames in at least one direction, and both
		 * halves of a direction are present together */
		assert_true((ops->tx_reserve != NULL) == (ops->tx_commit != NULL));
		assert_true((ops->rx_burst != NULL) == (ops->rx_release != NULL));
		assert_true(ops->tx_reserve || ops->rx_burst);
		assert_ptr_equal(io_find(ops->name), ops);
		for (const struct io_ops *const *p = io_table; p != o; p++)
			assert_string_not_equal((*p)->name, ops->name);
	}
	assert_true(n >= 1);
	assert_null(io_find("no-such-backend"));
}

static void test_topo_table(void **state)
{
	int n = 0;

	(void)state;
	for (const struct topology_ops *const *o = topo_table; *o; o++, n++) {
		const struct topology_ops *ops = *o;

		assert_non_null(ops->name);
		assert_true(ops->name[0] != '\0');
		assert_non_null(ops->summary);
		assert_non_null(ops->probe);
		assert_non_null(ops->setup);
		assert_non_null(ops->teardown);
		assert_ptr_equal(topo_find(ops->name), ops);
		for (const struct topology_ops *const *p = topo_table; p != o; p++)
			assert_string_not_equal((*p)->name, ops->name);
	}
	assert_true(n >= 1);
	assert_null(topo_find("no-such-topology"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_io_table),
		cmocka_unit_test(test_topo_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
