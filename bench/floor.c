/*
 * bench/floor: the cost of reading YAML at all. For each file given, pull
 * every libyaml event and do nothing else. dkfpolicy is measured against
 * this: it cannot be faster, and should not be much slower.
 */
#include <stdio.h>
#include <yaml.h>

static int pull_all(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		perror(path);
		return -1;
	}
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser)) {
		fclose(fp);
		return -1;
	}
	yaml_parser_set_input_file(&parser, fp);
	int rc = 0;
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			fprintf(stderr, "%s: %s\n", path,
				parser.problem ? parser.problem : "error");
			rc = -1;
			break;
		}
		int done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (done)
			break;
	}
	yaml_parser_delete(&parser);
	fclose(fp);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;
	for (int i = 1; i < argc; i++)
		if (pull_all(argv[i]) != 0)
			rc = 1;
	return rc;
}
