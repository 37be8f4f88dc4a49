// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper of jsonload.sh: rule sets between text and JSON without a
 * kernel.
 *   jsonconv text FILE.nft   the file read as text, printed as `ruleset save` does
 *   jsonconv json FILE.nft   the same as JSON (what `-j ruleset save` prints)
 *   jsonconv load FILE.json  the JSON read back, printed as text
 * Errors: the message on stderr, exit 1.
 */
#include <string.h>
#include "ctrackctl.h"

int main(int argc, char **argv)
{
	const struct ct_print_opts po = { .save = true };
	struct ct_ruleset *rs;
	FILE *f;

	if (argc != 3 || (strcmp(argv[1], "text") && strcmp(argv[1], "json") &&
			  strcmp(argv[1], "load"))) {
		fprintf(stderr, "usage: jsonconv text|json|load FILE\n");
		return 2;
	}
	f = strcmp(argv[2], "-") ? fopen(argv[2], "r") : stdin;
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	if (!strcmp(argv[1], "load"))
		rs = ct_ruleset_read_json(f, argv[2]);
	else
		rs = ct_ruleset_read(f, argv[2], NULL, 0);
	if (f != stdin)
		fclose(f);
	if (!rs) {
		fprintf(stderr, "%s\n", ct_errbuf);
		return 1;
	}
	if (!strcmp(argv[1], "json"))
		ct_json_ruleset(stdout, rs, false);
	else
		ct_print_ruleset(stdout, rs, &po);
	ct_ruleset_free(rs);
	return 0;
}
