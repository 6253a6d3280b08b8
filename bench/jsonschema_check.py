"""Context for `make bench`: what a Python JSON-Schema hook costs.

usage: python3 bench/jsonschema_check.py SCHEMA FILE...

Loads each values file (PyYAML, with its libyaml C loader when present, as a
check-jsonschema style hook would) and validates it against the block's
schema. Exit 1 when a file does not validate. Not used by the tool itself.
"""
import json
import sys

import jsonschema
import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def main(argv):
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.validators.validator_for(schema)(schema)
    status = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            data = yaml.load(f, Loader=Loader)
        for error in validator.iter_errors(data):
            print(f"{path}: {error.message}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
